/**
 * k6's `fail()`.
 *
 * @module
 */

/**
 * Throws an error with `message`, as k6's `fail()`: a short way to end the
 * iteration with a reason.
 *
 * @param message The error message (converted to a string).
 * @returns Never.
 * @throws {Error} Always, with `message`.
 *
 * @example Fail an iteration on a bad response
 * ```ts
 * import { fail } from "./_fail.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => fail("unexpected status 500"), {
 *   message: "unexpected status 500",
 * });
 * ```
 */
export function fail(message?: string): never {
  throw new Error(String(message));
}
