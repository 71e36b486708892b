/**
 * RFC 6455 frame codec shared by everything in `server/` that writes or reads
 * raw WebSocket frames (the hand-written peer and the misbehaving servers).
 *
 * @module
 */

/** Frame opcodes (RFC 6455 §5.2). */
export const Opcode = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

/** A decoded frame; `payload` is already unmasked. */
export interface Frame {
  readonly fin: boolean;
  /** The three RSV bits as a number 0–7 (RSV1 is 4). */
  readonly rsv: number;
  readonly opcode: number;
  readonly masked: boolean;
  readonly payload: Uint8Array;
}

/** What {@linkcode encodeFrame} writes. */
export interface FrameSpec {
  readonly opcode: number;
  readonly payload?: Uint8Array;
  /** Defaults to `true`. */
  readonly fin?: boolean;
  /** RSV bits 0–7; defaults to 0. Non-zero values make a frame invalid without an extension. */
  readonly rsv?: number;
  /** A 4-byte masking key (client frames); server frames are unmasked. */
  readonly mask?: Uint8Array;
}

const encoder = new TextEncoder();

/**
 * Encodes one frame.
 *
 * @param spec Opcode, payload and header bits.
 * @returns The frame bytes.
 */
export function encodeFrame(spec: FrameSpec): Uint8Array {
  const payload = spec.payload ?? new Uint8Array(0);
  const length = payload.byteLength;
  const lengthBytes = length < 126 ? 0 : length < 0x10000 ? 2 : 8;
  const maskBytes = spec.mask === undefined ? 0 : 4;
  const frame = new Uint8Array(2 + lengthBytes + maskBytes + length);
  frame[0] = ((spec.fin ?? true) ? 0x80 : 0) | ((spec.rsv ?? 0) << 4) |
    spec.opcode;
  const view = new DataView(frame.buffer);
  if (lengthBytes === 0) frame[1] = length;
  else if (lengthBytes === 2) {
    frame[1] = 126;
    view.setUint16(2, length);
  } else {
    frame[1] = 127;
    view.setBigUint64(2, BigInt(length));
  }
  const payloadStart = 2 + lengthBytes + maskBytes;
  frame.set(payload, payloadStart);
  if (spec.mask !== undefined) {
    frame[1] |= 0x80;
    frame.set(spec.mask, 2 + lengthBytes);
    applyMask(frame.subarray(payloadStart), spec.mask);
  }
  return frame;
}

/**
 * Builds a close frame payload: empty when `code` is undefined (a close frame
 * "without status code"), else the 2-byte code followed by the UTF-8 reason.
 *
 * @param code Close code, or undefined for an empty payload.
 * @param reason Close reason (ignored without a code).
 * @returns The payload bytes.
 */
export function encodeClosePayload(
  code: number | undefined,
  reason = "",
): Uint8Array {
  if (code === undefined) return new Uint8Array(0);
  const reasonBytes = encoder.encode(reason);
  const payload = new Uint8Array(2 + reasonBytes.byteLength);
  new DataView(payload.buffer).setUint16(0, code);
  payload.set(reasonBytes, 2);
  return payload;
}

/** A parsed close frame payload. */
export interface ClosePayload {
  readonly code: number | undefined;
  readonly reason: string;
}

/**
 * Parses a close frame payload.
 *
 * @param payload The (unmasked) payload.
 * @returns The code (undefined for an empty payload) and reason, or
 * `undefined` when the payload is malformed (1 byte long or invalid UTF-8).
 */
export function decodeClosePayload(
  payload: Uint8Array,
): ClosePayload | undefined {
  if (payload.byteLength === 0) return { code: undefined, reason: "" };
  if (payload.byteLength === 1) return undefined;
  const code = new DataView(payload.buffer, payload.byteOffset).getUint16(0);
  const reason = decodeUtf8(payload.subarray(2));
  return reason === undefined ? undefined : { code, reason };
}

const strictDecoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Decodes UTF-8 strictly.
 *
 * @param bytes The bytes.
 * @returns The text, or `undefined` when the bytes are not valid UTF-8.
 */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}

function applyMask(bytes: Uint8Array, mask: Uint8Array): void {
  for (let i = 0; i < bytes.byteLength; i++) bytes[i] ^= mask[i & 3];
}

/** Thrown by {@linkcode FrameDecoder.push} for a frame no peer may send. */
export class FrameTooLargeError extends Error {
  /**
   * @param length The declared payload length.
   * @param limit The largest accepted payload length.
   */
  constructor(length: number, limit: number) {
    super(`Frame payload of ${length} bytes exceeds the ${limit}-byte limit`);
    this.name = "FrameTooLargeError";
  }
}

/**
 * Incremental frame parser: feed it the bytes as they arrive, get whole
 * frames back. Keeps partial frames between calls.
 */
export class FrameDecoder {
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #maxPayload: number;

  /** @param maxPayload Largest payload accepted in one frame, in bytes. */
  constructor(maxPayload: number) {
    this.#maxPayload = maxPayload;
  }

  /**
   * Adds received bytes and returns every frame they complete.
   *
   * @param chunk Bytes read from the connection.
   * @returns The completed frames, in order (possibly none).
   * @throws {FrameTooLargeError} When a frame declares a payload over the limit.
   */
  push(chunk: Uint8Array): Frame[] {
    if (chunk.byteLength > 0) {
      this.#chunks.push(chunk);
      this.#buffered += chunk.byteLength;
    }
    const frames: Frame[] = [];
    for (;;) {
      const frame = this.#next();
      if (frame === undefined) return frames;
      frames.push(frame);
    }
  }

  #next(): Frame | undefined {
    if (this.#buffered < 2) return undefined;
    const start = this.#peek(2);
    const short = start[1] & 0x7f;
    const lengthBytes = short === 126 ? 2 : short === 127 ? 8 : 0;
    const masked = (start[1] & 0x80) !== 0;
    const headerLength = 2 + lengthBytes + (masked ? 4 : 0);
    if (this.#buffered < headerLength) return undefined;
    const header = this.#peek(headerLength);
    const view = new DataView(header.buffer, header.byteOffset);
    const length = lengthBytes === 0
      ? short
      : lengthBytes === 2
      ? view.getUint16(2)
      : Number(view.getBigUint64(2));
    if (length > this.#maxPayload) {
      throw new FrameTooLargeError(length, this.#maxPayload);
    }
    if (this.#buffered < headerLength + length) return undefined;
    const bytes = this.#take(headerLength + length);
    const payload = bytes.slice(headerLength);
    if (masked) {
      applyMask(payload, bytes.subarray(2 + lengthBytes, headerLength));
    }
    return {
      fin: (bytes[0] & 0x80) !== 0,
      rsv: (bytes[0] >> 4) & 0x7,
      opcode: bytes[0] & 0x0f,
      masked,
      payload,
    };
  }

  #peek(count: number): Uint8Array {
    if (this.#chunks[0].byteLength < count) this.#merge();
    return this.#chunks[0].subarray(0, count);
  }

  #take(count: number): Uint8Array {
    if (this.#chunks[0].byteLength < count) this.#merge();
    const first = this.#chunks[0];
    const taken = first.subarray(0, count);
    if (first.byteLength === count) this.#chunks.shift();
    else this.#chunks[0] = first.subarray(count);
    this.#buffered -= count;
    return taken;
  }

  #merge(): void {
    const merged = new Uint8Array(this.#buffered);
    let offset = 0;
    for (const chunk of this.#chunks) {
      merged.set(chunk, offset);
      offset += chunk.byteLength;
    }
    this.#chunks = [merged];
  }
}

/**
 * Encodes a text payload as UTF-8.
 *
 * @param text The text.
 * @returns Its UTF-8 bytes.
 */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}
