/**
 * Splitting a test over N instances (processes, machines, the pods of a
 * Kubernetes Indexed Job) without a controller: `--instance I/N` gives
 * instance I (counting from 0) the execution segment `I/N:(I+1)/N` of the
 * sequence `0,1/N,...,1`, as k6-operator passes `--execution-segment` and
 * `--execution-segment-sequence` to its runners; `--instance N` reads I
 * from `JOB_COMPLETION_INDEX`, which Kubernetes sets in each pod of an
 * Indexed Job. `--start-at TIME` makes the instances begin together.
 *
 * @module
 */

/** One instance's share of a split test. */
export interface InstanceShare {
  /** The instance's index, from 0. */
  readonly index: number;
  /** How many instances split the test. */
  readonly count: number;
  /** Its `--execution-segment`, e.g. `1/4:2/4`. */
  readonly executionSegment: string;
  /** The `--execution-segment-sequence` of all instances, e.g. `0,1/4,2/4,3/4,1`. */
  readonly executionSegmentSequence: string;
}

/** The variable an Indexed Job's pods carry their index in. */
export const JOB_INDEX_VARIABLE = "JOB_COMPLETION_INDEX";

/** At most this many instances (k6's segments are exact fractions; more is no use). */
export const MAX_INSTANCES = 10_000;

const INSTANCE_FORMAT =
  `expected I/N (instance I of N, counting from 0, e.g. 0/4) or N (I from ${JOB_INDEX_VARIABLE})`;

function wholeNumber(text: string): number | undefined {
  return /^\d{1,9}$/.test(text) ? Number(text) : undefined;
}

/**
 * Reads `--instance [I/]N`.
 *
 * @param text The flag's value.
 * @param env The process environment (for `JOB_COMPLETION_INDEX`).
 * @returns The instance's share.
 * @throws {SyntaxError} For a malformed value, or `N` alone without
 * `JOB_COMPLETION_INDEX` (the message says which and what is allowed).
 * @throws {RangeError} For N outside 1–10,000 or I outside 0–(N-1).
 *
 * @example The second of four pods
 * ```ts
 * import { instanceShare } from "./instance.ts";
 * import assert from "node:assert/strict";
 *
 * const share = instanceShare("4", { JOB_COMPLETION_INDEX: "1" });
 * assert.equal(share.executionSegment, "1/4:2/4");
 * assert.equal(share.executionSegmentSequence, "0,1/4,2/4,3/4,1");
 * assert.deepEqual(instanceShare("1/4", {}), share);
 * ```
 */
export function instanceShare(
  text: string,
  env: Readonly<Record<string, string>>,
): InstanceShare {
  const slash = text.indexOf("/");
  const count = wholeNumber(slash < 0 ? text : text.slice(slash + 1));
  if (count === undefined) {
    throw new SyntaxError(
      `invalid argument "${text}" for "--instance" flag: ${INSTANCE_FORMAT}`,
    );
  }
  if (count < 1 || count > MAX_INSTANCES) {
    throw new RangeError(
      `invalid argument "${text}" for "--instance" flag: the number of instances must be 1 to ${MAX_INSTANCES}, got ${count}`,
    );
  }
  let index: number | undefined;
  if (slash >= 0) {
    index = wholeNumber(text.slice(0, slash));
    if (index === undefined) {
      throw new SyntaxError(
        `invalid argument "${text}" for "--instance" flag: ${INSTANCE_FORMAT}`,
      );
    }
  } else {
    const fromEnv = env[JOB_INDEX_VARIABLE];
    if (fromEnv === undefined || fromEnv === "") {
      throw new SyntaxError(
        `--instance ${text} takes the instance's index from ${JOB_INDEX_VARIABLE} (Kubernetes sets it in the pods of an Indexed Job), which is not set; give the index as --instance I/${count}`,
      );
    }
    index = wholeNumber(fromEnv);
    if (index === undefined) {
      throw new SyntaxError(
        `invalid ${JOB_INDEX_VARIABLE} "${fromEnv}": expected a whole number from 0`,
      );
    }
  }
  if (index >= count) {
    throw new RangeError(
      `instance index ${index} is out of range for ${count} instances: expected 0 to ${
        count - 1
      }`,
    );
  }
  const point = (i: number) =>
    i === 0 ? "0" : i === count ? "1" : `${i}/${count}`;
  const points = Array.from({ length: count + 1 }, (_, i) => point(i));
  return {
    index,
    count,
    executionSegment: `${point(index)}:${point(index + 1)}`,
    executionSegmentSequence: points.join(","),
  };
}

const RFC3339 =
  /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Reads `--start-at TIME`: an RFC 3339 time with a zone.
 *
 * @param text The flag's value.
 * @returns The time, ms since the epoch.
 * @throws {SyntaxError} When the text is not an RFC 3339 time.
 *
 * @example
 * ```ts
 * import { parseStartAt } from "./instance.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parseStartAt("2030-01-31T12:00:00+01:00"), Date.UTC(2030, 0, 31, 11));
 * assert.throws(() => parseStartAt("tomorrow"), SyntaxError);
 * ```
 */
export function parseStartAt(text: string): number {
  const time = RFC3339.test(text) ? Date.parse(text.replace(" ", "T")) : NaN;
  if (Number.isNaN(time)) {
    throw new SyntaxError(
      `invalid argument "${text}" for "--start-at" flag: expected an RFC 3339 time with a zone, e.g. 2030-01-31T12:00:00Z (date -u +%FT%TZ prints one)`,
    );
  }
  return time;
}
