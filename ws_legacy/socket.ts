/**
 * The socket a `connect()` callback receives.
 *
 * @module
 */
import type { SocketError } from "./socket_error.ts";

/** A handler of an event with no arguments (`open`, `ping`, `pong`). */
export type SocketEventHandler = () => void;

/**
 * The legacy socket (k6's `Socket`): register handlers with `on`, write with
 * `send`/`sendBinary`/`ping`, schedule work with the socket's own timers,
 * and `close` it. Everything runs on the event loop; the socket's handlers
 * and timers run only while it is open (see `connect` for the life cycle).
 *
 * @example Echo, ping, and close after a while
 * ```ts
 * import { connect } from "./connect.ts";
 * import type { Socket } from "./socket.ts";
 * import { WebSocketServer } from "ws";
 * import assert from "node:assert/strict";
 *
 * const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
 * server.on("connection", (peer) => peer.on("message", (data) => peer.send(String(data))));
 * await new Promise((resolve) => server.once("listening", resolve));
 * const { port } = server.address() as { port: number };
 *
 * const events: string[] = [];
 * await connect(`ws://127.0.0.1:${port}/`, (socket: Socket) => {
 *   socket.on("open", () => socket.send("hello"));
 *   socket.on("message", (data) => {
 *     events.push(`message ${data}`);
 *     socket.ping();
 *   });
 *   socket.on("pong", () => socket.setTimeout(() => socket.close(1000), 10));
 *   socket.on("close", (code) => events.push(`close ${code}`));
 * });
 * assert.deepEqual(events, ["message hello", "close 1000"]);
 * await new Promise((resolve) => server.close(resolve));
 * ```
 */
export interface Socket {
  /**
   * Adds a handler for an event. Any name is accepted (unknown ones never
   * fire); a handler that is not a function is ignored; several handlers of
   * one event run in the order they were added. Handlers cannot be removed.
   *
   * | Event | Handler arguments | When |
   * | --- | --- | --- |
   * | `open` | — | once, right after the `connect` callback returned |
   * | `message` | text (string) | a text message arrived |
   * | `binaryMessage` | bytes (ArrayBuffer) | a binary message arrived |
   * | `ping` | — | the server pinged (the pong is already sent) |
   * | `pong` | — | a pong arrived |
   * | `close` | close code (number) | once, inside the close procedure |
   * | `error` | {@link SocketError} | a failed write, or the server closed with a code other than 1000/1001 or dropped the connection |
   *
   * A handler that throws closes the socket with code 1001 and makes
   * `connect`'s promise reject with that exception.
   *
   * @param event The event name.
   * @param handler Called with the event's arguments, `this` undefined.
   */
  on(event: "open" | "ping" | "pong", handler: SocketEventHandler): void;
  /**
   * Adds a handler for text messages.
   *
   * @param event `"message"`.
   * @param handler Called with the text.
   */
  on(event: "message", handler: (data: string) => void): void;
  /**
   * Adds a handler for binary messages.
   *
   * @param event `"binaryMessage"`.
   * @param handler Called with a copy of the message bytes.
   */
  on(event: "binaryMessage", handler: (data: ArrayBuffer) => void): void;
  /**
   * Adds a handler for the end of the connection.
   *
   * @param event `"close"`.
   * @param handler Called with the close code.
   */
  on(event: "close", handler: (code: number) => void): void;
  /**
   * Adds a handler for errors.
   *
   * @param event `"error"`.
   * @param handler Called with the error; `e.error()` is its text.
   */
  on(event: "error", handler: (error: SocketError) => void): void;
  /**
   * Adds a handler for any other event name (it never fires).
   *
   * @param event The event name.
   * @param handler Ignored unless a function.
   */
  on(event: string, handler: (...args: never[]) => unknown): void;

  /**
   * Sends a text message: `String(data)`, and `""` for `undefined`/`null`.
   * Counts one `ws_msgs_sent` even when the write fails. A write after the
   * socket closed does not throw: `error` handlers get
   * `websocket: close sent`.
   *
   * @param data The message (converted to a string).
   */
  send(data: unknown): void;

  /**
   * Sends a binary message. Counts one `ws_msgs_sent`; write failures go to
   * `error` handlers as with {@link Socket.send}.
   *
   * @param data The bytes: an `ArrayBuffer` (not a typed array).
   * @throws {TypeError} `missing argument, expected ArrayBuffer` without an
   * argument; `expected ArrayBuffer as argument, received: <T>` for anything
   * else, `<T>` being `undefined`, `null` or the value's constructor name.
   */
  sendBinary(data: ArrayBuffer): void;

  /**
   * Sends a ping whose payload is this socket's ping counter (`"0"`, `"1"`
   * …). The matching pong emits `ws_ping` (the round trip) before `pong`
   * handlers run. After close, `error` handlers get `websocket: close sent`.
   */
  ping(): void;

  /**
   * Calls `callback` once after `delayMs`, if the socket is still open
   * then. There is no way to cancel it; closing the socket does.
   *
   * @param callback The function (called with `this` undefined).
   * @param delayMs Milliseconds (> 0; fractions allowed).
   * @throws {RangeError} `setTimeout requires a >0 timeout parameter,
   * received <delay with 2 decimals>` for a delay that is not positive.
   * @throws {TypeError} When `callback` is not a function.
   */
  setTimeout(callback: () => void, delayMs: number): void;

  /**
   * Calls `callback` every `delayMs` while the socket is open.
   *
   * @param callback The function (called with `this` undefined).
   * @param delayMs Milliseconds (> 0; fractions allowed).
   * @throws {RangeError} `setInterval requires a >0 timeout parameter,
   * received <delay with 2 decimals>` for a delay that is not positive.
   * @throws {TypeError} When `callback` is not a function.
   */
  setInterval(callback: () => void, delayMs: number): void;

  /**
   * Closes the socket, once (later calls do nothing): writes a close frame,
   * runs the `close` handlers right away (code after `close()` runs after
   * them), then drops the TCP connection without waiting for the server's
   * answer. Timers stop; no further events arrive.
   *
   * Without an argument the code is 1001 (going away). An argument is
   * truncated to an integer and not validated: `close(undefined)` passes 0
   * to the handlers as in k6 (a close frame without status code goes on the
   * wire, since 0 cannot be sent).
   *
   * @param code The close code.
   */
  close(code?: number): void;
}
