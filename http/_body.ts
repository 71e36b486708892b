/**
 * Request bodies as k6 encodes them: strings as UTF-8, binary data as is,
 * objects as a URL-encoded form (sorted by key, as Go's `url.Values`) or,
 * when a value is an `http.file()`, as `multipart/form-data`; then the
 * `compression` param.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { randomBytes } from "node:crypto";
import * as zlib from "node:zlib";
import { FileData } from "./file.ts";

/** An encoded request body. */
export interface EncodedBody {
  /** The bytes to send (`undefined`: no body). */
  readonly bytes: Uint8Array | undefined;
  /** The `Content-Type` the encoding implies, if any. */
  readonly contentType: string | undefined;
}

const encoder = new TextEncoder();

/** Go's `url.QueryEscape`: only `A-Z a-z 0-9 - _ . ~` stay, spaces become `+`. */
function queryEscape(text: string): string {
  return encodeURIComponent(text)
    .replace(
      /[!'()*]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
    )
    .replace(/%20/g, "+");
}

/** Go's `%v` of an exported JS value. */
function formValue(value: unknown): string {
  if (value === null || value === undefined) return "<nil>";
  return String(value);
}

function goTypeName(value: unknown): string {
  if (typeof value === "number") {
    return Number.isInteger(value) ? "int64" : "float64";
  }
  if (typeof value === "boolean") return "bool";
  if (Array.isArray(value)) return "[]interface {}";
  if (typeof value === "function") return "func(goja.FunctionCall) goja.Value";
  return typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function formBody(data: Record<string, unknown>): EncodedBody {
  const pairs: string[] = [];
  for (const key of Object.keys(data).sort()) {
    const value = data[key];
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) {
      pairs.push(`${queryEscape(key)}=${queryEscape(formValue(item))}`);
    }
  }
  return {
    bytes: encoder.encode(pairs.join("&")),
    contentType: "application/x-www-form-urlencoded",
  };
}

/** Go's `mime/multipart` quoting of names in `Content-Disposition`. */
function escapeQuotes(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
}

function multipartBody(data: Record<string, unknown>): EncodedBody {
  const boundary = randomBytes(30).toString("hex");
  const parts: Uint8Array[] = [];
  let first = true;
  for (const [key, value] of Object.entries(data)) {
    const name = escapeQuotes(key);
    let head = `${first ? "" : "\r\n"}--${boundary}\r\n`;
    let content: Uint8Array;
    if (value instanceof FileData) {
      head += `Content-Disposition: form-data; name="${name}"; filename="${
        escapeQuotes(value.filename)
      }"\r\nContent-Type: ${value.content_type}\r\n\r\n`;
      content = new Uint8Array(value.data);
    } else {
      head += `Content-Disposition: form-data; name="${name}"\r\n\r\n`;
      content = encoder.encode(formValue(value));
    }
    parts.push(encoder.encode(head), content);
    first = false;
  }
  parts.push(encoder.encode(`\r\n--${boundary}--\r\n`));
  return {
    bytes: Buffer.concat(parts),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/**
 * Encodes a request body as k6 does.
 *
 * @param body What the script passed: `null`/`undefined` (no body), a
 * string, an `ArrayBuffer` or a typed array, or a plain object (a form).
 * @returns The bytes and the implied `Content-Type`.
 * @throws {TypeError} `unknown request body type <Go type>` for anything
 * else (k6's text).
 *
 * @example A form, sorted by key
 * ```ts
 * import { encodeBody } from "./_body.ts";
 * import assert from "node:assert/strict";
 *
 * const { bytes, contentType } = encodeBody({ b: [1, 2], a: "x y" });
 * assert.equal(new TextDecoder().decode(bytes), "a=x+y&b=1&b=2");
 * assert.equal(contentType, "application/x-www-form-urlencoded");
 * ```
 */
export function encodeBody(body: unknown): EncodedBody {
  if (body === null || body === undefined) {
    return { bytes: undefined, contentType: undefined };
  }
  if (typeof body === "string") {
    return { bytes: encoder.encode(body), contentType: undefined };
  }
  if (body instanceof ArrayBuffer) {
    return { bytes: new Uint8Array(body.slice(0)), contentType: undefined };
  }
  if (ArrayBuffer.isView(body)) {
    return {
      bytes: new Uint8Array(
        body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength),
      ),
      contentType: undefined,
    };
  }
  if (isPlainObject(body)) {
    return Object.values(body).some((value) => value instanceof FileData)
      ? multipartBody(body)
      : formBody(body);
  }
  throw new TypeError(`unknown request body type ${goTypeName(body)}`);
}

type Compressor = (data: Uint8Array) => Uint8Array;

const zstd = (zlib as { zstdCompressSync?: Compressor }).zstdCompressSync;

/** The request compressions of this runtime, k6's names. */
const COMPRESSORS: Readonly<Record<string, Compressor>> = {
  gzip: (data) => zlib.gzipSync(data),
  deflate: (data) => zlib.deflateSync(data),
  ...(zstd === undefined ? {} : { zstd }),
  br: (data) => zlib.brotliCompressSync(data),
};

/**
 * Reads the `compression` param: a comma-separated list of algorithms
 * applied in order.
 *
 * @param value The param (converted with `String()`).
 * @returns The algorithms (`[]` for an empty value).
 * @throws {TypeError} k6's text for an unknown algorithm, e.g. `unknown
 * compression algorithm lzw, supported algorithms are [gzip deflate br]`.
 */
export function parseCompression(value: unknown): string[] {
  const text = String(value).trim();
  if (text === "") return [];
  return text.split(",").map((algorithm) => {
    const name = algorithm.trim();
    if (!(name in COMPRESSORS)) {
      throw new TypeError(
        `unknown compression algorithm ${name}, supported algorithms are [${
          Object.keys(COMPRESSORS).join(" ")
        }]`,
      );
    }
    return name;
  });
}

/**
 * Compresses a body with each algorithm in turn.
 *
 * @param bytes The body.
 * @param algorithms From {@link parseCompression}.
 * @returns The compressed body and its `Content-Encoding`.
 */
export function compressBody(
  bytes: Uint8Array,
  algorithms: readonly string[],
): { bytes: Uint8Array; contentEncoding: string } {
  let data = bytes;
  for (const algorithm of algorithms) data = COMPRESSORS[algorithm](data);
  return { bytes: data, contentEncoding: algorithms.join(", ") };
}
