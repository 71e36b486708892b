/**
 * {@link WebSocket}: k6's standard WebSocket (`k6/websockets`) on wsload's
 * transports, with k6's metrics.
 *
 * @module
 */
import type { CookieJar } from "../http/cookie_jar.ts";
import { cookieJar } from "../http/default_jar.ts";
import {
  WS_MSGS_RECEIVED,
  WS_MSGS_SENT,
  WS_SESSION_DURATION,
} from "../metrics/builtin.ts";
import {
  type Context,
  currentContext,
  DEFAULT_OPTIONS,
} from "../metrics/context.ts";
import { now } from "../metrics/sample.ts";
import {
  CLOSED_WHILE_CONNECTING,
  closeErrorText,
  MALFORMED_URL,
} from "../transport/close_text.ts";
import { SocketSession } from "../session/socket_session.ts";
import { buildRequestHeaders } from "../transport/request.ts";
import {
  loadTransport,
  readyTransport,
  selectTransport,
  type TransportNeeds,
} from "../transport/select.ts";
import type {
  CloseInfo,
  Connection,
  ConnectionHandler,
  HandshakeResponse,
  OpenInfo,
  TlsOptions,
  Transport,
  TransportName,
} from "../transport/transport.ts";
import { customizesTls, tlsSettings } from "../transport/tls.ts";
import { MAX_CLOSE_REASON_BYTES, utf8Length } from "../transport/wire_size.ts";
import { Blob, blobBytes, blobFromBytes } from "./blob.ts";
import type {
  WebSocketCloseEvent,
  WebSocketErrorEvent,
  WebSocketEvent,
  WebSocketEventMap,
  WebSocketEventType,
  WebSocketListener,
  WebSocketMessageEvent,
} from "./events.ts";
import {
  SocketCloseEvent,
  SocketErrorEvent,
  SocketEvent,
  SocketMessageEvent,
} from "./_events.ts";
import { goTypeName } from "../internal/go_type.ts";
import {
  eventIndex,
  Listeners,
  ON_CLOSE,
  ON_ERROR,
  ON_MESSAGE,
  ON_OPEN,
  ON_PING,
  ON_PONG,
} from "./_listeners.ts";
import { parseParams, type SocketParams } from "./_params.ts";
import { parseWebSocketUrl, type WebSocketUrl } from "./_url.ts";
import type { WebSocketParams } from "./params.ts";

/** Ready states. */
const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;
const STATE_NAMES = ["CONNECTING", "OPEN", "CLOSING", "CLOSED"];

/** Go's text for work given up because its context was cancelled. */
const CONTEXT_CANCELED = "context canceled";

/** A dial that fails before reaching the transport, with gorilla's or Go's text. */
class DialError extends Error {}

const decoder = new TextDecoder();

const NO_EXTENSIONS: readonly string[] = Object.freeze([]);
/** A `ping(` call in a listener's source: the socket will likely ping. */

/** The platform's Blob (Node ≥ 18, Deno), accepted by `send()` besides k6's. */
const PlatformBlob: typeof globalThis.Blob | undefined =
  typeof globalThis.Blob === "function" ? globalThis.Blob : undefined;

/** What may be passed to `send()`. */
export type WebSocketData =
  | string
  | ArrayBuffer
  | ArrayBufferView
  | Blob
  | globalThis.Blob;

function invalidState(state: number): DOMException {
  return new DOMException(
    `WebSocket is not open: readyState ${state} (${STATE_NAMES[state]})`,
    "InvalidStateError",
  );
}

/** The text an `error` listener gets for a thrown value. */
function errorText(error: unknown): string {
  try {
    return String(error);
  } catch {
    return Object.prototype.toString.call(error);
  }
}

/** The message of an error, or the text of any other thrown value. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : errorText(error);
}

/** The host of a URL when it is an IP literal (what the remote address will be). */
function ipLiteral(host: string): string | undefined {
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    return end > 0 ? host.slice(1, end) : undefined;
  }
  const address = host.replace(/:[0-9]*$/, "");
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(address) ? address : undefined;
}

/**
 * Whether a view covers its whole buffer: the transports hand over fresh
 * buffers for such messages, which can be given away without a copy.
 */
function coversItsBuffer(bytes: Uint8Array): boolean {
  return bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength;
}

/** Exactly the viewed bytes, as an ArrayBuffer the caller may keep. */
function ownArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return coversItsBuffer(bytes)
    ? bytes.buffer as ArrayBuffer
    : new Uint8Array(bytes).buffer;
}

/**
 * Exactly the viewed bytes, in a plain Uint8Array nobody else holds (not a
 * Node Buffer, whose `slice()` shares memory).
 */
function ownBytes(bytes: Uint8Array): Uint8Array {
  return coversItsBuffer(bytes)
    ? new Uint8Array(bytes.buffer)
    : new Uint8Array(bytes);
}

