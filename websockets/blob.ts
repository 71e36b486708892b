/**
 * k6's `Blob` (exported by `k6/websockets`): immutable bytes with a type,
 * what a binary message arrives as when `binaryType` is `"blob"`.
 *
 * @module
 */
import { goTypeName } from "../internal/go_type.ts";

/** One part of a {@link Blob}: text (sent as UTF-8), bytes, or another Blob. */
export type BlobPart = string | ArrayBuffer | ArrayBufferView | Blob;

/** Options of the {@link Blob} constructor. */
export interface BlobOptions {
  /** The media type, stored verbatim (k6 neither lower-cases nor validates it). */
  type?: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const EMPTY = new Uint8Array(0);

/** Bytes handed over by {@link blobFromBytes}, adopted by the next constructor call. */
let adopted: Uint8Array | undefined;
let readBytes: (blob: Blob) => Uint8Array;

function partsOf(blobParts: unknown): readonly unknown[] {
  if (blobParts === undefined || blobParts === null) return [];
  if (Array.isArray(blobParts)) return blobParts;
  if (
    typeof blobParts === "object" &&
    typeof (blobParts as Iterable<unknown>)[Symbol.iterator] === "function"
  ) {
    return Array.from(blobParts as Iterable<unknown>);
  }
  throw new TypeError(
    `failed to process [blobParts]: expected an array of parts, got ${
      goTypeName(blobParts)
    }`,
  );
}

function bytesOfPart(part: unknown): Uint8Array {
  if (typeof part === "string") return encoder.encode(part);
  if (part instanceof ArrayBuffer) return new Uint8Array(part);
  if (ArrayBuffer.isView(part)) {
    return new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
  }
  if (part instanceof Blob) return readBytes(part);
  throw new TypeError(
    `failed to process [blobParts]: unsupported type: ${goTypeName(part)}`,
  );
}

/** What sobek exports as a Go map: objects that are not arrays, buffers, dates or functions. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null &&
    !Array.isArray(value) && !ArrayBuffer.isView(value) &&
    !(value instanceof ArrayBuffer) && !(value instanceof Date);
}

/** A relative index of `slice()` (negative counts from the end), clamped to `[0, size]`. */
function sliceIndex(value: unknown, size: number, fallback: number): number {
  if (value === undefined) return fallback;
  const index = Math.trunc(Number(value)) || 0;
  return index < 0 ? Math.max(size + index, 0) : Math.min(index, size);
}

// The bytes and type of a new Blob: adopted from blobFromBytes, or
// concatenated from the parts (k6's rules, k6's errors).
function collect(
  blobParts: Iterable<BlobPart> | undefined,
  options: BlobOptions | undefined,
): [Uint8Array, string] {
  if (adopted !== undefined) {
    const bytes = adopted;
    adopted = undefined;
    return [bytes, ""];
  }
  const parts = partsOf(blobParts);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (const part of parts) {
    const bytes = bytesOfPart(part);
    chunks.push(bytes);
    size += bytes.byteLength;
  }
  let type = "";
  if (options !== undefined) {
    if (!isPlainObject(options)) {
      throw new TypeError("[options] must be an object");
    }
    if (options.type !== undefined) type = String(options.type);
  }
  const bytes = size === 0 ? EMPTY : new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return [bytes, type];
}

/**
 * Immutable bytes with a media type, as k6's `Blob`. Binary messages arrive
 * as Blobs while `binaryType` is `"blob"` (the default), and `send()` takes
 * them.
 *
 * It is the platform's `Blob` (`instanceof Blob` holds in Deno and Node)
 * with k6's rules on top: parts must be strings,
 * `ArrayBuffer`s, `ArrayBufferView`s (typed arrays and `DataView`s, their
 * viewed bytes) or Blobs of this class; `type` is kept verbatim; `bytes()`
 * exists on every runtime.
 *
 * @example Build a Blob and read it back
 * ```ts
 * import { Blob } from "./blob.ts";
 * import assert from "node:assert/strict";
 *
 * const blob = new Blob(["P", new Uint8Array([0x41, 0x53]), "S"], { type: "text/Example" });
 * assert.equal(blob.size, 4);
 * assert.equal(blob.type, "text/Example");
 * assert.equal(await blob.text(), "PASS");
 * assert.equal(await blob.slice(1, -1).text(), "AS");
 * assert.equal(String(blob), "[object Blob]");
 * ```
 */
export class Blob extends globalThis.Blob {
  #bytes: Uint8Array;
  #type: string;

  static {
    readBytes = (blob) => blob.#bytes;
  }

  /**
   * Concatenates the parts' bytes.
   *
   * @param blobParts Strings (UTF-8), `ArrayBuffer`s, typed arrays and
   * `DataView`s (the viewed bytes), or Blobs of this class.
   * @param options `type`: the media type, stored as given.
   * @throws {TypeError} `failed to process [blobParts]: unsupported type: <Go
   * type>` for any other part (e.g. `int64` for `1`, `map[string]interface {}`
   * for `{}`); `[options] must be an object` when `options` is given and is
   * not an object (`null` included).
   */
  constructor(blobParts?: Iterable<BlobPart>, options?: BlobOptions) {
    const [bytes, type] = collect(blobParts, options);
    // The platform's Blob holds the same bytes, so code that reads a Blob
    // natively (new Response(blob), structuredClone) sees them too.
    super([bytes as Uint8Array<ArrayBuffer>]);
    this.#bytes = bytes;
    this.#type = type;
  }

