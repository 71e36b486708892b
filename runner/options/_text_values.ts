/**
 * Option values written as text (CLI flags, environment variables), parsed
 * the way k6 parses them, with k6's error texts.
 *
 * @module
 */
import { goQuote } from "../../internal/go_quote.ts";
import { parseGoDuration } from "./duration.ts";
import type { Stage } from "./scenario.ts";

/**
 * A decimal integer, as Go's `strconv.ParseInt(text, 10, 64)` reads it
 * (k6's flags and variables), with messages that name the value and what
 * is expected rather than Go's function.
 *
 * @param text The text.
 * @returns The integer.
 * @throws {SyntaxError} `"x" is not an integer`.
 * @throws {RangeError} `"x" is out of range for an integer`.
 */
export function parseInt64(text: string): number {
  if (!/^[+-]?\d+$/.test(text)) {
    throw new SyntaxError(`${goQuote(text)} is not an integer`);
  }
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`${goQuote(text)} is out of range for an integer`);
  }
  return value;
}

/**
 * k6's stage text `duration:target` (`Stage.UnmarshalText`): either part
 * may be empty (then unset); the duration uses Go's syntax (a unit is
 * required).
 *
 * @param text e.g. `30s:10`.
 * @returns The stage.
 * @throws {SyntaxError} For a malformed duration or target.
 */
export function parseStageText(text: string): Stage {
  const colon = text.indexOf(":");
  const durationText = colon < 0 ? text : text.slice(0, colon);
  const targetText = colon < 0 ? "" : text.slice(colon + 1);
  return Object.freeze({
    duration: durationText === "" ? undefined : parseGoDuration(durationText),
    target: targetText === "" ? undefined : parseInt64(targetText),
  });
}

/**
 * Checks a summary time unit: `s`, `ms` or `us`.
 *
 * @param unit The unit.
 * @throws {SyntaxError} `invalid summary time unit 'x', use 's', 'ms' or 'us'`.
 */
export function validateSummaryTimeUnit(unit: string): void {
  if (unit !== "s" && unit !== "ms" && unit !== "us") {
    throw new SyntaxError(
      `invalid summary time unit '${unit}', use 's', 'ms' or 'us'`,
    );
  }
}

/**
 * Splits a comma list the way k6's list flags and variables do; an empty
 * text is an empty list.
 *
 * @param text e.g. `avg,p(95)`.
 * @returns The items.
 */
export function splitList(text: string): string[] {
  return text.trim() === "" ? [] : text.split(",");
}
