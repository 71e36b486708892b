/**
 * Where an output's text goes: a file (gzip-compressed when its name ends
 * in `.gz`) or the run's stdout. Text arrives in chunks of whole lines and
 * is written in order, one write per chunk, so a reader never sees half a
 * line between flushes. {@link ChunkSink.abort} writes everything accepted
 * so far synchronously, for an exit that cannot wait. A file that could not
 * be written completely (a full disk, a file or folder removed during the
 * run) makes {@link ChunkSink.close} reject, naming the file.
 *
 * @module
 */
import {
  close,
  fstatSync,
  openSync,
  statSync,
  write,
  writeSync,
} from "node:fs";
import { gzip, gzipSync } from "node:zlib";
import { systemErrorText } from "../../internal/system_error.ts";

/** Ordered, whole-chunk text output. */
export interface ChunkSink {
  /**
   * Queues a chunk of text.
   *
   * @returns A promise settled once this chunk (and those before) is written.
   */
  write(text: string): Promise<void>;
  /**
   * Writes what was queued, then releases the destination.
   *
   * @throws {Error} (as a rejection) When the file is incomplete: `could not
   * write '<path>': <reason>`.
   */
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
 * @param onError Told about the first write failure at once (writes never
 * reject; later chunks are dropped, and `close()` rejects).
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
  return new FileSink(fd, path, onError);
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
  readonly #path: string;
  readonly #gzip: boolean;
  readonly #onError: (error: Error) => void;
  /** The first failure: the file is incomplete from there on. */
  #failure: Error | undefined;
  readonly #queue: Chunk[] = [];
  #tail: Promise<void> = Promise.resolve();
  #position = 0;
  #ended = false;
  #closing: Promise<void> | undefined;

  constructor(fd: number, path: string, onError: (error: Error) => void) {
    this.#fd = fd;
    this.#path = path;
    this.#gzip = path.endsWith(".gz");
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
    this.#closing = this.#tail.then(() => this.#release()).then(() => {
      if (this.#failure) throw this.#failure;
    });
    return this.#closing;
  }

  abort(text: string): void {
    if (this.#ended && this.#queue.length === 0) return;
    this.#ended = true;
    if (text !== "") this.#queue.push({ text });
    try {
      for (const chunk of this.#queue) {
        if (this.#failure) break;
        const bytes = chunk.bytes ?? this.#encodeSync(chunk.text);
        chunk.bytes = bytes;
        chunk.position ??= this.#reserve(bytes.length);
        writeAtSync(this.#fd, bytes, chunk.position);
      }
    } catch (error) {
      this.#fail(error);
    }
    this.#queue.length = 0;
    // A write may still be in flight on this descriptor: close after it.
    this.#closing ??= this.#tail.then(() => this.#release());
    this.#closing.catch(() => {}); // reported through onError
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
      if (this.#failure) return;
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
      this.#fail(error);
    }
  }

  /** Records (and reports, the first time) why the file is incomplete. */
  #fail(cause: unknown): void {
    if (this.#failure) return;
    this.#failure = new Error(
      `could not write '${this.#path}': ${
        typeof cause === "string" ? cause : systemErrorText(cause)
      }`,
      { cause },
    );
    this.#onError(this.#failure);
  }

  #release(): Promise<void> {
    // Writes to a file removed during the run (or whose folder was) succeed
    // and go nowhere: tell the user instead of exiting as if it were there.
    this.#checkStillThere();
    return new Promise((resolve) =>
      close(this.#fd, (error) => {
        if (error) this.#fail(error);
        resolve();
      })
    );
  }

  #checkStillThere(): void {
    try {
      const open = fstatSync(this.#fd);
      const named = statSync(this.#path);
      if (open.ino !== named.ino || open.dev !== named.dev) {
        this.#fail("the file was replaced by another during the run");
      }
    } catch (error) {
      const code = (error as { code?: unknown })?.code;
      this.#fail(
        code === "ENOENT" || code === "ENOTDIR"
          ? "the file (or its folder) was removed during the run"
          : error,
      );
    }
  }
}
