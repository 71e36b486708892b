/**
 * The `ws` transport: connections through the npm `ws` package's client,
 * under Node and Deno. It sees everything the modules need: the handshake
 * request and response, pings and pongs, compression, TLS settings and the
 * byte counts of the TCP socket.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import type { ClientRequest, IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import WebSocket from "ws";
import { BAD_HANDSHAKE, CLOSE_SENT, UNEXPECTED_EOF } from "./close_text.ts";
import {
  CONNECTING,
  ConnectionBase,
  MAX_TIMER_MS,
  OPEN,
} from "./_connection_base.ts";
import { headerValues } from "./handshake_headers.ts";
import {
  CLOSE_TIMEOUT_MS,
  closeTimeoutText,
  CONNECTION_TERMINATED,
  type DialTarget,
  dialTarget,
  handshakeTimeoutText,
  INVALID_COMPRESSION,
  networkErrorText,
  protocolErrorText,
} from "./_error_text.ts";
import { nodeTlsOptions } from "./tls.ts";
import { closeReasonLength } from "./wire_size.ts";
import type { Written } from "./_write_queue.ts";
import type {
  CloseInfo,
  Connection,
  ConnectionHandler,
  DialOptions,
  HandshakeResponse,
  Transport,
  TransportName,
} from "./transport.ts";

/** At most this much of a refused handshake's body is kept. */
const MAX_BODY_BYTES = 1024;
/** `WebSocket.OPEN` of the `ws` package. */
const WS_OPEN = 1;

/**
 * The connection a `ws` WebSocket, its request or its TCP socket belongs
 * to. The listeners are module-wide functions (one set for all
 * connections, as in ws itself) that find their connection through it.
 */
const CONNECTION = Symbol("wsload.connection");
/** The `ws` WebSocket a handshake request belongs to (its connection is set later). */
const WEBSOCKET = Symbol("wsload.websocket");

type Owned<T> = T & { [CONNECTION]: WsConnection };

/**
 * permessage-deflate offered exactly as gorilla does
 * (`permessage-deflate; server_no_context_takeover; client_no_context_takeover`,
 * no `client_max_window_bits`), compressing every message as gorilla does.
 */
const DEFLATE_OPTIONS: WebSocket.PerMessageDeflateOptions = {
  serverNoContextTakeover: true,
  clientNoContextTakeover: true,
  // `false` (not a number) leaves client_max_window_bits out of the offer.
  clientMaxWindowBits: false as unknown as number,
  threshold: 0,
};

/** ws error codes whose close code is not 1002 (protocol error). */
const PROTOCOL_STATUS: Readonly<Record<string, number>> = {
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: 1009,
  WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH: 1009,
  WS_ERR_TOO_MANY_BUFFERED_PARTS: 1008,
  WS_ERR_INVALID_UTF8: 1007,
};

/** The close codes `ws` agrees to send (RFC 6455 §7.4). */
function isSendableCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 &&
    code !== 1006) || (code >= 3000 && code <= 4999);
}

/** A `wss:` URL: its dial takes the TLS settings. */
const SECURE_SCHEME = /^wss:/i;

/**
 * How a text message goes to `ws`: as the Buffer of its UTF-8 bytes, sent
 * as a text frame. Given a string, `ws` measures it, encodes it and writes
 * the frame header and the payload as two chunks (a corked `writev`);
 * given bytes it cannot change, it masks them into one buffer with the
 * header, a single write (at the price of a second payload-sized buffer,
 * where a string's bytes are masked in place). Encoding here once also
 * gives the size `bufferedAmount` needs. In two back-to-back peers-harness
 * W1 runs, wsload spent 1–8 µs less client CPU per round trip this way
 * than with strings, in all four rows (Deno and Node, both k6 modules).
 */
const TEXT_FRAME = Object.freeze({ binary: false });

/** Request headers as Node wants them: first spelling wins, repeats become arrays. */
function headerRecord(
  headers: readonly (readonly [string, string])[],
): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = Object.create(null);
  const spelling = new Map<string, string>();
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    const key = spelling.get(lower);
    if (key === undefined) {
      spelling.set(lower, name);
      record[name] = value;
    } else {
      const previous = record[key];
      record[key] = Array.isArray(previous)
        ? [...previous, value]
        : [previous, value];
    }
  }
  return record;
}

