/**
 * How k6's end-of-test summaries print a metric value: rates as truncated
 * percentages, bytes in decimal units, times in the largest fitting unit
 * (truncated, not rounded) or in the `--summary-time-unit`, plain numbers
 * with up to six decimals.
 *
 * @module
 */
import type { MetricType, ValueType } from "../../metrics/metric.ts";

/** What decides a value's format: the metric's type and what it contains. */
export interface MetricKind {
  /** Counter, gauge, rate or trend. */
  readonly type: MetricType;
  /** Plain numbers, milliseconds or bytes. */
  readonly contains: ValueType;
}

const BYTE_UNITS = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
const TIME_UNITS: Readonly<Record<string, { unit: string; perMs: number }>> = {
  s: { unit: "s", perMs: 0.001 },
  ms: { unit: "ms", perMs: 1 },
  us: { unit: "µs", perMs: 1000 },
};

/**
 * Formats one metric value as k6's summaries (and the k6-summary jslib's
 * `humanizeValue`) do.
 *
 * - rate metrics: the fraction as a percentage truncated to two decimals
 *   (`0.97109` → `97.10%`);
 * - `data`: bytes in 1000-based units, one decimal under 10 (`2.2 MB`,
 *   `74 kB`, `9 B`);
 * - `time` (milliseconds): `0s`; `Nns` under a microsecond; `x.xxµs`,
 *   `x.xxms`, `x.xxs` below a microsecond, second and minute (truncated,
 *   trailing zeros dropped); `XmYs` and `XhYmZs` above, whole seconds; with a
 *   time unit (`s`, `ms`, `us`) always `value.toFixed(2)` in that unit;
 * - anything else: up to six decimals, trailing zeros dropped.
 *
 * @param value The value.
 * @param metric The metric's type and value type.
 * @param timeUnit k6's `summaryTimeUnit`: `s`, `ms` or `us`; anything else
 * (`""`, `null`, omitted) picks the unit per value.
 * @returns The formatted value.
 *
 * @example Format values like k6
 * ```ts
 * import { humanizeValue } from "./format.ts";
 * import assert from "node:assert/strict";
 *
 * const time = { type: "trend", contains: "time" } as const;
 * assert.equal(humanizeValue(121.8777, time), "121.87ms");
 * assert.equal(humanizeValue(90_500, time), "1m30s");
 * assert.equal(humanizeValue(121.8777, time, "s"), "0.12s");
 * assert.equal(humanizeValue(0.97109, { type: "rate", contains: "default" }), "97.10%");
 * assert.equal(humanizeValue(2_200_000, { type: "counter", contains: "data" }), "2.2 MB");
 * ```
 */
export function humanizeValue(
  value: number,
  metric: MetricKind,
  timeUnit?: string | null,
): string {
  if (metric.type === "rate") {
    return (Math.trunc(value * 100 * 100) / 100).toFixed(2) + "%";
  }
  switch (metric.contains) {
    case "data":
      return humanizeBytes(value);
    case "time":
      return humanizeDuration(value, timeUnit);
    default:
      return toFixedNoTrailingZeros(value, 6);
  }
}

function humanizeBytes(bytes: number): string {
  if (bytes < 10) return `${bytes} B`;
  const exponent = Math.floor(Math.log(bytes) / Math.log(1000));
  const scaled = Math.floor((bytes / Math.pow(1000, exponent)) * 10 + 0.5) /
    10;
  return `${scaled.toFixed(scaled < 10 ? 1 : 0)} ${BYTE_UNITS[exponent | 0]}`;
}

function humanizeDuration(ms: number, timeUnit?: string | null): string {
  if (timeUnit && Object.hasOwn(TIME_UNITS, timeUnit)) {
    const { unit, perMs } = TIME_UNITS[timeUnit];
    return (ms * perMs).toFixed(2) + unit;
  }
  if (ms === 0) return "0s";
  if (ms < 0.001) return `${Math.trunc(ms * 1_000_000)}ns`;
  if (ms < 1) return `${truncateNoTrailingZeros(ms * 1000, 2)}µs`;
  if (ms < 1000) return `${truncateNoTrailingZeros(ms, 2)}ms`;
  let text = `${
    truncateNoTrailingZeros((ms % 60_000) / 1000, ms > 60_000 ? 0 : 2)
  }s`;
  let rest = Math.trunc(ms / 60_000);
  if (rest < 1) return text;
  text = `${rest % 60}m${text}`;
  rest = Math.trunc(rest / 60);
  if (rest < 1) return text;
  return `${rest}h${text}`;
}

function toFixedNoTrailingZeros(value: number, digits: number): string {
  return parseFloat(value.toFixed(digits)).toString();
}

function truncateNoTrailingZeros(value: number, digits: number): string {
  const scale = Math.pow(10, digits);
  return toFixedNoTrailingZeros(Math.trunc(scale * value) / scale, digits);
}
