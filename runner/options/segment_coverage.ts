/**
 * How a set of execution segments covers a test: where two overlap (two
 * instances ran the same share) and which parts none ran. `wsload merge`
 * refuses overlaps and, unless asked, gaps.
 *
 * @module
 */
import { ONE, Rat, ZERO } from "./_rational.ts";
import type { ExecutionSegment } from "./execution_segment.ts";

/** What {@link segmentCoverage} found. */
export interface SegmentCoverage {
  /** The indexes (into the input) in segment order. */
  readonly order: readonly number[];
  /** The first pair of inputs whose segments overlap, if any. */
  readonly overlap?: readonly [number, number];
  /** The parts of `0:1` no segment covers, as k6 writes segments. */
  readonly missing: readonly string[];
}

function bounds(segment: ExecutionSegment): [Rat, Rat] {
  const [from, to] = segment.toString().split(":").map((text) =>
    Rat.parse(text)!
  );
  return [from, to];
}

/**
 * Checks how segments cover the whole test.
 *
 * @param segments The segments, in any order.
 * @returns Their order, the first overlap and the gaps.
 *
 * @example Two quarters overlap, the last quarter is missing
 * ```ts
 * import { segmentCoverage } from "./segment_coverage.ts";
 * import { ExecutionSegment } from "./execution_segment.ts";
 * import assert from "node:assert/strict";
 *
 * const coverage = segmentCoverage(
 *   ["1/4:1/2", "0:1/4", "1/4:1/2"].map((text) => ExecutionSegment.parse(text)),
 * );
 * assert.deepEqual(coverage.order, [1, 0, 2]);
 * assert.deepEqual(coverage.overlap, [0, 2]);
 * assert.deepEqual(coverage.missing, ["1/2:1"]);
 * ```
 */
export function segmentCoverage(
  segments: readonly ExecutionSegment[],
): SegmentCoverage {
  const all = segments.map((segment, index) => ({
    index,
    bounds: bounds(segment),
  }));
  all.sort((a, b) =>
    a.bounds[0].cmp(b.bounds[0]) || a.bounds[1].cmp(b.bounds[1]) ||
    a.index - b.index
  );
  let overlap: [number, number] | undefined;
  const missing: string[] = [];
  let reached = ZERO;
  let last = -1;
  for (const { index, bounds: [from, to] } of all) {
    if (from.cmp(reached) < 0) {
      overlap ??= [last, index];
    } else if (from.cmp(reached) > 0) {
      missing.push(`${reached}:${from}`);
    }
    if (to.cmp(reached) > 0) {
      reached = to;
      last = index;
    }
  }
  if (reached.cmp(ONE) < 0) missing.push(`${reached}:${ONE}`);
  return { order: all.map(({ index }) => index), overlap, missing };
}
