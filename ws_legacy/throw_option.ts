/**
 * k6's `throw` option for `connect()`, as a module-level setting.
 *
 * @module
 */

let moduleSetting: boolean | undefined;

/**
 * Sets k6's `throw` option for every later `connect()` call of this process:
 * with it on, a failed dial (bad URL, refused connection, TLS failure,
 * non-101 answer …) rejects `connect`'s promise with the error text instead
 * of resolving to a Response whose `status`/`error` tell what went wrong.
 *
 * Which setting applies, first match wins: the call's `throw` param, this
 * setting, the execution context's `throw` option (`wsload run --throw`),
 * off. A script that sets it means it for all its sockets; a param is the
 * narrower choice; the run's option is the default.
 *
 * @param enabled `true` or `false`; `undefined` removes the setting again.
 * @throws {TypeError} When `enabled` is neither a boolean nor `undefined`.
 *
 * @example Make dial failures reject
 * ```ts
 * import { setThrow } from "./throw_option.ts";
 * import { connect } from "./connect.ts";
 * import assert from "node:assert/strict";
 *
 * setThrow(true);
 * await assert.rejects(connect("http://example.com", () => {}), {
 *   message: "malformed ws or wss URL",
 * });
 * setThrow(undefined);
 * const res = await connect("http://example.com", () => {});
 * assert.equal(res.error, "malformed ws or wss URL");
 * ```
 */
export function setThrow(enabled: boolean | undefined): void {
  if (enabled !== undefined && typeof enabled !== "boolean") {
    throw new TypeError(
      `setThrow() takes true, false or undefined, got ${typeof enabled}`,
    );
  }
  moduleSetting = enabled;
}

/**
 * The setting made with {@link setThrow}.
 *
 * @returns `true`/`false`, or `undefined` when unset.
 */
export function throwSetting(): boolean | undefined {
  return moduleSetting;
}