function handshakeResponse(
  response: IncomingMessage,
  body: string,
): HandshakeResponse {
  const raw = response.rawHeaders;
  const headers: (readonly [string, string])[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    headers.push([raw[i], raw[i + 1]]);
  }
  return { status: response.statusCode ?? 0, headers, body };
}

/** Gorilla's rule: a permessage-deflate answer must carry both no_context_takeover params. */
function isValidDeflateAnswer(extensions: readonly string[]): boolean {
  for (const line of extensions) {
    for (const extension of line.split(",")) {
      const [name, ...params] = extension.split(";").map((part) =>
        part.trim().split("=")[0].trim()
      );
      if (name !== "permessage-deflate") continue;
      if (
        !params.includes("server_no_context_takeover") ||
        !params.includes("client_no_context_takeover")
      ) return false;
    }
  }
  return true;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// When a connection ends, ws's socket listeners end streams that already
// ended (its Receiver ends itself on the close frame), and Node's streams
// answer with an error object nobody sees. Deno's node compatibility
// formats such an error's stack at once, which halved the sessions per
// second of a connect-and-close loop (measured). So while ws's `end` and
// `close` socket listeners run, errors capture no stack; the limit is back
// before any report reaches the modules, so script code never runs without
// stacks.
let savedStackLimit: number | undefined;

function quietErrors(): void {
  if (savedStackLimit !== undefined) return;
  savedStackLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
}

function loudErrors(): void {
  if (savedStackLimit === undefined) return;
  Error.stackTraceLimit = savedStackLimit;
  savedStackLimit = undefined;
}

/** One connection through `ws`; see {@link wsTransport}. */
class WsConnection extends ConnectionBase implements Connection {
  readonly transport: TransportName = "ws";
  readonly #target: DialTarget | undefined;
  readonly #compression: boolean;
  #ws: WebSocket | undefined;
  #socket: Socket | undefined;
  #bufferedAmount = 0;
  /** The 101 answer, once seen. */
  #upgrade: HandshakeResponse | undefined;
  #remoteAddress: string | undefined;
  #protocol = "";
  /** The close code of a protocol violation the peer committed (0: none). */
  #protocolStatus = 0;
  /** Why the TCP connection ended, if it ended without a close frame. */
  #endCause: CloseInfo | undefined;
  /** Ends a refused handshake whose body is being read, once. */
  #finishRefusal: (() => void) | undefined;

  constructor(options: DialOptions, handler: ConnectionHandler) {
    super(handler);
    this.#compression = options.compression;
    let target: DialTarget | undefined;
    try {
      target = dialTarget(options.url);
      this.#ws = new WebSocket(options.url, this.#clientOptions(options));
    } catch (error) {
      this.deferDialFailure(errorMessage(error));
      this.#target = target;
      return;
    }
    this.#target = target;
    const ws = this.#ws as Owned<WebSocket>;
    ws[CONNECTION] = this;
    ws.on("upgrade", WsConnection.#onUpgrade);
    ws.on("unexpected-response", WsConnection.#onRefusal);
    ws.on("open", WsConnection.#onOpen);
    ws.on("message", WsConnection.#onMessage);
    ws.on("ping", WsConnection.#onPing);
    ws.on("pong", WsConnection.#onPong);
    ws.on("error", WsConnection.#onError);
    ws.on("close", WsConnection.#onClose);
    const timeout = options.handshakeTimeoutMs;
    if (timeout > 0 && timeout <= MAX_TIMER_MS) {
      this.timer = setTimeout(
        WsConnection.#onHandshakeTimeout,
        timeout,
        this,
        timeout,
      );
    }
  }

  #clientOptions(options: DialOptions): WebSocket.ClientOptions {
    const headers = [...options.headers];
    // Sent as a header rather than through ws's protocol list: ws fails a
    // handshake whose server picks no subprotocol, gorilla (and RFC 6455)
    // accept it. The server's choice is read in #onUpgrade.
    if (options.protocols.length > 0) {
      headers.push(["Sec-WebSocket-Protocol", options.protocols.join(", ")]);
    }
    // (`closeTimeout` is newer than ws's type definitions.)
    const client: WebSocket.ClientOptions & { closeTimeout: number } = {
      headers: headerRecord(headers) as Record<string, string>,
      perMessageDeflate: options.compression ? DEFLATE_OPTIONS : false,
      maxPayload: options.maxPayload,
      autoPong: true,
      followRedirects: false,
      finishRequest: WsConnection.#finishRequest,
      closeTimeout: CLOSE_TIMEOUT_MS,
    };
    // TLS settings only for wss: ws and node:http copy every key of these
    // options on each dial, and a plain dial needs none of them.
    if (SECURE_SCHEME.test(options.url)) {
      Object.assign(
        client,
        nodeTlsOptions(options.tls, new URL(options.url).hostname),
        { ALPNProtocols: ["http/1.1"] },
      );
    }
    return client;
  }

  protected get unsentBytes(): number {
    return this.#bufferedAmount;
  }

  get bytesSent(): number {
    return this.#socket?.bytesWritten ?? 0;
  }

  get bytesReceived(): number {
    return this.#socket?.bytesRead ?? 0;
  }

  protected writeData(
    data: string | Uint8Array,
    written: Written | undefined,
  ): void {
    const ws = this.#ws;
    if (this.state !== OPEN || ws === undefined || ws.readyState !== WS_OPEN) {
      this.refuseWrite(written);
      return;
    }
    if (typeof data === "string") {
      const bytes = Buffer.from(data);
      this.#bufferedAmount += bytes.byteLength;
      this.writes.push(bytes.byteLength, written);
      ws.send(bytes, TEXT_FRAME, this.#onWritten);
      return;
    }
    this.#bufferedAmount += data.byteLength;
    this.writes.push(data.byteLength, written);
    ws.send(data, this.#onWritten);
  }

  protected writePing(payload: Uint8Array, written: Written | undefined): void {
    if (payload.byteLength > 125) {
      throw new RangeError(
        `A ping payload is ${payload.byteLength} bytes long: at most 125 are allowed`,
      );
    }
    const ws = this.#ws;
    if (this.state !== OPEN || ws === undefined || ws.readyState !== WS_OPEN) {
      this.refuseWrite(written);
      return;
    }
    if (written === undefined) {
      ws.ping(payload);
      return;
    }
    this.writes.push(0, written);
    ws.ping(payload, undefined, this.#onWritten);
  }

  protected writeClose(
    code: number | undefined,
    reason: string,
    written: Written | undefined,
  ): void {
    closeReasonLength(reason);
    const ws = this.#ws;
    if (this.state === CONNECTING) {
      this.abortDial(written);
      return;
    }
    if (this.state !== OPEN || ws === undefined || ws.readyState !== WS_OPEN) {
      this.refuseWrite(written);
      return;
    }
    // Codes ws will not put on the wire (0, 1005, 1006, 2000 …) go out as a
    // frame without status code, the way gorilla sends 1005.
    const sendable = code !== undefined && isSendableCloseCode(code);
    if (written === undefined) {
      if (sendable) ws.close(code, reason);
      else ws.close();
      return;
    }
    this.#closeObservingWrite(ws, sendable ? code : undefined, reason, written);
  }

  terminate(): void {
    if (this.state === CONNECTING) {
      this.abortDial(undefined);
      return;
    }
    if (this.state !== OPEN) return;
    this.#endCause ??= {
      kind: "abnormal",
      eof: false,
      error: CONNECTION_TERMINATED,
    };
    this.#ws?.terminate();
  }

  /**
   * ws tells nobody when its close frame was written; its Sender does. The
   * Sender's `close` is wrapped for this one call to learn it.
   */
  #closeObservingWrite(
    ws: WebSocket,
    code: number | undefined,
    reason: string,
    written: Written,
  ): void {
    const sender = (ws as unknown as { _sender?: SenderInternals })._sender;
    if (sender === undefined || typeof sender.close !== "function") {
      // Unknown ws internals: report the write when the connection ends.
      this.closeWritten = written;
      ws.close(code, reason);
      return;
    }
    const close = sender.close;
    sender.close = (frameCode, data, mask, callback) =>
      close.call(sender, frameCode, data, mask, (error) => {
        callback(error);
        written(error ? networkErrorText(error, this.#target!) : undefined);
      });
    try {
      ws.close(code, reason);
    } finally {
      delete (sender as Partial<SenderInternals>).close;
      if (sender.close !== close) sender.close = close;
    }
  }

  protected dropDial(): void {
    this.#ws?.terminate();
  }

  #finish(info: CloseInfo): void {
    this.end(info, info.kind === "frame" ? CLOSE_SENT : info.error);
  }

  protected override settle(amount: number): void {
    this.#bufferedAmount -= amount;
  }

  #failDial(error: string, response: HandshakeResponse | undefined): void {
    this.#finish({ kind: "dial", error, response });
    this.#ws?.terminate();
  }

  // ws calls this in its constructor, before the connection is known.
  static #finishRequest(request: ClientRequest, ws: WebSocket): void {
    (request as ClientRequest & { [WEBSOCKET]: WebSocket })[WEBSOCKET] = ws;
    request.on("socket", WsConnection.#onRequestSocket);
    request.end();
  }

  static #onRequestSocket(
    this: ClientRequest & { [WEBSOCKET]: Owned<WebSocket> },
    socket: Owned<Socket>,
  ): void {
    socket[CONNECTION] = this[WEBSOCKET][CONNECTION];
    // A refused connection sent nothing, but Node counts the request it
    // queued in bytesWritten: the counters are read once connected only.
    if (socket.connecting) socket.once("connect", WsConnection.#onConnect);
    else socket[CONNECTION].#socket = socket;
  }

  static #onConnect(this: Owned<Socket>): void {
    this[CONNECTION].#socket = this;
  }

  // ws calls a send's callback without a receiver: this one is bound.
  readonly #onWritten = (error?: Error | null): void => {
    const writes = this.writes;
    if (writes.size === 0) return;
    this.#bufferedAmount -= writes.firstAmount;
    const written = writes.shift();
    if (written !== undefined) {
      written(error ? networkErrorText(error, this.#target!) : undefined);
    }
  };

  static #onHandshakeTimeout(connection: WsConnection, timeout: number): void {
    if (connection.state !== CONNECTING) return;
    if (connection.#finishRefusal !== undefined) {
      // The refusal arrived but its body did not: report what there is.
      connection.#finishRefusal();
      return;
    }
    connection.#failDial(handshakeTimeoutText(timeout), undefined);
  }

  static #onUpgrade(
    this: WebSocket,
    response: IncomingMessage,
  ): void {
    const connection = (this as Owned<WebSocket>)[CONNECTION];
    connection.#upgrade = handshakeResponse(response, "");
    connection.#remoteAddress = response.socket.remoteAddress;
    const chosen = response.headers["sec-websocket-protocol"];
    if (chosen !== undefined) {
      connection.#protocol = String(chosen);
      // Hidden from ws's own subprotocol check (see #clientOptions).
      delete response.headers["sec-websocket-protocol"];
    }
  }

  static #onRefusal(
    this: WebSocket,
    request: ClientRequest,
    response: IncomingMessage,
  ): void {
    const connection = (this as Owned<WebSocket>)[CONNECTION];
    if (connection.state !== CONNECTING) {
      request.destroy();
      return;
    }
    connection.#remoteAddress = response.socket?.remoteAddress;
    const chunks: Buffer[] = [];
    let length = 0;
    const finish = (): void => {
      if (connection.state !== CONNECTING) return;
      const body = Buffer.concat(chunks, length).subarray(0, MAX_BODY_BYTES);
      connection.#failDial(
        BAD_HANDSHAKE,
        handshakeResponse(response, body.toString()),
      );
    };
    connection.#finishRefusal = finish;
    response.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= MAX_BODY_BYTES) finish();
    });
    response.on("end", finish);
    response.on("close", finish);
    response.on("error", finish);
  }

  static #onOpen(
    this: WebSocket,
  ): void {
    const connection = (this as Owned<WebSocket>)[CONNECTION];
    if (connection.state !== CONNECTING) return;
    const ws = connection.#ws!;
    const response = connection.#upgrade!;
    const extensions = headerValues(response, "sec-websocket-extensions");
    if (connection.#compression && !isValidDeflateAnswer(extensions)) {
      connection.#failDial(INVALID_COMPRESSION, response);
      return;
    }
    connection.stopTimer();
    connection.state = OPEN;
    const socket = connection.#socket;
    if (socket !== undefined) {
      socket.on("end", WsConnection.#onSocketEnd);
      socket.on("error", WsConnection.#onSocketError);
      // Around ws's own listeners (registered before ours): see quietErrors.
      socket.prependListener("end", quietErrors);
      socket.on("end", loudErrors);
      socket.prependListener("close", quietErrors);
      socket.on("close", loudErrors);
    }
    connection.handler.onOpen({
      response,
      protocol: connection.#protocol || ws.protocol,
      extensions,
      remoteAddress: connection.#remoteAddress,
    });
  }

  static #onSocketEnd(
    this: Owned<Socket>,
  ): void {
    const connection = this[CONNECTION];
    connection.#endCause ??= {
      kind: "abnormal",
      eof: true,
      error: UNEXPECTED_EOF,
    };
  }

  static #onSocketError(
    this: Owned<Socket>,
    error: Error,
  ): void {
    const connection = this[CONNECTION];
    connection.#endCause ??= {
      kind: "abnormal",
      eof: false,
      error: networkErrorText(error, connection.#target!),
    };
  }

  // With the default binaryType ("nodebuffer") ws hands over one Buffer.
  static #onMessage(
    this: WebSocket,
    data: WebSocket.RawData,
    isBinary: boolean,
  ): void {
    const connection = (this as Owned<WebSocket>)[CONNECTION];
    loudErrors();
    if (connection.state !== OPEN) return;
    connection.handler.onMessage(isBinary ? data as Buffer : data.toString());
  }

  static #onPing(
    this: WebSocket,
    data: Buffer,
  ): void {
    const connection = (this as Owned<WebSocket>)[CONNECTION];
    loudErrors();
    if (connection.state === OPEN) connection.handler.onPing(data);
  }

  static #onPong(
    this: WebSocket,
    data: Buffer,
  ): void {
    const connection = (this as Owned<WebSocket>)[CONNECTION];
    loudErrors();
    if (connection.state === OPEN) connection.handler.onPong(data);
  }

  static #onError(
    this: WebSocket,
    error: Error,
  ): void {
    const connection = (this as Owned<WebSocket>)[CONNECTION];
    loudErrors();
    if (connection.state === CONNECTING) {
      connection.#failDial(...connection.#dialFailure(error));
      return;
    }
    if (connection.state !== OPEN) return;
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("WS_ERR_")) {
      connection.#protocolStatus = PROTOCOL_STATUS[code] ?? 1002;
      connection.handler.onError(
        protocolErrorText(connection.#protocolStatus, error.message),
      );
      return;
    }
    // A failure of ws's sender (e.g. deflate): ws ends the connection next.
    const text = networkErrorText(error, connection.#target!);
    connection.#endCause ??= { kind: "abnormal", eof: false, error: text };
    connection.handler.onError(text);
  }

  #dialFailure(error: Error): [string, HandshakeResponse | undefined] {
    // After the 101 answer, ws fails the handshake only for what it found
    // wrong in it (Upgrade, Sec-WebSocket-Accept, extensions).
    if (this.#upgrade === undefined) {
      return [networkErrorText(error, this.#target!), undefined];
    }
    const compression = error.message.includes("xtension");
    return [compression ? INVALID_COMPRESSION : BAD_HANDSHAKE, this.#upgrade];
  }

  static #onClose(
    this: WebSocket,
    code: number,
    reason: Buffer,
  ): void {
    const connection = (this as Owned<WebSocket>)[CONNECTION];
    loudErrors();
    if (connection.state === CONNECTING) {
      // A close without an error first: the dial ended some unforeseen way.
      connection.#finish({
        kind: "dial",
        error: UNEXPECTED_EOF,
        response: undefined,
      });
      return;
    }
    if (connection.state !== OPEN) return;
    if (connection.#protocolStatus !== 0) {
      connection.#finish({
        kind: "frame",
        code: connection.#protocolStatus,
        reason: "",
      });
    } else if (code !== 1006) {
      // ws never accepts 1006 in a frame, so any other code came in one.
      connection.#finish({ kind: "frame", code, reason: reason.toString() });
    } else {
      connection.#finish(
        connection.#endCause ?? {
          kind: "abnormal",
          eof: false,
          error: closeTimeoutText(CLOSE_TIMEOUT_MS),
        },
      );
    }
  }
}

