/**
 * Sizes of what goes over the wire, for transports that cannot count bytes
 * (Deno's native WebSocket): UTF-8 lengths, RFC 6455 frame sizes, and the
 * close reason limit both adapters enforce.
 *
 * @module
 */

/** The longest close reason a frame can carry, in UTF-8 bytes. */
export const MAX_CLOSE_REASON_BYTES = 123;

/**
 * The UTF-8 length of a string, without encoding it. Lone surrogates count
 * as the 3 bytes of the U+FFFD they are sent as.
 *
 * @param text The string.
 * @returns Its length in UTF-8 bytes.
 *
 * @example ASCII, accents, symbols and emoji
 * ```ts
 * import { utf8Length } from "./wire_size.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(utf8Length("k6"), 2);
 * assert.equal(utf8Length("é"), 2);
 * assert.equal(utf8Length("☃"), 3);
 * assert.equal(utf8Length("😀"), 4);
 * ```
 */
export function utf8Length(text: string): number {
  const length = text.length;
  let bytes = length;
  for (let i = 0; i < length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) continue;
    if (unit < 0x800) {
      bytes += 1;
    } else if (
      unit >= 0xd800 && unit <= 0xdbff && i + 1 < length &&
      (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00
    ) {
      bytes += 2; // two UTF-16 units, four bytes
      i++;
    } else {
      bytes += 2;
    }
  }
  return bytes;
}

/**
 * The size of a frame on the wire (RFC 6455 §5.2): a 2, 4 or 10 byte header,
 * the 4-byte mask of client frames, and the payload.
 *
 * @param payloadLength The payload length in bytes.
 * @param masked Whether the frame is masked (sent by a client).
 * @returns The frame size in bytes.
 *
 * @example Header sizes
 * ```ts
 * import { frameSize } from "./wire_size.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(frameSize(125, false), 127);
 * assert.equal(frameSize(126, true), 126 + 4 + 4);
 * assert.equal(frameSize(65536, false), 65536 + 10);
 * ```
 */
export function frameSize(payloadLength: number, masked: boolean): number {
  const header = payloadLength < 126 ? 2 : payloadLength < 65536 ? 4 : 10;
  return header + (masked ? 4 : 0) + payloadLength;
}

/**
 * Checks a close reason's length.
 *
 * @param reason The reason.
 * @returns Its length in UTF-8 bytes.
 * @throws {RangeError} If it is longer than 123 UTF-8 bytes.
 *
 * @example A reason that fits and one that does not
 * ```ts
 * import { closeReasonLength } from "./wire_size.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(closeReasonLength("bye"), 3);
 * assert.throws(() => closeReasonLength("x".repeat(124)), RangeError);
 * ```
 */
export function closeReasonLength(reason: string): number {
  const length = utf8Length(reason);
  if (length > MAX_CLOSE_REASON_BYTES) {
    throw new RangeError(
      `The close reason is ${length} UTF-8 bytes long: at most ${MAX_CLOSE_REASON_BYTES} are allowed`,
    );
  }
  return length;
}
