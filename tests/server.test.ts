import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { once } from "node:events";
import type { IncomingMessage } from "node:http";
import { connect, type Socket } from "node:net";
import { hostname } from "node:os";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";
import {
  COMPRESSION_TEXT,
  type Engine,
  startRawServer,
  startServer,
  type TestServer,
} from "../server/mod.ts";
import { tlsFixtures } from "./_tls.ts";

const ENGINES: readonly Engine[] = typeof Deno !== "undefined"
  ? ["deno", "node"]
  : ["node"];

const DEFLATE = {
  serverNoContextTakeover: true,
  clientNoContextTakeover: true,
};
const NEGOTIATED_DEFLATE =
  "permessage-deflate; server_no_context_takeover; client_no_context_takeover";

interface Received {
  readonly data: string | Uint8Array;
  readonly binary: boolean;
}

interface CloseInfo {
  readonly code: number;
  readonly reason: string;
}

/** A `ws` client that records everything it observes from the start. */
class Client {
  readonly ws: WebSocket;
  readonly errors: Error[] = [];
  readonly pings: string[] = [];
  readonly closed: Promise<CloseInfo>;
  /** The 101 response, or the non-101 one. */
  readonly response: Promise<IncomingMessage>;
  #queue: Received[] = [];
  #waiters: ((received: Received) => void)[] = [];

  constructor(
    url: string,
    protocols?: string | string[],
    options?: WebSocket.ClientOptions,
  ) {
    this.ws = new WebSocket(url, protocols, {
      perMessageDeflate: false,
      ...options,
    });
    this.ws.on("error", (error) => this.errors.push(error));
    this.ws.on("ping", (payload) => this.pings.push(payload.toString()));
    this.ws.on("message", (data: Buffer, binary: boolean) => {
      const received = {
        data: binary ? new Uint8Array(data) : data.toString(),
        binary,
      };
      const waiter = this.#waiters.shift();
      if (waiter === undefined) this.#queue.push(received);
      else waiter(received);
    });
    this.closed = new Promise((resolve) =>
      this.ws.on(
        "close",
        (code, reason) => resolve({ code, reason: reason.toString() }),
      )
    );
    this.response = new Promise((resolve) => {
      this.ws.on("upgrade", resolve);
      this.ws.on("unexpected-response", (_request, response) => {
        resolve(response);
        response.resume();
        this.ws.terminate();
      });
    });
  }

  async opened(): Promise<void> {
    if (this.ws.readyState === WebSocket.OPEN) return;
    await once(this.ws, "open");
  }

  next(): Promise<Received> {
    const queued = this.#queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  async nextText(): Promise<string> {
    const { data, binary } = await this.next();
    assert.equal(binary, false, "expected a text message");
    return data as string;
  }

  async nextJson(): Promise<Record<string, unknown>> {
    return JSON.parse(await this.nextText());
  }

  async closeAndWait(code?: number, reason?: string): Promise<CloseInfo> {
    if (this.ws.readyState <= WebSocket.OPEN) this.ws.close(code, reason);
    return await this.closed;
  }
}

/** Sends raw bytes and returns everything the server wrote until it closed. */
async function rawExchange(port: number, request: string): Promise<string> {
  const socket = connect(port, "127.0.0.1");
  socket.write(request);
  const chunks: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  await once(socket, "close");
  return Buffer.concat(chunks).toString("latin1");
}

const bytes = (...values: number[]) => new Uint8Array(values);

/** A masked text frame "x" (mask key 0). */
const MASKED_TEXT_FRAME = bytes(0x81, 0x81, 0, 0, 0, 0, 0x78);

/**
 * Performs a WebSocket handshake by hand; `ending` tells how the server
 * ended the connection afterwards: "end" (FIN) or an error code.
 */
async function rawUpgrade(
  url: string,
): Promise<{ socket: Socket; ending: Promise<string> }> {
  const { port } = new URL(url);
  const socket = connect(Number(port), "127.0.0.1");
  socket.write(
    "GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n" +
      "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n" +
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
  );
  let head = "";
  const ending = new Promise<string>((resolve) => {
    socket.on("end", () => resolve("end"));
    socket.on(
      "error",
      (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message),
    );
  });
  await new Promise<void>((resolve) => {
    const onData = (chunk: Buffer) => {
      head += chunk.toString("latin1");
      if (!head.includes("\r\n\r\n")) return;
      socket.off("data", onData);
      socket.resume();
      resolve();
    };
    socket.on("data", onData);
  });
  assert.match(head, /^HTTP\/1\.1 101 /);
  return { socket, ending };
}