/** The part of ws's Sender that `close` goes through. */
interface SenderInternals {
  close(
    code: number | undefined,
    data: string | Buffer | undefined,
    mask: boolean,
    callback: (error?: Error | null) => void,
  ): void;
}

/**
 * The `ws` transport. Under Node it runs every socket; under Deno the sockets
 * that need what Deno's native WebSocket cannot do (see `select.ts`).
 *
 * Behaviour worth knowing:
 * - Request headers are sent in the given order (repeated names joined the
 *   way Node joins them), then ws's own upgrade headers, then `Host` unless
 *   one was given; a `User-Agent` header is sent as given (Node adds none). Subprotocols go out as one `Sec-WebSocket-Protocol: a, b`
 *   header, and the server may pick none of them (as in gorilla).
 * - Compression offers `permessage-deflate; server_no_context_takeover;
 *   client_no_context_takeover` and compresses every message; an answer
 *   without both parameters fails the dial with
 *   `websocket: invalid compression negotiation` (response 101 attached).
 *   Without compression no extension is offered.
 * - TLS: `insecureSkipTLSVerify` accepts any certificate; `ca` adds to the
 *   default roots; ALPN is `http/1.1`.
 * - Pings are answered with a pong automatically, before `onPing`.
 * - `bytesSent`/`bytesReceived` are the TCP socket's counters (handshake
 *   included; for `wss:` the bytes the TLS layer was handed and gave back).
 * - `bufferedAmount` counts the payload bytes of `send` calls whose write
 *   has not completed.
 * - A closing handshake the peer leaves unanswered for
 *   10 s ends as `abnormal` with
 *   `websocket: close handshake timed out after 10000 ms`.
 * - Close codes ws refuses to send (outside 1000–1014 and 3000–4999, or
 *   1004–1006) are sent as a close frame without code.
 * - Protocol violations by the peer are reported through `onError`
 *   (`websocket: read limit exceeded` for a message over `maxPayload`,
 *   `websocket: invalid UTF-8 in text frame`, `websocket: protocol error: …`),
 *   then as a `frame` close with the code the client failed the connection
 *   with (1009, 1007, 1002).
 * - Received binary messages are `Buffer`s, which may be views into a larger
 *   buffer: respect `byteOffset`.
 *
 * @example Echo one message
 * ```ts
 * import { wsTransport } from "./ws.ts";
 * import { WebSocketServer } from "ws";
 * import assert from "node:assert/strict";
 *
 * const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
 * server.on("connection", (socket) => socket.on("message", (data) => socket.send(String(data))));
 * await new Promise((resolve) => server.once("listening", resolve));
 * const { port } = server.address() as { port: number };
 *
 * const reply = await new Promise<string | Uint8Array>((resolve) => {
 *   const connection = wsTransport.dial({
 *     url: `ws://127.0.0.1:${port}/`,
 *     protocols: [],
 *     headers: [["User-Agent", "example"]],
 *     compression: false,
 *     tls: {},
 *     handshakeTimeoutMs: 5000,
 *     maxPayload: 1 << 20,
 *   }, {
 *     onOpen: () => connection.send("hello"),
 *     onMessage: (data) => {
 *       resolve(data);
 *       connection.close(1000);
 *     },
 *     onPing() {},
 *     onPong() {},
 *     onError() {},
 *     onClose() {},
 *   });
 * });
 * assert.equal(reply, "hello");
 * await new Promise((resolve) => server.close(resolve));
 * ```
 */
export const wsTransport: Transport = {
  name: "ws",
  dial(options: DialOptions, handler: ConnectionHandler): Connection {
    return new WsConnection(options, handler);
  },
};
