/**
 * k6's `check()`, plus the piece every check implementation shares: how one
 * outcome is recorded.
 *
 * @module
 */
import { CHECKS } from "../metrics/builtin.ts";
import { type Context, currentContext } from "../context/context.ts";
import { now } from "../metrics/sample.ts";
import { type Tags, toTagValues } from "../metrics/tags.ts";
import { forbidInInitStage } from "./_init_guard.ts";
import { assertNoGroupSeparator } from "./_names.ts";
import { isMarkedBlocking } from "../internal/blocking_mark.ts";
import { isThenable, keepAlive } from "./_settle.ts";

/**
 * One check: a function called with the checked value whose result's
 * truthiness is the outcome, or a value whose truthiness is the outcome.
 *
 * @typeParam T The checked value.
 */
export type Checker<T> =
  | ((value: T) => unknown)
  | string
  | number
  | boolean
  | bigint
  | object
  | null
  | undefined;

/**
 * Named checks, evaluated in key order.
 *
 * @typeParam T The checked value.
 */
export type Checkers<T> = Readonly<Record<string, Checker<T>>>;

/** Tags given to a k6 function: string, number or boolean values. */
export type TagValues = Readonly<
  Record<string, string | number | boolean | null | undefined>
>;

const ASYNC_CHECK_ERROR =
  "the built-in check() does not support async functions as arguments. " +
  "Use the JavaScript utils library as a replacement. " +
  "Refer to https://grafana.com/docs/k6/latest/javascript-api/jslib/utils/check/ for more info";

/**
 * Records one check outcome: a `checks` sample (1 pass, 0 fail) and the
 * result of the check in the run's group tree.
 *
 * @param context The context the check ran in.
 * @param name The check name.
 * @param passed The outcome.
 * @param tags The sample's tags.
 * @param time When the check was evaluated; now when omitted.
 *
 * @example Record a passed check
 * ```ts
 * import { recordCheckOutcome } from "./_check.ts";
 * import { Context } from "../context/context.ts";
 * import assert from "node:assert/strict";
 *
 * const values: number[] = [];
 * const context = new Context({ sink: (sample) => values.push(sample.value) });
 * recordCheckOutcome(context, "status is 101", true, { check: "status is 101" });
 * assert.deepEqual(values, [1]);
 * ```
 */
export function recordCheckOutcome(
  context: Context,
  name: string,
  passed: boolean,
  tags: Tags,
  time?: number,
): void {
  context.emit(CHECKS, passed ? 1 : 0, tags, time);
  context.recordCheck(name, passed);
}

function isAsyncFunction(value: unknown): boolean {
  return typeof value === "function" &&
    value.constructor?.name === "AsyncFunction";
}

/** A checker's outcome: passed, or failed by throwing. */
type Verdict = {
  readonly passed: boolean;
  readonly thrown?: { error: unknown };
};

function judge<T>(checker: Checker<T>, value: T): Verdict {
  if (typeof checker !== "function") return { passed: Boolean(checker) };
  try {
    return { passed: Boolean(checker(value)) };
  } catch (error) {
    return { passed: false, thrown: { error } };
  }
}

async function judgeBlocking<T>(
  checker: Checker<T>,
  value: T,
): Promise<Verdict> {
  try {
    return { passed: Boolean(await (checker as (value: T) => unknown)(value)) };
  } catch (error) {
    return { passed: false, thrown: { error } };
  }
}