describe("startServer", () => {
  describe("options", () => {
    it("throws RangeError at once for a bad port", () => {
      assert.throws(() => startServer({ port: -1 }), {
        name: "RangeError",
        message: "Option port must be an integer from 0 to 65535, got -1",
      });
      assert.throws(() => startServer({ port: 1.5 }), RangeError);
    });

    it("throws RangeError at once for an unknown engine", () => {
      assert.throws(
        () => startServer({ engine: "bun" as Engine }),
        {
          name: "RangeError",
          message: 'Option engine must be "deno" or "node", got "bun"',
        },
      );
    });

    it("throws TypeError at once for incomplete tls options", () => {
      assert.throws(
        () =>
          startServer({ tls: { cert: "x" } as { cert: string; key: string } }),
        {
          name: "TypeError",
          message: "Option tls must be an object with PEM strings cert and key",
        },
      );
    });

    it(
      'throws RangeError for engine "deno" outside Deno',
      { skip: typeof Deno !== "undefined" },
      () => {
        assert.throws(() => startServer({ engine: "deno" }), RangeError);
      },
    );
  });

  for (const engine of ENGINES) {
    describe(`engine "${engine}"`, () => {
      let server: TestServer;
      before(async () => {
        server = await startServer({ engine });
      });
      after(async () => {
        await server.close();
      });

      describe("urls", () => {
        it("are ws:// and http:// on 127.0.0.1 without trailing slash", () => {
          assert.equal(server.url, `ws://127.0.0.1:${server.port}`);
          assert.equal(server.httpUrl, `http://127.0.0.1:${server.port}`);
        });
      });

      describe("/ws-echo", () => {
        it("echoes the first message only, with its type", async () => {
          const text = new Client(`${server.url}/ws-echo`);
          await text.opened();
          text.ws.send("first");
          text.ws.send("second");
          assert.deepEqual(await text.next(), { data: "first", binary: false });
          const binary = new Client(`${server.url}/ws-echo`);
          await binary.opened();
          binary.ws.send(bytes(1, 2, 3));
          assert.deepEqual(await binary.next(), {
            data: bytes(1, 2, 3),
            binary: true,
          });
          // The close reply comes after anything the server would still send.
          await text.closeAndWait(1000);
          await binary.closeAndWait(1000);
          assert.equal(text.errors.length, 0);
        });

        it("answers the client's close with the same code and an empty reason", async () => {
          const client = new Client(`${server.url}/ws-echo`);
          await client.opened();
          assert.deepEqual(
            await client.closeAndWait(1000, "a really good reason"),
            { code: 1000, reason: "" },
          );
          const custom = new Client(`${server.url}/ws-echo`);
          await custom.opened();
          assert.deepEqual(await custom.closeAndWait(3000, "x"), {
            code: 3000,
            reason: "",
          });
          const frames = server.closeFrames.filter((f) =>
            f.path === "/ws-echo"
          );
          assert.deepEqual(frames.slice(-2), [
            { path: "/ws-echo", code: 1000, reason: "a really good reason" },
            { path: "/ws-echo", code: 3000, reason: "x" },
          ]);
        });

        it("answers pings with pongs", async () => {
          const client = new Client(`${server.url}/ws-echo`);
          await client.opened();
          client.ws.ping("are you there");
          const [payload] = await once(client.ws, "pong");
          assert.equal(String(payload), "are you there");
          await client.closeAndWait(1000);
        });
      });

      for (const path of ["/ws-echo-invalid", "/ws-close-invalid"]) {
        describe(path, () => {
          it("echoes, then drops TCP without a close frame", async () => {
            const client = new Client(`${server.url}${path}`);
            await client.opened();
            client.ws.send("a");
            assert.deepEqual(await client.next(), { data: "a", binary: false });
            assert.deepEqual(await client.closed, { code: 1006, reason: "" });
          });
        });
      }

      for (const path of ["/ws-echo-multi", "/ws/echo"]) {
        describe(path, () => {
          it("echoes every message in order with its type", async () => {
            const client = new Client(`${server.url}${path}`);
            await client.opened();
            client.ws.send("test1");
            client.ws.send(bytes(116, 101, 115, 116, 50));
            client.ws.send("test3");
            assert.deepEqual(await client.next(), {
              data: "test1",
              binary: false,
            });
            assert.deepEqual(await client.next(), {
              data: bytes(116, 101, 115, 116, 50),
              binary: true,
            });
            assert.deepEqual(await client.next(), {
              data: "test3",
              binary: false,
            });
            assert.deepEqual(await client.closeAndWait(4000, "bye"), {
              code: 4000,
              reason: "",
            });
          });
        });
      }

      describe("/ws-close", () => {
        it("closes with 1000 and an empty reason", async () => {
          const client = new Client(`${server.url}/ws-close`);
          assert.deepEqual(await client.closed, { code: 1000, reason: "" });
          assert.equal(client.errors.length, 0);
          const response = await client.response;
          // Deno's HTTP server dates its responses; ws does not.
          assert.equal(
            response.headers["date"] !== undefined,
            engine === "deno",
          );
        });
      });

      describe("/ws-close-code", () => {
        for (
          const [query, expected] of [
            ["?code=4000&reason=bye", { code: 4000, reason: "bye" }],
            ["?code=1011", { code: 1011, reason: "" }],
            ["", { code: 1000, reason: "" }],
          ] as const
        ) {
          it(`closes with ${expected.code} "${expected.reason}" for "${query}"`, async () => {
            const client = new Client(`${server.url}/ws-close-code${query}`);
            assert.deepEqual(await client.closed, expected);
          });
        }

        it("sends codes no server library may send (raw)", async () => {
          const client = new Client(`${server.url}/ws-close-code?code=999`);
          assert.equal((await client.closed).code, 1006);
          assert.match(client.errors[0].message, /invalid status code 999/);
        });

        it("answers 400 for a code that is not an integer", async () => {
          const response = await fetch(
            `${server.httpUrl}/ws-close-code?code=x`,
          );
          assert.equal(response.status, 400);
          await response.text();
        });
      });

      describe("/ws-remote-close", () => {
        it('closes with 1001 "closed by server"', async () => {
          const client = new Client(`${server.url}/ws-remote-close`);
          assert.deepEqual(await client.closed, {
            code: 1001,
            reason: "closed by server",
          });
        });
      });

      describe("/ws-close-no-status", () => {
        it("sends a close frame without status code", async () => {
          const client = new Client(`${server.url}/ws-close-no-status`);
          assert.deepEqual(await client.closed, { code: 1005, reason: "" });
          assert.equal(client.errors.length, 0);
        });
      });

      describe("/status/<n>", () => {
        for (const status of [404, 429, 200]) {
          it(`answers an upgrade with plain HTTP ${status}`, async () => {
            const client = new Client(`${server.url}/status/${status}`);
            const response = await client.response;
            assert.equal(response.statusCode, status);
            assert.equal(response.headers["x-fixture"], "status");
            await client.closed;
          });
        }

        it("answers a plain GET with a small text body", async () => {
          const response = await fetch(`${server.httpUrl}/status/429`);
          assert.equal(response.status, 429);
          assert.equal(response.headers.get("x-fixture"), "status");
          assert.equal(await response.text(), "429\n");
        });
      });

      describe("unknown paths", () => {
        it("answer 404", async () => {
          const response = await fetch(`${server.httpUrl}/nope`);
          assert.equal(response.status, 404);
          assert.equal(await response.text(), "404 page not found\n");
          const client = new Client(`${server.url}/nope`);
          assert.equal((await client.response).statusCode, 404);
          await client.closed;
        });
      });

      describe("WebSocket routes without upgrade", () => {
        it("answer 400", async () => {
          const response = await fetch(`${server.httpUrl}/ws-echo`);
          assert.equal(response.status, 400);
          await response.text();
        });

        it("answer 400 to an invalid handshake", async () => {
          const answer = await rawExchange(
            server.port,
            "GET /ws-echo HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n" +
              "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n\r\n",
          );
          assert.match(answer, /^HTTP\/1\.1 400 Bad Request\r\n/);
          assert.match(answer, /Missing or invalid Sec-WebSocket-Key header/);
        });
      });

      for (const path of ["/ws-echo-useragent", "/ws-echo-someheader"]) {
        describe(path, () => {
          it("echoes the User-Agent and someheader cookie, then closes 1000", async () => {
            const client = new Client(`${server.url}${path}`, undefined, {
              headers: {
                "User-Agent": "TestUserAgent",
                Cookie: "other=1; someheader=customjar",
              },
            });
            const response = await client.response;
            assert.equal(response.headers["echo-user-agent"], "TestUserAgent");
            assert.equal(response.headers["echo-someheader"], "customjar");
            assert.deepEqual(await client.closed, { code: 1000, reason: "" });
          });

          it("leaves the headers out when there is nothing to echo", async () => {
            const client = new Client(`${server.url}${path}`);
            const response = await client.response;
            assert.equal(response.headers["echo-user-agent"], undefined);
            assert.equal(response.headers["echo-someheader"], undefined);
            await client.closed;
          });
        });
      }

      describe("/ws-compression", () => {
        it("negotiates deflate without context takeover and sends the text", async () => {
          const client = new Client(`${server.url}/ws-compression`, undefined, {
            perMessageDeflate: DEFLATE,
          });
          const response = await client.response;
          assert.equal(
            response.headers["sec-websocket-extensions"],
            NEGOTIATED_DEFLATE,
          );
          assert.equal(await client.nextText(), COMPRESSION_TEXT);
          assert.equal(client.ws.extensions, "permessage-deflate");
          assert.deepEqual(await client.closed, { code: 1000, reason: "" });
        });

        it("sends the text uncompressed to a client without deflate", async () => {
          const client = new Client(`${server.url}/ws-compression`);
          assert.equal(await client.nextText(), COMPRESSION_TEXT);
          assert.equal(client.ws.extensions, "");
          await client.closed;
        });

        it("is about 250 characters long", () => {
          assert.ok(COMPRESSION_TEXT.length >= 240);
          assert.ok(COMPRESSION_TEXT.length <= 260);
        });
      });

      describe("/ws-compression-disabled", () => {
        it("declines deflate and sends the same text", async () => {
          const client = new Client(
            `${server.url}/ws-compression-disabled`,
            undefined,
            { perMessageDeflate: DEFLATE },
          );
          assert.equal(await client.nextText(), COMPRESSION_TEXT);
          assert.equal(client.ws.extensions, "");
          assert.deepEqual(await client.closed, { code: 1000, reason: "" });
        });
      });

      for (const path of ["/ws-subprotocols", "/ws/protocols"]) {
        describe(path, () => {
          for (
            const [offered, picked] of [
              [["one", "supported"], "supported"],
              [["supported", "unsupported"], "unsupported"],
            ] as const
          ) {
            it(`picks "${picked}" from ${offered.join(", ")} and echoes`, async () => {
              const client = new Client(`${server.url}${path}`, [...offered]);
              await client.opened();
              assert.equal(client.ws.protocol, picked);
              client.ws.send("hello");
              assert.equal(await client.nextText(), "hello");
              await client.closeAndWait(1000);
            });
          }

          it("picks none when none was offered", async () => {
            const client = new Client(`${server.url}${path}`);
            await client.opened();
            assert.equal(client.ws.protocol, "");
            await client.closeAndWait(1000);
          });
        });
      }

      describe("/ws/couple/<n>", () => {
        it("relays each message to the partner", async () => {
          const one = new Client(`${server.url}/ws/couple/1`);
          const two = new Client(`${server.url}/ws/couple/2`);
          await Promise.all([one.opened(), two.opened()]);
          one.ws.send("I am 1");
          two.ws.send(bytes(2));
          assert.deepEqual(await two.next(), { data: "I am 1", binary: false });
          assert.deepEqual(await one.next(), { data: bytes(2), binary: true });
          await Promise.all([one.closeAndWait(1000), two.closeAndWait(1000)]);
        });

        it("keeps messages until the partner connects", async () => {
          const three = new Client(`${server.url}/ws/couple/3`);
          await three.opened();
          three.ws.send("I am 3");
          // The echo of another route proves the server has read the message.
          const probe = new Client(`${server.url}/ws-echo-multi`);
          await probe.opened();
          probe.ws.send("sync");
          await probe.next();
          const four = new Client(`${server.url}/ws/couple/4`);
          assert.deepEqual(await four.next(), {
            data: "I am 3",
            binary: false,
          });
          await Promise.all([
            three.closeAndWait(1000),
            four.closeAndWait(1000),
            probe.closeAndWait(1000),
          ]);
        });
      });

      describe("/ws-server-ping", () => {
        it('pings with "server-ping", logs the pong, then echoes', async () => {
          const client = new Client(`${server.url}/ws-server-ping`);
          await once(client.ws, "ping");
          assert.deepEqual(client.pings, ["server-ping"]);
          // ws answered the ping before this message, so once the echo is
          // back the server has logged the pong.
          client.ws.send("after ping");
          assert.equal(await client.nextText(), "after ping");
          assert.deepEqual(
            server.pongs.filter((p) => p.path === "/ws-server-ping"),
            [{ path: "/ws-server-ping", payload: "server-ping" }],
          );
          await client.closeAndWait(1000);
        });
      });

      describe("/ws-ping-then-drop", () => {
        it("sends 20 pings, then drops TCP", async () => {
          const client = new Client(`${server.url}/ws-ping-then-drop`);
          await client.opened();
          client.ws.send("keepalive");
          assert.deepEqual(await client.closed, { code: 1006, reason: "" });
          assert.deepEqual(client.pings, Array(20).fill("p"));
        });
      });

      describe("/ws-set-cookie", () => {
        it("sets a cookie in the 101 and echoes", async () => {
          const client = new Client(`${server.url}/ws-set-cookie`);
          const response = await client.response;
          assert.deepEqual(response.headers["set-cookie"], [
            "session=abc; Path=/",
          ]);
          client.ws.send("x");
          assert.equal(await client.nextText(), "x");
          await client.closeAndWait(1000);
        });
      });

      describe("/echo", () => {
        it("greets with the hostname, then echoes", async () => {
          const client = new Client(`${server.url}/echo`);
          assert.equal(
            await client.nextText(),
            `Request served by ${hostname()}`,
          );
          client.ws.send("ping me");
          client.ws.send(bytes(9));
          assert.equal(await client.nextText(), "ping me");
          assert.deepEqual(await client.next(), {
            data: bytes(9),
            binary: true,
          });
          await client.closeAndWait(1000);
        });

        it("greets with an empty message for X-Send-Server-Hostname: false", async () => {
          const client = new Client(`${server.url}/echo`, undefined, {
            headers: { "X-Send-Server-Hostname": "false" },
          });
          assert.equal(await client.nextText(), "");
          await client.closeAndWait(1000);
        });

        it("answers a plain GET with a dump of the request", async () => {
          const response = await fetch(`${server.httpUrl}/echo?x=1`, {
            headers: { "X-Lorem": "ipsum" },
          });
          assert.equal(response.status, 200);
          const body = await response.text();
          assert.ok(
            body.startsWith(
              `Request served by ${hostname()}\n\nGET /echo?x=1 HTTP/1.1\n\nHost: 127.0.0.1:${server.port}\n`,
            ),
            body,
          );
          assert.match(body, /\nX-Lorem: ipsum\n/);
        });
      });

      describe("/chat/<room>", () => {
        it("runs the crocochat protocol for everyone in the room", async () => {
          const alice = new Client(`${server.url}/chat/r1`);
          assert.deepEqual(await alice.nextJson(), {
            event: "USER_JOINED",
            room: "r1",
            user: "anonymous",
            message: "anonymous joined",
          });
          alice.ws.send(
            JSON.stringify({ event: "SET_NAME", new_name: "alice" }),
          );
          assert.deepEqual(await alice.nextJson(), {
            event: "NAME_CHANGE",
            room: "r1",
            user: "alice",
            message: "User anonymous changed name to 'alice'",
          });
          // The documentation's path form reaches the same room.
          const bob = new Client(`${server.url}/ws/crocochat/r1/`);
          const joined = {
            event: "USER_JOINED",
            room: "r1",
            user: "anonymous",
            message: "anonymous joined",
          };
          assert.deepEqual(await bob.nextJson(), joined);
          assert.deepEqual(await alice.nextJson(), joined);
          const elsewhere = new Client(`${server.url}/chat/r2`);
          assert.equal((await elsewhere.nextJson()).room, "r2");

          alice.ws.send(JSON.stringify({ event: "SAY", message: "hi" }));
          const said = {
            event: "CHAT_MSG",
            room: "r1",
            user: "alice",
            message: "hi",
          };
          assert.deepEqual(await alice.nextJson(), said);
          assert.deepEqual(await bob.nextJson(), said);

          bob.ws.send("not json");
          const invalid = {
            event: "ERROR",
            room: "r1",
            received_json: "not json",
            message: "Invalid JSON sent",
          };
          assert.deepEqual(await bob.nextJson(), invalid);
          assert.deepEqual(await alice.nextJson(), invalid);

          bob.ws.send(JSON.stringify({ message: "no event" }));
          const noEvent = {
            event: "ERROR",
            room: "r1",
            user: "anonymous",
            message: "ERROR someone sent an invalid command",
          };
          assert.deepEqual(await bob.nextJson(), noEvent);
          assert.deepEqual(await alice.nextJson(), noEvent);

          alice.ws.send(JSON.stringify({ event: "LEAVE" }));
          const left = {
            event: "USER_LEFT",
            room: "r1",
            user: "alice",
            message: "alice leaves now.",
          };
          assert.deepEqual(await alice.nextJson(), left);
          assert.deepEqual(await bob.nextJson(), left);
          assert.equal((await alice.closed).code, 3000);

          bob.ws.send(JSON.stringify({ event: "SAY", message: "alone" }));
          assert.equal((await bob.nextJson()).message, "alone");
          await bob.closeAndWait(1000);
          await elsewhere.closeAndWait(1000);
        });

        it("announces USER_LEFT when a member disconnects", async () => {
          const stays = new Client(`${server.url}/chat/r3`);
          await stays.nextJson();
          const goes = new Client(`${server.url}/chat/r3`);
          await goes.nextJson();
          await stays.nextJson();
          goes.ws.send(
            JSON.stringify({ event: "SET_NAME", new_name: "Croc 2" }),
          );
          await stays.nextJson();
          await goes.closeAndWait(1000);
          assert.deepEqual(await stays.nextJson(), {
            event: "USER_LEFT",
            room: "r3",
            user: "Croc 2",
            message: "Croc 2 left",
          });
          await stays.closeAndWait(1000);
        });
      });

      describe("#requests, #messages, #closeFrames", () => {
        it("log what clients sent", async () => {
          const own = await startServer({ engine });
          after(() => own.close());
          const client = new Client(`${own.url}/ws-echo-multi?log=1`, [
            "p1",
          ], {
            headers: { "X-Lorem": "ipsum", Cookie: "a=1; b=two" },
          });
          // ws insists on a subprotocol when one was offered; the route picks
          // none, so the handshake fails after the server logged the request.
          await client.closed;
          assert.match(client.errors[0].message, /no subprotocol/);
          assert.equal(own.requests.length, 1);
          const [request] = own.requests;
          assert.equal(request.path, "/ws-echo-multi");
          assert.equal(request.target, "/ws-echo-multi?log=1");
          assert.equal(request.method, "GET");
          assert.equal(request.headers["x-lorem"], "ipsum");
          assert.equal(request.headers["sec-websocket-protocol"], "p1");
          assert.deepEqual(request.cookies, { a: "1", b: "two" });

          const talker = new Client(`${own.url}/ws-echo-multi`);
          await talker.opened();
          talker.ws.send("text");
          talker.ws.send(bytes(0, 255));
          await talker.next();
          await talker.next();
          await talker.closeAndWait(4001, "done");
          const path = "/ws-echo-multi";
          assert.deepEqual(own.messages, [
            { path, data: "text" },
            { path, data: bytes(0, 255) },
          ]);
          assert.deepEqual(own.closeFrames, [
            { path, code: 4001, reason: "done" },
          ]);
          assert.deepEqual(own.pongs, []);
        });
      });

      describe("#close", () => {
        it("ends open connections of every carrier and stops listening", async () => {
          const own = await startServer({ engine });
          const clients = [
            new Client(`${own.url}/ws-echo-multi`),
            new Client(`${own.url}/ws-subprotocols`),
            new Client(`${own.url}/ws-server-ping`),
          ];
          await Promise.all(clients.map((c) => c.opened()));
          const stalled = connect(own.port, "127.0.0.1").resume();
          await once(stalled, "connect");
          const stalledClosed = once(stalled, "close");
          await own.close();
          for (const client of clients) {
            assert.equal((await client.closed).code, 1006);
          }
          await stalledClosed;
          const refused = connect(own.port, "127.0.0.1");
          const [error] = await once(refused, "error");
          assert.equal((error as NodeJS.ErrnoException).code, "ECONNREFUSED");
          await own.close();
        });
      });

      describe("TLS", () => {
        it("serves wss:// trusted through the test CA", async () => {
          const { ca, cert, key } = tlsFixtures();
          const secure = await startServer({ engine, tls: { cert, key } });
          try {
            assert.equal(secure.url, `wss://127.0.0.1:${secure.port}`);
            assert.equal(secure.httpUrl, `https://127.0.0.1:${secure.port}`);
            const client = new Client(
              `${secure.url}/ws-echo-multi`,
              undefined,
              {
                ca,
              },
            );
            await client.opened();
            client.ws.send("secret");
            assert.equal(await client.nextText(), "secret");
            assert.deepEqual(await client.closeAndWait(1000), {
              code: 1000,
              reason: "",
            });
            const closing = new Client(`${secure.url}/ws-close`, undefined, {
              ca,
            });
            assert.equal((await closing.closed).code, 1000);
            const untrusting = new Client(`${secure.url}/ws-echo`);
            assert.equal((await untrusting.closed).code, 1006);
            assert.match(
              untrusting.errors[0].message,
              /unable to verify|self[- ]signed|unknown ?issuer|certificate/i,
            );
          } finally {
            await secure.close();
          }
        });

        it("rejects the self-signed certificate with the CA", async () => {
          const { ca, selfSignedCert, selfSignedKey } = tlsFixtures();
          const secure = await startServer({
            engine,
            tls: { cert: selfSignedCert, key: selfSignedKey },
          });
          try {
            const client = new Client(`${secure.url}/ws-echo`, undefined, {
              ca,
            });
            assert.equal((await client.closed).code, 1006);
            assert.equal(client.errors.length, 1);
          } finally {
            await secure.close();
          }
        });
      });
    });
  }
});