  /** The number of bytes. */
  override get size(): number {
    return this.#bytes.byteLength;
  }

  /** The media type given to the constructor (`""` by default). */
  override get type(): string {
    return this.#type;
  }

  /** `"Blob"`, so that `String(blob)` is `[object Blob]`. */
  get [Symbol.toStringTag](): string {
    return "Blob";
  }

  /**
   * Copies the bytes into a new `ArrayBuffer`.
   *
   * @returns A promise of the copy.
   *
   * @example Copy the bytes out
   * ```ts
   * import { Blob } from "./blob.ts";
   * import assert from "node:assert/strict";
   *
   * const buffer = await new Blob([new Uint16Array([0x4150])]).arrayBuffer();
   * assert.deepEqual(new Uint8Array(buffer), new Uint8Array([0x50, 0x41]));
   * ```
   */
  override arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(this.#bytes.slice().buffer);
  }

  /**
   * Copies the bytes into a new `Uint8Array` (also where the platform's
   * Blob lacks `bytes()`, e.g. Node 20).
   *
   * @returns A promise of the copy.
   *
   * @example Read the bytes
   * ```ts
   * import { Blob } from "./blob.ts";
   * import assert from "node:assert/strict";
   *
   * assert.deepEqual(await new Blob(["k6"]).bytes(), new Uint8Array([0x6b, 0x36]));
   * ```
   */
  override bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return Promise.resolve(this.#bytes.slice() as Uint8Array<ArrayBuffer>);
  }

  /**
   * Decodes the bytes as UTF-8 (invalid sequences become U+FFFD).
   *
   * @returns A promise of the text.
   *
   * @example Decode the text
   * ```ts
   * import { Blob } from "./blob.ts";
   * import assert from "node:assert/strict";
   *
   * assert.equal(await new Blob(["P", "A", "SS"]).text(), "PASS");
   * ```
   */
  override text(): Promise<string> {
    return Promise.resolve(decoder.decode(this.#bytes));
  }

  /**
   * A new Blob with a range of the bytes. Indices as in the File API:
   * negative ones count from the end, out-of-range ones are clamped.
   *
   * @param start First byte (default 0).
   * @param end Byte after the last one (default: the size).
   * @param contentType The new Blob's `type` (default `""`).
   * @returns The slice.
   *
   * @example Slice with and without a type
   * ```ts
   * import { Blob } from "./blob.ts";
   * import assert from "node:assert/strict";
   *
   * const blob = new Blob(["PASS"]);
   * assert.equal(await blob.slice(1).text(), "ASS");
   * const first = blob.slice(0, 1, "text/example");
   * assert.equal(await first.text(), "P");
   * assert.equal(first.type, "text/example");
   * ```
   */
  override slice(start?: number, end?: number, contentType?: string): Blob {
    const size = this.#bytes.byteLength;
    const from = sliceIndex(start, size, 0);
    const to = sliceIndex(end, size, size);
    const slice = new Blob([this.#bytes.subarray(from, Math.max(from, to))]);
    if (contentType !== undefined) slice.#type = String(contentType);
    return slice;
  }

  /**
   * The bytes as a stream (one chunk).
   *
   * @returns A `ReadableStream` of `Uint8Array` chunks.
   *
   * @example Read the stream
   * ```ts
   * import { Blob } from "./blob.ts";
   * import assert from "node:assert/strict";
   *
   * const reader = new Blob(["PASS"]).stream().getReader();
   * const { value } = await reader.read();
   * assert.equal(new TextDecoder().decode(value), "PASS");
   * ```
   */
  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    const bytes = this.#bytes;
    return new ReadableStream<Uint8Array<ArrayBuffer>>({
      start(controller) {
        if (bytes.byteLength > 0) {
          controller.enqueue(bytes.slice() as Uint8Array<ArrayBuffer>);
        }
        controller.close();
      },
    });
  }
}

/**
 * Wraps bytes in a {@link Blob} without copying them: the caller hands them
 * over and must not change them afterwards.
 *
 * @param bytes Bytes nobody else holds.
 * @returns A Blob of type `""`.
 *
 * @example Adopt received bytes
 * ```ts
 * import { blobFromBytes } from "./blob.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(blobFromBytes(new Uint8Array([1, 2])).size, 2);
 * ```
 */
export function blobFromBytes(bytes: Uint8Array): Blob {
  adopted = bytes;
  return new Blob();
}

/**
 * The bytes of a {@link Blob}, without copying: do not change them.
 *
 * @param blob The Blob.
 * @returns Its bytes.
 *
 * @example Borrow the bytes to send them
 * ```ts
 * import { Blob, blobBytes } from "./blob.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(blobBytes(new Blob(["k6"])), new Uint8Array([0x6b, 0x36]));
 * ```
 */
export function blobBytes(blob: Blob): Uint8Array {
  return readBytes(blob);
}
