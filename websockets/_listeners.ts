/**
 * The listeners of a k6/websockets `WebSocket` (as xk6-websockets keeps
 * them in `listeners.go`): per event type an on-slot handler (`onopen`, …)
 * and the listeners added with `addEventListener`, called in that order
 * with k6's rules, and held back while the VU is busy.
 *
 * @module
 */
import type { EventQueue } from "../context/event_queue.ts";
import type {
  WebSocketEvent,
  WebSocketEventType,
  WebSocketListener,
} from "./events.ts";

/** Event types, as indices into the tables. */
export const ON_OPEN = 0;
/** The `message` event's index. */
export const ON_MESSAGE = 1;
/** The `error` event's index. */
export const ON_ERROR = 2;
/** The `close` event's index. */
export const ON_CLOSE = 3;
/** The `ping` event's index. */
export const ON_PING = 4;
/** The `pong` event's index. */
export const ON_PONG = 5;

/** The event types, by index. */
export const EVENT_TYPES: readonly WebSocketEventType[] = [
  "open",
  "message",
  "error",
  "close",
  "ping",
  "pong",
];

/**
 * The index of an event type.
 *
 * @param type The type, as a script gave it.
 * @returns Its index, or -1 for a type k6 does not know.
 */
export function eventIndex(type: unknown): number {
  return EVENT_TYPES.indexOf(type as WebSocketEventType);
}

// deno-lint-ignore no-explicit-any
type AnyListener = WebSocketListener<any>;

/** What a dispatch needs from its socket. */
export interface DispatchSite {
  /** Hears the rejection of a listener's promise. */
  rejected(error: unknown): void;
  /** The VU's queue of the socket's events (`undefined` outside a run). */
  readonly queue: () => EventQueue | undefined;
  /** Runs the rest of an interrupted dispatch in the socket's context. */
  readonly resume: (rest: () => void) => void;
}

/**
 * Hears how a dispatch ended: `ok` false when a listener threw `error`
 * (the dispatch stops there, as in k6). Called with the dispatch's site as
 * `this`, so that one function can serve every socket.
 */
export type DispatchDone = (
  this: DispatchSite,
  ok: boolean,
  error?: unknown,
) => void;

/** The listeners of one socket; see the module doc. */
export class Listeners {
  readonly #slots: (AnyListener | null)[] = [
    null,
    null,
    null,
    null,
    null,
    null,
  ];
  /** Replaced, never changed, so that a dispatch needs no copy. */
  readonly #lists: (readonly AnyListener[] | undefined)[] = new Array(6);
  readonly #site: DispatchSite;

  /**
   * @param site What dispatches need from the socket.
   */
  constructor(site: DispatchSite) {
    this.#site = site;
  }

  /**
   * The on-slot handler of a type.
   *
   * @param index The type's index.
   * @returns The handler, or `null`.
   */
  slot(index: number): AnyListener | null {
    return this.#slots[index];
  }

  /**
   * Sets (a function) or clears (`null`/`undefined`) the on-slot of a type.
   *
   * @param index The type's index.
   * @param handler The handler.
   * @throws {TypeError} `a value for 'on<type>' should be callable`.
   */
  setSlot(index: number, handler: unknown): void {
    if (handler === null || handler === undefined) {
      this.#slots[index] = null;
    } else if (typeof handler === "function") {
      this.#slots[index] = handler as AnyListener;
    } else {
      throw new TypeError(
        `a value for 'on${EVENT_TYPES[index]}' should be callable`,
      );
    }
  }

  /**
   * Adds a listener after the others of its type (twice runs twice).
   *
   * @param index The type's index.
   * @param listener The listener.
   */
  add(index: number, listener: AnyListener): void {
    const list = this.#lists[index];
    this.#lists[index] = list === undefined ? [listener] : [...list, listener];
  }

  /**
   * Removes every added listener of a type that is `listener`.
   *
   * @param index The type's index.
   * @param listener The listener.
   */
  remove(index: number, listener: unknown): void {
    const list = this.#lists[index];
    if (list === undefined) return;
    const kept = list.filter((added) => added !== listener);
    this.#lists[index] = kept.length === 0 ? undefined : kept;
  }

  /**
   * Whether a type has any listener.
   *
   * @param index The type's index.
   * @returns `true` when the on-slot or an added listener is set.
   */
  has(index: number): boolean {
    return this.#slots[index] !== null || this.#lists[index] !== undefined;
  }

  /**
   * Calls the listeners of a type: the on-slot first, then the added ones
   * as they were when the dispatch started; stops at the first that
   * throws. A listener that blocks (it returns a promise and left the VU
   * busy, e.g. in `sleep()`) holds the rest of the dispatch, and every
   * later event of the VU, until the VU is free again: k6 runs them after
   * it returned. A rejected promise goes to the site's `rejected`.
   *
   * @param index The type's index.
   * @param event The event.
   * @param done Called once, when every listener ran or one threw.
   */
  dispatch(index: number, event: WebSocketEvent, done: DispatchDone): void {
    this.#dispatchFrom(this.#slots[index], this.#lists[index], 0, event, done);
  }

  #dispatchFrom(
    slot: AnyListener | null,
    list: readonly AnyListener[] | undefined,
    from: number,
    event: WebSocketEvent,
    done: DispatchDone,
  ): void {
    const count = list === undefined ? 1 : list.length + 1;
    for (let position = from; position < count; position++) {
      const listener = position === 0 ? slot : list![position - 1];
      if (listener === null) continue;
      let result: unknown;
      try {
        result = listener(event);
      } catch (error) {
        done.call(this.#site, false, error);
        return;
      }
      if (
        typeof result === "object" && result !== null &&
        typeof (result as { then?: unknown }).then === "function"
      ) {
        const site = this.#site;
        (result as PromiseLike<unknown>).then(
          undefined,
          (error: unknown) => site.rejected(error),
        );
        const queue = this.#site.queue();
        if (queue !== undefined && !queue.free) {
          const next = position + 1;
          queue.resume(() =>
            this.#site.resume(() =>
              this.#dispatchFrom(slot, list, next, event, done)
            )
          );
          return;
        }
      }
    }
    done.call(this.#site, true);
  }
}
