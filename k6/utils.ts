/**
 * The k6-utils jslib (`https://jslib.k6.io/k6-utils/<version>/index.js`)
 * for scripts run by `wsload run`: every version's URL resolves here, to
 * the functions of the newest (1.6.0), which are a superset of the older
 * ones. Like the jslib, it has named exports only.
 *
 * Differences from the jslib: `findBetween` returns `null` (1.1.0 returned
 * `""`) when nothing matches; `randomString` with a negative or fractional
 * length returns `ceil(length)` characters (at least none) where the jslib
 * loops forever; this `check` also reports its outcomes to the summary's
 * checks list, like k6's built-in one.
 *
 * @example Random data for a message
 * ```ts
 * import { randomIntBetween, randomString, uuidv4 } from "./utils.ts";
 *
 * const message = { id: uuidv4(), room: randomIntBetween(1, 5), text: randomString(8) };
 * ```
 *
 * @module
 */
import { currentContext } from "../context/context.ts";
import { toTagValues } from "../metrics/tags.ts";
import { type Checkers, recordCheckOutcome, type TagValues } from "./_check.ts";
import { forbidInInitStage } from "./_init_guard.ts";
import { isThenable, keepAlive } from "./_settle.ts";
import exec from "./execution.ts";

const DEFAULT_CHARSET = "abcdefghijklmnopqrstuvwxyz";

/**
 * A UUID version 4, e.g. `1b4e28ba-2fa1-41d2-883f-0016d3cca427`.
 *
 * @param secure Use the cryptographic random generator instead of
 * `Math.random` (which `randomSeed()` makes reproducible).
 * @returns The UUID in lower-case hex.
 *
 * @example A message id
 * ```ts
 * import { uuidv4 } from "./utils.ts";
 * import assert from "node:assert/strict";
 *
 * assert.match(uuidv4(true), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
 * ```
 */
