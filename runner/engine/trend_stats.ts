/**
 * The trend columns of the summary (`summaryTrendStats`,
 * `--summary-trend-stats`): `avg`, `min`, `med`, `max`, `count` and `p(N)`.
 *
 * @module
 */
import { goParseFloat } from "../../internal/go_float.ts";

/** A percentile column: its key as written (`p(99.9)`) and N. */
export interface PercentileStat {
  /** The column key, as written, e.g. `p(95)`. */
  readonly key: string;
  /** The percentile, between 0 and 100. */
  readonly percentile: number;
}

/** k6's default `summaryTrendStats`. */
export const DEFAULT_TREND_STATS: readonly string[] = Object.freeze([
  "avg",
  "min",
  "med",
  "max",
  "p(90)",
  "p(95)",
]);

const STATIC_STATS: readonly string[] = ["avg", "min", "med", "max", "count"];

/**
 * Validates `summaryTrendStats` values with k6's error texts and returns
 * the percentile columns among them.
 *
 * @param stats The columns, e.g. `["avg", "p(90)", "p(99.9)"]`.
 * @returns The `p(N)` columns, in the order given, without duplicates.
 * @throws {SyntaxError} `invalid trend stat 'x', unknown format` for a
 * column that is neither a static stat nor `p(...)`.
 * @throws {RangeError} `invalid percentile trend stat value 'p(x)', provide
 * a number between 0 and 100` for a bad or out-of-range percentile.
 *
 * @example Read the percentile columns
 * ```ts
 * import { parseTrendStats } from "./trend_stats.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseTrendStats(["avg", "p(99.9)", "count"]), [
 *   { key: "p(99.9)", percentile: 99.9 },
 * ]);
 * assert.throws(() => parseTrendStats(["median"]), SyntaxError);
 * ```
 */
export function parseTrendStats(stats: readonly string[]): PercentileStat[] {
  const percentiles: PercentileStat[] = [];
  for (const stat of stats) {
    if (STATIC_STATS.includes(stat)) continue;
    if (
      typeof stat !== "string" || !stat.startsWith("p(") || !stat.endsWith(")")
    ) {
      throw new SyntaxError(`invalid trend stat '${stat}', unknown format`);
    }
    const parsed = goParseFloat(stat.slice(2, -1));
    if (
      !parsed.ok || !(parsed.value >= 0 && parsed.value <= 100)
    ) {
      throw new RangeError(
        `invalid percentile trend stat value '${stat}', provide a number between 0 and 100`,
      );
    }
    if (!percentiles.some((known) => known.key === stat)) {
      percentiles.push({ key: stat, percentile: parsed.value });
    }
  }
  return percentiles;
}
