import assert from "node:assert/strict";
import { describe, it } from "node:test";
import websockets, { Blob, WebSocket } from "../websockets/mod.ts";
import {
  assertClosedWhileConnecting,
  eachTransport,
  logEvents,
  Run,
  TRANSPORTS,
  types,
  useServer,
} from "./_websockets.ts";

describe("WebSocket", () => {
  const suite = useServer();
  const { url, open } = suite;

  describe("lifecycle", () => {
    eachTransport(
      "case 41: send then close in open: the iteration ends, session metrics OK",
      async (transport) => {
        const run = new Run();
        const log = await run.iterate(() => {
          const ws = open("/ws-echo", transport);
          ws.addEventListener("open", () => {
            ws.send("something");
            ws.close();
          });
          return logEvents(ws);
        });
        assert.deepEqual(run.errors, []);
        assert.deepEqual(types(log), ["open", "close"]);
        run.assertSessionMetrics(url("/ws-echo"));
      },
    );

    eachTransport("case 44: the same with onopen", async (transport) => {
      const run = new Run();
      await run.iterate(() => {
        const ws = open("/ws-echo", transport);
        ws.onopen = () => {
          ws.send("something");
          ws.close();
        };
      });
      assert.deepEqual(run.errors, []);
      run.assertSessionMetrics(url("/ws-echo"));
    });

    eachTransport(
      "case 52: two sockets talking through a relay, with listeners and with on-slots",
      async (transport) => {
        for (const [style, slots] of [["listeners", false], ["slots", true]]) {
          const first = 1 +
            2 * (TRANSPORTS.indexOf(transport) * 2 + Number(slots));
          const paths = [`/ws/couple/${first}`, `/ws/couple/${first + 1}`];
          const run = new Run();
          const heard = await run.iterate(() => {
            const heard: string[] = [];
            const sockets: WebSocket[] = [];
            let counter = 0;
            paths.forEach((path, index) => {
              const ws = open(path, transport);
              const onOpen = () => ws.send(`I am ${index + 1}`);
              const onMessage = (event: { data: unknown }) => {
                heard.push(`${index + 1} heard ${event.data}`);
                if (++counter === 2) {
                  for (const socket of sockets) socket.close();
                }
              };
              if (slots) {
                ws.onopen = onOpen;
                ws.onmessage = onMessage;
              } else {
                ws.addEventListener("open", onOpen);
                ws.addEventListener("message", onMessage);
              }
              sockets.push(ws);
            });
            return heard;
          });
          assert.deepEqual(run.errors, [], String(style));
          assert.deepEqual(heard.sort(), ["1 heard I am 2", "2 heard I am 1"]);
          for (const path of paths) run.assertSessionMetrics(url(path));
        }
      },
    );

    eachTransport(
      "case 79: a server close 1001 with a reason: close gets both, once, no error",
      async (transport) => {
        const run = new Run();
        const log = await run.iterate(() =>
          logEvents(open("/ws-remote-close", transport))
        );
        assert.deepEqual(log, [
          { type: "open", readyState: 1 },
          {
            type: "close",
            code: 1001,
            reason: "closed by server",
            wasClean: true,
            readyState: 3,
          },
        ]);
        assert.deepEqual(run.errors, []);
      },
    );

    eachTransport(
      "case 83: a TCP drop after the echo: message, error 1006, close 1006 unexpected EOF",
      async (transport) => {
        const run = new Run();
        const log = await run.iterate(() => {
          const ws = open("/ws-echo-invalid", transport);
          ws.onopen = () => ws.send("a");
          return logEvents(ws);
        });
        assert.deepEqual(log, [
          { type: "open", readyState: 1 },
          { type: "message", data: "a", readyState: 1 },
          {
            type: "error",
            error: "websocket: close 1006 (abnormal closure): unexpected EOF",
            readyState: 3,
          },
          {
            type: "close",
            code: 1006,
            reason: "unexpected EOF",
            wasClean: false,
            readyState: 3,
          },
        ]);
        run.assertSessionMetrics(url("/ws-echo-invalid"));
      },
    );

    eachTransport(
      "case 97: a server close 4000 bye: open, error, close 4000 bye",
      async (transport) => {
        const run = new Run();
        const log = await run.iterate(() =>
          logEvents(open("/ws-close-code?code=4000&reason=bye", transport))
        );
        assert.deepEqual(log, [
          { type: "open", readyState: 1 },
          { type: "error", error: "websocket: close 4000: bye", readyState: 3 },
          {
            type: "close",
            code: 4000,
            reason: "bye",
            wasClean: true,
            readyState: 3,
          },
        ]);
      },
    );

    eachTransport(
      "a server close without status: error (1005 no status), close 1005",
      async (transport) => {
        const run = new Run();
        const log = await run.iterate(() =>
          logEvents(open("/ws-close-no-status", transport))
        );
        assert.deepEqual(types(log), ["open", "error", "close"]);
        assert.deepEqual(log[1], {
          type: "error",
          error: "websocket: close 1005 (no status)",
          readyState: 3,
        });
        assert.deepEqual(log[2], {
          type: "close",
          code: 1005,
          reason: "",
          wasClean: true,
          readyState: 3,
        });
      },
    );

    eachTransport(
      "case 86: the iteration lasts until the close event of a socket closed by a timer",
      async (transport) => {
        const run = new Run();
        const started = performance.now();
        let closedAt = 0;
        await run.iterate(() => {
          const ws = open("/ws-echo", transport);
          ws.onopen = () => setTimeout(() => ws.close(), 500);
          ws.onclose = () => closedAt = performance.now();
        });
        const ended = performance.now();
        assert.ok(ended - started >= 500, `lasted ${ended - started} ms`);
        assert.ok(closedAt > 0 && closedAt <= ended);
      },
    );

    eachTransport(
      "case 94: messages after close() are dropped: no message event, no ws_msgs_received",
      async (transport) => {
        const run = new Run();
        const log = await run.iterate(() => {
          const ws = open("/ws-echo-multi", transport);
          ws.onopen = () => {
            ws.send("a");
            ws.send("b");
            ws.close();
          };
          return logEvents(ws);
        });
        assert.deepEqual(types(log), ["open", "close"]);
        assert.equal(run.count("ws_msgs_received"), 0);
      },
    );
  });

  describe("#readyState", () => {
    eachTransport(
      "case 45: 0 after construction, 1 in open, 3 in close",
      async (transport) => {
        const run = new Run();
        const states = await run.iterate(() => {
          const ws = open("/ws-echo", transport);
          const states = [ws.readyState];
          ws.onopen = () => {
            states.push(ws.readyState);
            ws.close();
            states.push(ws.readyState);
          };
          ws.onclose = () => states.push(ws.readyState);
          return states;
        });
        assert.deepEqual(states, [0, 1, 2, 3]);
      },
    );

    eachTransport(
      "case 74: close() while connecting: no open, no warning; the dial is given up (error, close 1006), not completed as in k6",
      async (transport) => {
        const run = new Run();
        const before = suite.server.closeFrames.length;
        const log = await run.iterate(() => {
          const ws = open("/ws-echo", transport);
          let matched = false;
          switch (ws.readyState) {
            case 0:
              matched = true;
              break;
          }
          assert.ok(matched);
          ws.close();
          assert.equal(ws.readyState, 2);
          return logEvents(ws);
        });
        // WHATWG: close() while connecting fails the connection. k6 (whose
        // close() blocks until the dial is done) sends a close frame once
        // connected, and blocks forever if the dial never ends.
        assertClosedWhileConnecting(log);
        assert.deepEqual(run.warnings, []);
        assert.deepEqual(run.errors, []);
        assert.deepEqual(suite.server.closeFrames.slice(before), []);
        assert.equal(run.count("ws_session_duration"), 0);
      },
    );

    it("has the CONNECTING, OPEN, CLOSING and CLOSED constants, static and on instances", async () => {
      assert.deepEqual(
        [
          WebSocket.CONNECTING,
          WebSocket.OPEN,
          WebSocket.CLOSING,
          WebSocket.CLOSED,
        ],
        [0, 1, 2, 3],
      );
      const run = new Run();
      await run.iterate(() => {
        const ws = new WebSocket(url("/ws-close"));
        assert.deepEqual(
          [ws.CONNECTING, ws.OPEN, ws.CLOSING, ws.CLOSED],
          [0, 1, 2, 3],
        );
      });
    });
  });

  describe("module", () => {
    it("has a default export holding WebSocket and Blob", () => {
      assert.equal(websockets.WebSocket, WebSocket);
      assert.equal(websockets.Blob, Blob);
    });

    it("shows the url as Go re-serialises it, and protocol/extensions defaults", async () => {
      const run = new Run();
      await run.iterate(() => {
        const ws = new WebSocket(`WS://127.0.0.1:${suite.server.port}`);
        assert.equal(ws.url, `ws://127.0.0.1:${suite.server.port}`);
        assert.equal(ws.protocol, "");
        assert.deepEqual(ws.extensions, []);
        assert.equal(String(ws), "[object WebSocket]");
        assert.deepEqual(Object.keys(ws), []);
        ws.close();
      });
    });
  });
});
