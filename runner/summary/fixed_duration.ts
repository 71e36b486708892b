/**
 * k6's fixed-width durations for live progress (`00m12.8s`): the width is
 * decided by the largest value the field will show, so the text does not
 * jump around while it counts up.
 *
 * @module
 */

const NS_PER_MS = 1_000_000;
const TENTH_NS = 100 * NS_PER_MS;
const SECOND_NS = 1_000 * NS_PER_MS;
const MINUTE_NS = 60 * SECOND_NS;
const HOUR_NS = 60 * MINUTE_NS;

/**
 * Rounds a duration to a multiple, half away from zero (Go's
 * `time.Duration.Round`), in whole nanoseconds.
 *
 * @param ms The duration in milliseconds.
 * @param multipleMs The multiple in milliseconds (positive).
 * @returns The rounded duration in milliseconds.
 *
 * @example Round to a tenth of a second
 * ```ts
 * import { roundDuration } from "./fixed_duration.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(roundDuration(12_849, 100), 12_800);
 * assert.equal(roundDuration(12_850, 100), 12_900);
 * ```
 */
export function roundDuration(ms: number, multipleMs: number): number {
  return roundNs(toNs(ms), toNs(multipleMs)) / NS_PER_MS;
}

/**
 * Formats a duration with a fixed width, as k6's progress lines do (Go's
 * `pb.GetFixedLengthDuration`): tenths of a second, and the minute, hour and
 * day fields that `maxMs` needs, zero-padded: `9.9s`, `01.1s`, `0m01.1s`,
 * `00m01.1s`, `0h03m03.0s`, `1d01h00m00.0s`. Negative values print as
 * their absolute value.
 *
 * @param ms The duration in milliseconds.
 * @param maxMs The largest duration the field shows (e.g. the scenario's
 * duration); a smaller `ms` than this never widens the text.
 * @returns The text.
 *
 * @example Elapsed time of a 30s and of a 10m test
 * ```ts
 * import { formatFixedDuration } from "./fixed_duration.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatFixedDuration(13_500, 30_000), "13.5s");
 * assert.equal(formatFixedDuration(12_800, 640_000), "00m12.8s");
 * assert.equal(formatFixedDuration(183_000, 7_200_000), "0h03m03.0s");
 * ```
 */
export function formatFixedDuration(ms: number, maxMs: number): string {
  const value = Math.abs(toNs(ms));
  let max = Math.max(Math.abs(toNs(maxMs)), value);
  max = roundNs(max, TENTH_NS);
  let units = roundNs(value, TENTH_NS) / TENTH_NS;
  const tenths = units % 10;
  units = Math.floor(units / 10);
  const seconds = units % 10;
  units = Math.floor(units / 10);
  let text = `${seconds}.${tenths}s`;
  if (max < 10 * SECOND_NS) return text;
  text = `${units % 6}${text}`;
  units = Math.floor(units / 6);
  if (max < MINUTE_NS) return text;
  text = `${units % 10}m${text}`;
  units = Math.floor(units / 10);
  if (max < 10 * MINUTE_NS) return text;
  text = `${units % 6}${text}`;
  units = Math.floor(units / 6);
  if (max < HOUR_NS) return text;
  const hours = units % 24;
  units = Math.floor(units / 24);
  text = `${hours % 10}h${text}`;
  if (max < 10 * HOUR_NS) return text;
  text = `${Math.floor(hours / 10)}${text}`;
  if (max < 24 * HOUR_NS) return text;
  // Days: one digit, plus one per power of ten of 10-day spans in `max`.
  let days = `${units % 10}`;
  units = Math.floor(units / 10);
  for (
    let spans = Math.floor(max / (240 * HOUR_NS));
    spans > 0;
    spans = Math.floor(spans / 10)
  ) {
    days = `${units % 10}${days}`;
    units = Math.floor(units / 10);
  }
  return `${days}d${text}`;
}

function toNs(ms: number): number {
  return Math.round(ms * NS_PER_MS);
}

function roundNs(ns: number, multiple: number): number {
  const negative = ns < 0;
  const magnitude = Math.abs(ns);
  const remainder = magnitude % multiple;
  const rounded = remainder + remainder < multiple
    ? magnitude - remainder
    : magnitude + multiple - remainder;
  return negative ? -rounded : rounded;
}
