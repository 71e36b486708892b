/**
 * The `k6/crypto` module of a script run by `wsload run`: k6's hashes,
 * HMACs and random bytes, on `node:crypto` (MD4, which OpenSSL 3 no
 * longer offers, on the `js-md4` package). Inputs are strings (as UTF-8)
 * or ArrayBuffers; digests come as `hex`, `base64`, `base64url`,
 * `base64rawurl` (no padding) or `binary` (an ArrayBuffer), as in k6.
 *
 * Differences from k6 (its behaviour is a bug no script relies on): an
 * input that is neither a string nor bytes throws a `TypeError` (k6
 * silently hashes nothing), and `createHash()` of an unknown algorithm
 * throws `invalid algorithm: <name>` at once (k6 fails later, inside Go).
 *
 * @example Sign a request as many APIs want it
 * ```ts
 * import crypto from "./crypto.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(crypto.sha256("hello", "hex").length, 64);
 * assert.equal(crypto.hmac("sha256", "secret", "hello", "base64rawurl").length, 43);
 * ```
 *
 * @module
 */
import {
  createHash as nodeHash,
  createHmac as nodeHmac,
  randomBytes as nodeRandomBytes,
} from "node:crypto";
// @ts-ignore: js-md4 ships no types; its shape is declared below.
import md4Module from "js-md4";

/** A hash or HMAC input: text (hashed as UTF-8) or bytes. */
export type HashInput = string | ArrayBuffer;

/** k6's digest encodings; `binary` gives an ArrayBuffer. */
export type OutputEncoding =
  | "hex"
  | "base64"
  | "base64url"
  | "base64rawurl"
  | "binary";

/** The encodings that give text. */
export type TextEncoding = Exclude<OutputEncoding, "binary">;

/** A one-shot hash function: `md5(input, "hex")`. */
export interface HashFunction {
  /** The digest as an ArrayBuffer. */
  (input: HashInput, outputEncoding: "binary"): ArrayBuffer;
  /** The digest as text. */
  (input: HashInput, outputEncoding: TextEncoding): string;
}

/** k6's hash algorithms. */
export type Algorithm =
  | "md4"
  | "md5"
  | "sha1"
  | "sha256"
  | "sha384"
  | "sha512"
  | "sha512_224"
  | "sha512_256"
  | "ripemd160";

interface Md4State {
  update(data: string | ArrayBuffer | Uint8Array): Md4State;
  arrayBuffer(): ArrayBuffer;
}
const jsMd4 = md4Module as unknown as { create(): Md4State };

const NODE_NAMES: Readonly<Record<string, string>> = {
  md5: "md5",
  sha1: "sha1",
  sha256: "sha256",
  sha384: "sha384",
  sha512: "sha512",
  sha512_224: "sha512-224",
  sha512_256: "sha512-256",
  ripemd160: "ripemd160",
};

/** What both kinds of hasher do: take bytes, give the digest. */
interface Engine {
  update(bytes: Uint8Array): void;
  digest(): Uint8Array;
}

function bytesOf(input: unknown): Uint8Array {
  if (typeof input === "string") return new TextEncoder().encode(input);
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) {
    return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  }
  throw new TypeError(
    `invalid type ${
      input === null ? "null" : typeof input
    }, expected string, []byte or ArrayBuffer`,
  );
}

function md4Engine(): Engine {
  const state = jsMd4.create();
  return {
    update: (bytes) => void state.update(bytes),
    digest: () => new Uint8Array(state.arrayBuffer()),
  };
}

// HMAC (RFC 2104) over MD4, whose 64-byte blocks node:crypto cannot give.
function md4HmacEngine(key: Uint8Array): Engine {
  const block = new Uint8Array(64);
  block.set(key.length > 64 ? digestOf(md4Engine(), key) : key);
  const inner = md4Engine();
  const outer = md4Engine();
  inner.update(block.map((byte) => byte ^ 0x36));
  outer.update(block.map((byte) => byte ^ 0x5c));
  return {
    update: (bytes) => inner.update(bytes),
    digest: () => {
      outer.update(inner.digest());
      return outer.digest();
    },
  };
}

function digestOf(engine: Engine, bytes: Uint8Array): Uint8Array {
  engine.update(bytes);
  return engine.digest();
}

// k6's digest() is Go's hash.Sum: the state stays, so digest() may be
// called again and update() goes on. A node:crypto Hash copies itself for
// that; an HMAC, and MD4, replay their input into a fresh engine.
function replayed(make: () => Engine): Engine {
  const chunks: Uint8Array[] = [];
  return {
    // A copy: the caller's buffer may change before the digest.
    update: (bytes) => void chunks.push(bytes.slice()),
    digest: () => {
      const engine = make();
      for (const chunk of chunks) engine.update(chunk);
      return engine.digest();
    },
  };
}

