/**
 * The `k6` module of a script run by `wsload run`: `check`, `group`,
 * `sleep`, `fail` and `randomSeed`, as named exports and as the default
 * export object (`import k6 from "k6"`).
 *
 * wsload is asynchronous where k6 blocks: `sleep()` returns a promise to
 * await; `check()` of a promise returns a promise; `group()` accepts an
 * async body and then returns a promise.
 *
 * @example Check a value inside a group
 * ```ts
 * import { check, group, sleep } from "./k6.ts";
 *
 * await group("messages", async () => {
 *   check(2 + 2, { "is four": (sum) => sum === 4 });
 *   await sleep(0.01);
 * });
 * ```
 *
 * @module
 */
import { check } from "./_check.ts";
import { fail } from "./_fail.ts";
import { group } from "./_group.ts";
import { randomSeed } from "./_random.ts";
import { sleep } from "./_sleep.ts";

export { check, fail, group, randomSeed, sleep };
export type { Checker, Checkers, TagValues } from "./_check.ts";

/** The `k6` module's default export: its functions in one object. */
const k6: {
  readonly check: typeof check;
  readonly fail: typeof fail;
  readonly group: typeof group;
  readonly randomSeed: typeof randomSeed;
  readonly sleep: typeof sleep;
} = Object.freeze({ check, fail, group, randomSeed, sleep });

export default k6;
