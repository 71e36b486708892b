/**
 * k6's `group()`.
 *
 * @module
 */
import { GROUP_DURATION } from "../metrics/builtin.ts";
import { type Context, currentContext } from "../context/context.ts";
import { now } from "../metrics/sample.ts";
import { forbidInInitStage } from "./_init_guard.ts";
import { assertNoGroupSeparator } from "./_names.ts";
import { isThenable, keepAlive } from "./_settle.ts";

function emitDuration(context: Context, start: number): void {
  const end = now();
  context.emit(GROUP_DURATION, end - start, context.tags, end);
}

/**
 * Runs `fn` inside a group, as k6's `group()`: samples emitted by the code
 * it runs (synchronously or later, e.g. by sockets it opens) carry the
 * `group` tag `<parent>::<name>` (when that system tag is enabled); a
 * `group_duration` sample records how long `fn` took; `fn`'s result is
 * returned.
 *
 * Difference from k6: k6 refuses async functions; here, when `fn` returns
 * a promise, `group` returns a promise settling like it, emits
 * `group_duration` when it settles, and keeps the iteration alive until
 * then.
 *
 * @typeParam T What `fn` returns.
 * @param name The group name (no `::`).
 * @param fn The group body, called without arguments.
 * @returns What `fn` returns (for a promise: a promise settling like it).
 * @throws {Error} `Using group() in the init context is not supported`.
 * @throws {TypeError} `group() requires a callback as a second argument`;
 * `group and check names may not contain '::'`. An exception of `fn` is
 * rethrown after the duration sample.
 *
 * @example Group the steps of a login
 * ```ts
 * import { group } from "./_group.ts";
 * import { currentContext } from "../context/context.ts";
 * import assert from "node:assert/strict";
 *
 * const path = group("login", () => currentContext().group);
 * assert.equal(path, "::login");
 * assert.equal(await group("async", async () => 1), 1);
 * ```
 */
export function group<T>(name: string, fn: () => T): T {
  forbidInInitStage("Using group() in the init context is not supported");
  if (typeof fn !== "function") {
    throw new TypeError("group() requires a callback as a second argument");
  }
  const groupName = String(name);
  assertNoGroupSeparator(groupName);
  const parent = currentContext();
  const context = parent.withGroup(groupName);
  context.recordGroup(context.group);
  const start = now();
  let result: T;
  try {
    result = context.run(() => fn.call(undefined));
  } catch (error) {
    emitDuration(context, start);
    throw error;
  }
  if (isThenable(result)) {
    return keepAlive(
      parent,
      Promise.resolve(result).finally(() => emitDuration(context, start)),
    ) as T;
  }
  emitDuration(context, start);
  return result;
}
