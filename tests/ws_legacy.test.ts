import assert from "node:assert/strict";
import * as net from "node:net";
import process from "node:process";
import { after, before, describe, it } from "node:test";
import { CookieJar } from "../http/cookie_jar.ts";
import { cookieJar } from "../http/default_jar.ts";
import {
  Context,
  type ContextInit,
  type ContextOptions,
  DEFAULT_OPTIONS,
} from "../context/context.ts";
import type { Sample } from "../metrics/sample.ts";
import {
  COMPRESSION_TEXT,
  startRawServer,
  startServer,
  type TestServer,
} from "../server/mod.ts";
import ws, {
  connect,
  type Response,
  setThrow,
  SocketError,
} from "../ws_legacy/mod.ts";
import { tlsFixtures } from "./_tls.ts";

// ------------------------------------------------------------- harness --

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
process.on("unhandledRejection", onUnhandled);

const CLOSE_SENT = "websocket: close sent";
const UNEXPECTED_EOF_ERROR =
  "websocket: close 1006 (abnormal closure): unexpected EOF";
const UNKNOWN_AUTHORITY =
  "tls: failed to verify certificate: x509: certificate signed by unknown authority";
const SESSION_METRICS = ["ws_connecting", "ws_sessions", "ws_session_duration"];

/** A context that records what a connection reports into it. */
class Harness {
  readonly samples: Sample[] = [];
  readonly errors: unknown[] = [];
  readonly warnings: string[] = [];
  readonly context: Context;

  constructor(options: Partial<ContextOptions> = {}, init: ContextInit = {}) {
    this.context = new Context({
      // The options of k6's own ws tests: these system tags, this UA, throw on.
      options: {
        ...DEFAULT_OPTIONS,
        systemTags: new Set(["url", "proto", "status", "subproto"]),
        userAgent: "TestUserAgent",
        throw: true,
        ...options,
      },
      sink: (sample) => this.samples.push(sample),
      onError: (error) => this.errors.push(error),
      logger: {
        warn: (message) => this.warnings.push(message),
        error: (message) => this.warnings.push(message),
      },
      ...init,
    });
  }

  /** Runs `fn` (typically a `connect()` call) in this context. */
  run<T>(fn: () => T): T {
    return this.context.run(fn);
  }

  /** The samples of one metric. */
  metric(name: string): Sample[] {
    return this.samples.filter((sample) => sample.metric.name === name);
  }

  /** Sum of one counter. */
  count(name: string): number {
    return this.metric(name).reduce((sum, sample) => sum + sample.value, 0);
  }
}

/** k6's assertSessionMetricsEmitted. */
function assertSessionMetrics(
  harness: Harness,
  url: string,
  status = "101",
  subproto = "",
): void {
  for (const name of SESSION_METRICS) {
    const matching = harness.metric(name).filter((sample) =>
      sample.tags.url === url && sample.tags.status === status &&
      sample.tags.subproto === subproto && (sample.tags.group ?? "") === ""
    );
    assert.ok(
      matching.length > 0,
      `no ${name} sample for ${url} (status ${status}, subproto "${subproto}")`,
    );
  }
}

