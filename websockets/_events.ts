/**
 * The event objects behind the interfaces of `events.ts`: fields are
 * private and read through prototype getters, so events have no own
 * enumerable properties (k6's are non-enumerable) and cost one allocation.
 *
 * @module
 */
import type { Blob } from "./blob.ts";
import type {
  WebSocketCloseEvent,
  WebSocketErrorEvent,
  WebSocketEvent,
  WebSocketMessageEvent,
} from "./events.ts";
import type { WebSocket } from "./websocket.ts";

/**
 * An event without extra fields (`open`, `ping`, `pong`), and the base of
 * the others.
 *
 * @example An open event has no own enumerable fields
 * ```ts
 * import { SocketEvent } from "./_events.ts";
 * import type { WebSocket } from "./websocket.ts";
 * import assert from "node:assert/strict";
 *
 * const event = new SocketEvent("open", {} as WebSocket, 1.5);
 * assert.equal(event.type, "open");
 * assert.equal(JSON.stringify(event), "{}");
 * ```
 */
export class SocketEvent implements WebSocketEvent {
  readonly #type: string;
  readonly #target: WebSocket;
  readonly #timestamp: number;

  /**
   * Creates an event.
   *
   * @param type The event type.
   * @param target The socket.
   * @param timestamp Milliseconds since the epoch.
   */
  constructor(type: string, target: WebSocket, timestamp: number) {
    this.#type = type;
    this.#target = target;
    this.#timestamp = timestamp;
  }

  /** The event type. */
  get type(): string {
    return this.#type;
  }

  /** The socket. */
  get target(): WebSocket {
    return this.#target;
  }

  /** Milliseconds since the epoch. */
  get timestamp(): number {
    return this.#timestamp;
  }
}

/**
 * A `message` event.
 *
 * @example A message event
 * ```ts
 * import { SocketMessageEvent } from "./_events.ts";
 * import type { WebSocket } from "./websocket.ts";
 * import assert from "node:assert/strict";
 *
 * const event = new SocketMessageEvent({} as WebSocket, 1, "hi", "ws://h/");
 * assert.equal(event.data, "hi");
 * assert.equal(event.origin, "ws://h/");
 * ```
 */
export class SocketMessageEvent extends SocketEvent
  implements WebSocketMessageEvent {
  readonly #data: string | Blob | ArrayBuffer;
  readonly #origin: string;

  /**
   * Creates a `message` event.
   *
   * @param target The socket.
   * @param timestamp When the message arrived (ms since the epoch).
   * @param data The payload.
   * @param origin The socket's URL.
   */
  constructor(
    target: WebSocket,
    timestamp: number,
    data: string | Blob | ArrayBuffer,
    origin: string,
  ) {
    super("message", target, timestamp);
    this.#data = data;
    this.#origin = origin;
  }

  /** `"message"`. */
  override get type(): "message" {
    return "message";
  }

  /** The payload. */
  get data(): string | Blob | ArrayBuffer {
    return this.#data;
  }

  /** The socket's URL. */
  get origin(): string {
    return this.#origin;
  }
}

/**
 * An `error` event.
 *
 * @example An error event
 * ```ts
 * import { SocketErrorEvent } from "./_events.ts";
 * import type { WebSocket } from "./websocket.ts";
 * import assert from "node:assert/strict";
 *
 * const event = new SocketErrorEvent({} as WebSocket, 1, "websocket: bad handshake");
 * assert.equal(event.error, "websocket: bad handshake");
 * ```
 */
export class SocketErrorEvent extends SocketEvent
  implements WebSocketErrorEvent {
  readonly #error: string;

  /**
   * Creates an `error` event.
   *
   * @param target The socket.
   * @param timestamp Milliseconds since the epoch.
   * @param error The error text.
   */
  constructor(target: WebSocket, timestamp: number, error: string) {
    super("error", target, timestamp);
    this.#error = error;
  }

  /** `"error"`. */
  override get type(): "error" {
    return "error";
  }

  /** The error text. */
  get error(): string {
    return this.#error;
  }
}

/**
 * A `close` event.
 *
 * @example A close event
 * ```ts
 * import { SocketCloseEvent } from "./_events.ts";
 * import type { WebSocket } from "./websocket.ts";
 * import assert from "node:assert/strict";
 *
 * const event = new SocketCloseEvent({} as WebSocket, 1, 1000, "", true);
 * assert.equal(event.code, 1000);
 * assert.equal(event.wasClean, true);
 * ```
 */
export class SocketCloseEvent extends SocketEvent
  implements WebSocketCloseEvent {
  readonly #code: number | undefined;
  readonly #reason: string;
  readonly #wasClean: boolean;

  /**
   * Creates a `close` event.
   *
   * @param target The socket.
   * @param timestamp Milliseconds since the epoch.
   * @param code The close code, `undefined` when unknown.
   * @param reason The close reason.
   * @param wasClean Whether the closing handshake completed.
   */
  constructor(
    target: WebSocket,
    timestamp: number,
    code: number | undefined,
    reason: string,
    wasClean: boolean,
  ) {
    super("close", target, timestamp);
    this.#code = code;
    this.#reason = reason;
    this.#wasClean = wasClean;
  }

  /** `"close"`. */
  override get type(): "close" {
    return "close";
  }

  /** The close code, `undefined` when unknown. */
  get code(): number | undefined {
    return this.#code;
  }

  /** The close reason. */
  get reason(): string {
    return this.#reason;
  }

  /** Whether the closing handshake completed. */
  get wasClean(): boolean {
    return this.#wasClean;
  }
}
