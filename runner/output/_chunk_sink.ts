/**
 * Where an output's text goes: a file (gzip-compressed when its name ends
 * in `.gz`) or the run's stdout. Text arrives in chunks of whole lines and
 * is written in order, one write per chunk, so a reader never sees half a
 * line between flushes. {@link ChunkSink.abort} writes everything accepted
 * so far synchronously, for an exit that cannot wait.
 *
 * @module
 */
import { close, openSync, write, writeSync } from "node:fs";
import { gzip, gzipSync } from "node:zlib";

/** Ordered, whole-chunk text output. */
export interface ChunkSink {
  /**
   * Queues a chunk of text.
   *
   * @returns A promise settled once this chunk (and those before) is written.
   */
  write(text: string): Promise<void>;
  /** Writes what was queued, then releases the destination. */
  close(): Promise<void>;
  /** Writes what was queued, and `text`, synchronously; accepts nothing after. */
  abort(text: string): void;
}

/**
 * Opens a file sink (creating or truncating the file), or a stdout sink for
 * `-`/empty names.
 *
 * @param path The file name; `.gz` compresses.
 * @param stdout Where stdout text goes.
 * @param onError Told about write failures (they never reject).
 * @returns The sink.
 * @throws {Error} When the file cannot be created, with Go's wording
 * (`open <path>: no such file or directory`).
 */
export function openChunkSink(
  path: string,
  stdout: ((text: string) => void) | undefined,
  onError: (error: Error) => void,
): ChunkSink {
  if (path === "" || path === "-") {
    if (!stdout) throw new Error("no stdout to write to");
    return new StdoutSink(stdout);
  }
  let fd: number;
  try {
    fd = openSync(path, "w");
  } catch (error) {
    throw new Error(`open ${path}: ${systemErrorText(error)}`, {
      cause: error,
    });
  }
  return new FileSink(fd, path.endsWith(".gz"), onError);
}

const SYSTEM_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "is a directory",
  ENOTDIR: "not a directory",
  EROFS: "read-only file system",
  ENOSPC: "no space left on device",
  EEXIST: "file exists",
};

/**
 * The Go (`syscall.Errno`) text of a Node system error.
 *
 * @param error The error.
 * @returns The text.
 */
export function systemErrorText(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" && SYSTEM_ERRORS[code]
    ? SYSTEM_ERRORS[code]
    : (error as Error)?.message ?? String(error);
}

class StdoutSink implements ChunkSink {
  readonly #write: (text: string) => void;
  #closed = false;

  constructor(write: (text: string) => void) {
    this.#write = write;
  }

  write(text: string): Promise<void> {
    if (!this.#closed && text !== "") this.#write(text);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }

  abort(text: string): void {
    if (!this.#closed && text !== "") this.#write(text);
    this.#closed = true;
  }
}

interface Chunk {
  readonly text: string;
  bytes?: Uint8Array;
  position?: number;
}

const encoder = new TextEncoder();

function gzipAsync(text: string): Promise<Uint8Array> {
  return new Promise((resolve, reject) =>
    gzip(text, (error, result) => error ? reject(error) : resolve(result))
  );
}

function writeAt(
  fd: number,
  bytes: Uint8Array,
  position: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const next = (offset: number) => {
      write(fd, bytes, offset, bytes.length - offset, position + offset, (
        error,
        written,
      ) => {
        if (error) reject(error);
        else if (offset + written < bytes.length) next(offset + written);
        else resolve();
      });
    };
    next(0);
  });
}

function writeAtSync(fd: number, bytes: Uint8Array, position: number): void {
  let offset = 0;
  while (offset < bytes.length) {
    offset += writeSync(
      fd,
      bytes,
      offset,
      bytes.length - offset,
      position + offset,
    );
  }
}

// Every chunk is written at an explicit position, so abort() can write a
// chunk whose asynchronous write may still be under way once more at the
// same place: the bytes are identical, whichever write lands last. A gzip
// file becomes one gzip member per chunk; concatenated members are a valid
// gzip stream.
class FileSink implements ChunkSink {
  readonly #fd: number;
  readonly #gzip: boolean;
  readonly #onError: (error: Error) => void;
  readonly #queue: Chunk[] = [];
  #tail: Promise<void> = Promise.resolve();
  #position = 0;
  #ended = false;
  #closing: Promise<void> | undefined;

  constructor(fd: number, gzip: boolean, onError: (error: Error) => void) {
    this.#fd = fd;
    this.#gzip = gzip;
    this.#onError = onError;
  }

  write(text: string): Promise<void> {
    if (this.#ended || text === "") return this.#tail;
    const chunk: Chunk = { text };
    this.#queue.push(chunk);
    this.#tail = this.#tail.then(() => this.#writeChunk(chunk));
    return this.#tail;
  }

  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    // An empty .gz file would not be valid gzip; k6 writes an empty member.
    if (this.#gzip && this.#position === 0 && this.#queue.length === 0) {
      const chunk: Chunk = { text: "" };
      this.#queue.push(chunk);
      this.#tail = this.#tail.then(() => this.#writeChunk(chunk));
    }
    this.#ended = true;
    this.#closing = this.#tail.then(() => this.#release());
    return this.#closing;
  }

  abort(text: string): void {
    if (this.#ended && this.#queue.length === 0) return;
    this.#ended = true;
    if (text !== "") this.#queue.push({ text });
    try {
      for (const chunk of this.#queue) {
        const bytes = chunk.bytes ?? this.#encodeSync(chunk.text);
        chunk.bytes = bytes;
        chunk.position ??= this.#reserve(bytes.length);
        writeAtSync(this.#fd, bytes, chunk.position);
      }
    } catch (error) {
      this.#onError(error as Error);
    }
    this.#queue.length = 0;
    // A write may still be in flight on this descriptor: close after it.
    this.#closing ??= this.#tail.then(() => this.#release());
  }

  #reserve(length: number): number {
    const position = this.#position;
    this.#position += length;
    return position;
  }

  #encodeSync(text: string): Uint8Array {
    return this.#gzip ? gzipSync(text) : encoder.encode(text);
  }

  async #writeChunk(chunk: Chunk): Promise<void> {
    try {
      if (!this.#queue.includes(chunk)) return; // written by abort()
      const bytes = this.#gzip
        ? await gzipAsync(chunk.text)
        : encoder.encode(chunk.text);
      if (!this.#queue.includes(chunk)) return;
      chunk.bytes = bytes;
      chunk.position = this.#reserve(bytes.length);
      await writeAt(this.#fd, bytes, chunk.position);
      const index = this.#queue.indexOf(chunk);
      if (index !== -1) this.#queue.splice(index, 1);
    } catch (error) {
      this.#onError(error as Error);
    }
  }

  #release(): Promise<void> {
    return new Promise((resolve) =>
      close(this.#fd, (error) => {
        if (error) this.#onError(error);
        resolve();
      })
    );
  }
}
