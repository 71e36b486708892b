import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import * as net from "node:net";
import { after, before, describe, it } from "node:test";
import * as tls from "node:tls";
import { WebSocketServer } from "ws";
import type WebSocket from "ws";
import { BAD_HANDSHAKE, CLOSE_SENT } from "../transport/close_text.ts";
import {
  loadTransport,
  selectTransport,
  type TransportNeeds,
} from "../transport/select.ts";
import type {
  CloseInfo,
  Connection,
  ConnectionHandler,
  DialOptions,
  OpenInfo,
  Transport,
  TransportName,
} from "../transport/transport.ts";
import { tlsFixtures } from "./_tls.ts";

const ADAPTERS: readonly TransportName[] = typeof Deno !== "undefined"
  ? ["ws", "native"]
  : ["ws"];

const DEFLATE_OFFER =
  "permessage-deflate; server_no_context_takeover; client_no_context_takeover";
const UNKNOWN_AUTHORITY =
  "tls: failed to verify certificate: x509: certificate signed by unknown authority";
const REFUSED_BODY = "0123456789abcdef".repeat(128); // 2048 bytes

// ---------------------------------------------------------------- servers --

/** What the server saw of one connection, found by its `?id=`. */
interface Visit {
  readonly rawHeaders: string[];
  readonly messages: { data: Buffer; isBinary: boolean }[];
  readonly pongs: string[];
  /** The code and reason of the client's close frame (1005: none). */
  readonly closeFrame: Promise<{ code: number; reason: string }>;
  /** The raw TCP socket, settled once it closed. */
  readonly socketClosed: Promise<net.Socket>;
}

interface RequestHead {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly rawHeaders: string[];
  readonly socket: net.Socket;
}

function acceptKey(key: string): string {
  return createHash("sha1").update(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
    .digest("base64");
}

/** Reads an HTTP request head off a raw socket, then hands the socket over. */
function readHead(
  socket: net.Socket,
  onHead: (head: RequestHead, rest: Buffer) => void,
): void {
  let buffered = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    const end = buffered.indexOf("\r\n\r\n");
    if (end === -1) return;
    socket.off("data", onData);
    const lines = buffered.subarray(0, end).toString("latin1").split("\r\n");
    const [method, url] = lines[0].split(" ");
    const headers: Record<string, string> = {};
    const rawHeaders: string[] = [];
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      const name = line.slice(0, colon);
      const value = line.slice(colon + 1).trim();
      rawHeaders.push(name, value);
      const lower = name.toLowerCase();
      headers[lower] = headers[lower] === undefined
        ? value
        : `${headers[lower]}, ${value}`;
    }
    onHead(
      { method, url, headers, rawHeaders, socket },
      buffered.subarray(end + 4),
    );
  };
  socket.on("data", onData);
}

/**
 * A WebSocket test server on 127.0.0.1 (plain and TLS), routed by path, with
 * a hand-read request head so it sees headers in wire order and misbehaves
 * on demand. Each client URL carries `?id=` to find its {@link Visit}.
 */
