/**
 * The events a {@link WebSocket} dispatches, and the shapes of its
 * listeners. Every field is a getter on the event's prototype, so
 * `JSON.stringify(event)` is `{}` as in k6.
 *
 * @module
 */
import type { Blob } from "./blob.ts";
import type { WebSocket } from "./websocket.ts";

/** The event types a {@link WebSocket} dispatches. */
export type WebSocketEventType =
  | "open"
  | "message"
  | "error"
  | "close"
  | "ping"
  | "pong";

/** What every event carries; `open`, `ping` and `pong` carry nothing else. */
export interface WebSocketEvent {
  /** The event type, e.g. `"open"`. */
  readonly type: string;
  /** The socket that dispatched the event. */
  readonly target: WebSocket;
  /** When it happened: milliseconds since the Unix epoch, fractional. */
  readonly timestamp: number;
}

/** A data message (`message`). */
export interface WebSocketMessageEvent extends WebSocketEvent {
  /** `"message"`. */
  readonly type: "message";
  /**
   * The payload: a string for a text message; for a binary one a
   * {@link Blob} (binaryType `"blob"`) or an `ArrayBuffer` (`"arraybuffer"`).
   */
  readonly data: string | Blob | ArrayBuffer;
  /** The socket's `url` (the whole URL, as in k6). */
  readonly origin: string;
}

/** A failure (`error`): a dial failure, an unexpected close code, a broken connection, a listener's exception. */
export interface WebSocketErrorEvent extends WebSocketEvent {
  /** `"error"`. */
  readonly type: "error";
  /** The error text, e.g. `websocket: bad handshake` (a string, as in k6). */
  readonly error: string;
}

/** The end of the connection (`close`), dispatched once, last. */
export interface WebSocketCloseEvent extends WebSocketEvent {
  /** `"close"`. */
  readonly type: "close";
  /**
   * The close code: the peer's close frame's, 1006 for a connection that
   * ended without one, the client's own code when the connection broke after
   * `close()`; `undefined` when unknown (a dial failure, a reset).
   */
  readonly code: number | undefined;
  /** The close reason of the peer's close frame (`""` by default). */
  readonly reason: string;
  /**
   * Whether the closing handshake completed: `true` when the peer's close
   * frame arrived (whatever its code); `false` after a dial failure, a
   * connection that ended without a close frame (EOF, reset, close timeout),
   * a protocol violation by the peer, or a listener exception that made the
   * socket drop the connection. Not in k6.
   */
  readonly wasClean: boolean;
}

/** The event each event type carries. */
export interface WebSocketEventMap {
  /** The handshake succeeded. */
  open: WebSocketEvent;
  /** A data message arrived. */
  message: WebSocketMessageEvent;
  /** Something failed. */
  error: WebSocketErrorEvent;
  /** The connection is over. */
  close: WebSocketCloseEvent;
  /** The server pinged (the pong has been sent). */
  ping: WebSocketEvent;
  /** A pong arrived. */
  pong: WebSocketEvent;
}

/**
 * A listener: called with the event and `this` undefined. A returned
 * promise that rejects is reported like a thrown exception.
 */
export type WebSocketListener<E extends WebSocketEvent = WebSocketEvent> = (
  event: E,
) => unknown;
