/**
 * {@link WebSocket}: k6's standard WebSocket (`k6/websockets`) on wsload's
 * transports, with k6's metrics. This class checks a script's arguments;
 * the socket's work is in `_socket_core.ts`.
 *
 * @module
 */
import { MAX_CLOSE_REASON_BYTES, utf8Length } from "../transport/wire_size.ts";
import { goTypeName } from "../internal/go_type.ts";
import { Blob, blobBytes } from "./blob.ts";
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
  eventIndex,
  ON_CLOSE,
  ON_ERROR,
  ON_MESSAGE,
  ON_OPEN,
  ON_PING,
  ON_PONG,
} from "./_listeners.ts";
import {
  CLOSED,
  CLOSING,
  CONNECTING,
  OPEN,
  SocketCore,
} from "./_socket_core.ts";
import type { WebSocketParams } from "./params.ts";

const STATE_NAMES = ["CONNECTING", "OPEN", "CLOSING", "CLOSED"];

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

  readonly #core: SocketCore;

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
    this.#core = new SocketCore(this, url, protocols, params);
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
    return this.#core.url.href;
  }

  /** 0 CONNECTING, 1 OPEN, 2 CLOSING, 3 CLOSED. */
  get readyState(): number {
    return this.#core.readyState;
  }

  /** Payload bytes passed to `send()` and not yet written. */
  get bufferedAmount(): number {
    return this.#core.connection?.bufferedAmount ?? 0;
  }

  /** The subprotocol the server chose (`""` until, or unless, one is). */
  get protocol(): string {
    return this.#core.protocol;
  }

  /**
   * The negotiated extensions: the values of the response's
   * `Sec-WebSocket-Extensions` lines (an array, as in k6; empty when none).
   */
  get extensions(): readonly string[] {
    return this.#core.extensions;
  }

  /** How binary messages arrive: `"blob"` (the default) or `"arraybuffer"`. */
  get binaryType(): "blob" | "arraybuffer" {
    return this.#core.binaryType;
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
    this.#core.binaryType = type;
  }

  /** The `open` on-slot handler, or `null`. */
  get onopen(): WebSocketListener<WebSocketEvent> | null {
    return this.#core.listeners.slot(ON_OPEN);
  }

  /**
   * Sets (a function) or clears (`null`/`undefined`) the `open` on-slot.
   *
   * @throws {TypeError} `a value for 'onopen' should be callable`.
   */
  set onopen(handler: WebSocketListener<WebSocketEvent> | null | undefined) {
    this.#core.listeners.setSlot(ON_OPEN, handler);
  }

  /** The `message` on-slot handler, or `null`. */
  get onmessage(): WebSocketListener<WebSocketMessageEvent> | null {
    return this.#core.listeners.slot(ON_MESSAGE);
  }

  /**
   * Sets (a function) or clears (`null`/`undefined`) the `message` on-slot.
   *
   * @throws {TypeError} `a value for 'onmessage' should be callable`.
   */
  set onmessage(
    handler: WebSocketListener<WebSocketMessageEvent> | null | undefined,
  ) {
    this.#core.listeners.setSlot(ON_MESSAGE, handler);
  }

  /** The `error` on-slot handler, or `null`. */
  get onerror(): WebSocketListener<WebSocketErrorEvent> | null {
    return this.#core.listeners.slot(ON_ERROR);
  }

  /**
   * Sets (a function) or clears (`null`/`undefined`) the `error` on-slot.
   *
   * @throws {TypeError} `a value for 'onerror' should be callable`.
   */
  set onerror(
    handler: WebSocketListener<WebSocketErrorEvent> | null | undefined,
  ) {
    this.#core.listeners.setSlot(ON_ERROR, handler);
  }

  /** The `close` on-slot handler, or `null`. */
  get onclose(): WebSocketListener<WebSocketCloseEvent> | null {
    return this.#core.listeners.slot(ON_CLOSE);
  }

  /**
   * Sets (a function) or clears (`null`/`undefined`) the `close` on-slot.
   *
   * @throws {TypeError} `a value for 'onclose' should be callable`.
   */
  set onclose(
    handler: WebSocketListener<WebSocketCloseEvent> | null | undefined,
  ) {
    this.#core.listeners.setSlot(ON_CLOSE, handler);
  }

  /** The `ping` on-slot handler, or `null`. */
  get onping(): WebSocketListener<WebSocketEvent> | null {
    return this.#core.listeners.slot(ON_PING);
  }

  /**
   * Sets (a function) or clears (`null`/`undefined`) the `ping` on-slot.
   *
   * @throws {TypeError} `a value for 'onping' should be callable`.
   */
  set onping(handler: WebSocketListener<WebSocketEvent> | null | undefined) {
    this.#core.listeners.setSlot(ON_PING, handler);
  }

  /** The `pong` on-slot handler, or `null`. */
  get onpong(): WebSocketListener<WebSocketEvent> | null {
    return this.#core.listeners.slot(ON_PONG);
  }

  /**
   * Sets (a function) or clears (`null`/`undefined`) the `pong` on-slot.
   *
   * @throws {TypeError} `a value for 'onpong' should be callable`.
   */
  set onpong(handler: WebSocketListener<WebSocketEvent> | null | undefined) {
    this.#core.listeners.setSlot(ON_PONG, handler);
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
    const core = this.#core;
    if (core.readyState !== OPEN) throw invalidState(core.readyState);
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
      core.send(data);
      return;
    } else if ((data as unknown) instanceof String) {
      payload = String(data);
    } else {
      throw new TypeError(`unsupported send type ${goTypeName(data)}`);
    }
    core.send(payload);
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
    const core = this.#core;
    if (core.readyState !== OPEN) throw invalidState(core.readyState);
    core.ping();
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
    const state = this.#core.readyState;
    if (state === CLOSING || state === CLOSED) return;
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
    this.#core.startClosing(closeCode || 1000, text);
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
      this.#core.context.warn(
        `can't add event handler: unknown event type: ${String(type)}`,
      );
      return;
    }
    this.#core.listeners.add(index, handler);
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
      this.#core.context.warn(
        `can't remove event handler: unknown event type: ${String(type)}`,
      );
      return;
    }
    if (typeof handler === "function") {
      this.#core.listeners.remove(index, handler);
    }
  }
}