export function uuidv4(secure: boolean = false): string {
  const bytes = new Uint8Array(16);
  if (secure) {
    crypto.getRandomValues(bytes);
  } else {
    for (let index = 0; index < 16; index++) {
      bytes[index] = (Math.random() * 256) | 0;
    }
  }
  bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0"))
    .join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${
    hex.slice(16, 20)
  }-${hex.slice(20)}`;
}

/**
 * A random integer between `min` and `max`, both included:
 * `floor(random · (max − min + 1) + min)`.
 *
 * @param min The lowest value.
 * @param max The highest value.
 * @returns The integer.
 *
 * @example Think time of 1 to 5 seconds
 * ```ts
 * import { randomIntBetween } from "./utils.ts";
 * import assert from "node:assert/strict";
 *
 * const seconds = randomIntBetween(1, 5);
 * assert.ok(seconds >= 1 && seconds <= 5);
 * ```
 */
export function randomIntBetween(min: number, max: number): number {
  return Math.floor(Math.random() * (max - min + 1) + min);
}

/**
 * A random element of an array (`undefined` for an empty one).
 *
 * @typeParam T The element type.
 * @param items The array.
 * @returns One of its elements.
 *
 * @example Pick a room
 * ```ts
 * import { randomItem } from "./utils.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(["a", "b"].includes(randomItem(["a", "b"])));
 * ```
 */
export function randomItem<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)];
}

/**
 * A string of `length` characters, each picked uniformly from `charset`.
 *
 * @param length How many characters.
 * @param charset The characters to pick from (lower-case letters by default).
 * @returns The string.
 *
 * @example A hex token
 * ```ts
 * import { randomString } from "./utils.ts";
 * import assert from "node:assert/strict";
 *
 * assert.match(randomString(8, "0123456789abcdef"), /^[0-9a-f]{8}$/);
 * ```
 */
export function randomString(
  length: number,
  charset: string = DEFAULT_CHARSET,
): string {
  let result = "";
  for (let index = 0; index < length; index++) {
    result += charset[(Math.random() * charset.length) | 0];
  }
  return result;
}

/**
 * The text between `left` and `right`: the first match, or with `repeat`
 * every match (each search starting after the previous match).
 *
 * @param content The text to search.
 * @param left What precedes the wanted text.
 * @param right What follows it.
 * @param repeat Return all matches as an array.
 * @returns The first match; with `repeat`, the array of matches; `null`
 * when there is none.
 *
 * @example Extract a token from a message
 * ```ts
 * import { findBetween } from "./utils.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(findBetween('{"token":"abc"}', '"token":"', '"'), "abc");
 * assert.deepEqual(findBetween("<b>1</b><b>2</b>", "<b>", "</b>", true), ["1", "2"]);
 * ```
 */
export function findBetween(
  content: string,
  left: string,
  right: string,
  repeat: boolean = false,
): string | string[] | null {
  const matches: string[] = [];
  let rest = content;
  for (;;) {
    const leftAt = rest.indexOf(left);
    if (leftAt === -1) break;
    const start = leftAt + left.length;
    const end = rest.indexOf(right, start);
    if (end === -1) break;
    const match = rest.substring(start, end);
    if (!repeat) return match;
    matches.push(match);
    rest = rest.substring(end + right.length);
  }
  return matches.length > 0 ? matches : null;
}

/** One stage of a `ramping-vus` scenario. */
export interface Stage {
  /** How long the stage lasts, e.g. `"30s"`. */
  duration: string;
  /** The VU count the stage ramps to. */
  target: number;
}

/**
 * Stages whose targets follow a normal distribution: a ramp-up stage,
 * `stages` stages shaped like a bell curve peaking at `maxVUs`, and a
 * ramp-down stage.
 *
 * @param maxVUs The peak VU count.
 * @param durationSeconds The whole test's duration.
 * @param stages How many bell-curve stages (10 by default).
 * @returns `stages + 2` stages.
 *
 * @example Stages of a 60-second test peaking at 100 VUs
 * ```ts
 * import { normalDistributionStages } from "./utils.ts";
 * import assert from "node:assert/strict";
 *
 * const stages = normalDistributionStages(100, 60);
 * assert.equal(stages.length, 12);
 * assert.equal(Math.max(...stages.map((stage) => stage.target)), 100);
 * ```
 */
export function normalDistributionStages(
  maxVUs: number,
  durationSeconds: number,
  stages: number = 10,
): Stage[] {
  const density = (x: number): number =>
    Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  const curve = new Array<number>(stages + 2).fill(0);
  for (let index = 0; index <= stages; index++) {
    curve[index] = density(-2 + (4 * index) / stages);
  }
  const peak = Math.max(...curve);
  const edgeSeconds = Math.ceil(durationSeconds / 6);
  const innerSeconds = Math.ceil((4 * durationSeconds) / (6 * stages));
  return curve.map((value, index) => ({
    duration: `${index === 0 || index > stages ? edgeSeconds : innerSeconds}s`,
    target: Math.round((value * maxVUs) / peak),
  }));
}

const isDigit = (character: string | undefined): boolean =>
  character !== undefined && character >= "0" && character <= "9";

/**
 * Milliseconds in a duration text such as `1h30m`, `2.5s` or `300ms`
 * (units `d`, `h`, `m`, `s`, `ms`; a trailing unit-less number counts as
 * milliseconds).
 *
 * @param text The duration.
 * @returns The duration in milliseconds.
 * @throws {Error} `str is empty`; `<unit> is an unsupported time unit`;
 * `<unit> time unit is provided multiple times` (the jslib's texts).
 *
 * @example Parse a stage duration
 * ```ts
 * import { parseDuration } from "./utils.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parseDuration("1m30s"), 90_000);
 * ```
 */
export function parseDuration(text: string): number {
  if (text === null || text === undefined || text.length < 1) {
    throw new Error("str is empty");
  }
  let total = 0;
  let number = "";
  const seen = new Set<string>();
  for (let index = 0; index < text.length; index++) {
    if (isDigit(text[index]) || text[index] === ".") number += text[index];
    const next = text[index + 1];
    if (next === undefined || isDigit(next) || next === ".") continue;
    const value = parseFloat(number);
    let unit = next;
    switch (next) {
      case "d":
        total += value * 86_400_000;
        break;
      case "h":
        total += value * 3_600_000;
        break;
      case "m":
        if (text[index + 2] === "s") {
          total += Math.trunc(value); // milliseconds are the finest unit
          unit = "ms";
          index++;
        } else {
          total += value * 60_000;
        }
        break;
      case "s":
        total += value * 1000;
        break;
      default:
        throw new Error(`${next} is an unsupported time unit`);
    }
    if (seen.has(unit)) {
      throw new Error(`${unit} time unit is provided multiple times`);
    }
    seen.add(unit);
    index++;
    number = "";
  }
  if (number.length > 0) total += parseFloat(number);
  return total;
}

function currentScenarioStages(): Stage[] {
  const name = exec.scenario.name;
  const scenarios = exec.test.options.scenarios as
    | Record<string, { stages?: Stage[] } | undefined>
    | undefined;
  const scenario = scenarios?.[name];
  if (scenario === null || scenario === undefined) {
    throw new Error(
      `the exec.test.options object doesn't contain the current scenario ${name}`,
    );
  }
  if (scenario.stages === null || scenario.stages === undefined) {
    throw new Error(
      "only ramping-vus or ramping-arravial-rate supports stages, it is not possible to get a stage index on other executors.",
    );
  }
  if (scenario.stages.length < 1) {
    throw new Error(`the current scenario ${name} doesn't contain any stage`);
  }
  return scenario.stages;
}

