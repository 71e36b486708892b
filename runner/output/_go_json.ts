/**
 * JSON text exactly as Go's `encoding/json` writes it with
 * `SetEscapeHTML(false)`, which is how k6's outputs encode: numbers in
 * ECMAScript's shortest form (Go even cleans `e-07` up to `e-7`), `-0`
 * kept, U+2028/U+2029 escaped, invalid UTF-16 replaced by `\ufffd`, and map
 * keys sorted.
 *
 * @module
 */

// Go writes these escaped even without HTML escaping; a lone surrogate is
// what invalid UTF-8 becomes in a JavaScript string.
const NEEDS_SLOW_PATH = /[\u2028\u2029\ud800-\udfff]/;

/**
 * Encodes a number like Go's `encoding/json` encodes a `float64`.
 *
 * @param value The number.
 * @returns The JSON text, or `undefined` for NaN and infinities, which Go
 * refuses to encode.
 */
export function goJsonNumber(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  // Go's cut-offs for exponent notation (< 1e-6, >= 1e21) and its shortest
  // round-trip digits are ECMAScript's; only negative zero differs.
  return Object.is(value, -0) ? "-0" : String(value);
}

/**
 * Encodes a string like Go's `encoding/json` with HTML escaping off.
 *
 * @param text The string.
 * @returns The quoted JSON string.
 */
export function goJsonString(text: string): string {
  if (!NEEDS_SLOW_PATH.test(text)) return JSON.stringify(text);
  let out = '"';
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += text[index] + text[index + 1];
        index++;
      } else {
        out += "\\ufffd";
      }
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      out += "\\ufffd";
    } else if (code === 0x2028 || code === 0x2029) {
      out += `\\u${code.toString(16)}`;
    } else {
      out += JSON.stringify(text[index]).slice(1, -1);
    }
  }
  return out + '"';
}

/**
 * Compares two strings in UTF-8 byte order, Go's string order (JavaScript's
 * `<` compares UTF-16 code units, which orders characters above U+FFFF
 * before U+E000–U+FFFF).
 *
 * @param a One string.
 * @param b The other.
 * @returns Negative, zero or positive.
 */
export function compareGoStrings(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x === y) continue;
    // Surrogates (astral characters) sort after every other BMP unit.
    const xRank = x >= 0xd800 && x <= 0xdfff ? x + 0x10000 : x;
    const yRank = y >= 0xd800 && y <= 0xdfff ? y + 0x10000 : y;
    return xRank - yRank;
  }
  return a.length - b.length;
}

/**
 * Encodes a string map like Go's `encoding/json` encodes a
 * `map[string]string`: keys sorted.
 *
 * @param map The map.
 * @returns The JSON object text.
 */
export function goJsonStringMap(map: Readonly<Record<string, string>>): string {
  const keys = Object.keys(map).sort(compareGoStrings);
  let out = "{";
  for (const [index, key] of keys.entries()) {
    if (index > 0) out += ",";
    out += `${goJsonString(key)}:${goJsonString(map[key])}`;
  }
  return out + "}";
}