function evaluate<T>(
  context: Context,
  value: T,
  checks: Checkers<T>,
  baseTags: Tags,
): boolean | Promise<boolean> {
  const time = now();
  const tagged = context.options.systemTags.has("check");
  // k6 converts `checks` to an object first: a string checks its indices.
  const named = Object(checks) as Record<string, Checker<T>>;
  const names = Object.keys(named);
  let allPassed = true;
  const record = (name: string, verdict: Verdict): void => {
    if (!verdict.passed) allPassed = false;
    const tags = tagged
      ? Object.freeze({ ...baseTags, check: name })
      : baseTags;
    recordCheckOutcome(context, name, verdict.passed, tags, time);
    if (verdict.thrown) throw verdict.thrown.error;
  };
  // A checker that blocks in k6 (the loader made it async) is awaited:
  // from there on the checks run in a promise, still in order.
  const rest = async (start: number): Promise<boolean> => {
    for (let i = start; i < names.length; i++) {
      assertNoGroupSeparator(names[i]);
      const checker = named[names[i]];
      record(
        names[i],
        isMarkedBlocking(checker)
          ? await judgeBlocking(checker, value)
          : judge(checker, value),
      );
    }
    return allPassed;
  };
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    assertNoGroupSeparator(name);
    const checker = named[name];
    if (isMarkedBlocking(checker)) return keepAlive(context, rest(i));
    if (isAsyncFunction(checker)) throw new TypeError(ASYNC_CHECK_ERROR);
    record(name, judge(checker, value));
  }
  return allPassed;
}

/**
 * Runs named checks against a value, as k6's `check()`: each check's outcome
 * becomes one `checks` sample (tagged `check=<name>` when that system tag is
 * enabled, plus the current tags and `tags`). Returns whether all passed.
 *
 * Difference from k6: when `value` is a promise (e.g. what `ws.connect()`
 * returns here), `check` waits for it and returns a promise of the result,
 * keeping the iteration alive until the checks have run; a rejected
 * `value` rejects the result, with no samples.
 *
 * @typeParam T The checked value.
 * @param value The value, passed to each function check.
 * @param checks Check name → function or value.
 * @param tags Extra tags of the samples.
 * @returns `true` if every check passed (a promise of it for a promise value).
 * @throws {Error} `Using check() in the init context is not supported`.
 * @throws {TypeError} `no checks provided to \`check\`` when `checks` is
 * missing; `group and check names may not contain '::'`; k6's text for an
 * async check function; invalid tags. A check function's exception is
 * rethrown after its failure is recorded.
 *
 * @example Check a value
 * ```ts
 * import { check } from "./_check.ts";
 * import assert from "node:assert/strict";
 *
 * const response = { status: 101 };
 * assert.equal(check(response, { "status is 101": (r) => r.status === 101 }), true);
 * assert.equal(await check(Promise.resolve(response), { "is 200": (r) => r.status === 200 }), false);
 * ```
 */
export function check<T>(
  value: PromiseLike<T>,
  checks: Checkers<T>,
  tags?: TagValues | null,
): Promise<boolean>;
/**
 * Runs named checks against a value (see the first signature).
 *
 * @typeParam T The checked value.
 * @param value The value, passed to each function check.
 * @param checks Check name → function or value.
 * @param tags Extra tags of the samples.
 * @returns `true` if every check passed.
 * @throws {Error} In the init stage.
 * @throws {TypeError} Missing checks, `::` in a name, an async check
 * function, invalid tags.
 *
 * @example Check a status
 * ```ts
 * import { check } from "./_check.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(check(101, { "is 101": (status) => status === 101 }), true);
 * ```
 */
export function check<T>(
  value: T,
  checks: Checkers<T>,
  tags?: TagValues | null,
): boolean;
export function check<T>(
  value: T | PromiseLike<T>,
  checks: Checkers<T>,
  tags?: TagValues | null,
): boolean | Promise<boolean> {
  forbidInInitStage("Using check() in the init context is not supported");
  if (checks === null || checks === undefined) {
    throw new TypeError("no checks provided to `check`");
  }
  const context = currentContext();
  const userTags = toTagValues(tags, "check() tags");
  const baseTags = Object.keys(userTags).length === 0
    ? context.tags
    : Object.freeze({ ...context.tags, ...userTags });
  if (isThenable(value)) {
    return keepAlive(
      context,
      Promise.resolve(value).then((settled) =>
        evaluate(context, settled as T, checks, baseTags)
      ),
    );
  }
  return evaluate(context, value, checks, baseTags);
}
