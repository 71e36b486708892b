/**
 * The values a summary shows for one metric, picked from what the engine
 * computed, the way k6's summaries pick them from a metric's sink.
 *
 * @module
 */
import type { MetricType } from "../../metrics/metric.ts";

const VALUE_KEYS: Readonly<Record<Exclude<MetricType, "trend">, string[]>> = {
  counter: ["count", "rate"],
  gauge: ["value", "min", "max"],
  rate: ["rate", "passes", "fails"],
};

/**
 * The values k6 reports for a metric, in k6's key order: counter `count`,
 * `rate`; gauge `value`, `min`, `max`; rate `rate`, `passes`, `fails`; trend
 * one key per trend stat.
 *
 * @param metric The metric: its name (for the error text), type and values.
 * @param trendStats The trend stats to report.
 * @returns A new values object.
 * @throws {RangeError} When a value the summary needs is missing (the engine
 * computed the snapshot for other trend stats).
 */
export function summaryValues(
  metric: {
    readonly name: string;
    readonly type: MetricType;
    readonly values: Readonly<Record<string, number>>;
  },
  trendStats: readonly string[],
): Record<string, number> {
  const keys = metric.type === "trend" ? trendStats : VALUE_KEYS[metric.type];
  const values: Record<string, number> = {};
  for (const key of keys) {
    const value = metric.values[key];
    if (typeof value !== "number") {
      throw new RangeError(
        `Metric '${metric.name}' has no '${key}' value; the summary needs the values computed for trend stats ${
          JSON.stringify(trendStats)
        }`,
      );
    }
    values[key] = value;
  }
  return values;
}
