/**
 * The cancellation of a context's work (an iteration's): whether it was
 * cancelled, the handlers to call then, and an `AbortSignal` made only when
 * code asks for one.
 *
 * The runner cancels one per iteration, and thousands of VUs each hold
 * one. An `AbortController` with its signal (an `EventTarget`: two maps,
 * a record per listener) costs about 1 KiB per VU under Node; a
 * cancellation that nobody asked a signal of costs an object and, once a
 * handler is registered, a set.
 *
 * @module
 */

const noop = (): void => {};

/**
 * Cancels a context's work once: {@link Cancellation.onCancel} handlers
 * run in the order they were registered, and the {@link
 * Cancellation.signal}, if one was made, aborts.
 *
 * @example Cancel the work of an iteration
 * ```ts
 * import { Cancellation } from "@wsload/wsload/metrics";
 * import assert from "node:assert/strict";
 *
 * const cancellation = new Cancellation();
 * const calls: string[] = [];
 * cancellation.onCancel(() => calls.push("socket closed"));
 * const unregister = cancellation.onCancel(() => calls.push("never"));
 * unregister();
 * cancellation.cancel();
 * cancellation.cancel();
 * assert.deepEqual(calls, ["socket closed"]);
 * assert.equal(cancellation.signal.aborted, true);
 * ```
 */
export class Cancellation {
  #cancelled = false;
  #handlers: Set<() => void> | undefined;
  #controller: AbortController | undefined;
  readonly #given: AbortSignal | undefined;

  /**
   * Creates a cancellation, optionally following a signal: it is cancelled
   * when the signal aborts, and {@link Cancellation.signal} is that signal.
   *
   * @param signal The signal to follow.
   */
  constructor(signal?: AbortSignal) {
    this.#given = signal;
    if (signal === undefined) return;
    if (signal.aborted) this.#cancelled = true;
    else signal.addEventListener("abort", () => this.cancel(), { once: true });
  }

  /** Whether it was cancelled. */
  get cancelled(): boolean {
    return this.#cancelled;
  }

  /**
   * A signal that aborts on cancellation (the followed one, when given),
   * for APIs that take an `AbortSignal`. Made on first use.
   */
  get signal(): AbortSignal {
    if (this.#given !== undefined) return this.#given;
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#cancelled) this.#controller.abort();
    }
    return this.#controller.signal;
  }

  /**
   * Calls `handler` once, on cancellation: at once (in a microtask) when
   * it was already cancelled.
   *
   * @param handler The handler.
   * @returns A function that unregisters it (O(1)).
   */
  onCancel(handler: () => void): () => void {
    if (this.#cancelled) {
      queueMicrotask(handler);
      return noop;
    }
    const handlers = this.#handlers ??= new Set();
    handlers.add(handler);
    return () => void handlers.delete(handler);
  }

  /**
   * Resolves on cancellation.
   *
   * @returns A promise that never rejects.
   */
  whenCancelled(): Promise<void> {
    if (this.#cancelled) return Promise.resolve();
    return new Promise((resolve) => this.onCancel(resolve));
  }

  /**
   * Cancels: the handlers run, in order, then the signal made by {@link
   * Cancellation.signal} aborts (a followed signal is its owner's to
   * abort). Idempotent.
   */
  cancel(): void {
    if (this.#cancelled) return;
    this.#cancelled = true;
    const handlers = this.#handlers;
    this.#handlers = undefined;
    if (handlers !== undefined) {
      // A copy: a handler may unregister another, which still runs.
      for (const handler of [...handlers]) handler();
    }
    this.#controller?.abort();
  }
}
