/**
 * `http.file()`: data that goes into a multipart body as a file.
 *
 * @module
 */

const encoder = new TextEncoder();

/**
 * A file of a multipart request body (k6's `FileData`): an object body
 * with one of these as a value is sent as `multipart/form-data`.
 */
export class FileData {
  /** The file's bytes. */
  readonly data: ArrayBuffer;
  /** The file name sent in its `Content-Disposition`. */
  readonly filename: string;
  /** Its `Content-Type`. */
  readonly content_type: string;

  /**
   * Wraps data as a file; see {@link file}.
   *
   * @param data The bytes.
   * @param filename The file name.
   * @param contentType The content type.
   */
  constructor(data: ArrayBuffer, filename: string, contentType: string) {
    this.data = data;
    this.filename = filename;
    this.content_type = contentType;
  }
}

function toArrayBuffer(data: unknown): ArrayBuffer {
  if (typeof data === "string") {
    const bytes = encoder.encode(data);
    return bytes.buffer.slice(0, bytes.byteLength) as ArrayBuffer;
  }
  if (data instanceof ArrayBuffer) return data;
  if (ArrayBuffer.isView(data)) {
    return data.buffer.slice(
      data.byteOffset,
      data.byteOffset + data.byteLength,
    ) as ArrayBuffer;
  }
  if (Array.isArray(data) && data.every((item) => typeof item === "number")) {
    return new Uint8Array(data).buffer;
  }
  throw new TypeError(
    `http.file() needs a string, an ArrayBuffer or a typed array, got ${
      data === null ? "null" : typeof data
    }`,
  );
}

/**
 * Wraps data as a file for a multipart request (k6's `http.file()`).
 *
 * @param data The content: a string (sent as UTF-8), an `ArrayBuffer` (what
 * `open(path, "b")` returns) or a typed array.
 * @param filename The file name; the current time in nanoseconds when absent,
 * as in k6.
 * @param contentType The content type. @default {"application/octet-stream"}
 * @returns The file.
 * @throws {TypeError} When `data` is none of those.
 *
 * @example Upload a file with a form field
 * ```ts
 * import { file } from "./file.ts";
 * import assert from "node:assert/strict";
 *
 * const upload = file("hello", "hello.txt", "text/plain");
 * assert.equal(upload.filename, "hello.txt");
 * assert.equal(upload.data.byteLength, 5);
 * // http.post(url, { field: "value", file: upload });
 * ```
 */
export function file(
  data: unknown,
  filename?: string,
  contentType?: string,
): FileData {
  const name = filename === undefined
    ? String(BigInt(Date.now()) * 1_000_000n)
    : String(filename);
  return new FileData(
    toArrayBuffer(data),
    name,
    contentType === undefined
      ? "application/octet-stream"
      : String(contentType),
  );
}