function assertOneSessionEach(harness: Harness): void {
  for (const name of SESSION_METRICS) {
    assert.equal(harness.metric(name).length, 1, `${name} samples`);
  }
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve())
  );
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A TCP server that records each request head and answers it with `answer`. */
async function rawHttpServer(answer: string): Promise<{
  url: string;
  heads: string[];
  close(): Promise<void>;
}> {
  const heads: string[] = [];
  const listener = net.createServer((socket) => {
    socket.once("data", (chunk) => {
      heads.push(chunk.toString("latin1"));
      socket.end(answer);
    });
  });
  await new Promise<void>((resolve) =>
    listener.listen(0, "127.0.0.1", () => resolve())
  );
  const { port } = listener.address() as net.AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/`,
    heads,
    close: () => new Promise((resolve) => listener.close(() => resolve())),
  };
}

/** Waits until `condition` holds (server records arrive asynchronously). */
async function eventually(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail("condition not met within 2 s");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const decoder = new TextDecoder();

// --------------------------------------------------------------- tests --

describe("k6/ws", () => {
  let server: TestServer;
  let tlsServer: TestServer;

  before(async () => {
    const { cert, key } = tlsFixtures();
    server = await startServer();
    tlsServer = await startServer({ tls: { cert, key } });
  });

  after(async () => {
    await server.close();
    await tlsServer.close();
  });

  describe("connect", () => {
    it("1. connects over ws and closes in the callback", async () => {
      const harness = new Harness();
      const url = `${server.url}/ws-echo`;
      const res = await harness.run(() => connect(url, (s) => s.close()));
      assert.equal(res.status, 101);
      assert.equal(res.url, url);
      assert.equal(res.error, "");
      assert.equal(res.body, "");
      assert.match(res.headers["Sec-Websocket-Accept"], /^[A-Za-z0-9+/=]+$/);
      assertSessionMetrics(harness, url);
      assert.deepEqual(harness.errors, []);
    });

    it("2. connects over wss trusted by insecureSkipTLSVerify", async () => {
      const harness = new Harness({ insecureSkipTLSVerify: true });
      const url = `${tlsServer.url}/ws-echo`;
      const res = await harness.run(() => connect(url, (s) => s.close()));
      assert.equal(res.status, 101);
      assertSessionMetrics(harness, url);
    });

    it("2. connects over wss trusted by a CA", async () => {
      const harness = new Harness({ tlsCA: [tlsFixtures().ca] });
      const url = `${tlsServer.url}/ws-echo`;
      const res = await harness.run(() => connect(url, (s) => s.close()));
      assert.equal(res.status, 101);
      assertSessionMetrics(harness, url);
    });

    it("2. connects over wss trusted through the tls param", async () => {
      const harness = new Harness();
      const url = `${tlsServer.url}/ws-echo`;
      const res = await harness.run(() =>
        connect(url, { tls: { ca: tlsFixtures().ca } }, (s) => s.close())
      );
      assert.equal(res.status, 101);
      assertSessionMetrics(harness, url);
    });

    it("is the default export's connect too", () => {
      assert.equal(ws.connect, connect);
    });

    it("37. throws k6's argument errors synchronously", () => {
      const harness = new Harness();
      const url = `${server.url}/ws-echo`;
      const call = connect as (...args: unknown[]) => Promise<Response>;
      harness.run(() => {
        assert.throws(() => call(url), {
          name: "TypeError",
          message: "invalid number of arguments to ws.connect",
        });
        assert.throws(() => call(url, {}, () => {}, "extra"), {
          message: "invalid number of arguments to ws.connect",
        });
        assert.throws(() => call(url, {}, "notfn"), {
          name: "TypeError",
          message: "last argument to ws.connect must be a function",
        });
      });
      assert.equal(harness.samples.length, 0);
    });

    it("38. ignores unknown params", async () => {
      const harness = new Harness();
      const params = { cookies: { a: 1 }, foo: 1 } as Record<string, unknown>;
      const res = await harness.run(() =>
        connect(`${server.url}/ws-echo`, params, (s) => s.close())
      );
      assert.equal(res.status, 101);
    });

    it("accepts null params and tolerates a URL fragment", async () => {
      const harness = new Harness();
      const url = `${server.url}/ws-echo#fragment`;
      const res = await harness.run(() => connect(url, null, (s) => s.close()));
      assert.equal(res.status, 101);
      assert.equal(res.url, url);
      assert.equal(server.requests.at(-1)?.target, "/ws-echo");
    });
  });

  describe("events", () => {
    it("3. fires open", async () => {
      const harness = new Harness();
      let opened = false;
      await harness.run(() =>
        connect(`${server.url}/ws-echo`, (socket) => {
          socket.on("open", () => {
            opened = true;
            socket.close();
          });
        })
      );
      assert.equal(opened, true);
    });

    it("4. sends and receives text", async () => {
      const harness = new Harness();
      const url = `${server.url}/ws-echo`;
      const received: string[] = [];
      await harness.run(() =>
        connect(url, (socket) => {
          socket.on("open", () => socket.send("test"));
          socket.on("message", (data) => {
            received.push(data);
            socket.close();
          });
        })
      );
      assert.deepEqual(received, ["test"]);
      assert.equal(harness.count("ws_msgs_sent"), 1);
      assert.equal(harness.count("ws_msgs_received"), 1);
      for (const name of ["ws_msgs_sent", "ws_msgs_received"]) {
        assert.equal(harness.metric(name)[0].tags.url, url);
      }
      assertSessionMetrics(harness, url);
    });

    it("12. runs several handlers of one event in order", async () => {
      const harness = new Harness();
      const calls: string[] = [];
      await harness.run(() =>
        connect(`${server.url}/ws-echo`, (socket) => {
          socket.on("open", () => socket.ping());
          socket.on("pong", () => calls.push("first"));
          socket.on("pong", () => {
            calls.push("second");
            socket.close();
          });
          socket.on("pong", "not a function" as unknown as () => void);
        })
      );
      assert.deepEqual(calls, ["first", "second"]);
      assert.equal(harness.metric("ws_ping").length, 1);
    });

    it("16. reports a dropped connection as error 1006 then close(1006)", async () => {
      const harness = new Harness();
      const url = `${server.url}/ws-echo-invalid`;
      const events: unknown[] = [];
      let error: SocketError | undefined;
      const res = await harness.run(() =>
        connect(url, (socket) => {
          socket.on("open", () => socket.send("test"));
          socket.on("message", (data) => events.push(`message ${data}`));
          socket.on("error", (e) => {
            error ??= e;
            events.push(`error ${e.error()}`);
          });
          socket.on("close", (code) => events.push(`close ${code}`));
        })
      );
      assert.equal(res.status, 101);
      assert.deepEqual(events, [
        "message test",
        `error ${UNEXPECTED_EOF_ERROR}`,
        "close 1006",
      ]);
      assert.ok(error instanceof SocketError);
      assert.equal(String(error), UNEXPECTED_EOF_ERROR);
      assert.equal(error.code, 1006);
      assert.equal(error.text, "unexpected EOF");
      assertSessionMetrics(harness, url);
    });

    it("17. passes the server's close code, with an error only for codes other than 1000/1001", async () => {
      for (const code of [1000, 1001, 1011]) {
        const harness = new Harness();
        const events: string[] = [];
        await harness.run(() =>
          connect(`${server.url}/ws-close-code?code=${code}`, (socket) => {
            socket.on("error", (e) => events.push(`error ${e.error()}`));
            socket.on("close", (c) => events.push(`close ${c}`));
          })
        );
        const expected = code === 1011
          ? [
            "error websocket: close 1011 (internal server error)",
            "close 1011",
          ]
          : [`close ${code}`];
        assert.deepEqual(events, expected, `code ${code}`);
      }
    });

    it("97. reports a close frame with an application code as error then close", async () => {
      const harness = new Harness();
      const events: string[] = [];
      let error: SocketError | undefined;
      await harness.run(() =>
        connect(`${server.url}/ws-close-code?code=4000&reason=bye`, (s) => {
          s.on("error", (e) => {
            error = e;
            events.push(`error ${e.error()}`);
          });
          s.on("close", (code) => events.push(`close ${code}`));
        })
      );
      assert.deepEqual(events, [
        "error websocket: close 4000: bye",
        "close 4000",
      ]);
      assert.equal(error?.code, 4000);
      assert.equal(error?.text, "bye");
    });

    it("reports a close frame without status as error 1005 then close(1005)", async () => {
      const harness = new Harness();
      const events: string[] = [];
      await harness.run(() =>
        connect(`${server.url}/ws-close-no-status`, (s) => {
          s.on("error", (e) => events.push(`error ${e.error()} ${e.code}`));
          s.on("close", (code) => events.push(`close ${code}`));
        })
      );
      assert.deepEqual(events, [
        "error websocket: close 1005 (no status) 1005",
        "close 1005",
      ]);
    });

    it("18. exchanges three messages in sequence", async () => {
      const harness = new Harness();
      const received: string[] = [];
      await harness.run(() =>
        connect(`${server.url}/ws-echo-multi`, (socket) => {
          socket.on("open", () => socket.send("test1"));
          socket.on("message", (data) => {
            received.push(data);
            if (data === "test1") socket.send("test2");
            else if (data === "test2") socket.send("test3");
            else socket.close();
          });
        })
      );
      assert.deepEqual(received, ["test1", "test2", "test3"]);
      assert.equal(harness.count("ws_msgs_sent"), 3);
      assert.equal(harness.count("ws_msgs_received"), 3);
    });

    it("19. exchanges two messages over wss", async () => {
      const harness = new Harness({ insecureSkipTLSVerify: true });
      const url = `${tlsServer.url}/ws-echo-multi`;
      const received: string[] = [];
      await harness.run(() =>
        connect(url, (socket) => {
          socket.on("open", () => socket.send("test1"));
          socket.on("message", (data) => {
            received.push(data);
            if (data === "test1") socket.send("test2");
            else socket.close();
          });
        })
      );
      assert.deepEqual(received, ["test1", "test2"]);
      assert.equal(harness.count("ws_msgs_sent"), 2);
      assert.equal(harness.count("ws_msgs_received"), 2);
      assertSessionMetrics(harness, url);
    });

    it("20. delivers text to message and binary to binaryMessage", async () => {
      const harness = new Harness();
      const events: string[] = [];
      let binary: unknown;
      await harness.run(() =>
        connect(`${server.url}/ws-echo-multi`, (socket) => {
          socket.on("open", () => socket.send("test1"));
          socket.on("message", (data) => {
            events.push(`message ${data}`);
            socket.sendBinary(new Uint8Array([116, 101, 115, 116, 50]).buffer);
          });
          socket.on("binaryMessage", (data) => {
            binary = data;
            events.push("binaryMessage");
            socket.close();
          });
        })
      );
      assert.deepEqual(events, ["message test1", "binaryMessage"]);
      assert.ok(binary instanceof ArrayBuffer);
      assert.deepEqual(
        [...new Uint8Array(binary)],
        [116, 101, 115, 116, 50],
      );
      assert.equal(harness.count("ws_msgs_sent"), 2);
      assert.equal(harness.count("ws_msgs_received"), 2);
    });

    it("21. round-trips sendBinary", async () => {
      const harness = new Harness();
      let text = "";
      await harness.run(() =>
        connect(`${server.url}/ws-echo`, (socket) => {
          socket.on(
            "open",
            () => socket.sendBinary(new TextEncoder().encode("hello").buffer),
          );
          socket.on("binaryMessage", (data) => {
            text = decoder.decode(data);
            socket.close();
          });
        })
      );
      assert.equal(text, "hello");
    });

    it("40. answers a server ping before the ping handlers run", async () => {
      const harness = new Harness();
      let pinged = 0;
      await harness.run(() =>
        connect(`${server.url}/ws-server-ping`, (socket) => {
          socket.on("ping", () => {
            pinged++;
            socket.close();
          });
        })
      );
      assert.equal(pinged, 1);
      await eventually(() =>
        server.pongs.some((pong) =>
          pong.path === "/ws-server-ping" && pong.payload === "server-ping"
        )
      );
    });

    it("ends a session with a garbage frame by close(1001), no error event", async () => {
      const raw = await startRawServer("garbage");
      try {
        const harness = new Harness();
        const events: string[] = [];
        const res = await harness.run(() =>
          connect(raw.url, (socket) => {
            socket.on("error", (e) => events.push(`error ${e.error()}`));
            socket.on("close", (code) => events.push(`close ${code}`));
          })
        );
        assert.equal(res.status, 101);
        assert.deepEqual(events, ["close 1001"]);
        assertOneSessionEach(harness);
      } finally {
        await raw.close();
      }
    });

    it("ends a session with a reset connection by close(1001), no error event", async () => {
      const raw = await startRawServer("reset");
      try {
        const harness = new Harness();
        const events: string[] = [];
        await harness.run(() =>
          connect(raw.url, (socket) => {
            socket.on("open", () => socket.send("x"));
            socket.on("error", (e) => events.push(`error ${e.error()}`));
            socket.on("close", (code) => events.push(`close ${code}`));
          })
        );
        assert.deepEqual(events, ["close 1001"]);
      } finally {
        await raw.close();
      }
    });

    it("reports a connection dropped mid-frame as error 1006 then close(1006)", async () => {
      const raw = await startRawServer("drop-mid-frame");
      try {
        const harness = new Harness();
        const events: string[] = [];
        await harness.run(() =>
          connect(raw.url, (socket) => {
            socket.on("error", (e) => events.push(`error ${e.error()}`));
            socket.on("close", (code) => events.push(`close ${code}`));
          })
        );
        assert.deepEqual(events, [
          `error ${UNEXPECTED_EOF_ERROR}`,
          "close 1006",
        ]);
      } finally {
        await raw.close();
      }
    });

    it("closes with 1001 when the context is cancelled", async () => {
      const controller = new AbortController();
      const harness = new Harness({}, { signal: controller.signal });
      const codes: number[] = [];
      const res = await harness.run(() =>
        connect(`${server.url}/ws-echo`, (socket) => {
          socket.on("open", () => controller.abort());
          socket.on("close", (code) => codes.push(code));
        })
      );
      assert.equal(res.status, 101);
      assert.deepEqual(codes, [1001]);
      assertOneSessionEach(harness);
    });
  });

  describe("Socket#setInterval and #setTimeout", () => {
    it("5. runs an interval until the socket closes", async () => {
      const harness = new Harness();
      let counter = 0;
      await harness.run(() =>
        connect(`${server.url}/ws-echo`, (socket) => {
          socket.setInterval(() => {
            counter++;
            if (counter > 2) socket.close();
          }, 100);
        })
      );
      assert.ok(counter >= 3, `counter ${counter}`);
    });

    it("6. rejects a negative interval with k6's text", async () => {
      const harness = new Harness();
      await assert.rejects(
        harness.run(() =>
          connect(`${server.url}/ws-echo`, (socket) => {
            socket.setInterval(() => {}, -1.23);
          })
        ),
        {
          name: "RangeError",
          message:
            "setInterval requires a >0 timeout parameter, received -1.23",
        },
      );
      assertOneSessionEach(harness);
    });

    it("7. accepts a sub-millisecond interval", async () => {
      const harness = new Harness();
      let counter = 0;
      await harness.run(() =>
        connect(`${server.url}/ws-echo`, (socket) => {
          socket.setInterval(() => {
            counter++;
            if (counter > 2) socket.close();
          }, 0.3);
        })
      );
      assert.equal(counter, 3);
    });

    it("8. runs a timeout once, after its delay", async () => {
      const harness = new Harness();
      const start = Date.now();
      let elapsed = 0;
      let calls = 0;
      await harness.run(() =>
        connect(`${server.url}/ws-echo`, (socket) => {
          socket.setTimeout(() => {
            calls++;
            elapsed = Date.now() - start;
            socket.close();
          }, 500);
        })
      );
      assert.equal(calls, 1);
      assert.ok(elapsed >= 499 && elapsed < 3000, `elapsed ${elapsed}`);
      assert.ok(Date.now() - start >= elapsed);
    });

    it("9. rejects a zero timeout with k6's text and still emits the session metrics", async () => {
      const harness = new Harness();
      await assert.rejects(
        harness.run(() =>
          connect(`${server.url}/ws-echo`, (socket) => {
            socket.setTimeout(() => {}, 0);
          })
        ),
        {
          name: "RangeError",
          message: "setTimeout requires a >0 timeout parameter, received 0.00",
        },
      );
      assertSessionMetrics(harness, `${server.url}/ws-echo`);
    });

    it("formats other invalid delays as Go does", async () => {
      const harness = new Harness();
      const messages: string[] = [];
      await harness.run(() =>
        connect(`${server.url}/ws-echo`, (socket) => {
          for (const delay of [Number.NaN, -Infinity, 1e-7, undefined]) {
            try {
              socket.setTimeout(() => {}, delay as number);
            } catch (error) {
              messages.push((error as Error).message);
            }
          }
          socket.close();
        })
      );
      assert.deepEqual(messages, [
        "setTimeout requires a >0 timeout parameter, received NaN",
        "setTimeout requires a >0 timeout parameter, received -Inf",
        "setTimeout requires a >0 timeout parameter, received 0.00",
        "setTimeout requires a >0 timeout parameter, received NaN",
      ]);
    });

    it("10. stops the timers when the socket closes", async () => {
      const harness = new Harness();
      const log: string[] = [];
      const start = Date.now();
      await harness.run(() =>
        connect(`${server.url}/ws-echo`, (socket) => {
          socket.setTimeout(() => log.push("A"), 100);
          socket.setTimeout(() => socket.close(), 200);
          socket.setTimeout(() => log.push("C"), 300);
          socket.setInterval(() => log.push("tick"), 150);
        })
      );
      const took = Date.now() - start;
      await sleep(250);
      assert.deepEqual(log, ["A", "tick"]);
      assert.ok(took >= 199 && took < 1000, `took ${took}`);
    });

    it("rejects a timer callback that is not a function", async () => {
      const harness = new Harness();
      await assert.rejects(
        harness.run(() =>
          connect(`${server.url}/ws-echo`, (socket) => {
            socket.setTimeout("close" as unknown as () => void, 10);
          })
        ),
        { name: "TypeError", message: /^setTimeout requires a function/ },
      );
    });
  });

  describe("Socket#ping", () => {
    it("11. measures the round trip of a ping", async () => {
      const harness = new Harness();
      const url = `${server.url}/ws-echo`;
      let ponged = false;
      await harness.run(() =>
        connect(url, (socket) => {
          socket.on("open", () => socket.ping());
          socket.on("pong", () => {
            ponged = true;
            socket.close();
          });
          socket.setTimeout(() => socket.close(), 3000);
        })
      );
      assert.equal(ponged, true);
      const [rtt, ...more] = harness.metric("ws_ping");
      assert.deepEqual(more, []);
      assert.ok(rtt.value >= 0 && rtt.value < 3000);
      assert.equal(rtt.tags.url, url);
      assertSessionMetrics(harness, url);
    });

    it("sends counter payloads", async () => {
      const harness = new Harness();
      let pongs = 0;
      await harness.run(() =>
        connect(`${server.url}/ws-echo`, (socket) => {
          socket.on("open", () => {
            socket.ping();
            socket.ping();
          });
          socket.on("pong", () => {
            if (++pongs === 2) socket.close();
          });
        })
      );
      assert.equal(harness.metric("ws_ping").length, 2);
    });

    it("reports websocket: close sent after close", async () => {
      const harness = new Harness();
      const errors: string[] = [];
      await harness.run(() =>
        connect(`${server.url}/ws-echo`, (socket) => {
          socket.on("error", (e) => errors.push(e.error()));
          socket.on("open", () => {
            socket.close();
            socket.ping();
          });
        })
      );
      assert.deepEqual(errors, [CLOSE_SENT]);
      assert.equal(harness.metric("ws_ping").length, 0);
    });
  });

  describe("Socket#send and #sendBinary", () => {
    it("98. coerces send's argument to text", async () => {
      const harness = new Harness();
      const received: unknown[] = [];
      await harness.run(() =>
        connect(`${server.url}/ws-echo-multi`, (socket) => {
          socket.on("open", () => {
            socket.send(12345);
            socket.send(undefined);
          });
          socket.on("message", (data) => {
            received.push(data);
            if (received.length === 2) socket.close();
          });
        })
      );
      assert.deepEqual(received, ["12345", ""]);
      assert.equal(harness.count("ws_msgs_sent"), 2);
    });

    it("22. throws k6's texts for sendBinary arguments that are not ArrayBuffers", async () => {
      const cases: [unknown[], string][] = [
        [[], "missing argument, expected ArrayBuffer"],
        [[undefined], "expected ArrayBuffer as argument, received: undefined"],
        [[null], "expected ArrayBuffer as argument, received: null"],
        [[true], "expected ArrayBuffer as argument, received: Boolean"],
        [[1], "expected ArrayBuffer as argument, received: Number"],
        [[3.14], "expected ArrayBuffer as argument, received: Number"],
        [["str"], "expected ArrayBuffer as argument, received: String"],
        [[[1, 2, 3]], "expected ArrayBuffer as argument, received: Array"],
        [
          [new Uint8Array([1, 2, 3])],
          "expected ArrayBuffer as argument, received: Uint8Array",
        ],
        [[Symbol("a")], "expected ArrayBuffer as argument, received: Symbol"],
        [
          [function () {}],
          "expected ArrayBuffer as argument, received: Function",
        ],
      ];
      for (const [args, message] of cases) {
        const harness = new Harness();
        await assert.rejects(
          harness.run(() =>
            connect(`${server.url}/ws-echo`, (socket) => {
              socket.on("open", () => {
                (socket.sendBinary as (...a: unknown[]) => void)(...args);
              });
            })
          ),
          { name: "TypeError", message },
        );
        assert.equal(harness.count("ws_msgs_sent"), 0);
      }
    });

    it("29. reports websocket: close sent for a send after close, without throwing", async () => {
      const harness = new Harness();
      const url = `${server.url}/ws-echo`;
      const errors: unknown[] = [];
      const res = await harness.run(() =>
        connect(url, (socket) => {
          socket.on("open", () => {
            socket.close();
            socket.send("test");
            socket.sendBinary(new ArrayBuffer(1));
          });
          socket.on("error", (e) => errors.push(e.error()));
        })
      );
      assert.equal(res.status, 101);
      assert.deepEqual(errors, [CLOSE_SENT, CLOSE_SENT]);
      // Counted even though the writes failed (a k6 quirk).
      assert.equal(harness.count("ws_msgs_sent"), 2);
      assertSessionMetrics(harness, url);
    });

    it("93. counts only data messages in ws_msgs_sent", async () => {
      const harness = new Harness();
      await harness.run(() =>
        connect(`${server.url}/ws-echo`, (socket) => {
          socket.on("open", () => socket.send("a"));
          socket.on("message", () => socket.ping());
          socket.on("pong", () => socket.close());
        })
      );
      assert.equal(harness.count("ws_msgs_sent"), 1);
      assert.equal(harness.metric("ws_ping").length, 1);
    });
  });

  describe("Socket#close", () => {
    it("13. closes with 1001 by default", async () => {
      const harness = new Harness();
      const codes: number[] = [];
      await harness.run(() =>
        connect(`${server.url}/ws-echo?case=13`, (socket) => {
          socket.on("open", () => socket.close());
          socket.on("close", (code) => codes.push(code));
        })
      );
      assert.deepEqual(codes, [1001]);
      await eventually(() =>
        server.closeFrames.some((frame) =>
          frame.path === "/ws-echo" && frame.code === 1001
        )
      );
    });

    it("14. closes with the given code", async () => {
      const harness = new Harness();
      const codes: number[] = [];
      await harness.run(() =>
        connect(`${server.url}/ws-echo`, (socket) => {
          socket.on("open", () => socket.close(4000));
          socket.on("close", (code) => codes.push(code));
        })
      );
      assert.deepEqual(codes, [4000]);
      await eventually(() =>
        server.closeFrames.some((frame) => frame.code === 4000)
      );
    });

    it("passes 0 to the handlers for close(undefined), as k6", async () => {
      const harness = new Harness();
      const codes: number[] = [];
      await harness.run(() =>
        connect(`${server.url}/ws-echo`, (socket) => {
          socket.on("open", () => socket.close(undefined));
          socket.on("close", (code) => codes.push(code));
        })
      );
      assert.deepEqual(codes, [0]);
    });

    it("15. sees a server close (auto-close) with its code", async () => {
      const harness = new Harness();
      const codes: number[] = [];
      const res = await harness.run(() =>
        connect(`${server.url}/ws-close`, (socket) => {
          socket.on("open", () => socket.send("test"));
          socket.on("close", (code) => codes.push(code));
        })
      );
      assert.equal(res.status, 101);
      assert.deepEqual(codes, [1000]);
    });

    it("30. runs the close handlers inside close()", async () => {
      const harness = new Harness();
      const log: string[] = [];
      await harness.run(() =>
        connect(`${server.url}/ws-echo`, (socket) => {
          socket.on("open", () => {
            log.push("a");
            socket.close();
            log.push("b");
            socket.close(); // idempotent
          });
          socket.on("close", () => log.push("c"));
        })
      );
      assert.deepEqual(log, ["a", "c", "b"]);
    });

    it("fires close before open when the callback closes (a k6 quirk)", async () => {
      const harness = new Harness();
      const log: string[] = [];
      await harness.run(() =>
        connect(`${server.url}/ws-echo`, (socket) => {
          socket.on("open", () => log.push("open"));
          socket.on("close", () => log.push("close"));
          socket.close();
        })
      );
      assert.deepEqual(log, ["close", "open"]);
    });
  });

  describe("exceptions", () => {
    it("27. rejects with the callback's exception and emits ws_session_duration", async () => {
      const harness = new Harness();
      const failure = new Error("error in setup");
      const events: string[] = [];
      await assert.rejects(
        harness.run(() =>
          connect(`${server.url}/ws-echo`, (socket) => {
            socket.on("open", () => events.push("open"));
            socket.on("close", (code) => events.push(`close ${code}`));
            throw failure;
          })
        ),
        (error) => error === failure,
      );
      assert.deepEqual(events, ["close 1001"]);
      assertOneSessionEach(harness);
      assert.deepEqual(harness.errors, []);
    });

    it("28. rejects with a handler's exception after closing with 1001", async () => {
      const harness = new Harness();
      const codes: number[] = [];
      await assert.rejects(
        harness.run(() =>
          connect(`${server.url}/ws-echo`, (socket) => {
            socket.on("open", () => socket.send("hi"));
            socket.on("message", () => {
              throw new Error("boom");
            });
            socket.on("close", (code) => codes.push(code));
          })
        ),
        { message: "boom" },
      );
      assert.deepEqual(codes, [1001]);
      assertOneSessionEach(harness);
    });

    it("rejects with a socket timer's exception", async () => {
      const harness = new Harness();
      const codes: number[] = [];
      await assert.rejects(
        harness.run(() =>
          connect(`${server.url}/ws-echo`, (socket) => {
            socket.on("close", (code) => codes.push(code));
            socket.setInterval(() => {
              throw new Error("tick failed");
            }, 10);
          })
        ),
        { message: "tick failed" },
      );
      assert.deepEqual(codes, [1001]);
    });

    it("rejects with the first exception when a close handler throws too", async () => {
      const harness = new Harness();
      await assert.rejects(
        harness.run(() =>
          connect(`${server.url}/ws-echo`, (socket) => {
            socket.on("close", () => {
              throw new Error("second");
            });
            throw new Error("first");
          })
        ),
        { message: "first" },
      );
    });

    it("reports an exception nobody awaits to the context", async () => {
      const harness = new Harness();
      harness.run(() => {
        connect(`${server.url}/ws-echo`, () => {
          throw new Error("nobody listens");
        });
      });
      await harness.context.pending.idle();
      assert.equal(harness.errors.length, 1);
      assert.equal((harness.errors[0] as Error).message, "nobody listens");
    });

    it("keeps the context's iteration alive until the promise settles", async () => {
      const harness = new Harness();
      let closed = false;
      harness.run(() =>
        connect(`${server.url}/ws-echo`, (socket) => {
          socket.on("close", () => closed = true);
          socket.setTimeout(() => socket.close(), 50);
        })
      );
      assert.equal(harness.context.pending.size, 1);
      await harness.context.pending.idle();
      assert.equal(closed, true);
    });
  });

  describe("dial failures", () => {
    it("23. rejects an invalid URL with throw on, without calling back or warning", async () => {
      const harness = new Harness();
      let called = false;
      await assert.rejects(
        harness.run(() => connect("INVALID", () => called = true)),
        { message: "malformed ws or wss URL" },
      );
      assert.equal(called, false);
      assert.deepEqual(harness.warnings, []);
      assertOneSessionEach(harness);
    });

    it("24. rejects an invalid URL whose callback would send", async () => {
      const harness = new Harness();
      await assert.rejects(
        harness.run(() => connect("INVALID", (s) => s.send("x"))),
        { message: "malformed ws or wss URL" },
      );
    });

    it("25. returns an invalid URL's error with throw off", async () => {
      const harness = new Harness({ throw: false });
      const res = await harness.run(() => connect("INVALID", () => {}));
      assert.deepEqual(res, {
        url: "",
        status: 0,
        headers: {},
        body: "",
        error: "malformed ws or wss URL",
      });
      assert.deepEqual(harness.warnings, []);
    });

    it("refuses other schemes and user-info as malformed", async () => {
      const harness = new Harness({ throw: false });
      for (
        const url of [
          "http://127.0.0.1/",
          "ws://user:pw@127.0.0.1/",
          "ws://@127.0.0.1/",
        ]
      ) {
        const res = await harness.run(() => connect(url, () => {}));
        assert.equal(res.error, "malformed ws or wss URL", url);
      }
      const res = await harness.run(() => connect("WS://[::1/", () => {}));
      assert.equal(res.error, 'parse "WS://[::1/": invalid URL');
    });

    it("26. returns a 404 answer with throw off", async () => {
      const harness = new Harness({ throw: false });
      const url = `${server.url}/status/404`;
      let called = false;
      const res = await harness.run(() => connect(url, () => called = true));
      assert.equal(called, false);
      assert.equal(res.status, 404);
      assert.equal(res.error, "");
      assert.equal(res.url, "");
      assert.equal(res.body, "404\n");
      assert.equal(res.headers["X-Fixture"], "status");
      const [sessions] = harness.metric("ws_sessions");
      assert.equal(sessions.tags.status, "404");
      assert.equal(sessions.tags.subproto, "");
      assertOneSessionEach(harness);
    });

    it("shows response headers Go-canonical, repeated ones joined", async () => {
      const body = "x".repeat(1500);
      const raw = await rawHttpServer(
        "HTTP/1.1 429 Too Many Requests\r\nretry-after: 5\r\n" +
          "X-Dup: a\r\nx-dup: b\r\n" +
          `Content-Length: ${body.length}\r\n\r\n${body}`,
      );
      try {
        const harness = new Harness({ throw: false });
        const res = await harness.run(() => connect(raw.url, () => {}));
        assert.equal(res.status, 429);
        assert.equal(res.headers["Retry-After"], "5");
        assert.equal(res.headers["X-Dup"], "a, b");
        assert.equal(res.body, "x".repeat(1024));
      } finally {
        await raw.close();
      }
    });

    it("returns a 429 answer's body and headers with throw off", async () => {
      const harness = new Harness({ throw: false });
      const res = await harness.run(() =>
        connect(`${server.url}/status/429`, () => {})
      );
      assert.equal(res.status, 429);
      assert.equal(res.body, "429\n");
      assert.equal(res.headers["X-Fixture"], "status");
      assert.equal(res.headers["Content-Length"], "4");
    });

    it("rejects a non-101 answer as a bad handshake with throw on", async () => {
      const harness = new Harness();
      await assert.rejects(
        harness.run(() => connect(`${server.url}/status/404`, () => {})),
        { message: "websocket: bad handshake" },
      );
      assert.equal(harness.metric("ws_sessions")[0].tags.status, "404");
    });

    it("returns a 101 with a bad accept key as its status with throw off", async () => {
      const raw = await startRawServer("bad-accept");
      try {
        const harness = new Harness({ throw: false });
        const res = await harness.run(() => connect(raw.url, () => {}));
        assert.equal(res.status, 101);
        assert.equal(res.error, "");
        assert.equal(res.url, "");
        await assert.rejects(
          harness.run(() => connect(raw.url, { throw: true }, () => {})),
          { message: "websocket: bad handshake" },
        );
      } finally {
        await raw.close();
      }
    });

    it("fails a bad compression negotiation", async () => {
      const raw = await startRawServer("bad-compression");
      try {
        const harness = new Harness({ throw: false });
        let called = false;
        const res = await harness.run(() =>
          connect(raw.url, { compression: "deflate" }, () => called = true)
        );
        assert.equal(called, false);
        assert.equal(res.status, 101);
        assert.equal(res.error, "");
        await assert.rejects(
          harness.run(() =>
            connect(raw.url, { compression: "deflate", throw: true }, () => {})
          ),
          { message: "websocket: invalid compression negotiation" },
        );
        assert.equal(harness.metric("ws_session_duration").length, 2);
      } finally {
        await raw.close();
      }
    });

    it("92. emits one of each session metric, without status, for a refused connection", async () => {
      const harness = new Harness({ throw: false });
      const port = await closedPort();
      const res = await harness.run(() =>
        connect(`ws://127.0.0.1:${port}/`, () => {})
      );
      assert.equal(res.status, 0);
      assert.equal(
        res.error,
        `dial tcp 127.0.0.1:${port}: connect: connection refused`,
      );
      assertOneSessionEach(harness);
      for (const sample of harness.samples) {
        assert.equal(sample.tags.status, undefined);
        assert.equal(sample.tags.url, `ws://127.0.0.1:${port}/`);
      }
    });

    it("rejects a refused connection with throw on", async () => {
      const harness = new Harness();
      const port = await closedPort();
      await assert.rejects(
        harness.run(() => connect(`ws://127.0.0.1:${port}/`, () => {})),
        { message: `dial tcp 127.0.0.1:${port}: connect: connection refused` },
      );
      assertOneSessionEach(harness);
    });

    it("returns an unresolvable host's error", async () => {
      const harness = new Harness({ throw: false });
      const res = await harness.run(() =>
        connect("ws://nosuchhost.invalid/", () => {})
      );
      assert.equal(res.status, 0);
      assert.equal(
        res.error,
        "dial tcp: lookup nosuchhost.invalid: no such host",
      );
    });

    it("returns an untrusted certificate's error, or rejects with it", async () => {
      const harness = new Harness({ throw: false });
      const url = `${tlsServer.url}/ws-echo`;
      const res = await harness.run(() => connect(url, () => {}));
      assert.equal(res.status, 0);
      assert.equal(res.error, UNKNOWN_AUTHORITY);
      await assert.rejects(
        harness.run(() => connect(url, { throw: true }, () => {})),
        { message: UNKNOWN_AUTHORITY },
      );
    });

    it("gives up a handshake after handshakeTimeout", async () => {
      const raw = await startRawServer("never-complete");
      try {
        const harness = new Harness({ throw: false });
        const res = await harness.run(() =>
          connect(raw.url, { handshakeTimeout: 100 }, () => {})
        );
        assert.equal(res.status, 0);
        assert.equal(res.error, "websocket: handshake timed out after 100 ms");
        assertOneSessionEach(harness);
        const [connecting] = harness.metric("ws_connecting");
        assert.ok(connecting.value >= 99, `ws_connecting ${connecting.value}`);
      } finally {
        await raw.close();
      }
    });

    it("fails the dial for a reserved header", async () => {
      const harness = new Harness({ throw: false });
      const res = await harness.run(() =>
        connect(`${server.url}/ws-echo`, {
          headers: { "sec-websocket-key": "x" },
        }, () => {})
      );
      assert.equal(res.status, 0);
      assert.equal(
        res.error,
        "websocket: duplicate header not allowed: Sec-Websocket-Key",
      );
      await assert.rejects(
        harness.run(() =>
          connect(`${server.url}/ws-echo`, {
            headers: { Upgrade: "h2c" },
            throw: true,
          }, () => {})
        ),
        { message: "websocket: duplicate header not allowed: Upgrade" },
      );
    });

    it("reports a rejection nobody awaits to the context, not as unhandled", async () => {
      const harness = new Harness();
      harness.run(() => {
        connect("INVALID", () => {});
      });
      await harness.context.pending.idle();
      assert.deepEqual(
        harness.errors.map((error) => (error as Error).message),
        ["malformed ws or wss URL"],
      );
    });

    it("does not report an awaited rejection to the context", async () => {
      const harness = new Harness();
      const promise = harness.run(() => connect("INVALID", () => {}));
      await Promise.resolve(); // observed within the same macrotask is enough
      await assert.rejects(promise);
      await harness.context.pending.idle();
      assert.deepEqual(harness.errors, []);
    });

    it("ends a dial cancelled by the context", async () => {
      const raw = await startRawServer("never-complete");
      try {
        const controller = new AbortController();
        const harness = new Harness({ throw: false }, {
          signal: controller.signal,
        });
        const promise = harness.run(() => connect(raw.url, () => {}));
        setTimeout(() => controller.abort(), 20);
        const res = await promise;
        assert.equal(res.status, 0);
        assert.notEqual(res.error, "");
        assertOneSessionEach(harness);
      } finally {
        await raw.close();
      }
    });
  });

  describe("the throw option", () => {
    it("takes the param over setThrow over the context", async () => {
      const off = new Harness({ throw: false });
      const on = new Harness({ throw: true });
      try {
        setThrow(true);
        await assert.rejects(off.run(() => connect("INVALID", () => {})));
        setThrow(false);
        const res = await on.run(() => connect("INVALID", () => {}));
        assert.equal(res.status, 0);
        await assert.rejects(
          off.run(() => connect("INVALID", { throw: true }, () => {})),
        );
        setThrow(undefined);
        await assert.rejects(on.run(() => connect("INVALID", () => {})));
        const value = await on.run(() =>
          connect("INVALID", { throw: false }, () => {})
        );
        assert.equal(value.status, 0);
      } finally {
        setThrow(undefined);
      }
    });

    it("validates setThrow and the extension params", () => {
      const harness = new Harness();
      const url = `${server.url}/ws-echo`;
      assert.throws(() => setThrow("yes" as unknown as boolean), TypeError);
      harness.run(() => {
        assert.throws(
          () => connect(url, { throw: "yes" as unknown as boolean }, () => {}),
          {
            name: "TypeError",
            message:
              'Invalid ws.connect() param "throw": expected a boolean, got string "yes"',
          },
        );
        assert.throws(() => connect(url, { handshakeTimeout: 0 }, () => {}), {
          name: "RangeError",
        });
        assert.throws(
          () => connect(url, { tls: { ca: 1 as unknown as string } }, () => {}),
          TypeError,
        );
      });
      assert.equal(harness.samples.length, 0);
    });
  });

  describe("handshake params", () => {
    it("31. sends the context's User-Agent", async () => {
      const harness = new Harness();
      const res = await harness.run(() =>
        connect(`${server.url}/ws-echo-useragent`, () => {})
      );
      assert.equal(res.headers["Echo-User-Agent"], "TestUserAgent");
    });

    it("32. sends custom headers with Go-canonical names", async () => {
      const raw = await rawHttpServer(
        "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n",
      );
      try {
        const harness = new Harness({ throw: false });
        const res = await harness.run(() =>
          connect(raw.url, {
            headers: { "x-lorem": "ipsum", "user-agent": "Custom" },
          }, () => {})
        );
        assert.equal(res.status, 404);
        const lines = raw.heads[0].split("\r\n");
        assert.ok(lines.includes("X-Lorem: ipsum"), raw.heads[0]);
        assert.ok(lines.includes("User-Agent: Custom"), raw.heads[0]);
      } finally {
        await raw.close();
      }
      const harness = new Harness();
      await harness.run(() =>
        connect(`${server.url}/ws-echo-useragent`, {
          headers: { "x-lorem": "ipsum" },
        }, () => {})
      );
      const request = server.requests.at(-1)!;
      assert.equal(request.headers["x-lorem"], "ipsum");
      assert.equal(request.headers["user-agent"], "TestUserAgent");
    });

    it("33. negotiates compression", async () => {
      const harness = new Harness();
      const url = `${server.url}/ws-compression`;
      let text = "";
      const res = await harness.run(() =>
        connect(url, { compression: "deflate" }, (socket) => {
          socket.on("message", (data) => text = data);
        })
      );
      assert.equal(text, COMPRESSION_TEXT);
      const parts = res.headers["Sec-Websocket-Extensions"].split(";").map((
        part,
      ) => part.trim());
      for (
        const part of [
          "permessage-deflate",
          "server_no_context_takeover",
          "client_no_context_takeover",
        ]
      ) {
        assert.ok(parts.includes(part), `${part} in ${parts.join(";")}`);
      }
      assertSessionMetrics(harness, url);
    });

    it("34. validates the compression param", async () => {
      const harness = new Harness();
      const url = `${server.url}/ws-echo`;
      for (const compression of ["", "  ", "deflate", "deflate "]) {
        const res = await harness.run(() =>
          connect(url, { compression }, (s) => s.close())
        );
        assert.equal(res.status, 101, JSON.stringify(compression));
      }
      const refused: [string, string][] = [
        ["gzip", "gzip"],
        ["deflate, gzip", "deflate, gzip"],
        ["deflate, deflate", "deflate, deflate"],
        ["deflate, ", "deflate,"],
      ];
      for (const [compression, shown] of refused) {
        harness.run(() =>
          assert.throws(() => connect(url, { compression }, () => {}), {
            message:
              `unsupported compression algorithm '${shown}', supported algorithm is 'deflate'`,
          })
        );
      }
    });

    it("35. sends the cookies of the default jar or of a custom jar", async () => {
      const harness = new Harness();
      const path = "/ws-echo-someheader";
      const url = `${server.url}${path}`;
      const first = await harness.run(() => connect(url, () => {}));
      assert.equal(first.headers["Echo-Someheader"], undefined);
      harness.run(() =>
        cookieJar().set(`${server.httpUrl}${path}`, "someheader", "defaultjar")
      );
      const second = await harness.run(() => connect(url, () => {}));
      assert.equal(second.headers["Echo-Someheader"], "defaultjar");
      assert.deepEqual(server.requests.at(-1)?.cookies, {
        someheader: "defaultjar",
      });
      const jar = new CookieJar();
      jar.set(`${server.httpUrl}${path}`, "someheader", "customjar");
      const third = await harness.run(() => connect(url, { jar }, () => {}));
      assert.equal(third.headers["Echo-Someheader"], "customjar");
      assert.deepEqual(server.requests.at(-1)?.cookies, {
        someheader: "customjar",
      });
    });

    it("stores the 101's Set-Cookie in the jar used", async () => {
      const harness = new Harness();
      const jar = new CookieJar();
      const url = `${server.url}/ws-set-cookie`;
      await harness.run(() => connect(url, { jar }, (s) => s.close()));
      assert.deepEqual(jar.cookiesForURL(`${server.httpUrl}/`), {
        session: ["abc"],
      });
      await harness.run(() => connect(url, (s) => s.close()));
      assert.deepEqual(
        harness.run(() => cookieJar().cookiesForURL(`${server.httpUrl}/x`)),
        { session: ["abc"] },
      );
    });
  });

  describe("tags", () => {
    for (const tag of ["status", "subproto", "url", "ip"]) {
      it(`36. tags every sample with only ${tag} when only it is enabled`, async () => {
        const harness = new Harness({ systemTags: new Set([tag]) });
        await harness.run(() =>
          connect(`${server.url}/ws-echo`, (socket) => {
            socket.on("open", () => socket.send("test"));
            socket.on("message", () => socket.close());
          })
        );
        const names = new Set(harness.samples.map((s) => s.metric.name));
        assert.deepEqual(
          [...names].sort(),
          [...SESSION_METRICS, "ws_msgs_received", "ws_msgs_sent"].sort(),
        );
        for (const sample of harness.samples) {
          assert.deepEqual(Object.keys(sample.tags), [tag]);
          assert.equal(sample.metadata, undefined);
        }
        if (tag === "ip") assert.equal(harness.samples[0].tags.ip, "127.0.0.1");
      });
    }

    it("39. adds custom tags to every sample, and validates them", async () => {
      const harness = new Harness();
      const url = `${server.url}/ws-echo`;
      await harness.run(() =>
        connect(url, { tags: { my_tag: "hello", version: 13 } }, (socket) => {
          socket.on("open", () => socket.send("x"));
          socket.on("message", () => socket.close());
        })
      );
      assert.ok(harness.samples.length >= 5);
      for (const sample of harness.samples) {
        assert.equal(sample.tags.my_tag, "hello");
        assert.equal(sample.tags.version, "13");
        assert.equal(sample.tags.url, url);
      }
      harness.run(() =>
        assert.throws(
          () => connect(url, { tags: { x: {} as string } }, () => {}),
          {
            message:
              "invalid ws.connect() metric tags: invalid value for metric tag 'x': only String, Boolean and Number types are accepted as a metric tag values",
          },
        )
      );
    });

    it("keeps the context's tags captured at connect()", async () => {
      const harness = new Harness({}, { tags: { scenario: "default" } });
      const child = harness.context.withTags({ group: "::g" });
      await child.run(() => connect(`${server.url}/ws-echo`, (s) => s.close()));
      for (const sample of harness.samples) {
        assert.equal(sample.tags.scenario, "default");
        assert.equal(sample.tags.group, "::g");
      }
    });

    it("counts the connection's bytes into the context", async () => {
      const harness = new Harness();
      await harness.run(() =>
        connect(`${server.url}/ws-echo`, (s) => s.close())
      );
      const { sent, received } = harness.context.takeBytes();
      assert.ok(sent > 100, `sent ${sent}`);
      assert.ok(received > 100, `received ${received}`);
    });
  });

  it("never leaves an unhandled rejection", async () => {
    await sleep(20);
    process.off("unhandledRejection", onUnhandled);
    assert.deepEqual(unhandled, []);
  });
});