function engineFor(algorithm: string, key?: Uint8Array): Engine | undefined {
  if (algorithm === "md4") {
    return replayed(() => key === undefined ? md4Engine() : md4HmacEngine(key));
  }
  const name = NODE_NAMES[algorithm];
  if (name === undefined) return undefined;
  if (key === undefined) {
    const hash = nodeHash(name);
    return {
      update: (bytes) => void hash.update(bytes),
      digest: () => new Uint8Array(hash.copy().digest()),
    };
  }
  return replayed(() => {
    const mac = nodeHmac(name, key);
    return {
      update: (bytes) => void mac.update(bytes),
      digest: () => new Uint8Array(mac.digest()),
    };
  });
}

function encode(sum: Uint8Array, encoding: unknown): string | ArrayBuffer {
  const buffer = Buffer.from(sum.buffer, sum.byteOffset, sum.byteLength);
  switch (encoding) {
    case "hex":
      return buffer.toString("hex");
    case "base64":
      return buffer.toString("base64");
    case "base64url":
      // Go's URLEncoding keeps the padding.
      return buffer.toString("base64").replaceAll("+", "-").replaceAll(
        "/",
        "_",
      );
    case "base64rawurl":
      return buffer.toString("base64url");
    case "binary":
      return sum.slice().buffer;
    default:
      throw new Error(`invalid output encoding: ${String(encoding)}`);
  }
}

/**
 * An incremental hash or HMAC (k6's `Hasher`): `update()` as often as
 * needed, then `digest()`.
 */
export class Hasher {
  readonly #engine: Engine;

  /**
   * @internal Made by {@link createHash} and {@link createHMAC}.
   *
   * @param engine The hash state.
   */
  constructor(engine: Engine) {
    this.#engine = engine;
  }

  /**
   * Adds data.
   *
   * @param input Text (as UTF-8) or bytes.
   * @throws {TypeError} For another type.
   */
  update(input: HashInput): void {
    this.#engine.update(bytesOf(input));
  }

