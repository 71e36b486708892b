/**
 * Go's `strconv.ParseFloat`, with its error texts: k6 parses threshold and
 * trend-stat numbers with it, and scripts see its messages.
 *
 * @module
 */
import { goQuote } from "./go_quote.ts";

/** The result of {@link goParseFloat}: a value, or an error text. */
export type GoFloatResult =
  | { readonly ok: true; readonly value: number }
  | { readonly ok: false; readonly error: string };

// Go's decimal float literal (underscores checked separately) and its
// hexadecimal form, which requires a binary exponent.
const DECIMAL = /^[+-]?(?:[0-9_]+\.?[0-9_]*|\.[0-9_]+)(?:[eE][+-]?[0-9_]+)?$/;
const HEX =
  /^([+-]?)0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?[0-9_]+)$/;
const SPECIAL = /^(?:([+-]?)(?:inf|infinity)|nan)$/i;

/**
 * Parses a number the way Go's `strconv.ParseFloat(s, 64)` does (k6 reads
 * threshold and trend-stat numbers with it), with messages that name the
 * value instead of Go's function: `"x" is not a number`, `"1e400" is out
 * of range for a number`.
 *
 * @param text The text, used as is (no trimming).
 * @returns The value, or the error text.
 */
export function goParseFloat(text: string): GoFloatResult {
  const special = SPECIAL.exec(text);
  if (special) {
    const value = /nan/i.test(text)
      ? NaN
      : special[1] === "-"
      ? -Infinity
      : Infinity;
    return { ok: true, value };
  }
  let value: number;
  const hex = HEX.exec(text);
  if (hex && hasDigit(hex[2] + (hex[3] ?? "")) && underscoresOk(text)) {
    value = hexValue(hex[2], hex[3] ?? "", hex[4]);
    if (hex[1] === "-") value = -value;
  } else if (DECIMAL.test(text) && hasDigit(text) && underscoresOk(text)) {
    value = Number(text.replaceAll("_", ""));
  } else {
    return { ok: false, error: parseFloatError(text, "invalid syntax") };
  }
  if (!Number.isFinite(value)) {
    return { ok: false, error: parseFloatError(text, "value out of range") };
  }
  return { ok: true, value };
}

function parseFloatError(text: string, reason: string): string {
  return reason === "invalid syntax"
    ? `${goQuote(text)} is not a number`
    : `${goQuote(text)} is out of range for a number`;
}

function hasDigit(text: string): boolean {
  return /[0-9a-fA-F]/.test(text.replace(/[eEpP][+-]?[0-9_]+$/, ""));
}

// Go allows an underscore only between two digits (or after a base prefix).
function underscoresOk(text: string): boolean {
  if (!text.includes("_")) return true;
  let body = text.replace(/^[+-]/, "");
  let previous = "^";
  let hexDigits = false;
  if (/^0[xXbBoO]/.test(body)) {
    hexDigits = /^0[xX]/.test(body);
    body = body.slice(2);
    previous = "0";
  }
  for (const char of body) {
    const digit = hexDigits ? /[0-9a-fA-F]/.test(char) : /[0-9]/.test(char);
    if (digit) {
      previous = "0";
    } else if (char === "_") {
      if (previous !== "0") return false;
      previous = "_";
    } else {
      if (previous === "_") return false;
      previous = "!";
    }
  }
  return previous !== "_";
}

function hexValue(whole: string, fraction: string, exponent: string): number {
  const digits = (whole + fraction).replaceAll("_", "");
  const mantissa = digits === "" ? 0 : parseInt(digits, 16);
  const shift = Number(exponent.replaceAll("_", "")) -
    4 * fraction.replaceAll("_", "").length;
  return mantissa * 2 ** shift;
}
