/**
 * Numbers printed as Go prints them, for k6's texts.
 *
 * @module
 */

/**
 * Formats like Go's `%.<digits>f` of a float64: JavaScript's `toFixed`,
 * except that an exact tie rounds to the even digit (Go) instead of away
 * from zero (JS), and the special values are Go's (`NaN`, `+Inf`, `-Inf`,
 * `-0.00`).
 *
 * @param value The number.
 * @param digits The number of decimals (0-20).
 * @returns The text.
 *
 * @example Ties go to the even digit, as in Go
 * ```ts
 * import { formatFixed } from "./go_format.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatFixed(-0.125, 2), "-0.12");
 * assert.equal(formatFixed(2.5, 0), "2");
 * assert.equal(formatFixed(Infinity, 2), "+Inf");
 * ```
 */
export function formatFixed(value: number, digits: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  if (Object.is(value, -0)) return `-${(0).toFixed(digits)}`;
  const rounded = value.toFixed(digits);
  // The exact decimal expansion shows whether the value sits exactly half
  // way; a double that is not a tie differs from it well within 40 digits.
  const exact = Math.abs(value).toFixed(Math.min(100, digits + 40));
  const point = exact.indexOf(".");
  const tail = exact.slice(point + 1 + digits);
  if (!/^50*$/.test(tail)) return rounded;
  const truncated = exact.slice(0, digits === 0 ? point : point + 1 + digits);
  const lastDigit = Number(truncated[truncated.length - 1]);
  if (lastDigit % 2 !== 0) return rounded;
  return `${value < 0 ? "-" : ""}${truncated}`;
}
