/**
 * The `k6/encoding` module of a script run by `wsload run`: `b64encode`
 * and `b64decode` with k6's signatures, encodings (`std`, `rawstd`, `url`,
 * `rawurl`) and errors, as named exports and as the default export object.
 *
 * @example Encode a token for a handshake header
 * ```ts
 * import { b64decode, b64encode } from "./encoding.ts";
 * import assert from "node:assert/strict";
 *
 * const token = b64encode("user:secret");
 * assert.equal(token, "dXNlcjpzZWNyZXQ=");
 * assert.equal(b64decode(token, "std", "s"), "user:secret");
 * ```
 *
 * @module
 */
import { goTypeName } from "../internal/go_type.ts";
import { type Base64Alphabet, decodeBase64, encodeBase64 } from "./_base64.ts";

/** k6's base64 variants; anything else means `"std"`. */
export type Base64Encoding = "std" | "rawstd" | "url" | "rawurl";

function variant(encoding: unknown): [Base64Alphabet, boolean] {
  switch (encoding) {
    case "rawstd":
      return ["std", false];
    case "url":
      return ["url", true];
    case "rawurl":
      return ["url", false];
    default:
      return ["std", true];
  }
}

function toBytes(input: unknown): Uint8Array {
  if (typeof input === "string") return new TextEncoder().encode(input);
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (input instanceof Uint8Array || input instanceof Uint8ClampedArray) {
    return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  }
  throw new TypeError(
    `invalid type ${goTypeName(input)}, expected string, []byte or ArrayBuffer`,
  );
}

/**
 * Encodes data as base64, as k6's `encoding.b64encode()`: a string is
 * encoded as its UTF-8 bytes.
 *
 * @param input A string, an `ArrayBuffer` or a `Uint8Array`.
 * @param encoding `std` (default), `rawstd` (no padding), `url` (URL-safe
 * alphabet) or `rawurl`; anything else means `std`.
 * @returns The base64 text.
 * @throws {TypeError} `invalid type <Go type>, expected string, []byte or
 * ArrayBuffer` for other inputs (k6's text).
 *
 * @example URL-safe, unpadded
 * ```ts
 * import { b64encode } from "./encoding.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(b64encode("小飼弾..", "rawurl"), "5bCP6aO85by-Li4");
 * ```
 */
export function b64encode(
  input: string | ArrayBuffer | Uint8Array,
  encoding?: Base64Encoding | string,
): string {
  const [alphabet, padded] = variant(encoding);
  return encodeBase64(toBytes(input), alphabet, padded);
}

/**
 * Decodes base64, as k6's `encoding.b64decode()`, to an `ArrayBuffer`, or
 * to a string (the bytes read as UTF-8) with format `"s"`.
 *
 * @param input The base64 text.
 * @param encoding `std` (default), `rawstd`, `url` or `rawurl`; anything
 * else means `std`. Padding must match: required for `std`/`url`,
 * forbidden for the raw ones.
 * @param format `"s"` for a string; anything else for an `ArrayBuffer`.
 * @returns The decoded data.
 * @throws {SyntaxError} `illegal base64 data at input byte <n>` (Go's text).
 *
 * @example Decode to a string
 * ```ts
 * import { b64decode } from "./encoding.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(b64decode("aGVsbG8gd29ybGQ", "rawstd", "s"), "hello world");
 * assert.equal(b64decode("aGVsbG8=").byteLength, 5);
 * ```
 */
export function b64decode(
  input: string,
  encoding: Base64Encoding | string | undefined,
  format: "s",
): string;
/**
 * Decodes base64 to an `ArrayBuffer` (see the first signature).
 *
 * @param input The base64 text.
 * @param encoding `std` (default), `rawstd`, `url` or `rawurl`.
 * @param format Anything but `"s"`.
 * @returns The decoded bytes.
 * @throws {SyntaxError} `illegal base64 data at input byte <n>` (Go's text).
 *
 * @example Decode bytes
 * ```ts
 * import { b64decode } from "./encoding.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(new Uint8Array(b64decode("AQI=")), new Uint8Array([1, 2]));
 * ```
 */
export function b64decode(
  input: string,
  encoding?: Base64Encoding | string,
  format?: string,
): ArrayBuffer;
export function b64decode(
  input: string,
  encoding?: Base64Encoding | string,
  format?: string,
): ArrayBuffer | string {
  const [alphabet, padded] = variant(encoding);
  const bytes = decodeBase64(String(input), alphabet, padded);
  // The decoded bytes own their whole buffer.
  return format === "s" ? new TextDecoder().decode(bytes) : bytes.buffer;
}

/** The `k6/encoding` default export: both functions in one object. */
const encoding: {
  readonly b64encode: typeof b64encode;
  readonly b64decode: typeof b64decode;
} = Object.freeze({ b64encode, b64decode });

export default encoding;
