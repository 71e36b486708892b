/**
 * The buffering both file outputs share (k6's `SampleBuffer` and
 * `PeriodicFlusher`): samples are kept as they arrive, and every period the
 * buffer is encoded into whole lines and handed to the sink in one chunk.
 *
 * @module
 */
import { clearInterval, setInterval } from "node:timers";
import type { Sample } from "../../metrics/sample.ts";
import type { ChunkSink } from "./_chunk_sink.ts";

/** How a {@link SampleFlusher} encodes and where it writes. */
export interface SampleFlusherOptions {
  /** Opens the destination (at start). */
  readonly open: () => ChunkSink;
  /** The flush period in milliseconds (positive). */
  readonly periodMs: number;
  /** Encodes buffered samples as whole lines; must not throw. */
  readonly encode: (samples: readonly Sample[]) => string;
  /** Text written first, right after opening (a CSV header). */
  readonly header?: string;
}

/** Buffers samples and writes them periodically. */
export class SampleFlusher {
  readonly #options: SampleFlusherOptions;
  #sink: ChunkSink | undefined;
  #buffer: Sample[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;
  #done = false;

  /**
   * Creates the flusher (nothing is opened until {@link start}).
   *
   * @param options Encoding, destination and period.
   */
  constructor(options: SampleFlusherOptions) {
    this.#options = options;
  }

  /**
   * Opens the destination, writes the header and starts the flush timer.
   *
   * @throws {Error} When the destination cannot be opened.
   */
  start(): void {
    const sink = this.#options.open();
    this.#sink = sink;
    if (this.#options.header) void sink.write(this.#options.header);
    this.#timer = setInterval(() => void this.#flush(), this.#options.periodMs);
    this.#timer.unref?.();
  }

  /**
   * Buffers a sample (dropped once stopped).
   *
   * @param sample The sample.
   */
  add(sample: Sample): void {
    if (!this.#done) this.#buffer.push(sample);
  }

  /** Writes what is buffered and closes the destination. */
  async stop(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    clearInterval(this.#timer);
    await this.#flush();
    await this.#sink?.close();
  }

  /**
   * Writes what is buffered synchronously and stops; after {@link stop},
   * finishes its writes synchronously.
   */
  abort(): void {
    this.#done = true;
    clearInterval(this.#timer);
    this.#sink?.abort(this.#take());
  }

  #take(): string {
    if (this.#buffer.length === 0) return "";
    const samples = this.#buffer;
    this.#buffer = [];
    return this.#options.encode(samples);
  }

  #flush(): Promise<void> {
    return this.#sink?.write(this.#take()) ?? Promise.resolve();
  }
}
