/**
 * Base64 as Go's `encoding/base64` does it (k6's `k6/encoding` is built on
 * it): standard and URL alphabets, padded or raw, and Go's decoding rules
 * and error offsets.
 *
 * @module
 */

/** A base64 alphabet: RFC 4648 standard (`+/`) or URL-safe (`-_`). */
export type Base64Alphabet = "std" | "url";

const LETTERS_AND_DIGITS =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const ALPHABETS: Record<Base64Alphabet, string> = {
  std: `${LETTERS_AND_DIGITS}+/`,
  url: `${LETTERS_AND_DIGITS}-_`,
};

function decodeTable(alphabet: string): Int8Array {
  const table = new Int8Array(256).fill(-1);
  for (let index = 0; index < alphabet.length; index++) {
    table[alphabet.charCodeAt(index)] = index;
  }
  return table;
}

const DECODE_TABLES: Record<Base64Alphabet, Int8Array> = {
  std: decodeTable(ALPHABETS.std),
  url: decodeTable(ALPHABETS.url),
};

const PAD = 0x3d; // "="
const isNewline = (byte: number): boolean => byte === 0x0a || byte === 0x0d;

/**
 * Encodes bytes as base64.
 *
 * @param bytes The data.
 * @param alphabet `"std"` or `"url"`.
 * @param padded Whether to pad with `=` to a multiple of 4 characters.
 * @returns The base64 text.
 *
 * @example Raw URL-safe base64
 * ```ts
 * import { encodeBase64 } from "./_base64.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(encodeBase64(new Uint8Array([0xfb, 0xff]), "url", false), "-_8");
 * ```
 */
export function encodeBase64(
  bytes: Uint8Array,
  alphabet: Base64Alphabet,
  padded: boolean,
): string {
  const digits = ALPHABETS[alphabet];
  const parts: string[] = [];
  let index = 0;
  for (; index + 2 < bytes.length; index += 3) {
    const group = (bytes[index] << 16) | (bytes[index + 1] << 8) |
      bytes[index + 2];
    parts.push(
      digits[group >>> 18] + digits[(group >>> 12) & 63] +
        digits[(group >>> 6) & 63] + digits[group & 63],
    );
  }
  const left = bytes.length - index;
  if (left > 0) {
    const group = (bytes[index] << 16) |
      (left === 2 ? bytes[index + 1] << 8 : 0);
    let tail = digits[group >>> 18] + digits[(group >>> 12) & 63];
    if (left === 2) tail += digits[(group >>> 6) & 63];
    if (padded) tail += left === 1 ? "==" : "=";
    parts.push(tail);
  }
  return parts.join("");
}

/**
 * Decodes base64 text with Go's rules: the text's UTF-8 bytes are read in
 * quanta of four; CR and LF are skipped anywhere; padding is required
 * (padded) or forbidden (raw); nothing may follow the padding; unused
 * trailing bits are ignored.
 *
 * @param text The base64 text.
 * @param alphabet `"std"` or `"url"`.
 * @param padded Whether the text is padded.
 * @returns The bytes.
 * @throws {SyntaxError} `illegal base64 data at input byte <n>` (Go's text;
 * `n` counts UTF-8 bytes).
 *
 * @example Padding is checked
 * ```ts
 * import { decodeBase64 } from "./_base64.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(decodeBase64("aGk=", "std", true), new Uint8Array([104, 105]));
 * assert.throws(() => decodeBase64("aGk", "std", true), {
 *   message: "illegal base64 data at input byte 0",
 * });
 * ```
 */
export function decodeBase64(
  text: string,
  alphabet: Base64Alphabet,
  padded: boolean,
): Uint8Array<ArrayBuffer> {
  const source = new TextEncoder().encode(text);
  const table = DECODE_TABLES[alphabet];
  const output = new Uint8Array(Math.ceil(source.length / 4) * 3);
  const illegal = (offset: number): SyntaxError =>
    new SyntaxError(`illegal base64 data at input byte ${offset}`);
  let written = 0;
  let position = 0;
  const quantum = [0, 0, 0, 0];
  while (position < source.length) {
    let filled = 4;
    quantum.fill(0);
    for (let slot = 0; slot < 4; slot++) {
      if (position === source.length) {
        if (slot === 0) return output.slice(0, written);
        if (slot === 1 || padded) throw illegal(position - slot);
        filled = slot;
        break;
      }
      const byte = source[position++];
      const digit = table[byte];
      if (digit >= 0) {
        quantum[slot] = digit;
        continue;
      }
      if (isNewline(byte)) {
        slot--;
        continue;
      }
      if (!padded || byte !== PAD || slot < 2) throw illegal(position - 1);
      if (slot === 2) {
        // "==" is due: the second "=" must follow (newlines aside).
        while (position < source.length && isNewline(source[position])) {
          position++;
        }
        if (position === source.length) throw illegal(source.length);
        if (source[position] !== PAD) throw illegal(position - 1);
        position++;
      }
      while (position < source.length && isNewline(source[position])) {
        position++;
      }
      if (position < source.length) throw illegal(position);
      filled = slot;
      break;
    }
    const group = (quantum[0] << 18) | (quantum[1] << 12) | (quantum[2] << 6) |
      quantum[3];
    output[written++] = group >>> 16;
    if (filled >= 3) output[written++] = (group >>> 8) & 0xff;
    if (filled === 4) output[written++] = group & 0xff;
  }
  return output.slice(0, written);
}
