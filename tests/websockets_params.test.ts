import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CookieJar } from "../http/cookie_jar.ts";
import { cookieJar } from "../http/default_jar.ts";
import { DEFAULT_OPTIONS } from "../context/context.ts";
import { COMPRESSION_TEXT } from "../server/mod.ts";
import { WebSocket, type WebSocketParams } from "../websockets/mod.ts";
import {
  eachTransport,
  logEvents,
  Run,
  TRANSPORTS,
  types,
  useServer,
} from "./_websockets.ts";

const NEGOTIATED_DEFLATE =
  "permessage-deflate; server_no_context_takeover; client_no_context_takeover";

describe("WebSocket", () => {
  const suite = useServer();
  const { url } = suite;

  /** Opens a socket in `run` that closes once open; waits for the end. */
  async function session(
    run: Run,
    path: string,
    params: WebSocketParams,
    protocols: string | string[] | null = null,
  ): Promise<WebSocket> {
    return await run.iterate(() => {
      const ws = new WebSocket(url(path), protocols, params);
      ws.addEventListener("open", () => ws.close());
      return ws;
    });
  }

  /** The request the server saw last for `path`. */
  function lastRequest(path: string) {
    const request = suite.server.requests.filter((r) => r.path === path).at(-1);
    assert.ok(request, `no request for ${path}`);
    return request;
  }

  describe("constructor: url", () => {
    it("case 82: requires a url with scheme ws or wss and no fragment", () => {
      const cases: [unknown, string, string][] = [
        [undefined, "TypeError", "WebSocket requires a url"],
        [null, "TypeError", "WebSocket requires a url"],
        [
          "http://h",
          "SyntaxError",
          'WebSocket requires url with scheme ws or wss, but got "http"',
        ],
        [
          "INVALID",
          "SyntaxError",
          'WebSocket requires url with scheme ws or wss, but got ""',
        ],
        [
          "ws://h/#x",
          "SyntaxError",
          'WebSocket requires no url fragment, but got "x"',
        ],
        [
          "ws://h/#a%20b",
          "SyntaxError",
          'WebSocket requires no url fragment, but got "a b"',
        ],
        [
          "ws://[::1",
          "SyntaxError",
          'WebSocket requires valid url, but got "ws://[::1" which resulted in parse "ws://[::1": missing \']\' in host',
        ],
        [
          "ws://h:port/",
          "SyntaxError",
          'WebSocket requires valid url, but got "ws://h:port/" which resulted in parse "ws://h:port/": invalid port ":port" after host',
        ],
        [
          "ws://h/%zz",
          "SyntaxError",
          'WebSocket requires valid url, but got "ws://h/%zz" which resulted in parse "ws://h/%zz": invalid URL escape "%zz"',
        ],
        [
          "ws://h /",
          "SyntaxError",
          'WebSocket requires valid url, but got "ws://h /" which resulted in parse "ws://h /": invalid character " " in host name',
        ],
        [
          "ws://h/\n",
          "SyntaxError",
          'WebSocket requires valid url, but got "ws://h/\\n" which resulted in parse "ws://h/\\n": net/url: invalid control character in URL',
        ],
        [
          "://h",
          "SyntaxError",
          'WebSocket requires valid url, but got "://h" which resulted in parse "://h": missing protocol scheme',
        ],
      ];
      for (const [input, name, message] of cases) {
        assert.throws(
          () => new WebSocket(input as string),
          { name, message },
          String(input),
        );
      }
    });

    it("re-serialises the url as Go does", async () => {
      const port = suite.server.port;
      const cases: [string, string][] = [
        [`ws://127.0.0.1:${port}`, `ws://127.0.0.1:${port}`],
        [`WS://127.0.0.1:${port}/A?b=c`, `ws://127.0.0.1:${port}/A?b=c`],
        [`ws://127.0.0.1:${port}/a b`, `ws://127.0.0.1:${port}/a%20b`],
        [`ws://127.0.0.1:${port}/é`, `ws://127.0.0.1:${port}/%C3%A9`],
        [`ws://127.0.0.1:${port}/%41!`, `ws://127.0.0.1:${port}/%41!`],
        [`ws://127.0.0.1:${port}/x?`, `ws://127.0.0.1:${port}/x?`],
        [`ws://127.0.0.1:${port}/x#`, `ws://127.0.0.1:${port}/x`],
      ];
      const run = new Run();
      await run.iterate(() => {
        for (const [input, href] of cases) {
          const ws = new WebSocket(input);
          assert.equal(ws.url, href);
          ws.close();
        }
      });
    });

    eachTransport(
      "fails the dial of a url with user-info: malformed ws or wss URL",
      async (transport) => {
        const run = new Run();
        const log = await run.iterate(() =>
          logEvents(
            new WebSocket(
              `ws://user:pw@127.0.0.1:${suite.server.port}/ws-echo`,
              null,
              {
                transport,
              },
            ),
          )
        );
        assert.deepEqual(log, [
          { type: "error", error: "malformed ws or wss URL", readyState: 3 },
          {
            type: "close",
            code: undefined,
            reason: "",
            wasClean: false,
            readyState: 3,
          },
        ]);
        assert.equal(run.count("ws_sessions"), 1);
      },
    );
  });

  describe("constructor: protocols", () => {
    eachTransport(
      "case 53: requests subprotocols; protocol and the subproto tag show the server's choice",
      async (transport) => {
        const run = new Run();
        const seen = await run.iterate(() => {
          const ws = new WebSocket(url("/ws-subprotocols"), [
            "one",
            "supported",
          ], { transport });
          const seen: unknown[] = [];
          ws.onopen = () => {
            seen.push(ws.protocol);
            ws.send("hello");
          };
          ws.onmessage = (event) => {
            seen.push(event.data);
            ws.close();
          };
          ws.onerror = (event) => {
            throw new Error(event.error);
          };
          return seen;
        });
        assert.deepEqual(seen, ["supported", "hello"]);
        assert.equal(
          lastRequest("/ws-subprotocols").headers["sec-websocket-protocol"],
          "one, supported",
        );
        run.assertSessionMetrics(url("/ws-subprotocols"), "supported");
      },
    );

    it("takes a string, String()s array elements and ignores other values", async () => {
      const run = new Run();
      await run.iterate(() => {
        for (const protocols of ["supported", [1, "supported"], 42]) {
          const ws = new WebSocket(
            url("/ws-subprotocols"),
            protocols as string[],
          );
          ws.onopen = () => ws.close();
        }
      });
      const offered = suite.server.requests.filter((r) =>
        r.path === "/ws-subprotocols"
      ).slice(-3).map((r) => r.headers["sec-websocket-protocol"]);
      assert.deepEqual(offered, ["supported", "1, supported", undefined]);
    });

    eachTransport(
      "fails the dial when protocols meet a Sec-WebSocket-Protocol header",
      async (transport) => {
        const run = new Run();
        const log = await run.iterate(() =>
          logEvents(
            new WebSocket(url("/ws-subprotocols"), "supported", {
              transport,
              headers: { "sec-websocket-protocol": "supported" },
            }),
          )
        );
        assert.deepEqual(types(log), ["error", "close"]);
        assert.equal(
          log[0].type === "error" && log[0].error,
          "websocket: duplicate header not allowed: Sec-Websocket-Protocol",
        );
      },
    );
  });

  describe("params", () => {
    it("case 62: headers reach the server with the User-Agent option", async () => {
      const run = new Run({ userAgent: "TestUserAgent" });
      await session(run, "/ws-echo-someheader", {
        headers: { "x-lorem": "ipsum" },
      });
      const { headers } = lastRequest("/ws-echo-someheader");
      assert.equal(headers["x-lorem"], "ipsum");
      assert.equal(headers["user-agent"], "TestUserAgent");
      run.assertSessionMetrics(url("/ws-echo-someheader"));
    });

    eachTransport(
      "case 62: headers reach the server (default User-Agent option)",
      async (transport) => {
        const run = new Run();
        await session(run, "/ws-echo-someheader", {
          headers: { "x-lorem": "ipsum" },
          transport,
        });
        const { headers } = lastRequest("/ws-echo-someheader");
        assert.equal(headers["x-lorem"], "ipsum");
        if (transport === "ws") {
          assert.equal(headers["user-agent"], DEFAULT_OPTIONS.userAgent);
        }
      },
    );

    it("a User-Agent header of the script wins over the option", async () => {
      const run = new Run();
      await session(run, "/ws-echo-useragent", {
        headers: { "user-agent": "mine" },
      });
      assert.equal(
        lastRequest("/ws-echo-useragent").headers["user-agent"],
        "mine",
      );
    });

    eachTransport(
      "fails the dial when a header belongs to the handshake",
      async (transport) => {
        const run = new Run();
        const log = await run.iterate(() =>
          logEvents(
            new WebSocket(url("/ws-echo"), null, {
              transport,
              headers: { "sec-websocket-key": "x" },
            }),
          )
        );
        assert.deepEqual(log, [
          {
            type: "error",
            error: "websocket: duplicate header not allowed: Sec-Websocket-Key",
            readyState: 3,
          },
          {
            type: "close",
            code: undefined,
            reason: "",
            wasClean: false,
            readyState: 3,
          },
        ]);
        assert.equal(run.count("ws_sessions"), 1);
        assert.equal(run.count("ws_session_duration"), 0);
      },
    );

    it("case 63: a custom jar's cookies", async () => {
      const run = new Run();
      const jar = new CookieJar();
      jar.set(
        `${suite.server.httpUrl}/ws-echo-someheader`,
        "someheader",
        "customjar",
      );
      await session(run, "/ws-echo-someheader", { jar });
      assert.deepEqual(lastRequest("/ws-echo-someheader").cookies, {
        someheader: "customjar",
      });
    });

    eachTransport(
      "case 63: the default jar's cookies",
      async (transport) => {
        const run = new Run();
        await run.iterate(() => {
          cookieJar().set(
            `${suite.server.httpUrl}/ws-echo-someheader`,
            "someheader",
            "defaultjar",
          );
          const ws = new WebSocket(url("/ws-echo-someheader"), null, {
            transport,
          });
          ws.onopen = () => ws.close();
        });
        assert.deepEqual(lastRequest("/ws-echo-someheader").cookies, {
          someheader: "defaultjar",
        });
      },
    );

    it("stores the 101 response's Set-Cookie into the jar", async () => {
      const run = new Run();
      const jar = new CookieJar();
      await session(run, "/ws-set-cookie", { jar });
      assert.equal(jar.cookieHeader(url("/ws-set-cookie")), "session=abc");
    });

    eachTransport(
      "case 64: tags.name replaces url and name",
      async (transport) => {
        const run = new Run({ systemTags: new Set(["url", "name"]) });
        await run.iterate(() => {
          const ws = new WebSocket(url("/ws-echo"), null, {
            transport,
            tags: { name: "custom" },
          });
          ws.onopen = () => ws.send("test");
          ws.onmessage = () => ws.close();
        });
        assert.ok(run.wsTags.length >= 5);
        for (const tags of run.wsTags) {
          assert.deepEqual({ ...tags }, { name: "custom", url: "custom" });
        }
      },
    );

    eachTransport(
      "case 65: with one system tag enabled, every sample carries only it",
      async (transport) => {
        const expected: Record<string, string> = {
          status: "101",
          subproto: "",
          url: url("/ws-echo"),
          ip: "127.0.0.1",
        };
        for (const [tag, value] of Object.entries(expected)) {
          const run = new Run({ systemTags: new Set([tag]) });
          await run.iterate(() => {
            const ws = new WebSocket(url("/ws-echo"), null, { transport });
            ws.onopen = () => ws.send("test");
            ws.onmessage = () => ws.close();
          });
          assert.ok(run.wsTags.length >= 5);
          for (const tags of run.wsTags) {
            assert.deepEqual({ ...tags }, { [tag]: value }, tag);
          }
        }
      },
    );

    eachTransport(
      "case 66: custom tags are stringified onto every sample",
      async (transport) => {
        const run = new Run();
        await session(run, "/ws-echo", {
          transport,
          tags: { lorem: "ipsum", version: 13, flag: true, skipped: null },
        });
        assert.ok(run.wsTags.length >= 3);
        for (const tags of run.wsTags) {
          assert.equal(tags.lorem, "ipsum");
          assert.equal(tags.version, "13");
          assert.equal(tags.flag, "true");
          assert.equal("skipped" in tags, false);
          assert.equal(tags.url, url("/ws-echo"));
        }
        assert.throws(
          () =>
            new WebSocket(url("/ws-echo"), null, { tags: { x: {} } } as never),
          {
            name: "TypeError",
            message:
              "invalid WebSocket tags option: invalid value for metric tag 'x': only String, Boolean and Number types are accepted as a metric tag values",
          },
        );
      },
    );

    it("case 67: compression is negotiated; extensions lists it; one message", async () => {
      const run = new Run();
      const { data, extensions } = await run.iterate(() => {
        const ws = new WebSocket(url("/ws-compression"), null, {
          compression: "deflate",
        });
        const seen = {
          data: "" as unknown,
          extensions: [] as readonly string[],
        };
        ws.onmessage = (event) => {
          seen.data = event.data;
          seen.extensions = ws.extensions;
        };
        return seen;
      });
      assert.equal(data, COMPRESSION_TEXT);
      assert.ok(Array.isArray(extensions));
      assert.ok(extensions.includes(NEGOTIATED_DEFLATE), String(extensions));
      assert.equal(run.count("ws_msgs_received"), 1);
    });

    it("case 68: compression against a server without it: plain text, one message", async () => {
      const run = new Run();
      const data = await run.iterate(() => {
        const ws = new WebSocket(url("/ws-compression-disabled"), null, {
          compression: "deflate",
        });
        const seen: unknown[] = [];
        ws.onmessage = (event) => seen.push(event.data);
        return seen;
      });
      assert.deepEqual(data, [COMPRESSION_TEXT]);
      assert.equal(run.count("ws_msgs_received"), 1);
    });

    it("case 69: compression must be deflate", async () => {
      const refused: [unknown, string][] = [
        ["", ""],
        [null, "null"],
        [undefined, "undefined"],
        [" ", ""],
        ["gzip", "gzip"],
        ["deflate, gzip", "deflate, gzip"],
        ["deflate, deflate", "deflate, deflate"],
        ["deflate, ", "deflate,"],
      ];
      for (const [compression, shown] of refused) {
        assert.throws(
          () => new WebSocket(url("/ws-echo"), null, { compression } as never),
          {
            name: "TypeError",
            message:
              `unsupported compression algorithm '${shown}', supported algorithm is 'deflate'`,
          },
        );
      }
      const run = new Run();
      await run.iterate(() => {
        for (const compression of ["deflate", "deflate "]) {
          new WebSocket(url("/ws-echo"), null, { compression }).close();
        }
      });
    });

    it("case 70: an unknown option throws", () => {
      assert.throws(
        () => new WebSocket(url("/ws-echo"), null, { foo: 1 } as never),
        { name: "TypeError", message: "unknown WebSocket's option foo" },
      );
    });

    it("validates wsload's own options", () => {
      const cases: [unknown, string, string][] = [
        [
          { transport: "fast" },
          "TypeError",
          'invalid WebSocket\'s option transport: expected "auto", "native" or "ws", got "fast"',
        ],
        [
          { handshakeTimeout: 0 },
          "RangeError",
          "invalid WebSocket's option handshakeTimeout: expected a positive number of milliseconds, got int64",
        ],
        [
          { maxPayload: 1.5 },
          "RangeError",
          "invalid WebSocket's option maxPayload: expected a positive integer number of bytes, got float64",
        ],
        [
          { tls: true },
          "TypeError",
          "invalid WebSocket's option tls: expected an object, got bool",
        ],
        [
          { tls: { insecure: true } },
          "TypeError",
          "unknown WebSocket's option tls.insecure: the supported ones are insecureSkipTLSVerify and ca",
        ],
        [
          { tls: { ca: [1] } },
          "TypeError",
          "invalid WebSocket's option tls.ca: expected a PEM string or an array of them, got []interface {}",
        ],
      ];
      for (const [params, name, message] of cases) {
        assert.throws(
          () => new WebSocket(url("/ws-echo"), null, params as never),
          { name, message },
        );
      }
    });

    if (TRANSPORTS.includes("native")) {
      it('transport "native" throws where Deno\'s WebSocket cannot serve', () => {
        assert.throws(
          () =>
            new WebSocket(url("/ws-echo"), null, {
              transport: "native",
              compression: "deflate",
            }),
          { name: "TypeError", message: /cannot compress/ },
        );
      });

      it("pings by default; ping() on a socket forced onto native throws NotSupportedError", async () => {
        const run = new Run();
        const outcomes = await run.iterate(() => {
          const outcomes: string[] = [];
          // ping() from a helper function, as k6 scripts often do.
          const heartbeat = (socket: WebSocket) => socket.ping();
          const pinging = new WebSocket(url("/ws-echo"));
          pinging.onopen = () => heartbeat(pinging);
          pinging.addEventListener("pong", () => {
            outcomes.push("pong");
            pinging.close();
          });
          const native = new WebSocket(url("/ws-echo"), null, {
            transport: "native",
          });
          native.onopen = () => {
            try {
              heartbeat(native);
            } catch (error) {
              outcomes.push((error as DOMException).name);
            }
            native.close();
          };
          return outcomes;
        });
        assert.deepEqual(outcomes.sort(), ["NotSupportedError", "pong"]);
      });

      it("a ping listener on a socket forced onto native fails the dial", async () => {
        const run = new Run();
        const log = await run.iterate(() => {
          const ws = new WebSocket(url("/ws-echo"), null, {
            transport: "native",
          });
          ws.onping = () => {};
          return logEvents(ws);
        });
        assert.deepEqual(types(log), ["error", "close"]);
        assert.match(
          log[0].type === "error" ? log[0].error : "",
          /transport "native" .* cannot send or observe pings and pongs/,
        );
      });
    } else {
      it('transport "native" throws outside Deno', () => {
        assert.throws(
          () => new WebSocket(url("/ws-echo"), null, { transport: "native" }),
          { name: "TypeError", message: /transport "native" is Deno's/ },
        );
      });
    }
  });
});