/**
 * k6's standard WebSocket (`k6/websockets`): the WHATWG API with k6's
 * additions (`ping()`, `ping`/`pong` events, params for headers, tags,
 * cookies and compression) and k6's metrics (`ws_sessions`,
 * `ws_connecting`, `ws_session_duration`, `ws_msgs_sent`,
 * `ws_msgs_received`, `ws_ping`), recorded into the context the socket was
 * created in.
 *
 * The constructor returns at once with `readyState` 0; the handshake starts
 * right after the constructor's synchronous turn, so listeners registered
 * synchronously after `new WebSocket()` decide which transport carries the
 * socket (see the module documentation). Failures never throw: they arrive
 * as an `error` event followed by a `close` event.
 *
 * @example Echo a message
 * ```ts
 * import { WebSocket } from "./websocket.ts";
 * import { startServer } from "../server/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const server = await startServer();
 * const ws = new WebSocket(`${server.url}/ws-echo`);
 * ws.onopen = () => ws.send("hello");
 * const echo = await new Promise((resolve) => {
 *   ws.onmessage = (event) => {
 *     resolve(event.data);
 *     ws.close();
 *   };
 * });
 * await new Promise((resolve) => ws.addEventListener("close", resolve));
 * await server.close();
 * assert.equal(echo, "hello");
 * ```
 */
export class WebSocket {
  /** `readyState` while the handshake runs. */
  static readonly CONNECTING: 0 = CONNECTING;
  /** `readyState` while messages flow. */
  static readonly OPEN: 1 = OPEN;
  /** `readyState` after `close()`, until the connection ended. */
  static readonly CLOSING: 2 = CLOSING;
  /** `readyState` once the connection ended. */
  static readonly CLOSED: 3 = CLOSED;

