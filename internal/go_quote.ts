/**
 * Go's `%q` quoting, which k6's error texts use.
 *
 * @module
 */

const QUOTE_ESCAPES: Readonly<Record<string, string>> = {
  "\x07": "\\a",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\v": "\\v",
  '"': '\\"',
  "\\": "\\\\",
};

/**
 * Quotes a string the way Go's `%q` verb does.
 *
 * @param text The string.
 * @returns The double-quoted, escaped string.
 */
export function goQuote(text: string): string {
  let quoted = '"';
  for (const char of text) {
    const escape = QUOTE_ESCAPES[char];
    if (escape !== undefined) {
      quoted += escape;
      continue;
    }
    const code = char.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) {
      quoted += `\\x${code.toString(16).padStart(2, "0")}`;
    } else if (/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}]/u.test(char)) {
      quoted += code > 0xffff
        ? `\\U${code.toString(16).padStart(8, "0")}`
        : `\\u${code.toString(16).padStart(4, "0")}`;
    } else {
      quoted += char;
    }
  }
  return quoted + '"';
}