  /**
   * The digest of everything added, as an ArrayBuffer.
   *
   * @param outputEncoding `binary`.
   * @returns The bytes.
   */
  digest(outputEncoding: "binary"): ArrayBuffer;
  /**
   * The digest of everything added, as text.
   *
   * @param outputEncoding How to encode it.
   * @returns The text.
   * @throws {Error} `invalid output encoding: <name>`.
   */
  digest(outputEncoding: TextEncoding): string;
  digest(outputEncoding: OutputEncoding): string | ArrayBuffer {
    return encode(this.#engine.digest(), outputEncoding);
  }
}

/**
 * Starts an incremental hash. k6 gives an unusable hasher for an unknown
 * algorithm; wsload says so at once.
 *
 * @param algorithm One of k6's algorithms.
 * @returns The hasher.
 * @throws {Error} `invalid algorithm: <name>`.
 *
 * @example Hash in parts
 * ```ts
 * import { createHash } from "./crypto.ts";
 * import assert from "node:assert/strict";
 *
 * const hasher = createHash("md5");
 * hasher.update("ab");
 * hasher.update("c");
 * assert.equal(hasher.digest("hex"), "900150983cd24fb0d6963f7d28e17f72");
 * ```
 */
export function createHash(algorithm: Algorithm): Hasher {
  const engine = engineFor(String(algorithm));
  if (engine === undefined) {
    throw new Error(`invalid algorithm: ${String(algorithm)}`);
  }
  return new Hasher(engine);
}

/**
 * Starts an incremental HMAC.
 *
 * @param algorithm One of k6's algorithms.
 * @param secret The key: text (as UTF-8) or bytes.
 * @returns The hasher.
 * @throws {Error} `invalid algorithm: <name>`.
 *
 * @example An HMAC in parts
 * ```ts
 * import { createHMAC, hmac } from "./crypto.ts";
 * import assert from "node:assert/strict";
 *
 * const hasher = createHMAC("sha256", "key");
 * hasher.update("mess");
 * hasher.update("age");
 * assert.equal(hasher.digest("hex"), hmac("sha256", "key", "message", "hex"));
 * ```
 */
export function createHMAC(algorithm: Algorithm, secret: HashInput): Hasher {
  const engine = engineFor(String(algorithm), bytesOf(secret));
  if (engine === undefined) {
    throw new Error(`invalid algorithm: ${String(algorithm)}`);
  }
  return new Hasher(engine);
}

/**
 * The HMAC of `data` with `secret`, as an ArrayBuffer.
 *
 * @param algorithm One of k6's algorithms.
 * @param secret The key.
 * @param data The message.
 * @param outputEncoding `binary`.
 * @returns The digest.
 * @throws {Error} For an unknown algorithm or encoding.
 *
 * @example
 * ```ts
 * import { hmac } from "./crypto.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   hmac("sha1", "key", "The quick brown fox jumps over the lazy dog", "hex"),
 *   "de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9",
 * );
 * ```
 */
export function hmac(
  algorithm: Algorithm,
  secret: HashInput,
  data: HashInput,
  outputEncoding: "binary",
): ArrayBuffer;
/**
 * The HMAC of `data` with `secret`, as text.
 *
 * @param algorithm One of k6's algorithms.
 * @param secret The key.
 * @param data The message.
 * @param outputEncoding How to encode the digest.
 * @returns The digest.
 * @throws {Error} For an unknown algorithm or encoding.
 */
export function hmac(
  algorithm: Algorithm,
  secret: HashInput,
  data: HashInput,
  outputEncoding: TextEncoding,
): string;
export function hmac(
  algorithm: Algorithm,
  secret: HashInput,
  data: HashInput,
  outputEncoding: OutputEncoding,
): string | ArrayBuffer {
  const hasher = createHMAC(algorithm, secret);
  hasher.update(data);
  return hasher.digest(outputEncoding as TextEncoding);
}

function hashWith(algorithm: Algorithm): HashFunction {
  return ((input: HashInput, outputEncoding: OutputEncoding) => {
    const hasher = createHash(algorithm);
    hasher.update(input);
    return hasher.digest(outputEncoding as TextEncoding);
  }) as HashFunction;
}

/**
 * MD4 of the input.
 *
 * @example
 * ```ts
 * import { md4 } from "./crypto.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(md4("abc", "hex"), "a448017aaf21d8525fc10ae87aa6729d");
 * ```
 */
export const md4: HashFunction = hashWith("md4");

/** MD5 of the input. */
export const md5: HashFunction = hashWith("md5");
/** SHA-1 of the input. */
export const sha1: HashFunction = hashWith("sha1");
/** SHA-256 of the input. */
export const sha256: HashFunction = hashWith("sha256");
/** SHA-384 of the input. */
export const sha384: HashFunction = hashWith("sha384");
/** SHA-512 of the input. */
export const sha512: HashFunction = hashWith("sha512");
/** SHA-512/224 of the input. */
export const sha512_224: HashFunction = hashWith("sha512_224");
/** SHA-512/256 of the input. */
export const sha512_256: HashFunction = hashWith("sha512_256");
/** RIPEMD-160 of the input. */
export const ripemd160: HashFunction = hashWith("ripemd160");

/**
 * Cryptographically random bytes.
 *
 * @param size How many (at least 1).
 * @returns An ArrayBuffer of `size` bytes.
 * @throws {Error} `invalid size` for less than 1.
 *
 * @example
 * ```ts
 * import { randomBytes } from "./crypto.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(randomBytes(16).byteLength, 16);
 * ```
 */
export function randomBytes(size: number): ArrayBuffer {
  const count = Math.trunc(Number(size));
  if (!(count >= 1)) throw new Error("invalid size");
  const bytes = nodeRandomBytes(count);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + count);
}

/**
 * The hex text of bytes.
 *
 * @param data Bytes, or a string (its UTF-8 bytes).
 * @returns Lower-case hex.
 *
 * @example
 * ```ts
 * import { hexEncode } from "./crypto.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(hexEncode(new Uint8Array([1, 255]).buffer), "01ff");
 * ```
 */
export function hexEncode(data: HashInput): string {
  return Buffer.from(bytesOf(data)).toString("hex");
}

/** The `k6/crypto` default export: every function in one object. */
const crypto: {
  readonly createHash: typeof createHash;
  readonly createHMAC: typeof createHMAC;
  readonly hmac: typeof hmac;
  readonly md4: typeof md4;
  readonly md5: typeof md5;
  readonly sha1: typeof sha1;
  readonly sha256: typeof sha256;
  readonly sha384: typeof sha384;
  readonly sha512: typeof sha512;
  readonly sha512_224: typeof sha512_224;
  readonly sha512_256: typeof sha512_256;
  readonly ripemd160: typeof ripemd160;
  readonly randomBytes: typeof randomBytes;
  readonly hexEncode: typeof hexEncode;
} = Object.freeze({
  createHash,
  createHMAC,
  hmac,
  md4,
  md5,
  sha1,
  sha256,
  sha384,
  sha512,
  sha512_224,
  sha512_256,
  ripemd160,
  randomBytes,
  hexEncode,
});

export default crypto;
