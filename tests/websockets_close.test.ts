import assert from "node:assert/strict";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { WebSocketServer } from "ws";
import { WebSocket } from "../websockets/mod.ts";
import {
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

  describe("#close", () => {
    eachTransport("case 75: close(1000) gives code 1000", async (transport) => {
      const run = new Run();
      const log = await run.iterate(() => {
        const ws = open("/ws-echo", transport);
        ws.onopen = () => {
          ws.send("something");
          ws.close(1000);
        };
        return logEvents(ws);
      });
      assert.deepEqual(log.at(-1), {
        type: "close",
        code: 1000,
        reason: "",
        wasClean: true,
        readyState: 3,
      });
      run.assertSessionMetrics(url("/ws-echo"));
    });

    eachTransport(
      "case 76: close(1000, reason): the close event has the server's empty reason",
      async (transport) => {
        const run = new Run();
        const before = suite.server.closeFrames.length;
        const log = await run.iterate(() => {
          const ws = open("/ws-echo", transport);
          ws.onopen = () => {
            ws.send("something");
            ws.close(1000, "a really good reason");
          };
          return logEvents(ws);
        });
        assert.deepEqual(log.at(-1), {
          type: "close",
          code: 1000,
          reason: "",
          wasClean: true,
          readyState: 3,
        });
        assert.deepEqual(suite.server.closeFrames.slice(before), [
          { path: "/ws-echo", code: 1000, reason: "a really good reason" },
        ]);
      },
    );

    eachTransport(
      "case 77: a disallowed code throws InvalidAccessError and fails the iteration",
      async (transport) => {
        const run = new Run();
        await run.iterate(() => {
          const ws = open("/ws-echo", transport);
          ws.onopen = () => {
            ws.send("something");
            ws.close(1001);
          };
        });
        assert.equal(run.errors.length, 1);
        assert.ok(run.errors[0] instanceof DOMException);
        assert.equal(
          String(run.errors[0]),
          "InvalidAccessError: Failed to execute 'close' on 'WebSocket': " +
            "The close code must be either 1000, or between 3000 and 4999. " +
            "1001 is neither",
        );
        run.assertSessionMetrics(url("/ws-echo"));
      },
    );

    eachTransport(
      "case 77: 999, 2999 and 5000 throw; 3000 and 4999 do not",
      async (transport) => {
        const run = new Run();
        const outcomes = await run.iterate(() => {
          const outcomes: Record<number, string> = {};
          for (const code of [999, 2999, 5000, 3000, 4999]) {
            const ws = open("/ws-echo", transport);
            ws.onopen = () => {
              try {
                ws.close(code);
                outcomes[code] = "closed";
              } catch (error) {
                outcomes[code] = (error as DOMException).name;
                ws.close();
              }
            };
          }
          return outcomes;
        });
        assert.deepEqual(outcomes, {
          999: "InvalidAccessError",
          2999: "InvalidAccessError",
          5000: "InvalidAccessError",
          3000: "closed",
          4999: "closed",
        });
      },
    );

    eachTransport(
      "case 78: a reason over 123 bytes throws SyntaxError; 123 bytes are accepted",
      async (transport) => {
        const run = new Run();
        const before = suite.server.closeFrames.length;
        await run.iterate(() => {
          const ws = open("/ws-echo", transport);
          ws.onopen = () => ws.close(1000, "é".repeat(62)); // 124 bytes
          const accepted = open("/ws-echo", transport);
          accepted.onopen = () => accepted.close(1000, "x".repeat(123));
        });
        assert.equal(run.errors.length, 1);
        assert.equal(
          String(run.errors[0]),
          "SyntaxError: Failed to execute 'close' on 'WebSocket': " +
            "The message must not be greater than 123 bytes",
        );
        // (Deno's WebSocket cannot drop TCP: the native transport closes
        // the rejected socket with a close frame of its own.)
        const reasons = suite.server.closeFrames.slice(before).map((
          { reason },
        ) => reason.length);
        assert.ok(reasons.includes(123), `reasons: ${reasons}`);
        assert.ok(reasons.every((length) => length === 123 || length === 0));
        run.assertSessionMetrics(url("/ws-echo"));
      },
    );

    eachTransport(
      "case 96: close(3000) is echoed: error (websocket: close 3000) then close 3000; close(1000) has no error",
      async (transport) => {
        const run = new Run();
        const [coded, normal] = await run.iterate(() =>
          [3000, 1000].map((code) => {
            const ws = open("/ws-echo", transport);
            ws.onopen = () => ws.close(code);
            return logEvents(ws);
          })
        );
        assert.deepEqual(coded, [
          { type: "open", readyState: 2 },
          { type: "error", error: "websocket: close 3000", readyState: 3 },
          {
            type: "close",
            code: 3000,
            reason: "",
            wasClean: true,
            readyState: 3,
          },
        ]);
        assert.deepEqual(types(normal), ["open", "close"]);
      },
    );

    eachTransport("does nothing while closing or closed", async (transport) => {
      const run = new Run();
      const before = suite.server.closeFrames.length;
      await run.iterate(() => {
        const ws = open("/ws-echo", transport);
        ws.onopen = () => {
          ws.close(3001);
          ws.close(1001); // no validation either
          ws.close(3002);
        };
        ws.onclose = () => ws.close(4000);
      });
      assert.deepEqual(run.errors, []);
      assert.deepEqual(
        suite.server.closeFrames.slice(before).map(({ code }) => code),
        [3001],
      );
    });

    eachTransport(
      "closes with 1000 when the context is cancelled",
      async (transport) => {
        const run = new Run();
        const before = suite.server.closeFrames.length;
        const log = await run.iterate(() => {
          const ws = open("/ws-echo-multi", transport);
          ws.onopen = () => run.controller.abort();
          return logEvents(ws);
        });
        assert.deepEqual(types(log), ["open", "close"]);
        assert.deepEqual(
          suite.server.closeFrames.slice(before).map(({ code }) => code),
          [1000],
        );
      },
    );
  });

  describe("#ping", () => {
    for (const style of ["onpong", 'addEventListener("pong")'] as const) {
      eachTransport(
        `case 71: ping() in open, ${style} closes: recorded once, one ws_ping`,
        async (transport) => {
          const run = new Run();
          const calls = await run.iterate(() => {
            const calls: string[] = [];
            const ws = new WebSocket(url("/ws-echo"), null, { transport });
            ws.addEventListener("open", () => ws.ping());
            const onPong = () => {
              calls.push("from onpong");
              ws.close();
            };
            if (style === "onpong") ws.onpong = onPong;
            else ws.addEventListener("pong", onPong);
            ws.onerror = (event) => {
              throw new Error(event.error);
            };
            return calls;
          });
          assert.deepEqual(calls, ["from onpong"]);
          assert.deepEqual(run.errors, []);
          assert.equal(run.count("ws_ping"), 1);
          run.assertSessionMetrics(url("/ws-echo"));
        },
        ["ws"],
      );
    }

    it("pings with the payloads 0, 1, … and warns about pongs it did not ask for", async () => {
      const peer = new WebSocketServer({ host: "127.0.0.1", port: 0 });
      const pings: string[] = [];
      peer.on("connection", (socket) => {
        socket.pong("7"); // unsolicited
        socket.on("ping", (payload) => pings.push(String(payload)));
      });
      await once(peer, "listening");
      const { port } = peer.address() as AddressInfo;
      try {
        const run = new Run();
        const log = await run.iterate(() => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
          let pongs = 0;
          ws.onpong = () => {
            if (++pongs < 3) return;
            ws.close();
          };
          ws.onopen = () => {
            ws.ping();
            ws.ping();
          };
          return logEvents(ws, { controlFrames: true });
        });
        assert.deepEqual(types(log), ["open", "pong", "pong", "pong", "close"]);
        assert.deepEqual(pings, ["0", "1"]);
        assert.equal(run.count("ws_ping"), 2);
        assert.deepEqual(run.warnings, [
          "received pong for unknown ping ID 7",
        ]);
      } finally {
        for (const client of peer.clients) client.terminate();
        await new Promise((resolve) => peer.close(resolve));
      }
    });

    it("emits a ping event after answering a server ping", async () => {
      const run = new Run();
      const before = suite.server.pongs.length;
      const log = await run.iterate(() => {
        const ws = new WebSocket(url("/ws-server-ping"));
        ws.onping = () => ws.close();
        return logEvents(ws, { controlFrames: true });
      });
      assert.deepEqual(types(log), ["open", "ping", "close"]);
      assert.deepEqual(run.errors, []);
      assert.deepEqual(suite.server.pongs.slice(before), [
        { path: "/ws-server-ping", payload: "server-ping" },
      ]);
    });

    if (TRANSPORTS.includes("native")) {
      it("throws NotSupportedError on the native transport", async () => {
        const run = new Run();
        const thrown = await run.iterate(() => {
          const ws = new WebSocket(url("/ws-echo"), null, {
            transport: "native",
          });
          const thrown: unknown[] = [];
          ws.onopen = () => {
            try {
              ws.ping();
            } catch (error) {
              thrown.push(error);
            }
            ws.close();
          };
          return thrown;
        });
        assert.equal((thrown[0] as DOMException).name, "NotSupportedError");
      });
    }
  });
});
