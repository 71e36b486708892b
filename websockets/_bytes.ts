/**
 * Received binary messages as a script may keep them: the transports may
 * hand over views into larger buffers (Node's `Buffer` pool), which must
 * not leak into the script.
 *
 * @module
 */

/**
 * Whether a view covers its whole buffer: the transports hand over fresh
 * buffers for such messages, which can be given away without a copy.
 */
function coversItsBuffer(bytes: Uint8Array): boolean {
  return bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength;
}

/**
 * Exactly the viewed bytes, as an ArrayBuffer the caller may keep.
 *
 * @param bytes A received message.
 * @returns Its buffer when the view covers all of it, else a copy.
 */
export function ownArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return coversItsBuffer(bytes)
    ? bytes.buffer as ArrayBuffer
    : new Uint8Array(bytes).buffer;
}

/**
 * Exactly the viewed bytes, in a plain Uint8Array nobody else holds (not a
 * Node Buffer, whose `slice()` shares memory).
 *
 * @param bytes A received message.
 * @returns A plain view of its buffer when it covers all of it, else a copy.
 */
export function ownBytes(bytes: Uint8Array): Uint8Array {
  return coversItsBuffer(bytes)
    ? new Uint8Array(bytes.buffer)
    : new Uint8Array(bytes);
}