class TestServer {
  readonly visits = new Map<string, Visit>();
  readonly #sockets = new Set<net.Socket>();
  readonly #plain = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) =>
      offered.has("supported") ? "supported" : false,
  });
  readonly #deflate = new WebSocketServer({
    noServer: true,
    perMessageDeflate: true,
  });
  readonly #servers: net.Server[] = [];
  port = 0;
  tlsPort = 0;
  #nextId = 0;

  async start(): Promise<void> {
    const { cert, key } = tlsFixtures();
    const plain = net.createServer(this.#accept);
    const secure = tls.createServer({ cert, key }, this.#accept);
    this.#servers.push(plain, secure);
    this.port = await listen(plain);
    this.tlsPort = await listen(secure);
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    for (const client of this.#plain.clients) client.terminate();
    for (const client of this.#deflate.clients) client.terminate();
    await Promise.all(
      this.#servers.map((server) =>
        new Promise((resolve) => server.close(resolve))
      ),
    );
    this.#plain.close();
    this.#deflate.close();
  }

  /** A new URL for `path` on the plain (or TLS) port, and its id. */
  url(path: string, secure = false): { url: string; id: string } {
    const id = String(++this.#nextId);
    const separator = path.includes("?") ? "&" : "?";
    return {
      url: secure
        ? `wss://127.0.0.1:${this.tlsPort}${path}${separator}id=${id}`
        : `ws://127.0.0.1:${this.port}${path}${separator}id=${id}`,
      id,
    };
  }

  visit(id: string): Visit {
    const visit = this.visits.get(id);
    assert.ok(visit, `the server saw no request with id ${id}`);
    return visit;
  }

  readonly #accept = (socket: net.Socket): void => {
    this.#sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => this.#sockets.delete(socket));
    readHead(socket, this.#route);
  };

  readonly #route = (head: RequestHead, rest: Buffer): void => {
    const socket = head.socket;
    const url = new URL(head.url, "http://127.0.0.1");
    let closeFrame!: (frame: { code: number; reason: string }) => void;
    const visit: Visit = {
      rawHeaders: head.rawHeaders,
      messages: [],
      pongs: [],
      closeFrame: new Promise((resolve) => closeFrame = resolve),
      socketClosed: new Promise((resolve) =>
        socket.once("close", () => resolve(socket))
      ),
    };
    this.visits.set(url.searchParams.get("id") ?? "", visit);
    const accept = acceptKey(head.headers["sec-websocket-key"] ?? "");
    switch (url.pathname) {
      case "/404":
        socket.end(
          "HTTP/1.1 404 Not Found\r\nX-Test: refused\r\n" +
            "Content-Type: text/plain\r\n" +
            `Content-Length: ${REFUSED_BODY.length}\r\n\r\n${REFUSED_BODY}`,
        );
        return;
      case "/hang":
        return;
      case "/bad-accept":
        socket.write(
          "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n" +
            "Connection: Upgrade\r\nSec-WebSocket-Accept: d3Jvbmc=\r\n\r\n",
        );
        return;
      case "/deflate-bad":
        socket.write(
          "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n" +
            `Connection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n` +
            "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n",
        );
        return;
    }
    const server = url.pathname === "/deflate" ? this.#deflate : this.#plain;
    const request = { ...head, socket } as unknown as Parameters<
      WebSocketServer["handleUpgrade"]
    >[0];
    server.handleUpgrade(request, socket, rest, (ws) => {
      ws.on("message", (data, isBinary) => {
        visit.messages.push({ data: data as Buffer, isBinary });
      });
      ws.on("pong", (payload) => visit.pongs.push(payload.toString()));
      ws.on("close", (code, reason) => {
        closeFrame({ code, reason: reason.toString() });
      });
      this.#serve(url, ws, socket);
    });
  };

  #serve(url: URL, ws: WebSocket, socket: net.Socket): void {
    const query = url.searchParams;
    switch (url.pathname) {
      case "/echo":
      case "/deflate":
        ws.on(
          "message",
          (data, isBinary) => ws.send(data, { binary: isBinary }),
        );
        return;
      case "/ping":
        ws.ping("hello");
        return;
      case "/close":
        if (query.has("code")) {
          ws.close(Number(query.get("code")), query.get("reason") ?? "");
        } else {
          ws.close();
        }
        return;
      case "/drop":
        socket.end();
        return;
      case "/reset":
        // Once the 101 is flushed: Node turns a reset with writes pending into a FIN.
        setTimeout(() => socket.resetAndDestroy(), 20);
        return;
      case "/garbage": // a final frame with the reserved opcode 3
        socket.write(Buffer.from([0x83, 0x00]));
        return;
      case "/bad-utf8":
        socket.write(Buffer.from([0x81, 0x02, 0xc3, 0x28]));
        return;
      case "/big":
        ws.send("x".repeat(Number(query.get("size"))));
        return;
    }
  }
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

/** A port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// ---------------------------------------------------------------- clients --

type Report =
  | { readonly type: "open"; readonly info: OpenInfo }
  | { readonly type: "message"; readonly data: string | Uint8Array }
  | { readonly type: "ping" | "pong"; readonly payload: string }
  | { readonly type: "error"; readonly message: string }
  | { readonly type: "close"; readonly info: CloseInfo };

/** What a test does when a report arrives. */
interface Script {
  open?(connection: Connection, info: OpenInfo): void;
  message?(connection: Connection, data: string | Uint8Array): void;
  pong?(connection: Connection): void;
}

/** A handler that records every report and runs the test's script. */
class Recorder implements ConnectionHandler {
  readonly reports: Report[] = [];
  readonly closed: Promise<CloseInfo>;
  connection!: Connection;
  readonly #script: Script;
  #resolve!: (info: CloseInfo) => void;

  constructor(script: Script) {
    this.#script = script;
    this.closed = new Promise((resolve) => this.#resolve = resolve);
  }

  onOpen(info: OpenInfo): void {
    this.reports.push({ type: "open", info });
    this.#script.open?.(this.connection, info);
  }

  onMessage(data: string | Uint8Array): void {
    this.reports.push({ type: "message", data });
    this.#script.message?.(this.connection, data);
  }

  onPing(payload: Uint8Array): void {
    this.reports.push({
      type: "ping",
      payload: Buffer.from(payload).toString(),
    });
  }

  onPong(payload: Uint8Array): void {
    this.reports.push({
      type: "pong",
      payload: Buffer.from(payload).toString(),
    });
    this.#script.pong?.(this.connection);
  }

  onError(message: string): void {
    this.reports.push({ type: "error", message });
  }

  onClose(info: CloseInfo): void {
    this.reports.push({ type: "close", info });
    this.#resolve(info);
  }

  /** The reports' types, in order. */
  get types(): string[] {
    return this.reports.map((report) => report.type);
  }

  get open(): OpenInfo {
    const report = this.reports.find((r) => r.type === "open");
    assert.ok(report?.type === "open", "no open report");
    return report.info;
  }

  get messages(): (string | Uint8Array)[] {
    return this.reports.flatMap((r) => r.type === "message" ? [r.data] : []);
  }
}

function dialOptions(url: string, extra: Partial<DialOptions>): DialOptions {
  return {
    url,
    protocols: [],
    headers: [],
    compression: false,
    tls: {},
    handshakeTimeoutMs: 5000,
    maxPayload: 1 << 20,
    ...extra,
  };
}

/** The report sequence every connection must keep. */
function assertReportOrder(reports: readonly Report[]): void {
  const closes = reports.filter((report) => report.type === "close");
  assert.equal(closes.length, 1, "onClose must be reported exactly once");
  assert.equal(reports.at(-1)?.type, "close", "onClose must come last");
  const opens = reports.filter((report) => report.type === "open").length;
  assert.ok(opens <= 1, "onOpen must be reported at most once");
  if (opens === 1) assert.equal(reports[0].type, "open", "onOpen comes first");
  else assert.equal(reports.length, 1, "nothing but onClose without onOpen");
  if (opens === 0) assert.equal(closes[0].info.kind, "dial");
  else assert.notEqual(closes[0].info.kind, "dial");
}

/**
 * Dials, runs `script`, waits for onClose (terminating the connection if it
 * does not come within 5 s) and a moment more, and checks the report order.
 */
async function session(
  transport: Transport,
  url: string,
  options: Partial<DialOptions> = {},
  script: Script = {},
  onDialled?: (connection: Connection) => void,
): Promise<Recorder> {
  const recorder = new Recorder(script);
  recorder.connection = transport.dial(dialOptions(url, options), recorder);
  onDialled?.(recorder.connection);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(resolve, 5000, "timeout");
  });
  const outcome = await Promise.race([recorder.closed, timedOut]);
  clearTimeout(timer);
  if (outcome === "timeout") {
    recorder.connection.terminate();
    assert.fail(`no onClose within 5 s; reports: ${recorder.types}`);
  }
  await new Promise((resolve) => setTimeout(resolve, 20));
  assertReportOrder(recorder.reports);
  return recorder;
}

function closeInfo(recorder: Recorder): CloseInfo {
  const last = recorder.reports.at(-1);
  assert.ok(last?.type === "close");
  return last.info;
}

function bytes(data: string | Uint8Array): number[] {
  assert.ok(data instanceof Uint8Array, "expected bytes");
  return [...data];
}

// ------------------------------------------------------------------ tests --

describe("selectTransport", () => {
  const plain: TransportNeeds = {
    needsControlFrames: false,
    compression: false,
    tls: false,
    needsResponse: false,
  };
  const needs: readonly [string, Partial<TransportNeeds>][] = [
    ["ping/pong", { needsControlFrames: true }],
    ["compression", { compression: true }],
    ["TLS options", { tls: true }],
    ["the handshake response", { needsResponse: true }],
    ["a Host or User-Agent header", { customHostOrUserAgent: true }],
  ];

  it("picks ws under Deno too unless native is asked for", () => {
    assert.equal(selectTransport(plain, "deno"), "ws");
    assert.equal(
      selectTransport({ ...plain, forced: "native" }, "deno"),
      "native",
    );
  });

  it("picks ws under Node, whatever the socket needs", () => {
    assert.equal(selectTransport(plain, "node"), "ws");
    assert.equal(
      selectTransport({ ...plain, needsControlFrames: true }, "node"),
      "ws",
    );
  });

  for (const [label, need] of needs) {
    it(`picks ws under Deno for ${label}`, () => {
      assert.equal(selectTransport({ ...plain, ...need }, "deno"), "ws");
    });

    it(`throws a TypeError when native is forced with ${label}`, () => {
      assert.throws(
        () => selectTransport({ ...plain, ...need, forced: "native" }, "deno"),
        (error: unknown) =>
          error instanceof TypeError &&
          error.message.startsWith(
            `transport "native" (Deno's WebSocket) cannot`,
          ) &&
          error.message.endsWith('use transport "ws" or leave the param unset'),
      );
    });
  }

  it("names every shortcoming when native is forced", () => {
    assert.throws(
      () =>
        selectTransport({
          forced: "native",
          needsControlFrames: true,
          compression: true,
          tls: false,
          needsResponse: true,
        }, "deno"),
      {
        name: "TypeError",
        message: `transport "native" (Deno's WebSocket) cannot send or ` +
          "observe pings and pongs, compress, show the handshake response: " +
          'use transport "ws" or leave the param unset',
      },
    );
  });

  it("follows a forced transport", () => {
    assert.equal(selectTransport({ ...plain, forced: "ws" }, "deno"), "ws");
    assert.equal(
      selectTransport({ ...plain, forced: "native" }, "deno"),
      "native",
    );
  });

  it("throws a TypeError when native is forced under Node", () => {
    assert.throws(
      () => selectTransport({ ...plain, forced: "native" }, "node"),
      {
        name: "TypeError",
        message:
          'transport "native" is Deno\'s WebSocket, which this runtime ' +
          'does not have: use transport "ws" or leave the param unset',
      },
    );
  });

  it("throws a TypeError for an unknown transport name", () => {
    assert.throws(
      () =>
        selectTransport({
          ...plain,
          forced: "fast" as TransportName,
        }, "deno"),
      {
        name: "TypeError",
        message:
          'unknown transport "fast": the supported ones are "native" and "ws"',
      },
    );
  });

  it("decides for this process's runtime by default", () => {
    assert.equal(selectTransport(plain), "ws");
  });
});

describe("loadTransport", () => {
  it("loads ws once", async () => {
    const transport = await loadTransport("ws");
    assert.equal(transport.name, "ws");
    assert.equal(await loadTransport("ws"), transport);
  });

  if (typeof Deno !== "undefined") {
    it("loads native under Deno", async () => {
      assert.equal((await loadTransport("native")).name, "native");
    });
  } else {
    it("rejects native outside Deno", async () => {
      await assert.rejects(loadTransport("native"), TypeError);
    });
  }

  it("rejects an unknown name", async () => {
    await assert.rejects(loadTransport("fast" as TransportName), {
      name: "TypeError",
      message:
        'unknown transport "fast": the supported ones are "native" and "ws"',
    });
  });
});

const server = new TestServer();
before(() => server.start());
after(() => server.stop());

for (const name of ADAPTERS) {
  describe(`${name} transport`, () => {
    let transport!: Transport;
    before(async () => {
      transport = await loadTransport(name);
    });
    const isWs = name === "ws";

    describe("#dial", () => {
      it("reports the negotiated protocol and the handshake", async () => {
        const { url } = server.url("/echo");
        const recorder = await session(transport, url, {
          protocols: ["one", "supported"],
        }, { open: (connection) => connection.close(1000) });
        const info = recorder.open;
        assert.equal(info.protocol, "supported");
        assert.deepEqual(info.extensions, []);
        if (isWs) {
          assert.equal(info.response?.status, 101);
          assert.deepEqual(
            info.response?.headers.find(([key]) => key === "Upgrade"),
            ["Upgrade", "websocket"],
          );
          assert.ok(
            info.response?.headers.some(([key, value]) =>
              key === "Sec-WebSocket-Protocol" && value === "supported"
            ),
          );
          assert.equal(info.response?.body, "");
          assert.equal(info.remoteAddress, "127.0.0.1");
        } else {
          assert.equal(info.response, undefined);
          assert.equal(info.remoteAddress, undefined);
        }
        assert.deepEqual(closeInfo(recorder), {
          kind: "frame",
          code: 1000,
          reason: "",
        });
      });

      it("opens when the server picks none of the subprotocols", async () => {
        const { url } = server.url("/echo");
        const recorder = await session(transport, url, {
          protocols: ["one", "two"],
        }, { open: (connection) => connection.close(1000) });
        assert.equal(recorder.open.protocol, "");
      });

      it("asks for the subprotocols of a Sec-WebSocket-Protocol header", async () => {
        const { url, id } = server.url("/echo");
        const recorder = await session(transport, url, {
          headers: [["Sec-Websocket-Protocol", "one, supported"]],
        }, { open: (connection) => connection.close(1000) });
        assert.equal(recorder.open.protocol, "supported");
        const protocolHeaders = pairs(server.visit(id).rawHeaders).filter((
          [key],
        ) => key.toLowerCase() === "sec-websocket-protocol");
        assert.equal(protocolHeaders.length, 1);
        assert.equal(protocolHeaders[0][1], "one, supported");
      });

      it("sends the request headers in order", async () => {
        const { url, id } = server.url("/echo");
        await session(transport, url, {
          headers: [
            ["User-Agent", "wsload-test"],
            ["X-Zeta", "1"],
            ["X-Alpha", "2"],
            ["Cookie", "a=1"],
          ],
        }, { open: (connection) => connection.close(1000) });
        const sent = pairs(server.visit(id).rawHeaders);
        const userAgents = sent.filter(([key]) =>
          key.toLowerCase() === "user-agent"
        );
        assert.equal(userAgents.length, 1);
        const ours = sent.filter(([key]) =>
          ["x-zeta", "x-alpha", "cookie"].includes(key.toLowerCase())
        ).map(([key, value]) => `${key.toLowerCase()}=${value}`);
        assert.deepEqual(ours, ["x-zeta=1", "x-alpha=2", "cookie=a=1"]);
        if (isWs) {
          // The user's User-Agent replaces the default one.
          assert.equal(userAgents[0][1], "wsload-test");
        } else {
          // Deno sends its own; the given one is dropped, not duplicated.
          assert.notEqual(userAgents[0][1], "wsload-test");
        }
      });

      it("offers no extension without compression", async () => {
        const { url, id } = server.url("/deflate");
        const recorder = await session(transport, url, {}, {
          open: (connection) => connection.close(1000),
        });
        assert.deepEqual(recorder.open.extensions, []);
        assert.ok(
          !pairs(server.visit(id).rawHeaders).some(([key]) =>
            key.toLowerCase() === "sec-websocket-extensions"
          ),
        );
      });

      if (isWs) {
        it("negotiates compression without context takeover", async () => {
          const { url, id } = server.url("/deflate");
          const text = "compress me ".repeat(200);
          const recorder = await session(transport, url, {
            compression: true,
          }, {
            open: (connection) => connection.send(text),
            message: (connection) => connection.close(1000),
          });
          assert.deepEqual(recorder.open.extensions, [DEFLATE_OFFER]);
          assert.deepEqual(recorder.messages, [text]);
          const offers = pairs(server.visit(id).rawHeaders).filter(([key]) =>
            key.toLowerCase() === "sec-websocket-extensions"
          );
          assert.deepEqual(offers, [[
            "Sec-WebSocket-Extensions",
            DEFLATE_OFFER,
          ]]);
          // Fewer bytes went out than the text alone holds.
          assert.ok(recorder.connection.bytesSent < text.length);
        });

        it("fails the dial when the deflate answer keeps context", async () => {
          const { url } = server.url("/deflate-bad");
          const recorder = await session(transport, url, { compression: true });
          const info = closeInfo(recorder);
          assert.equal(info.kind, "dial");
          assert.equal(
            info.kind === "dial" && info.error,
            "websocket: invalid compression negotiation",
          );
          assert.equal(info.kind === "dial" && info.response?.status, 101);
        });

        it("fails a 101 answer with a wrong accept key as a bad handshake", async () => {
          const { url } = server.url("/bad-accept");
          const info = closeInfo(await session(transport, url));
          assert.equal(info.kind, "dial");
          assert.equal(info.kind === "dial" && info.error, BAD_HANDSHAKE);
          assert.equal(info.kind === "dial" && info.response?.status, 101);
        });

        it("trusts any certificate with insecureSkipTLSVerify", async () => {
          const { url } = server.url("/echo", true);
          const recorder = await session(transport, url, {
            tls: { insecureSkipTLSVerify: true },
          }, {
            open: (connection) => connection.send("over tls"),
            message: (connection) => connection.close(1000),
          });
          assert.deepEqual(recorder.messages, ["over tls"]);
        });

        it("trusts a certificate signed by an extra CA", async () => {
          const { url } = server.url("/echo", true);
          const recorder = await session(transport, url, {
            tls: { ca: [tlsFixtures().ca] },
          }, { open: (connection) => connection.close(1000) });
          assert.equal(recorder.open.response?.status, 101);
        });
      }
    });

    describe("dial failures", () => {
      it("reports a refused connection in Go's words", async () => {
        const port = await closedPort();
        const info = closeInfo(
          await session(transport, `ws://127.0.0.1:${port}/`),
        );
        assert.deepEqual(info, {
          kind: "dial",
          error: `dial tcp 127.0.0.1:${port}: connect: connection refused`,
          response: undefined,
        });
      });

      it("reports an unresolvable host in Go's words", async () => {
        const info = closeInfo(
          await session(transport, "ws://nosuchhost.invalid/"),
        );
        assert.deepEqual(info, {
          kind: "dial",
          error: "dial tcp: lookup nosuchhost.invalid: no such host",
          response: undefined,
        });
      });

      it("reports a non-101 answer as a bad handshake with its status", async () => {
        const { url } = server.url("/404");
        const info = closeInfo(await session(transport, url));
        assert.ok(info.kind === "dial");
        assert.equal(info.error, BAD_HANDSHAKE);
        assert.equal(info.response?.status, 404);
        if (isWs) {
          assert.deepEqual(
            info.response?.headers.find(([key]) => key === "X-Test"),
            ["X-Test", "refused"],
          );
          assert.equal(info.response?.body, REFUSED_BODY.slice(0, 1024));
        } else {
          assert.deepEqual(info.response?.headers, []);
          assert.equal(info.response?.body, "");
        }
      });

      it("gives up a handshake that does not finish in time", async () => {
        const { url } = server.url("/hang");
        const info = closeInfo(
          await session(transport, url, { handshakeTimeoutMs: 100 }),
        );
        assert.deepEqual(info, {
          kind: "dial",
          error: "websocket: handshake timed out after 100 ms",
          response: undefined,
        });
      });

      it("reports an untrusted certificate in Go's words", async () => {
        const { url } = server.url("/echo", true);
        const info = closeInfo(await session(transport, url));
        assert.deepEqual(info, {
          kind: "dial",
          error: UNKNOWN_AUTHORITY,
          response: undefined,
        });
      });
    });

    describe("#send", () => {
      it("round-trips text, including non-ASCII", async () => {
        const { url, id } = server.url("/echo");
        const text = "héllo ☃ 😀";
        const recorder = await session(transport, url, {}, {
          open: (connection) => connection.send(text),
          message: (connection) => connection.close(1000),
        });
        assert.deepEqual(recorder.messages, [text]);
        const [received] = server.visit(id).messages;
        assert.equal(received.isBinary, false);
        assert.equal(received.data.toString(), text);
      });

      it("sends exactly the bytes of a view with an offset", async () => {
        const { url, id } = server.url("/echo");
        const view = new Uint8Array([9, 9, 1, 2, 3, 9]).subarray(2, 5);
        const recorder = await session(transport, url, {}, {
          open: (connection) => connection.send(view),
          message: (connection) => connection.close(1000),
        });
        assert.deepEqual(recorder.messages.map(bytes), [[1, 2, 3]]);
        const [received] = server.visit(id).messages;
        assert.equal(received.isBinary, true);
        assert.deepEqual([...received.data], [1, 2, 3]);
      });

      it("counts sent payload bytes in bufferedAmount until written", async () => {
        const { url } = server.url("/echo");
        const amounts: number[] = [];
        const written: (string | undefined)[] = [];
        let echoes = 0;
        await session(transport, url, {}, {
          open(connection) {
            amounts.push(connection.bufferedAmount);
            connection.send("héllo", (error) => written.push(`a:${error}`));
            amounts.push(connection.bufferedAmount);
            connection.send(
              new Uint8Array(10),
              (error) => written.push(`b:${error}`),
            );
            amounts.push(connection.bufferedAmount);
          },
          message(connection) {
            if (++echoes < 2) return;
            setTimeout(() => {
              amounts.push(connection.bufferedAmount);
              connection.close(1000);
            }, 10);
          },
        });
        assert.deepEqual(amounts, [0, 6, 16, 0]);
        assert.deepEqual(written, ["a:undefined", "b:undefined"]);
      });

      it("completes 3,000 writes in the order they were sent", async () => {
        const { url } = server.url("/echo");
        const completed: number[] = [];
        let echoes = 0;
        let amountAtEnd = -1;
        const send = (connection: Connection, index: number) =>
          connection.send(`m${index}`, (error) => {
            completed.push(error === undefined ? index : -index);
            // A write sent while earlier ones complete joins the end.
            if (index === 1500) send(connection, 3000);
          });
        await session(transport, url, {}, {
          open(connection) {
            for (let index = 0; index < 3000; index++) send(connection, index);
          },
          message(connection) {
            if (++echoes < 3001) return;
            amountAtEnd = connection.bufferedAmount;
            connection.close(1000);
          },
        });
        assert.deepEqual(completed, [...Array(3001).keys()]);
        assert.equal(amountAtEnd, 0);
      });

      it("refuses to send after close() without throwing", async () => {
        const { url } = server.url("/echo");
        const written: (string | undefined)[] = [];
        let amount = -1;
        await session(transport, url, {}, {
          open(connection) {
            connection.close(1000);
            connection.send("late", (error) => written.push(error));
            amount = connection.bufferedAmount;
          },
        });
        assert.deepEqual(written, [CLOSE_SENT]);
        assert.equal(amount, 0);
      });
    });

    describe("#ping", () => {
      if (isWs) {
        it("sends a ping and reports the pong's payload", async () => {
          const { url } = server.url("/echo");
          const written: (string | undefined)[] = [];
          const recorder = await session(transport, url, {}, {
            open: (connection) =>
              connection.ping(
                new TextEncoder().encode("abc"),
                (error) => written.push(error),
              ),
            pong: (connection) => connection.close(1000),
          });
          assert.deepEqual(recorder.types, ["open", "pong", "close"]);
          assert.deepEqual(recorder.reports[1], {
            type: "pong",
            payload: "abc",
          });
          assert.deepEqual(written, [undefined]);
        });

        it("throws a RangeError for a payload over 125 bytes", async () => {
          const { url } = server.url("/echo");
          let thrown: unknown;
          await session(transport, url, {}, {
            open(connection) {
              try {
                connection.ping(new Uint8Array(126));
              } catch (error) {
                thrown = error;
              }
              connection.close(1000);
            },
          });
          assert.ok(thrown instanceof RangeError);
        });

        it("answers a server ping with a pong, then reports the ping", async () => {
          const { url, id } = server.url("/ping");
          const recorder = await session(transport, url, {}, {
            open() {},
          }, (connection) => {
            setTimeout(() => connection.close(1000), 100);
          });
          assert.deepEqual(recorder.types, ["open", "ping", "close"]);
          assert.deepEqual(recorder.reports[1], {
            type: "ping",
            payload: "hello",
          });
          assert.deepEqual(server.visit(id).pongs, ["hello"]);
        });
      } else {
        it("throws NotSupportedError naming the way to the ws transport", async () => {
          const { url } = server.url("/echo");
          let thrown: unknown;
          await session(transport, url, {}, {
            open(connection) {
              try {
                connection.ping(new Uint8Array(0));
              } catch (error) {
                thrown = error;
              }
              connection.close(1000);
            },
          });
          assert.ok(thrown instanceof DOMException);
          assert.equal(thrown.name, "NotSupportedError");
          assert.match(thrown.message, /Deno's native WebSocket/);
          assert.match(thrown.message, /transport: "ws"/);
        });

        it("answers a server ping without reporting it", async () => {
          const { url, id } = server.url("/ping");
          const recorder = await session(
            transport,
            url,
            {},
            {},
            (connection) => {
              setTimeout(() => connection.close(1000), 100);
            },
          );
          assert.deepEqual(recorder.types, ["open", "close"]);
          assert.deepEqual(server.visit(id).pongs, ["hello"]);
        });
      }
    });

    describe("#close", () => {
      it("leaves errors their stack traces, during the close report and after", async () => {
        for (const path of ["/close", "/drop", "/echo"]) {
          const limit = Error.stackTraceLimit;
          const { url } = server.url(path);
          let inReport = -1;
          const recorder = new Recorder(
            path === "/echo"
              ? { open: (connection) => connection.close() }
              : {},
          );
          recorder.connection = transport.dial(dialOptions(url, {}), {
            onOpen: (info) => recorder.onOpen(info),
            onMessage: (data) => recorder.onMessage(data),
            onPing: (payload) => recorder.onPing(payload),
            onPong: (payload) => recorder.onPong(payload),
            onError: (message) => recorder.onError(message),
            onClose: (info) => {
              inReport = Error.stackTraceLimit;
              recorder.onClose(info);
            },
          });
          await recorder.closed;
          await new Promise((resolve) => setTimeout(resolve, 50));
          assert.equal(inReport, limit, path);
          assert.equal(Error.stackTraceLimit, limit, path);
        }
      });

      it("reports the server's reply to the client's close", async () => {
        const { url, id } = server.url("/echo");
        const written: (string | undefined)[] = [];
        const recorder = await session(transport, url, {}, {
          open: (connection) =>
            connection.close(4000, "bye", (error) => written.push(error)),
        });
        assert.deepEqual(closeInfo(recorder), {
          kind: "frame",
          code: 4000,
          reason: "bye",
        });
        assert.deepEqual(written, [undefined]);
        assert.deepEqual(await server.visit(id).closeFrame, {
          code: 4000,
          reason: "bye",
        });
      });

      it("sends a close frame without code when none is given", async () => {
        const { url, id } = server.url("/echo");
        const recorder = await session(transport, url, {}, {
          open: (connection) => connection.close(),
        });
        assert.deepEqual(closeInfo(recorder), {
          kind: "frame",
          code: 1005,
          reason: "",
        });
        assert.deepEqual(await server.visit(id).closeFrame, {
          code: 1005,
          reason: "",
        });
      });

      it("throws a RangeError for a reason over 123 bytes", async () => {
        const { url } = server.url("/echo");
        let thrown: unknown;
        await session(transport, url, {}, {
          open(connection) {
            try {
              connection.close(1000, "é".repeat(62));
            } catch (error) {
              thrown = error;
            }
            connection.close(1000);
          },
        });
        assert.ok(thrown instanceof RangeError);
      });

      it("gives up the dial when called while connecting", async () => {
        const { url } = server.url("/hang");
        const written: (string | undefined)[] = [];
        const info = closeInfo(
          await session(transport, url, {}, {}, (connection) => {
            connection.close(1000, "", (error) => written.push(error));
          }),
        );
        assert.deepEqual(info, {
          kind: "dial",
          error: "websocket: closed while connecting",
          response: undefined,
        });
        assert.deepEqual(written, ["websocket: closed while connecting"]);
      });
    });

    describe("#terminate", () => {
      it("gives up the dial when called while connecting", async () => {
        const { url } = server.url("/hang");
        const info = closeInfo(
          await session(transport, url, {}, {}, (connection) => {
            setTimeout(() => connection.terminate(), 20);
          }),
        );
        assert.equal(info.kind, "dial");
      });

      it("ends an open connection as abnormal", async () => {
        const { url } = server.url("/echo");
        const recorder = await session(transport, url, {}, {
          open: (connection) => connection.terminate(),
        });
        assert.deepEqual(closeInfo(recorder), {
          kind: "abnormal",
          eof: false,
          error: "use of closed network connection",
        });
      });
    });

    describe("closing by the server", () => {
      it("reports a close frame's code and reason", async () => {
        const { url } = server.url("/close?code=4000&reason=bye");
        assert.deepEqual(closeInfo(await session(transport, url)), {
          kind: "frame",
          code: 4000,
          reason: "bye",
        });
      });

      it("reports 1005 for a close frame without code", async () => {
        const { url } = server.url("/close");
        assert.deepEqual(closeInfo(await session(transport, url)), {
          kind: "frame",
          code: 1005,
          reason: "",
        });
      });

      it("reports a TCP end without close frame as an abnormal EOF", async () => {
        const { url } = server.url("/drop");
        assert.deepEqual(closeInfo(await session(transport, url)), {
          kind: "abnormal",
          eof: true,
          error: "unexpected EOF",
        });
      });

      it("reports a TCP reset as abnormal, not EOF", async () => {
        const { url } = server.url("/reset");
        assert.deepEqual(closeInfo(await session(transport, url)), {
          kind: "abnormal",
          eof: false,
          error: "read: connection reset by peer",
        });
      });
    });

    describe("protocol violations", () => {
      it("reports a garbage frame, then closes with 1002", async () => {
        const { url } = server.url("/garbage");
        const recorder = await session(transport, url);
        assert.deepEqual(recorder.types, ["open", "error", "close"]);
        const error = recorder.reports[1];
        assert.ok(error.type === "error");
        assert.match(error.message, /^websocket: protocol error: ./);
        assert.deepEqual(closeInfo(recorder), {
          kind: "frame",
          code: 1002,
          reason: "",
        });
      });

      it("reports invalid UTF-8, then closes with 1007", async () => {
        const { url } = server.url("/bad-utf8");
        const recorder = await session(transport, url);
        assert.deepEqual(recorder.reports.slice(1), [
          { type: "error", message: "websocket: invalid UTF-8 in text frame" },
          { type: "close", info: { kind: "frame", code: 1007, reason: "" } },
        ]);
      });

      it("reports a message over maxPayload, then closes with 1009", async () => {
        const { url } = server.url("/big?size=2000");
        const recorder = await session(transport, url, { maxPayload: 1024 });
        assert.deepEqual(recorder.reports.slice(1), [
          { type: "error", message: "websocket: read limit exceeded" },
          { type: "close", info: { kind: "frame", code: 1009, reason: "" } },
        ]);
      });
    });

    describe("byte counters", () => {
      it("count the handshake and the frames both ways", async () => {
        const { url, id } = server.url("/echo");
        const payload = "x".repeat(300);
        const recorder = await session(transport, url, {}, {
          open: (connection) => connection.send(payload),
          message: (connection) => connection.close(1000),
        });
        const socket = await server.visit(id).socketClosed;
        const { bytesSent, bytesReceived } = recorder.connection;
        if (isWs) {
          assert.equal(bytesSent, socket.bytesRead);
          assert.equal(bytesReceived, socket.bytesWritten);
        } else {
          // Computed: within a quarter of what the server counted.
          for (
            const [computed, real] of [
              [bytesSent, socket.bytesRead],
              [bytesReceived, socket.bytesWritten],
            ]
          ) {
            assert.ok(
              Math.abs(computed - real) <= real / 4,
              `computed ${computed}, server counted ${real}`,
            );
          }
        }
        assert.ok(bytesSent > payload.length + 100);
        assert.ok(bytesReceived > payload.length + 100);
      });
    });
  });
}

function pairs(raw: readonly string[]): [string, string][] {
  const result: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) result.push([raw[i], raw[i + 1]]);
  return result;
}