/**
 * The index of the stage the current scenario is in, from the time since
 * it started (the last stage once they are all over).
 *
 * @returns The 0-based stage index.
 * @throws {Error} Outside a scenario with stages (the jslib's texts).
 *
 * @example Only inside a scenario
 * ```ts
 * import { getCurrentStageIndex } from "./utils.ts";
 * import assert from "node:assert/strict";
 *
 * // Outside a scenario (here: outside `wsload run`) there is no stage.
 * assert.throws(() => getCurrentStageIndex(), /outside of the VU context/);
 * ```
 */
export function getCurrentStageIndex(): number {
  const stages = currentScenarioStages();
  const elapsed = Date.now() - exec.scenario.startTime;
  let end = 0;
  for (let index = 0; index < stages.length; index++) {
    end += parseDuration(stages[index].duration);
    if (elapsed < end) return index;
  }
  return stages.length - 1;
}

/**
 * Tags the VU's samples with `stage=<index of the current stage>`.
 *
 * @throws {Error} Outside a scenario with stages.
 *
 * @example Only inside a scenario
 * ```ts
 * import { tagWithCurrentStageIndex } from "./utils.ts";
 * import assert from "node:assert/strict";
 *
 * // Outside a scenario (here: outside `wsload run`) there is no stage.
 * assert.throws(() => tagWithCurrentStageIndex(), /outside of the VU context/);
 * ```
 */
export function tagWithCurrentStageIndex(): void {
  exec.vu.tags.stage = String(getCurrentStageIndex());
}

/**
 * Tags the VU's samples with `stage_profile=ramp-up|steady|ramp-down`,
 * from how the current stage's target compares with the previous one's.
 *
 * @throws {Error} Outside a scenario with stages.
 *
 * @example Only inside a scenario
 * ```ts
 * import { tagWithCurrentStageProfile } from "./utils.ts";
 * import assert from "node:assert/strict";
 *
 * // Outside a scenario (here: outside `wsload run`) there is no stage.
 * assert.throws(() => tagWithCurrentStageProfile(), /outside of the VU context/);
 * ```
 */
export function tagWithCurrentStageProfile(): void {
  const index = getCurrentStageIndex();
  let profile = "ramp-up";
  if (index >= 1) {
    const stages = currentScenarioStages();
    const current = stages[index].target;
    const previous = stages[index - 1].target;
    if (current < previous) profile = "ramp-down";
    else if (current === previous) profile = "steady";
  }
  exec.vu.tags.stage_profile = profile;
}

/**
 * The jslib's `check()`: like k6's, but a check may be a promise or an
 * async function, and the value may be a promise; then the result is a
 * promise (the iteration waits for it). Each outcome is a `checks` sample
 * tagged `check=<name>` plus the current tags and `tags`, emitted when that
 * check settles.
 *
 * @typeParam T The checked value.
 * @param value The value, passed to each function check (awaited first if
 * it is a promise).
 * @param checkers Check name → function (sync or async), promise or value.
 * @param tags Extra tags of the samples.
 * @returns Whether all checks passed (a promise of it when any is async).
 * @throws {Error} `Adding to metrics in the init context is not supported`.
 * @throws {TypeError} Invalid tags. A check function's exception propagates
 * (earlier checks are already recorded).
 *
 * @example An async check
 * ```ts
 * import { check } from "./utils.ts";
 * import assert from "node:assert/strict";
 *
 * const passed = await check(3, { "is odd": async (n) => n % 2 === 1 });
 * assert.equal(passed, true);
 * ```
 */
export function check<T>(
  value: T | PromiseLike<T>,
  checkers: Checkers<T>,
  tags?: TagValues | null,
): boolean | Promise<boolean> {
  forbidInInitStage("Adding to metrics in the init context is not supported");
  const context = currentContext();
  if (isThenable(value)) {
    return keepAlive(
      context,
      Promise.resolve(value).then((settled) =>
        check(settled as T, checkers, tags)
      ),
    );
  }
  const userTags = toTagValues(
    tags,
    "cannot add tags for the 'checks' custom metric",
  );
  const outcomes = Object.entries(checkers).map(([name, checker]) => {
    const report = (outcome: unknown): unknown => {
      const sampleTags = Object.freeze({
        ...context.tags,
        ...userTags,
        check: name,
      });
      recordCheckOutcome(context, name, Boolean(outcome), sampleTags);
      return outcome;
    };
    const outcome = typeof checker === "function" ? checker(value) : checker;
    return isThenable(outcome)
      ? Promise.resolve(outcome).then(report)
      : report(outcome);
  });
  if (outcomes.some(isThenable)) {
    return keepAlive(
      context,
      Promise.all(outcomes).then((all) => all.every(Boolean)),
    );
  }
  return outcomes.every(Boolean);
}
