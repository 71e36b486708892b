/**
 * Go's and k6's duration syntax: `time.ParseDuration` (`1h2m3.5s`, `500ms`,
 * `250us`) and k6's extension (`types.ParseExtendedDuration`: a plain number
 * means milliseconds, a leading day count `2d12h`). Values are milliseconds.
 * Shared by the runner's options and `k6/http`'s `timeout` param.
 *
 * @module
 */
import { goQuote } from "./go_quote.ts";

const NS_PER_MS = 1e6;
const UNIT_NS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  "µs": 1e3, // U+00B5 micro sign
  "μs": 1e3, // U+03BC Greek mu
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses Go's duration syntax strictly (`time.ParseDuration`), as k6's CLI
 * flags (`--duration`, `--stage`) do: a unit is required except for `0`.
 *
 * @param text The duration text, e.g. `1m30s`, `-1.5h`, `300ms`.
 * @returns The duration in milliseconds.
 * @throws {SyntaxError} Naming the value and what is allowed, e.g.
 * `missing unit in duration "1000" (e.g. 1000ms or 1000s)`, `invalid
 * duration "abc" (e.g. 30s, 1m30s, 500ms)`, `unknown unit "x" in duration
 * "1x" (units: ns, us, ms, s, m, h)`.
 *
 * @example Parse a CLI duration
 * ```ts
 * import { parseGoDuration } from "./go_duration.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parseGoDuration("1m30s"), 90_000);
 * assert.throws(() => parseGoDuration("1000"), SyntaxError);
 * ```
 */
export function parseGoDuration(text: string): number {
  const invalid = () =>
    new SyntaxError(
      `invalid duration ${goQuote(text)} (e.g. 30s, 1m30s, 500ms)`,
    );
  let rest = text;
  let negative = false;
  if (rest[0] === "-" || rest[0] === "+") {
    negative = rest[0] === "-";
    rest = rest.slice(1);
  }
  if (rest === "0") return 0;
  if (rest === "") throw invalid();
  let totalNs = 0;
  while (rest !== "") {
    const number = /^(\d*)(?:\.(\d*))?/.exec(rest)!;
    const [consumed, whole, fraction] = number;
    if (whole === "" && (fraction ?? "") === "") throw invalid();
    rest = rest.slice(consumed.length);
    const unitMatch = /^[^\d.]+/.exec(rest);
    if (!unitMatch) {
      throw new SyntaxError(
        `missing unit in duration ${
          goQuote(text)
        } (e.g. ${consumed}ms or ${consumed}s)`,
      );
    }
    const unit = unitMatch[0];
    rest = rest.slice(unit.length);
    const unitNs = UNIT_NS[unit];
    if (unitNs === undefined) {
      throw new SyntaxError(
        `unknown unit ${goQuote(unit)} in duration ${
          goQuote(text)
        } (units: ns, us, ms, s, m, h)`,
      );
    }
    totalNs += Number(whole || "0") * unitNs;
    if (fraction) totalNs += Number(`0.${fraction}`) * unitNs;
    if (!Number.isFinite(totalNs) || totalNs > 2 ** 63) throw invalid();
  }
  return (negative ? -totalNs : totalNs) / NS_PER_MS;
}

/**
 * Parses a duration the way k6 reads options from scripts, config files and
 * environment variables (`types.ParseExtendedDuration`): a number, or text
 * that is a plain number, means milliseconds; otherwise Go's syntax with an
 * optional leading day count (`2d`, `1d12h`).
 *
 * @param value The duration: a number of milliseconds or text.
 * @returns The duration in milliseconds.
 * @throws {SyntaxError} With Go's text for malformed text (see
 * {@link parseGoDuration}), or `"x" is not an integer` for a malformed
 * day count.
 * @throws {TypeError} When the value is neither a string nor a finite number.
 *
 * @example Parse option durations
 * ```ts
 * import { parseDuration } from "./go_duration.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parseDuration("1m30s"), 90_000);
 * assert.equal(parseDuration("500"), 500);
 * assert.equal(parseDuration(1500), 1500);
 * assert.equal(parseDuration("1d2h"), 26 * 3_600_000);
 * ```
 */
export function parseDuration(value: string | number): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new TypeError(`'${value}' is not a valid duration value`);
    }
    return value;
  }
  if (typeof value !== "string") {
    throw new TypeError(
      `a duration must be a string like "1m30s" or a number of milliseconds, got ${typeof value}`,
    );
  }
  if (PLAIN_NUMBER.test(value)) return Number(value);
  const dayIndex = value.indexOf("d");
  if (dayIndex < 0) return parseGoDuration(value);
  let restMs = 0;
  if (dayIndex + 1 < value.length) {
    const rest = value.slice(dayIndex + 1);
    restMs = parseGoDuration(rest);
    if (restMs < 0) throw new SyntaxError(`invalid time format '${rest}'`);
  }
  const daysText = value.slice(0, dayIndex);
  if (!/^[+-]?\d+$/.test(daysText)) {
    throw new SyntaxError(`${goQuote(daysText)} is not an integer`);
  }
  const days = Number(daysText);
  if (days < 0) restMs = -restMs;
  return days * 86_400_000 + restMs;
}
