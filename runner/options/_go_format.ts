/**
 * The few Go formatting rules k6's texts depend on.
 *
 * @module
 */

/**
 * Formats like Go's `%.<digits>f`: JavaScript's `toFixed`, except that an
 * exact tie rounds to the even digit (Go) instead of away from zero (JS).
 *
 * @param value The number.
 * @param digits The number of decimals (0-20).
 * @returns The text.
 */
export function formatFixed(value: number, digits: number): string {
  const rounded = value.toFixed(digits);
  if (!Number.isFinite(value)) return rounded;
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

/**
 * Quotes like Go's `strconv.Quote` (close enough for error messages).
 *
 * @param text The text.
 * @returns The quoted text.
 */
export function goQuote(text: string): string {
  return JSON.stringify(text);
}
