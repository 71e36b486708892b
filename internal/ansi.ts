/**
 * ANSI SGR sequences exactly as k6 emits them. k6 has three colourers with
 * different byte output, so each is reproduced separately:
 * - the new summary (`summary.js`): styles before the colour, reset `0`
 *   (`\x1b[2;37m...\x1b[0m`);
 * - the legacy summary and the k6-summary jslib: colour before the styles,
 *   reset `0` (`\x1b[36;2m...\x1b[0m`);
 * - Go's fatih/color (header, progress bars): reset per attribute, `22`
 *   after bold or faint, `0` after a colour.
 *
 * @module
 */

/** SGR parameter numbers used by k6. */
export const SGR = {
  bold: 1,
  faint: 2,
  red: 31,
  green: 32,
  cyan: 36,
  white: 37,
} as const;

/**
 * Wraps text in one SGR sequence made of `codes` (joined with `;`) and a
 * plain reset.
 *
 * @param text The text.
 * @param codes The SGR parameters, in the order they are written.
 * @returns The decorated text.
 *
 * @example Faint white, as k6's new summary writes it
 * ```ts
 * import { SGR, sgr } from "./ansi.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(sgr("x", SGR.faint, SGR.white), "\x1b[2;37mx\x1b[0m");
 * ```
 */
export function sgr(text: string, ...codes: readonly number[]): string {
  return `\x1b[${codes.join(";")}m${text}\x1b[0m`;
}

/**
 * Decorates like Go's fatih/color `Sprint` with one attribute: a colour is
 * reset with `0`, bold and faint with `22`.
 *
 * @param text The text.
 * @param code The SGR attribute.
 * @returns The decorated text.
 *
 * @example Bold is reset with 22, a colour with 0
 * ```ts
 * import { goColor, SGR } from "./ansi.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(goColor("x", SGR.bold), "\x1b[1mx\x1b[22m");
 * assert.equal(goColor("x", SGR.cyan), "\x1b[36mx\x1b[0m");
 * ```
 */
export function goColor(text: string, code: number): string {
  const reset = code === SGR.bold || code === SGR.faint ? 22 : 0;
  return `\x1b[${code}m${text}\x1b[${reset}m`;
}
