/**
 * A promise that knows whether anyone is listening: `then`, `catch`,
 * `finally` and `await` all mark it observed. `connect()` uses this to decide
 * where a failure goes: to whoever awaits the promise, or, when nobody does,
 * to the execution context (k6 scripts rarely keep the return value).
 *
 * @module
 */

function ignore(): void {}

/**
 * A native promise that records whether a reaction was ever attached.
 *
 * @typeParam T The fulfilment value.
 *
 * @example An awaited promise is observed
 * ```ts
 * import { ObservedPromise } from "./_observed_promise.ts";
 * import assert from "node:assert/strict";
 *
 * const promise = new ObservedPromise<number>((resolve) => resolve(1));
 * assert.equal(promise.observed, false);
 * assert.equal(await promise, 1);
 * assert.equal(promise.observed, true);
 * ```
 */
export class ObservedPromise<T> extends Promise<T> {
  #observed = false;

  /** Derived promises (`then`'s results) are plain promises. */
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  /** Whether `then` (directly, or through `catch`, `finally` or `await`) was called. */
  get observed(): boolean {
    return this.#observed;
  }

  /**
   * Attaches reactions, as `Promise.prototype.then`, and marks the promise
   * observed.
   *
   * @param onFulfilled Called with the value.
   * @param onRejected Called with the reason.
   * @returns The derived promise.
   */
  override then<TResult1 = T, TResult2 = never>(
    onFulfilled?:
      | ((value: T) => TResult1 | PromiseLike<TResult1>)
      | null,
    onRejected?:
      | ((reason: unknown) => TResult2 | PromiseLike<TResult2>)
      | null,
  ): Promise<TResult1 | TResult2> {
    this.#observed = true;
    return super.then(onFulfilled, onRejected);
  }

  /**
   * Marks a rejection as handled, without counting as an observer, so the
   * runtime reports no unhandled rejection for it.
   */
  markHandled(): void {
    Promise.prototype.then.call(this, undefined, ignore);
  }
}