  readonly #url: WebSocketUrl;
  readonly #protocols: readonly string[];
  readonly #params: SocketParams;
  readonly #context: Context;
  readonly #jar: CookieJar;
  /** When the constructor ran (ms since the epoch): `ws_session_duration` counts from here. */
  readonly #startedAt: number;
  /** Keeps the context's iteration alive until the last event. */
  readonly #release: () => void;
  #stopCancel: () => void;
  #readyState = CONNECTING;
  #binaryType: "blob" | "arraybuffer" = "blob";
  #protocol = "";
  #extensions: readonly string[] = NO_EXTENSIONS;
  /** The on-slot handlers and added listeners of each event type. */
  readonly #listeners: Listeners = new Listeners({
    rejected: (error) => this.#reportError(error),
    queue: () => this.#context.root.eventQueue,
    resume: (rest) => this.#inContext(rest, undefined),
  });
  #connection: Connection | undefined;
  /** Tags, cookies and k6's samples of the socket (made in the constructor). */
  #record!: SocketSession;
  #opened = false;
  /**
   * Why the dial must not start or must stop: the context was cancelled
   * (`context canceled`) or `close()` was called (`CLOSED_WHILE_CONNECTING`).
   */
  #abortedWith: string | undefined;
  /** The code and reason of the close event (0: unknown). */
  #closeCode = 0;
  #closeReason = "";
  /** The reason given to `close()` while the open event waited for the VU. */
  #pendingReason = "";
  /** A transport error waiting for the end of the connection to be dispatched. */
  #pendingError: string | undefined;
  #closeDispatched = false;
  #transportDone = false;
  /** The handshake succeeded (its `open` event may still wait for the VU). */
  #transportOpen = false;
  /** The TLS settings, computed once (transport choice and dial). */
  #tlsOptions: TlsOptions | undefined;

  /**
   * Creates the socket and starts connecting (after the current synchronous
   * turn).
   *
   * @param url A `ws:` or `wss:` URL without fragment (parsed as Go does;
   * `ws.url` shows it re-serialised).
   * @param protocols Subprotocols to request: a string, or an array whose
   * elements are `String()`-ed; anything else is ignored.
   * @param params Headers, tags, cookie jar, compression, and wsload's
   * transport, handshake timeout, message size limit and TLS settings.
   * @throws {TypeError} `WebSocket requires a url`; `unknown WebSocket's
   * option <key>`; `unsupported compression algorithm '<value>', supported
   * algorithm is 'deflate'`; `invalid WebSocket tags option: …`; an invalid
   * `transport` or `tls`, or `transport: "native"` where it cannot serve.
   * @throws {SyntaxError} `WebSocket requires valid url, but got "<url>"
   * which resulted in <error>`; `WebSocket requires url with scheme ws or
   * wss, but got "<scheme>"`; `WebSocket requires no url fragment, but got
   * "<fragment>"`.
   * @throws {RangeError} An invalid `handshakeTimeout` or `maxPayload`.
   */
  constructor(
    url: string | URL,
    protocols?: string | readonly string[] | null,
    params?: WebSocketParams | null,
  ) {
    this.#url = parseWebSocketUrl(url);
    this.#params = parseParams(params);
    this.#protocols =
      typeof protocols === "string" || protocols instanceof String
        ? [String(protocols)]
        : Array.isArray(protocols)
        ? protocols.map(String)
        : [];
    const context = currentContext();
    this.#context = context;
    // Refuse a forced transport that cannot serve now, not as a dial failure.
    if (this.#params.transport !== undefined) {
      selectTransport(this.#needs(false));
    }
    this.#jar = this.#params.jar ?? cookieJar();
    this.#record = new SocketSession({
      context,
      url: this.#url.href,
      tags: this.#params.tags,
      jar: this.#jar,
      nameTag: true,
    });
    this.#startedAt = now();
    this.#release = context.hold();
    this.#stopCancel = context.onCancel(this.#onAbort);
    // Dial from the iteration's top level: the transport's callbacks then
    // carry the context the listeners run in, so dispatching needs no
    // AsyncLocalStorage run() per event (≈300 ns under Deno).
    const root = context.root;
    queueMicrotask(() => root.run(() => this.#dial()));
  }

  /** `0`: the handshake runs. */
  get CONNECTING(): 0 {
    return CONNECTING;
  }

  /** `1`: messages flow. */
  get OPEN(): 1 {
    return OPEN;
  }

  /** `2`: `close()` was called, the connection has not ended yet. */
  get CLOSING(): 2 {
    return CLOSING;
  }

  /** `3`: the connection ended. */
  get CLOSED(): 3 {
    return CLOSED;
  }

  /** The URL as Go re-serialises it (`ws://host:port` keeps no trailing slash). */
  get url(): string {
    return this.#url.href;
  }

  /** 0 CONNECTING, 1 OPEN, 2 CLOSING, 3 CLOSED. */
  get readyState(): number {
    return this.#readyState;
  }

  /** Payload bytes passed to `send()` and not yet written. */
  get bufferedAmount(): number {
    return this.#connection?.bufferedAmount ?? 0;
  }

  /** The subprotocol the server chose (`""` until, or unless, one is). */
  get protocol(): string {
    return this.#protocol;
  }

  /**
   * The negotiated extensions: the values of the response's
   * `Sec-WebSocket-Extensions` lines (an array, as in k6; empty when none).
   */
  get extensions(): readonly string[] {
    return this.#extensions;
  }

  /** How binary messages arrive: `"blob"` (the default) or `"arraybuffer"`. */
  get binaryType(): "blob" | "arraybuffer" {
    return this.#binaryType;
  }

  /**
   * Sets how binary messages arrive.
   *
   * @throws {TypeError} `unknown binaryType <value>, the supported ones are
   * "blob" and "arraybuffer"` (the value stays unchanged).
   */
  set binaryType(value: "blob" | "arraybuffer") {
    const type = value === null || value === undefined ? "" : String(value);
    if (type !== "blob" && type !== "arraybuffer") {
      throw new TypeError(
        `unknown binaryType ${type}, the supported ones are "blob" and "arraybuffer"`,
      );
    }
    this.#binaryType = type;
  }

  /** The `open` on-slot handler, or `null`. */
  get onopen(): WebSocketListener<WebSocketEvent> | null {
    return this.#listeners.slot(ON_OPEN);
  }

  /**
   * Sets (a function) or clears (`null`/`undefined`) the `open` on-slot.
   *
   * @throws {TypeError} `a value for 'onopen' should be callable`.
   */
  set onopen(handler: WebSocketListener<WebSocketEvent> | null | undefined) {
    this.#listeners.setSlot(ON_OPEN, handler);
  }

  /** The `message` on-slot handler, or `null`. */
  get onmessage(): WebSocketListener<WebSocketMessageEvent> | null {
    return this.#listeners.slot(ON_MESSAGE);
  }

  /**
   * Sets (a function) or clears (`null`/`undefined`) the `message` on-slot.
   *
   * @throws {TypeError} `a value for 'onmessage' should be callable`.
   */
  set onmessage(
    handler: WebSocketListener<WebSocketMessageEvent> | null | undefined,
  ) {
    this.#listeners.setSlot(ON_MESSAGE, handler);
  }

  /** The `error` on-slot handler, or `null`. */
  get onerror(): WebSocketListener<WebSocketErrorEvent> | null {
    return this.#listeners.slot(ON_ERROR);
  }

  /**
   * Sets (a function) or clears (`null`/`undefined`) the `error` on-slot.
   *
   * @throws {TypeError} `a value for 'onerror' should be callable`.
   */
  set onerror(
    handler: WebSocketListener<WebSocketErrorEvent> | null | undefined,
  ) {
    this.#listeners.setSlot(ON_ERROR, handler);
  }

  /** The `close` on-slot handler, or `null`. */
  get onclose(): WebSocketListener<WebSocketCloseEvent> | null {
    return this.#listeners.slot(ON_CLOSE);
  }

  /**
   * Sets (a function) or clears (`null`/`undefined`) the `close` on-slot.
   *
   * @throws {TypeError} `a value for 'onclose' should be callable`.
   */
  set onclose(
    handler: WebSocketListener<WebSocketCloseEvent> | null | undefined,
  ) {
    this.#listeners.setSlot(ON_CLOSE, handler);
  }

  /** The `ping` on-slot handler, or `null`. */
  get onping(): WebSocketListener<WebSocketEvent> | null {
    return this.#listeners.slot(ON_PING);
  }

  /**
   * Sets (a function) or clears (`null`/`undefined`) the `ping` on-slot.
   *
   * @throws {TypeError} `a value for 'onping' should be callable`.
   */
  set onping(handler: WebSocketListener<WebSocketEvent> | null | undefined) {
    this.#listeners.setSlot(ON_PING, handler);
  }

  /** The `pong` on-slot handler, or `null`. */
  get onpong(): WebSocketListener<WebSocketEvent> | null {
    return this.#listeners.slot(ON_PONG);
  }

  /**
   * Sets (a function) or clears (`null`/`undefined`) the `pong` on-slot.
   *
   * @throws {TypeError} `a value for 'onpong' should be callable`.
   */
  set onpong(handler: WebSocketListener<WebSocketEvent> | null | undefined) {
    this.#listeners.setSlot(ON_PONG, handler);
  }

  /** `"WebSocket"`, so that `String(ws)` is `[object WebSocket]`. */
  get [Symbol.toStringTag](): string {
    return "WebSocket";
  }

  /**
   * Sends a message: a string as a text frame; an `ArrayBuffer`, any
   * `ArrayBufferView` (exactly the viewed bytes) or a Blob (k6's or the
   * platform's) as a binary frame. Messages go out in call order; a platform
   * Blob's bytes are read asynchronously, and later writes wait for them.
   *
   * @param data The message.
   * @throws {DOMException} `InvalidStateError` unless `readyState` is 1.
   * @throws {TypeError} `unsupported send type <Go type>` (e.g. `int64` for
   * `123`, `float64` for `1.5`, `bool`, `<nil>`, `map[string]interface {}`,
   * `[]interface {}`).
   *
   * @example Text and binary
   * ```ts
   * import { WebSocket } from "./websocket.ts";
   * import { startServer } from "../server/mod.ts";
   *
   * const server = await startServer();
   * const ws = new WebSocket(`${server.url}/ws-echo-multi`);
   * ws.onopen = () => {
   *   ws.send("text");
   *   ws.send(new Uint8Array([1, 2, 3]).subarray(1)); // 2 bytes
   *   ws.close();
   * };
   * await new Promise((resolve) => ws.addEventListener("close", resolve));
   * await server.close();
   * ```
   */
  send(data: WebSocketData): void {
    if (this.#readyState !== OPEN) throw invalidState(this.#readyState);
    let payload: string | Uint8Array;
    if (typeof data === "string") {
      payload = data;
    } else if (data instanceof ArrayBuffer) {
      payload = new Uint8Array(data);
    } else if (ArrayBuffer.isView(data)) {
      payload = data instanceof Uint8Array
        ? data
        : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    } else if (data instanceof Blob) {
      payload = blobBytes(data);
    } else if (PlatformBlob !== undefined && data instanceof PlatformBlob) {
      // The connection's writer reads it, and later writes wait for it.
      this.#connection!.send(data, this.#onFrameWritten);
      return;
    } else if ((data as unknown) instanceof String) {
      payload = String(data);
    } else {
      throw new TypeError(`unsupported send type ${goTypeName(data)}`);
    }
    this.#connection!.send(payload, this.#onFrameWritten);
  }

  /**
   * Sends a ping whose payload is this socket's counter (`"0"`, `"1"`, …);
   * the matching pong records `ws_ping` (the round trip) before the `pong`
   * event.
   *
   * @throws {DOMException} `InvalidStateError` unless `readyState` is 1;
   * `NotSupportedError` on the native transport (Deno's WebSocket cannot
   * ping: see the module documentation).
   *
   * @example Measure one round trip
   * ```ts
   * import { WebSocket } from "./websocket.ts";
   * import { startServer } from "../server/mod.ts";
   *
   * const server = await startServer();
   * const ws = new WebSocket(`${server.url}/ws-echo`);
   * ws.onopen = () => ws.ping();
   * ws.onpong = () => ws.close();
   * await new Promise((resolve) => ws.addEventListener("close", resolve));
   * await server.close();
   * ```
   */
  ping(): void {
    if (this.#readyState !== OPEN) throw invalidState(this.#readyState);
    const connection = this.#connection!;
    // Deno's WebSocket cannot ping: the native transport always throws its
    // explanation, before a ping is counted.
    if (connection.transport === "native") connection.ping(new Uint8Array());
    connection.ping(this.#record.nextPing(), this.#onFrameWritten);
  }

  /**
   * Starts the closing handshake: `readyState` becomes 2 and a close frame
   * is sent. The `close` event comes when the server's close frame (or the
   * end of the connection) arrives, with the server's code and reason. While
   * connecting, the dial is given up at once, as the WHATWG algorithm fails
   * the connection: an `error` event (`websocket: closed while connecting`),
   * then `close` with code 1006 (k6 instead blocks the VU until the dial
   * ends). Does nothing while closing or closed.
   *
   * @param code 1000 (the default; also for `0`, `null`, `undefined`) or
   * 3000–4999.
   * @param reason At most 123 UTF-8 bytes (default `""`).
   * @throws {DOMException} `InvalidAccessError` (`Failed to execute 'close'
   * on 'WebSocket': The close code must be either 1000, or between 3000 and
   * 4999. <code> is neither`) or `SyntaxError` (`Failed to execute 'close' on
   * 'WebSocket': The message must not be greater than 123 bytes`).
   *
   * @example Close with an application code
   * ```ts
   * import { WebSocket } from "./websocket.ts";
   * import { startServer } from "../server/mod.ts";
   * import assert from "node:assert/strict";
   *
   * const server = await startServer();
   * const ws = new WebSocket(`${server.url}/ws-echo`);
   * ws.onopen = () => ws.close(4000, "done");
   * const code = await new Promise((resolve) => {
   *   ws.onclose = (event) => resolve(event.code);
   * });
   * await server.close();
   * assert.equal(code, 4000);
   * ```
   */
  close(code?: number | null, reason?: string | null): void {
    if (this.#readyState === CLOSING || this.#readyState === CLOSED) return;
    const closeCode = code === undefined || code === null
      ? 0
      : Math.trunc(Number(code)) || 0;
    if (
      closeCode !== 0 && closeCode !== 1000 &&
      (closeCode < 3000 || closeCode > 4999)
    ) {
      throw new DOMException(
        "Failed to execute 'close' on 'WebSocket': The close code must be " +
          `either 1000, or between 3000 and 4999. ${closeCode} is neither`,
        "InvalidAccessError",
      );
    }
    const text = reason === undefined || reason === null ? "" : String(reason);
    if (utf8Length(text) > MAX_CLOSE_REASON_BYTES) {
      throw new DOMException(
        "Failed to execute 'close' on 'WebSocket': The message must not be " +
          `greater than ${MAX_CLOSE_REASON_BYTES} bytes`,
        "SyntaxError",
      );
    }
    this.#startClosing(closeCode || 1000, text);
  }

  /**
   * Adds a listener. The on-slot handler of a type runs first, then the
   * added listeners in the order they were added; the same function added
   * twice runs twice. An unknown type logs the warning `can't add event
   * handler: unknown event type: <type>` and adds nothing.
   *
   * @param type `open`, `message`, `error`, `close`, `ping` or `pong`.
   * @param handler Called with the event and `this` undefined.
   * @param _options Ignored (as in k6).
   * @throws {TypeError} `handler for event type "<type>" isn't a callable
   * function`.
   *
   * @example Two listeners
   * ```ts
   * import { WebSocket } from "./websocket.ts";
   * import { startServer } from "../server/mod.ts";
   *
   * const server = await startServer();
   * const ws = new WebSocket(`${server.url}/ws-close`);
   * ws.addEventListener("close", (event) => console.log("closed", event.code));
   * ws.addEventListener("close", () => console.log("done"));
   * await new Promise((resolve) => ws.addEventListener("close", resolve));
   * await server.close();
   * ```
   */
  addEventListener<K extends WebSocketEventType>(
    type: K,
    handler: WebSocketListener<WebSocketEventMap[K]>,
    _options?: unknown,
  ): void;
  /**
   * Adds a listener for a type given as a string (unknown types log a
   * warning and add nothing).
   *
   * @param type The event type.
   * @param handler Called with the event and `this` undefined.
   * @param _options Ignored (as in k6).
   * @throws {TypeError} `handler for event type "<type>" isn't a callable
   * function`.
   */
  addEventListener(
    type: string,
    handler: WebSocketListener<WebSocketEvent>,
    _options?: unknown,
  ): void;
  addEventListener(
    type: string,
    handler: WebSocketListener<WebSocketEvent>,
    _options?: unknown,
  ): void {
    if (typeof handler !== "function") {
      throw new TypeError(
        `handler for event type ${
          JSON.stringify(String(type))
        } isn't a callable function`,
      );
    }
    const index = eventIndex(type);
    if (index < 0) {
      this.#context.warn(
        `can't add event handler: unknown event type: ${String(type)}`,
      );
      return;
    }
    this.#listeners.add(index, handler);
  }

  /**
   * Removes every added listener of a type that is `handler` (not the
   * on-slot handler). Values that are not functions are ignored; an unknown
   * type logs the warning `can't remove event handler: unknown event type:
   * <type>`. Not in k6 (proposed in k6 PR #6237).
   *
   * @param type The event type.
   * @param handler The listener to remove.
   *
   * @example Stop listening
   * ```ts
   * import { WebSocket } from "./websocket.ts";
   * import { startServer } from "../server/mod.ts";
   *
   * const server = await startServer();
   * const ws = new WebSocket(`${server.url}/ws-close`);
   * const log = () => console.log("never called");
   * ws.addEventListener("open", log);
   * ws.removeEventListener("open", log);
   * await new Promise((resolve) => ws.addEventListener("close", resolve));
   * await server.close();
   * ```
   */
  removeEventListener(type: string, handler: unknown): void {
    const index = eventIndex(type);
    if (index < 0) {
      this.#context.warn(
        `can't remove event handler: unknown event type: ${String(type)}`,
      );
      return;
    }
    if (typeof handler === "function") this.#listeners.remove(index, handler);
  }

  readonly #failIfThrew = (ok: boolean, error?: unknown): void => {
    if (!ok) this.#failFromListener(error);
  };

  readonly #reportIfThrew = (ok: boolean, error?: unknown): void => {
    if (!ok) this.#reportError(error);
  };

  readonly #reportError = (error: unknown): void => {
    this.#context.reportError(error);
  };

  /** What the socket needs from its transport. */
  #needs(dialing: boolean): TransportNeeds {
    const params = this.#params;
    const options = this.#context.options;
    return {
      forced: params.transport,
      needsControlFrames: dialing &&
        this.#mayPing(),
      compression: params.compression,
      tls: this.#url.scheme === "wss" && customizesTls(this.#tls()),
      needsResponse: params.jar !== undefined,
      customHostOrUserAgent: params.setsHostOrUserAgent ||
        options.userAgent !== DEFAULT_OPTIONS.userAgent,
    };
  }

  /** The TLS settings of the dial: the test's, with the `tls` param on top. */
  #tls(): TlsOptions {
    if (this.#tlsOptions === undefined) {
      const { insecureSkipTLSVerify, ca } = this.#params;
      this.#tlsOptions = tlsSettings(this.#context.options, {
        insecureSkipTLSVerify,
        ca,
      });
    }
    return this.#tlsOptions;
  }

  /** Whether ping or pong listeners are set (only native cannot serve them). */
  #mayPing(): boolean {
    return this.#listeners.has(ON_PING) || this.#listeners.has(ON_PONG);
  }

  /**
   * Runs after the constructor's synchronous turn: checks what k6's dialer
   * checks, picks and loads the transport, dials. Whatever goes wrong ends
   * as a dial failure (`error`, `close`), never as an exception.
   */
  #dial(): void {
    let headers: readonly (readonly [string, string])[];
    let name: TransportName;
    try {
      if (this.#abortedWith !== undefined || this.#context.signal.aborted) {
        throw new DialError(this.#abortedWith ?? CONTEXT_CANCELED);
      }
      const url = this.#url;
      if (url.hasUserInfo || url.host === "") {
        throw new DialError(MALFORMED_URL);
      }
      name = selectTransport(this.#needs(true));
      const request = buildRequestHeaders({
        userHeaders: this.#params.headers,
        userAgent: this.#context.options.userAgent,
        cookie: this.#jar.cookieHeader(url.href),
        protocolsRequested: this.#protocols.length > 0,
      });
      if (request.error !== undefined) throw new DialError(request.error);
      headers = request.headers;
    } catch (error) {
      this.#failDial(messageOf(error), undefined);
      return;
    }
    const ready = readyTransport(name);
    if (ready !== undefined) {
      this.#connect(ready, headers);
      return;
    }
    loadTransport(name).then(
      (transport) => this.#connect(transport, headers),
      (error) => this.#failDial(messageOf(error), undefined),
    );
  }

  #connect(
    transport: Transport,
    headers: readonly (readonly [string, string])[],
  ): void {
    if (this.#abortedWith !== undefined) {
      this.#failDial(this.#abortedWith, undefined);
      return;
    }
    const params = this.#params;
    this.#record.dialStarted();
    try {
      this.#connection = transport.dial({
        url: this.#url.href,
        protocols: this.#protocols,
        headers,
        compression: params.compression,
        tls: this.#tls(),
        handshakeTimeoutMs: params.handshakeTimeoutMs,
        maxPayload: params.maxPayload,
      }, this.#handler());
    } catch (error) {
      this.#failDial(messageOf(error), undefined);
    }
  }

  /**
   * The transport's reports, each run in the socket's context, through the
   * VU's event queue: while the VU is busy in a blocking call, they wait.
   * The time of arrival goes with them (`ws_connecting` ends there).
   */
  #handler(): ConnectionHandler {
    return {
      onOpen: (info) => {
        this.#transportOpen = true;
        this.#report(this.#handleOpen, info);
      },
      onMessage: (data) => this.#report(this.#handleMessage, data),
      onPing: () => this.#report(this.#handlePing, undefined),
      onPong: (payload) => this.#report(this.#handlePong, payload),
      onError: (message) => {
        if (this.#readyState !== CLOSED) this.#pendingError ??= message;
      },
      onClose: (info) => this.#report(this.#handleClose, info),
    };
  }

  #report<T>(
    handle: (this: WebSocket, argument: T, time: number) => void,
    argument: T,
  ): void {
    const time = now();
    const queue = this.#context.root.eventQueue;
    if (queue === undefined || queue.free) {
      this.#inContext(handle, argument, time);
    } else {
      queue.run(() => this.#inContext(handle, argument, time));
    }
  }

  // Listeners run at the iteration's top level, outside any group(), as in
  // k6's event loop; samples keep the socket's own tags (this.#record).
  #inContext<T>(
    report: (this: WebSocket, argument: T, time: number) => void,
    argument: T,
    time = 0,
  ) {
    const context = this.#context.root;
    if (currentContext() === context) report.call(this, argument, time);
    else context.run(() => report.call(this, argument, time));
  }

  /** Completes the tags and emits `ws_sessions` and `ws_connecting`. */
  #dialReturned(
    response: HandshakeResponse | undefined,
    status: number | undefined,
    ip: string | undefined,
    end: number,
  ): void {
    this.#record.dialEnded({
      end,
      response,
      status,
      subprotocol: this.#protocol,
      ip,
    });
  }

  #handleOpen(info: OpenInfo, time: number): void {
    this.#protocol = info.protocol;
    if (info.extensions.length > 0) {
      this.#extensions = Object.freeze([...info.extensions]);
    }
    this.#dialReturned(
      info.response,
      info.response?.status ?? 101,
      info.remoteAddress ?? ipLiteral(this.#url.host),
      time,
    );
    this.#opened = true;
    if (this.#readyState === CLOSING) {
      // close() while the open event waited: no open event, just close.
      this.#connection!.close(
        this.#closeCode,
        this.#pendingReason,
        this.#onFrameWritten,
      );
      return;
    }
    this.#readyState = OPEN;
    if (!this.#listeners.has(ON_OPEN)) return;
    this.#listeners.dispatch(
      ON_OPEN,
      new SocketEvent("open", this, now()),
      this.#failIfThrew,
    );
  }

  #handleMessage(data: string | Uint8Array, time: number): void {
    if (this.#readyState !== OPEN) return;
    this.#record.emit(WS_MSGS_RECEIVED, 1, time);
    if (!this.#listeners.has(ON_MESSAGE)) return;
    const payload = typeof data === "string"
      ? data
      : this.#binaryType === "blob"
      ? blobFromBytes(ownBytes(data))
      : ownArrayBuffer(data);
    const event = new SocketMessageEvent(this, time, payload, this.#url.href);
    this.#listeners.dispatch(ON_MESSAGE, event, this.#failIfThrew);
  }

  #handlePing(_: undefined, time: number): void {
    if (this.#readyState === CLOSED || !this.#listeners.has(ON_PING)) return;
    this.#listeners.dispatch(
      ON_PING,
      new SocketEvent("ping", this, time),
      this.#reportIfThrew,
    );
  }

  #handlePong(payload: Uint8Array, time: number): void {
    if (this.#readyState === CLOSED) return;
    if (!this.#record.pong(payload, time)) {
      this.#context.warn(
        `received pong for unknown ping ID ${decoder.decode(payload)}`,
      );
    }
    if (!this.#listeners.has(ON_PONG)) return;
    this.#listeners.dispatch(
      ON_PONG,
      new SocketEvent("pong", this, time),
      this.#reportIfThrew,
    );
  }

  /** The transport's last report: the connection is over. */
  #handleClose(info: CloseInfo): void {
    this.#transportDone = true;
    this.#record.countBytes(this.#connection);
    if (this.#readyState === CLOSED) {
      // Already closed by a listener's exception; only the bookkeeping was left.
      this.#finish();
      return;
    }
    const pendingError = this.#pendingError;
    switch (info.kind) {
      case "dial":
        this.#failDial(info.error, info.response);
        return;
      case "frame": {
        const { code, reason } = info;
        const unexpected = code !== 1000 && code !== 1001;
        this.#becomeClosed(
          pendingError ??
            (unexpected ? closeErrorText(code, reason) : undefined),
          code,
          reason,
          pendingError === undefined,
        );
        return;
      }
      case "abnormal":
        if (info.eof) {
          this.#becomeClosed(
            pendingError ?? closeErrorText(1006, info.error),
            1006,
            info.error,
            false,
          );
        } else if (this.#readyState === OPEN) {
          // A reset or another read failure the client did not ask for: as
          // the WHATWG algorithm (not k6, which reports a close without code
          // and no error): an error, then close 1006.
          this.#becomeClosed(pendingError ?? info.error, 1006, "", false);
        } else {
          this.#becomeClosed(
            pendingError,
            this.#closeCode || undefined,
            this.#closeReason,
            false,
          );
        }
        return;
    }
  }

  /** A dial that never reached the transport, or that it could not start. */
  #failDial(error: string, response: HandshakeResponse | undefined): void {
    this.#transportDone = true;
    this.#dialReturned(response, response?.status, undefined, now());
    // A dial the script gave up itself (close() while connecting) is no
    // connection failure: it gets the WHATWG close code 1006 instead of k6's
    // none.
    const closedByScript = this.#abortedWith === CLOSED_WHILE_CONNECTING;
    if (!closedByScript) {
      this.#context.reportConnectionFailure(this.#url.href, error);
    }
    this.#becomeClosed(error, closedByScript ? 1006 : undefined, "", false);
  }

  /**
   * An `open` or `message` listener threw: drop the connection, then tell
   * the `error` and `close` listeners, as k6 does.
   */
  #failFromListener(exception: unknown): void {
    this.#connection?.terminate();
    this.#becomeClosed(
      errorText(exception),
      this.#closeCode || undefined,
      this.#closeReason,
      false,
      { exception },
    );
  }

  /**
   * Enters CLOSED: records `ws_session_duration` (opened sockets only), then
   * dispatches `error` (when there is an error text) and `close` — unless an
   * `error` listener throws, which k6 lets skip the `close` listeners.
   *
   * @param cause A listener's exception that ended the socket: reported once
   * the state is CLOSED, before the events.
   */
  #becomeClosed(
    error: string | undefined,
    code: number | undefined,
    reason: string,
    wasClean: boolean,
    cause?: { readonly exception: unknown },
  ): void {
    this.#readyState = CLOSED;
    this.#closeCode = code ?? 0;
    this.#closeReason = reason;
    this.#stopCancel();
    const time = now();
    if (this.#opened) {
      this.#record.emit(WS_SESSION_DURATION, time - this.#startedAt, time);
    }
    if (cause !== undefined) this.#reportError(cause.exception);
    const dispatchClose = (): void => {
      if (!this.#listeners.has(ON_CLOSE)) {
        this.#closeDispatched = true;
        this.#finish();
        return;
      }
      const event = new SocketCloseEvent(this, time, code, reason, wasClean);
      this.#listeners.dispatch(ON_CLOSE, event, (ok, thrown) => {
        if (!ok) this.#reportError(thrown);
        this.#closeDispatched = true;
        this.#finish();
      });
    };
    if (error === undefined || !this.#listeners.has(ON_ERROR)) {
      dispatchClose();
      return;
    }
    const errorEvent = new SocketErrorEvent(this, time, error);
    this.#listeners.dispatch(ON_ERROR, errorEvent, (ok, thrown) => {
      if (ok) {
        dispatchClose();
        return;
      }
      // An error listener that throws skips the close listeners, as in k6.
      this.#reportError(thrown);
      this.#closeDispatched = true;
      this.#finish();
    });
  }

  /** Lets the iteration end once the events are dispatched and the transport is done. */
  #finish(): void {
    if (this.#closeDispatched && this.#transportDone) this.#release();
  }

  #startClosing(code: number, reason: string): void {
    this.#readyState = CLOSING;
    this.#closeCode = code;
    if (!this.#opened && this.#transportOpen) {
      // Connected, with the open event still waiting for the VU: it never
      // comes, and the close frame goes when it would have.
      this.#pendingReason = reason;
      return;
    }
    if (!this.#opened) {
      // Fail the connection at once (the dial may not even have started).
      this.#abortedWith = CLOSED_WHILE_CONNECTING;
      this.#connection?.close();
      return;
    }
    this.#connection!.close(code, reason, this.#onFrameWritten);
  }

  /** The context was cancelled: close as if by `close(1000)`, or give up the dial. */
  readonly #onAbort = (): void => {
    if (
      this.#readyState === OPEN ||
      (this.#readyState === CONNECTING && this.#transportOpen)
    ) {
      // Connected (perhaps with the open event still waiting for the VU,
      // which then never comes): close as if by close(1000).
      this.#startClosing(1000, "");
    } else if (!this.#opened && this.#readyState !== CLOSED) {
      this.#abortedWith ??= CONTEXT_CANCELED;
      this.#readyState = CLOSING;
      // While connecting, the transport gives up the dial (reported as `dial`).
      this.#connection?.close();
    }
  };

  /** Every frame written (text, binary, ping and close, as k6 counts them). */
  readonly #onFrameWritten = (error?: string): void => {
    if (error === undefined) this.#record.emit(WS_MSGS_SENT, 1);
  };
}
