import assert from "node:assert/strict";
import { describe } from "node:test";
import { Blob } from "../websockets/mod.ts";
import { eachTransport, Run, useServer } from "./_websockets.ts";

const TYPED_ARRAYS = [
  Int8Array,
  Int16Array,
  Int32Array,
  Uint8Array,
  Uint16Array,
  Uint32Array,
  Uint8ClampedArray,
  Float32Array,
  Float64Array,
] as const;

describe("WebSocket", () => {
  const suite = useServer();
  const { url, open } = suite;

  describe("#binaryType and #bufferedAmount", () => {
    eachTransport(
      "case 46: bufferedAmount counts sent payload bytes; binaryType refuses other values",
      async (transport) => {
        const run = new Run();
        const seen = await run.iterate(() => {
          const ws = open("/ws-echo-invalid", transport);
          const seen: number[] = [];
          ws.onopen = () => {
            ws.send(new Uint8Array([164, 41]).buffer);
            seen.push(ws.bufferedAmount);
            ws.send("k6");
            seen.push(ws.bufferedAmount);
          };
          ws.onmessage = () => {
            seen.push(ws.bufferedAmount);
            ws.close();
          };
          assert.equal(ws.binaryType, "blob");
          assert.throws(
            () => {
              ws.binaryType = "something" as "blob";
            },
            {
              name: "TypeError",
              message:
                'unknown binaryType something, the supported ones are "blob" and "arraybuffer"',
            },
          );
          assert.equal(ws.binaryType, "blob");
          return seen;
        });
        assert.deepEqual(seen.slice(0, 2), [2, 4]);
        assert.ok(seen[2] === 0 || seen[2] === 2, `got ${seen[2]}`);
        assert.deepEqual(run.warnings, []);
      },
    );

    eachTransport(
      "case 47: binary messages arrive as Blobs by default",
      async (transport) => {
        const run = new Run();
        let length = -1;
        await run.iterate(() => {
          const ws = open("/ws-echo-invalid", transport);
          ws.onopen = () => ws.send(new Uint8Array([164, 41]).buffer);
          ws.onmessage = async (event) => {
            assert.ok(event.data instanceof Blob);
            assert.equal(event.data.type, "");
            length = (await event.data.arrayBuffer()).byteLength;
            ws.close();
          };
        });
        assert.equal(length, 2);
        assert.deepEqual(run.errors, []);
        assert.deepEqual(run.warnings, []);
      },
    );

    eachTransport(
      'case 48: binaryType "arraybuffer" delivers ArrayBuffers',
      async (transport) => {
        const run = new Run();
        const received = await run.iterate(() => {
          const ws = open("/ws-echo", transport);
          ws.binaryType = "arraybuffer";
          const received: unknown[] = [];
          ws.onopen = () => ws.send(new Uint8Array([164, 41]).buffer);
          ws.onmessage = (event) => {
            received.push(event.data);
            ws.close();
          };
          return received;
        });
        assert.equal(received.length, 1);
        assert.ok(received[0] instanceof ArrayBuffer);
        assert.deepEqual(
          new Uint8Array(received[0] as ArrayBuffer),
          new Uint8Array([164, 41]),
        );
      },
    );

    eachTransport(
      "case 49: a subarray sends only the viewed byte",
      async (transport) => {
        const run = new Run();
        const lengths = await run.iterate(() => {
          const ws = open("/ws-echo", transport);
          ws.binaryType = "arraybuffer";
          const lengths: number[] = [];
          ws.onopen = () => ws.send(new Uint8Array(1024).subarray(0, 1));
          ws.onmessage = (event) => {
            lengths.push((event.data as ArrayBuffer).byteLength);
            ws.close();
          };
          return lengths;
        });
        assert.deepEqual(lengths, [1]);
      },
    );

    eachTransport(
      "case 50: every typed array: bufferedAmount is its byteLength, the echo has its values",
      async (transport) => {
        for (const View of TYPED_ARRAYS) {
          const run = new Run();
          const outcome = await run.iterate(() => {
            const ws = open("/ws-echo", transport);
            const outcome = {
              afterSend: -1,
              onMessage: -1,
              received: [] as number[],
            };
            const sent = new View([164, 41]);
            ws.onopen = () => {
              ws.send(sent);
              outcome.afterSend = ws.bufferedAmount;
            };
            ws.onmessage = async (event) => {
              outcome.onMessage = ws.bufferedAmount;
              const buffer = await (event.data as Blob).arrayBuffer();
              outcome.received = [...new View(buffer)];
              ws.close();
            };
            return outcome;
          });
          const sent = new View([164, 41]);
          assert.equal(outcome.afterSend, sent.byteLength, View.name);
          assert.equal(outcome.onMessage, 0, View.name);
          assert.deepEqual(outcome.received, [...sent], View.name);
          assert.deepEqual(run.errors, []);
        }
      },
    );
  });

  describe("#send", () => {
    eachTransport(
      "case 42: a k6 Blob goes out as a binary frame; session metrics OK",
      async (transport) => {
        const run = new Run();
        const before = suite.server.messages.length;
        await run.iterate(() => {
          const ws = open("/ws-echo", transport);
          ws.addEventListener("open", () => {
            ws.send(new Blob(["something"]));
            ws.close();
          });
        });
        run.assertSessionMetrics(url("/ws-echo"));
        const received = suite.server.messages.slice(before);
        assert.equal(received.length, 1);
        assert.deepEqual(
          received[0].data,
          new TextEncoder().encode("something"),
        );
      },
    );

    eachTransport(
      "keeps the call order when a platform Blob's bytes are read asynchronously",
      async (transport) => {
        const run = new Run();
        const before = suite.server.messages.length;
        const buffered = await run.iterate(() => {
          const ws = open("/ws-echo-multi", transport);
          const buffered: number[] = [];
          ws.onopen = () => {
            ws.send("first");
            ws.send(new globalThis.Blob(["second"]));
            ws.send(new DataView(new Uint8Array([9, 1, 2, 9]).buffer, 1, 2));
            ws.send("fourth");
            buffered.push(ws.bufferedAmount);
            ws.close();
          };
          return buffered;
        });
        assert.deepEqual(buffered, [5 + 6 + 2 + 6]);
        assert.deepEqual(
          suite.server.messages.slice(before).map(({ data }) =>
            typeof data === "string" ? data : [...data]
          ),
          ["first", [...new TextEncoder().encode("second")], [1, 2], "fourth"],
        );
        assert.equal(run.count("ws_msgs_sent"), 5); // 4 messages + close
      },
    );

    eachTransport(
      "case 81: throws InvalidStateError while connecting and after close()",
      async (transport) => {
        const run = new Run();
        const thrown = await run.iterate(() => {
          const ws = open("/ws-echo", transport);
          const thrown: unknown[] = [];
          const capture = (fn: () => void) => {
            try {
              fn();
            } catch (error) {
              thrown.push(error);
            }
          };
          capture(() => ws.send("x"));
          ws.onopen = () => {
            ws.close();
            capture(() => ws.send("x"));
            capture(() => ws.ping());
          };
          return thrown;
        });
        assert.equal(thrown.length, 3);
        for (const error of thrown) {
          assert.ok(error instanceof DOMException);
          assert.equal(error.name, "InvalidStateError");
        }
        assert.match(String(thrown[0]), /^InvalidStateError: .*readyState 0/);
        assert.match(String(thrown[1]), /readyState 2 \(CLOSING\)/);
      },
    );

    eachTransport(
      "case 84: unsupported types throw with k6's Go type names",
      async (transport) => {
        const run = new Run();
        const messages = await run.iterate(() => {
          const ws = open("/ws-echo", transport);
          const messages: string[] = [];
          ws.onopen = () => {
            for (
              const value of [123, 1.5, true, null, undefined, {}, [1], () => 1]
            ) {
              try {
                ws.send(value as unknown as string);
              } catch (error) {
                assert.ok(error instanceof TypeError);
                messages.push(error.message);
              }
            }
            ws.close();
          };
          return messages;
        });
        assert.deepEqual(messages, [
          "unsupported send type int64",
          "unsupported send type float64",
          "unsupported send type bool",
          "unsupported send type <nil>",
          "unsupported send type <nil>",
          "unsupported send type map[string]interface {}",
          "unsupported send type []interface {}",
          "unsupported send type func(sobek.FunctionCall) sobek.Value",
        ]);
      },
    );
  });
});