describe("startRawServer", () => {
  it("throws TypeError at once for an unknown behaviour", () => {
    assert.throws(() => startRawServer("nope" as "garbage"), {
      name: "TypeError",
      message: /^Unknown raw behaviour "nope"; use one of garbage, /,
    });
  });

  it("throws RangeError at once for a bad size", () => {
    assert.throws(() => startRawServer("oversized", { size: -1 }), RangeError);
  });

  async function withRaw(
    behaviour: Parameters<typeof startRawServer>[0],
    options: Parameters<typeof startRawServer>[1],
    run: (url: string) => Promise<void>,
  ): Promise<void> {
    const raw = await startRawServer(behaviour, options);
    try {
      await run(raw.url);
    } finally {
      await raw.close();
    }
  }

  describe('"garbage"', () => {
    it("sends a frame with a reserved opcode after the handshake", async () => {
      await withRaw("garbage", {}, async (url) => {
        const client = new Client(url);
        await client.opened();
        assert.equal((await client.closed).code, 1006);
        assert.match(client.errors[0].message, /invalid opcode 3/i);
      });
    });
  });

  describe('"drop-mid-frame"', () => {
    it("ends TCP in the middle of a frame", async () => {
      await withRaw("drop-mid-frame", {}, async (url) => {
        const client = new Client(url);
        await client.opened();
        assert.deepEqual(await client.closed, { code: 1006, reason: "" });
        assert.equal(await Promise.race([client.next(), "none"]), "none");
      });
    });
  });

  describe('"never-complete"', () => {
    it("never answers the handshake", async () => {
      await withRaw("never-complete", {}, async (url) => {
        const client = new Client(url, undefined, { handshakeTimeout: 100 });
        assert.equal((await client.closed).code, 1006);
        assert.match(client.errors[0].message, /handshake has timed out/);
      });
    });
  });

  describe('"oversized"', () => {
    it("sends one text message of the given size", async () => {
      await withRaw("oversized", { size: 2 * 1024 * 1024 }, async (url) => {
        const client = new Client(url);
        assert.equal((await client.nextText()).length, 2 * 1024 * 1024);
        assert.deepEqual(await client.closeAndWait(1000), {
          code: 1000,
          reason: "",
        });
        const limited = new Client(url, undefined, { maxPayload: 1024 * 1024 });
        assert.equal((await limited.closed).code, 1006);
        assert.match(limited.errors[0].message, /max payload size exceeded/i);
      });
    });
  });

  describe('"bad-accept"', () => {
    it("answers 101 with a wrong Sec-WebSocket-Accept", async () => {
      await withRaw("bad-accept", {}, async (url) => {
        const client = new Client(url);
        assert.equal((await client.closed).code, 1006);
        assert.match(client.errors[0].message, /Invalid Sec-WebSocket-Accept/);
      });
    });
  });

  describe('"bad-compression"', () => {
    it("negotiates permessage-deflate without no-context-takeover", async () => {
      await withRaw("bad-compression", {}, async (url) => {
        const offered = new Client(url, undefined, {
          perMessageDeflate: DEFLATE,
        });
        const response = await offered.response;
        assert.equal(
          response.headers["sec-websocket-extensions"],
          "permessage-deflate",
        );
        await offered.closeAndWait(1000);
        const unasked = new Client(url);
        assert.equal((await unasked.closed).code, 1006);
        assert.match(
          unasked.errors[0].message,
          /Sec-WebSocket-Extensions header but no extension was requested/,
        );
      });
    });
  });

  describe('"no-status-close"', () => {
    it("sends a close frame without status code", async () => {
      await withRaw("no-status-close", {}, async (url) => {
        const client = new Client(url);
        assert.deepEqual(await client.closed, { code: 1005, reason: "" });
        assert.equal(client.errors.length, 0);
      });
    });
  });

  describe('"drop"', () => {
    it("ends TCP (FIN) right after the handshake", async () => {
      await withRaw("drop", {}, async (url) => {
        const client = new Client(url);
        await client.opened();
        assert.deepEqual(await client.closed, { code: 1006, reason: "" });
        const raw = await rawUpgrade(url);
        assert.deepEqual(await raw.ending, "end");
      });
    });
  });

  describe('"reset"', () => {
    // The ws client reports a reset and a FIN alike (close 1006, no error),
    // so these speak WebSocket by hand to see the RST.
    it("resets TCP when the client sends", async () => {
      await withRaw("reset", { delayMs: 10_000 }, async (url) => {
        const raw = await rawUpgrade(url);
        raw.socket.write(MASKED_TEXT_FRAME);
        assert.equal(await raw.ending, "ECONNRESET");
      });
    });

    it("resets TCP after delayMs when the client is silent", async () => {
      await withRaw("reset", { delayMs: 20 }, async (url) => {
        const raw = await rawUpgrade(url);
        assert.equal(await raw.ending, "ECONNRESET");
      });
    });
  });

  describe("TLS", () => {
    it("misbehaves over wss:// too", async () => {
      const { ca, cert, key } = tlsFixtures();
      await withRaw("no-status-close", { tls: { cert, key } }, async (url) => {
        assert.match(url, /^wss:\/\/127\.0\.0\.1:\d+$/);
        const client = new Client(url, undefined, { ca });
        assert.deepEqual(await client.closed, { code: 1005, reason: "" });
      });
    });
  });

  describe("#close", () => {
    it("ends connections held open and stops listening", async () => {
      const raw = await startRawServer("never-complete");
      const client = new Client(raw.url);
      // Give the peer time to accept and read the request it never answers.
      await new Promise((resolve) => setTimeout(resolve, 50));
      await raw.close();
      assert.equal((await client.closed).code, 1006);
      const refused = connect(raw.port, "127.0.0.1");
      const [error] = await once(refused, "error");
      assert.equal((error as NodeJS.ErrnoException).code, "ECONNREFUSED");
    });
  });
});
