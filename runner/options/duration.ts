/**
 * Durations the way k6 reads and prints them. Values are milliseconds
 * (fractional allowed); text is Go's duration syntax (`1h2m3.5s`, `500ms`,
 * `250us`), which k6 extends with days (`2d12h`) and plain numbers meaning
 * milliseconds (`"1500"`, `1500`). Printing follows Go's
 * `time.Duration.String()`: `10m0s`, `1m30s`, `500ms`, `1.5µs`, `0s`.
 *
 * @module
 */
export { parseDuration, parseGoDuration } from "../../internal/go_duration.ts";

const NS_PER_MS = 1e6;

/**
 * Prints a duration like Go's `time.Duration.String()`, as k6 does in plan
 * descriptions and messages: `0s`, `500ms`, `1.5s`, `1m30s`, `10m0s`,
 * `2h0m0s`; below a second the unit shrinks to `ms`, `µs` or `ns`.
 *
 * @param ms The duration in milliseconds (rounded to whole nanoseconds).
 * @returns The text.
 *
 * @example Print durations
 * ```ts
 * import { formatDuration } from "./duration.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatDuration(600_000), "10m0s");
 * assert.equal(formatDuration(90_000), "1m30s");
 * assert.equal(formatDuration(500), "500ms");
 * assert.equal(formatDuration(0), "0s");
 * ```
 */
export function formatDuration(ms: number): string {
  let ns = BigInt(Math.round(ms * NS_PER_MS));
  const negative = ns < 0n;
  if (negative) ns = -ns;
  let text: string;
  if (ns === 0n) return "0s";
  if (ns < 1_000_000_000n) {
    if (ns < 1_000n) text = `${ns}ns`;
    else if (ns < 1_000_000n) text = `${fraction(ns, 3)}µs`;
    else text = `${fraction(ns, 6)}ms`;
  } else {
    const seconds = fraction(ns % 60_000_000_000n, 9);
    const totalMinutes = ns / 60_000_000_000n;
    if (totalMinutes === 0n) text = `${seconds}s`;
    else {
      const minutes = totalMinutes % 60n;
      const hours = totalMinutes / 60n;
      text = hours > 0n
        ? `${hours}h${minutes}m${seconds}s`
        : `${minutes}m${seconds}s`;
    }
  }
  return negative ? `-${text}` : text;
}

/** `value / 10**digits` in decimal, trailing zeros (and a bare point) dropped. */
function fraction(value: bigint, digits: number): string {
  const scale = 10n ** BigInt(digits);
  const whole = value / scale;
  const rest = (value % scale).toString().padStart(digits, "0").replace(
    /0+$/,
    "",
  );
  return rest === "" ? `${whole}` : `${whole}.${rest}`;
}
