import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { currentContext } from "../context/context.ts";
import { WebSocket } from "../websockets/mod.ts";
import { delay, eachTransport, Run, useServer } from "./_websockets.ts";

describe("WebSocket", () => {
  const suite = useServer();
  const { url, open } = suite;

  describe("#addEventListener", () => {
    it("case 43: an undefined handler throws", async () => {
      const run = new Run();
      await run.iterate(() => {
        const ws = new WebSocket(url("/ws-echo"));
        ws.addEventListener("open", () => ws.close());
        assert.throws(
          () =>
            ws.addEventListener(
              "open",
              undefined as unknown as () => void,
            ),
          {
            name: "TypeError",
            message: 'handler for event type "open" isn\'t a callable function',
          },
        );
      });
    });

    eachTransport(
      "case 85: the on-slot runs first, then listeners in order; the event's fields",
      async (transport) => {
        const run = new Run();
        const { calls, checks } = await run.iterate(() => {
          const ws = open("/ws-echo", transport);
          const calls: string[] = [];
          const checks: boolean[] = [];
          ws.addEventListener("message", () => calls.push("L1"));
          ws.addEventListener("message", (event) => {
            calls.push("L2");
            checks.push(
              event.type === "message",
              event.target === ws,
              event.origin === ws.url,
              typeof event.timestamp === "number",
              Math.abs(event.timestamp - Date.now()) < 60_000,
              JSON.stringify(event) === "{}",
            );
            ws.close();
          });
          ws.onmessage = () => calls.push("onmessage");
          ws.onopen = () => ws.send("hi");
          return { calls, checks };
        });
        assert.deepEqual(calls, ["onmessage", "L1", "L2"]);
        assert.deepEqual(checks, [true, true, true, true, true, true]);
      },
    );

    eachTransport(
      "case 87: an unknown type logs a warning and its handler never runs",
      async (transport) => {
        const run = new Run();
        let called = false;
        await run.iterate(() => {
          const ws = open("/ws-close", transport);
          ws.addEventListener("foo", () => called = true);
        });
        assert.equal(called, false);
        assert.deepEqual(run.warnings, [
          "can't add event handler: unknown event type: foo",
        ]);
      },
    );

    eachTransport(
      "calls a function added twice twice, calls handlers with this undefined, and not listeners added during the dispatch",
      async (transport) => {
        const run = new Run();
        const calls = await run.iterate(() => {
          const ws = open("/ws-close", transport);
          const calls: unknown[] = [];
          const twice = function (this: unknown) {
            calls.push(this);
          };
          ws.addEventListener("open", twice);
          ws.addEventListener("open", twice);
          ws.addEventListener("open", () => {
            ws.addEventListener("open", () => calls.push("late"));
          });
          return calls;
        });
        assert.deepEqual(calls, [undefined, undefined]);
      },
    );

    eachTransport(
      "reports a rejected promise of an async listener",
      async (transport) => {
        const run = new Run();
        await run.iterate(() => {
          const ws = open("/ws-close", transport);
          ws.onopen = async () => {
            await delay(1);
            throw new Error("async boom");
          };
        });
        await delay(5);
        assert.equal(String(run.errors[0]), "Error: async boom");
      },
    );
  });

  describe("#removeEventListener", () => {
    eachTransport(
      "removes every matching listener, ignores non-functions and warns on unknown types",
      async (transport) => {
        const run = new Run();
        const calls = await run.iterate(() => {
          const ws = open("/ws-close", transport);
          const calls: string[] = [];
          const removed = () => calls.push("removed");
          ws.addEventListener("close", removed);
          ws.addEventListener("close", () => calls.push("kept"));
          ws.addEventListener("close", removed);
          ws.removeEventListener("close", removed);
          ws.removeEventListener("close", null);
          ws.removeEventListener("bar", removed);
          return calls;
        });
        assert.deepEqual(calls, ["kept"]);
        assert.deepEqual(run.warnings, [
          "can't remove event handler: unknown event type: bar",
        ]);
      },
    );
  });

  describe("on-slots", () => {
    eachTransport(
      "case 58: onclose runs once",
      async (transport) => {
        const run = new Run();
        const calls = await run.iterate(() => {
          const ws = open("/ws-echo", transport);
          const calls: string[] = [];
          ws.onopen = () => ws.close();
          ws.onclose = () => calls.push("from close");
          return calls;
        });
        assert.deepEqual(calls, ["from close"]);
      },
    );

    eachTransport(
      "case 59: onclose and a close listener both run, the on-slot first",
      async (transport) => {
        const run = new Run();
        const calls = await run.iterate(() => {
          const ws = open("/ws-echo", transport);
          const calls: string[] = [];
          ws.onopen = () => ws.close();
          ws.addEventListener(
            "close",
            () => calls.push("from addEventListener"),
          );
          ws.onclose = () => calls.push("from onclose");
          return calls;
        });
        assert.deepEqual(calls, ["from onclose", "from addEventListener"]);
      },
    );

    eachTransport(
      "case 60: redefining onclose replaces it; null clears it",
      async (transport) => {
        const run = new Run();
        const calls = await run.iterate(() => {
          const calls: string[] = [];
          const replaced = open("/ws-echo", transport);
          replaced.onopen = () => replaced.close();
          replaced.onclose = () => calls.push("from onclose");
          replaced.onclose = () => calls.push("from onclose 2");
          const cleared = open("/ws-echo", transport);
          cleared.onopen = () => cleared.close();
          cleared.onclose = () => calls.push("cleared");
          cleared.onclose = null;
          assert.equal(cleared.onclose, null);
          return calls;
        });
        assert.deepEqual(calls, ["from onclose 2"]);
      },
    );

    it("case 61: a value that is not callable throws", async () => {
      const run = new Run();
      await run.iterate(() => {
        const ws = new WebSocket(url("/ws-close"));
        for (
          const type of ["open", "message", "error", "close", "ping", "pong"]
        ) {
          assert.throws(
            () => Reflect.set(ws, `on${type}`, 1),
            {
              name: "TypeError",
              message: `a value for 'on${type}' should be callable`,
            },
          );
        }
        const handler = () => {};
        ws.onerror = handler;
        assert.equal(ws.onerror, handler);
        assert.equal(ws.onmessage, null);
      });
    });
  });

  describe("metrics", () => {
    eachTransport(
      "case 93: ws_msgs_sent counts the text and the close frame",
      async (transport) => {
        const run = new Run();
        await run.iterate(() => {
          const ws = open("/ws-echo", transport);
          ws.onopen = () => ws.send("a");
          ws.onmessage = () => ws.close();
        });
        assert.equal(run.count("ws_msgs_sent", url("/ws-echo")), 2);
        assert.equal(run.count("ws_msgs_received", url("/ws-echo")), 1);
      },
    );

    it("case 93: ws_msgs_sent counts the text, the ping and the close frame", async () => {
      const run = new Run();
      await run.iterate(() => {
        const ws = new WebSocket(url("/ws-echo"), null, { transport: "ws" });
        ws.onopen = () => ws.send("a");
        ws.onmessage = () => ws.ping();
        ws.onpong = () => ws.close();
      });
      assert.equal(run.count("ws_msgs_sent", url("/ws-echo")), 3);
    });

    eachTransport(
      "case 95: ws_* samples carry the group of the socket's construction; listeners run at the top level",
      async (transport) => {
        const run = new Run(
          { systemTags: new Set(["url", "status", "subproto", "group"]) },
          undefined,
          "g",
        );
        const groups = await run.iterate(() => {
          const groups: string[] = [];
          const ws = open("/ws-echo", transport);
          ws.onopen = () => {
            groups.push(currentContext().group);
            ws.send("x");
            ws.close();
          };
          return groups;
        });
        assert.ok(run.wsTags.length >= 4);
        for (const tags of run.wsTags) assert.equal(tags.group, "::g");
        assert.deepEqual(groups, [""]);
      },
    );

    eachTransport(
      "emits ws_session_duration once, at the close, from the constructor",
      async (transport) => {
        const run = new Run();
        let constructed = 0;
        let closed = 0;
        await run.iterate(() => {
          constructed = Date.now();
          const ws = open("/ws-echo", transport);
          ws.onopen = () => setTimeout(() => ws.close(), 50);
          ws.onclose = () => closed = Date.now();
        });
        const [duration] = run.of("ws_session_duration");
        assert.equal(run.count("ws_session_duration"), 1);
        assert.ok(
          duration.value >= 50 && duration.value <= closed - constructed + 5,
        );
        const [sessions] = run.of("ws_sessions");
        assert.ok(sessions.time <= duration.time);
        assert.ok(duration.time >= closed - 5);
      },
    );

    eachTransport(
      "builds one frozen tag object per socket and reuses it",
      async (transport) => {
        const run = new Run();
        await run.iterate(() => {
          const ws = open("/ws-echo", transport, { tags: { lorem: "ipsum" } });
          ws.onopen = () => ws.send("x");
          ws.onmessage = () => ws.close();
        });
        const tags = new Set(run.wsTags);
        assert.equal(tags.size, 1);
        const [only] = tags;
        assert.ok(Object.isFrozen(only));
        assert.deepEqual({ ...only }, {
          lorem: "ipsum",
          status: "101",
          subproto: "",
          url: url("/ws-echo"),
        });
      },
    );

    eachTransport(
      "counts the connection's bytes into data_sent/data_received",
      async (transport) => {
        const run = new Run();
        await run.iterate(() => {
          const ws = open("/ws-echo", transport);
          ws.onopen = () => ws.send("x".repeat(1000));
          ws.onmessage = () => ws.close();
        });
        const { sent, received } = run.context.takeBytes();
        assert.ok(sent > 1000, `sent ${sent}`);
        assert.ok(received > 1000, `received ${received}`);
      },
    );
  });
});
