/**
 * Promises that user code hands to the k6 functions: how to recognise them
 * and how to keep an iteration alive until they settle.
 *
 * @module
 */
import type { Context } from "../context/context.ts";

/**
 * Whether a value is a promise or any other thenable.
 *
 * @param value The value.
 * @returns `true` when `value.then` is a function.
 *
 * @example Recognise a promise
 * ```ts
 * import { isThenable } from "./_settle.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isThenable(Promise.resolve(1)), true);
 * assert.equal(isThenable({ then: 1 }), false);
 * ```
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as { then?: unknown }).then === "function";
}

/**
 * Keeps the iteration of `context` from ending until `promise` settles (or
 * the iteration is interrupted), so that work chained on it (a check
 * sample, a group duration) is recorded even when the script does not
 * await it.
 *
 * @typeParam T The promised value.
 * @param context The context whose pending work the promise counts as.
 * @param promise The promise.
 * @returns A promise settling like `promise`, after the hold is released.
 *
 * @example Hold an iteration while a promise is pending
 * ```ts
 * import { keepAlive } from "./_settle.ts";
 * import { Context } from "../context/context.ts";
 * import assert from "node:assert/strict";
 *
 * const context = new Context();
 * const settled = keepAlive(context, Promise.resolve(42));
 * assert.equal(context.pending.size, 1);
 * assert.equal(await settled, 42);
 * assert.equal(context.pending.size, 0);
 * ```
 */
export function keepAlive<T>(
  context: Context,
  promise: PromiseLike<T>,
): Promise<T> {
  if (context.cancelled) return Promise.resolve(promise);
  const release = context.hold();
  const unregister = context.onCancel(release);
  return Promise.resolve(promise).finally(() => {
    unregister();
    release();
  });
}
