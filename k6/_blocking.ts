/**
 * Functions that block in k6 and that wsload's loader made async: the k6
 * functions that call them synchronously in k6 (`check()`) await them.
 *
 * @module
 */

const BLOCKING = Symbol("wsload.blocking");

/**
 * Marks a function the loader made async because it blocks in k6.
 *
 * @typeParam F The function's type.
 * @param fn The function.
 * @returns The same function.
 *
 * @example Mark and recognise
 * ```ts
 * import { isMarkedBlocking, markBlocking } from "./_blocking.ts";
 * import assert from "node:assert/strict";
 *
 * const fn = markBlocking(async () => true);
 * assert.equal(isMarkedBlocking(fn), true);
 * assert.equal(isMarkedBlocking(async () => true), false);
 * ```
 */
export function markBlocking<F extends (...args: never[]) => unknown>(
  fn: F,
): F {
  Object.defineProperty(fn, BLOCKING, { value: true });
  return fn;
}

/**
 * Whether a value is a function marked by {@link markBlocking}.
 *
 * @param value The value.
 * @returns `true` when marked.
 */
export function isMarkedBlocking(value: unknown): boolean {
  return typeof value === "function" &&
    (value as unknown as Record<symbol, unknown>)[BLOCKING] === true;
}
