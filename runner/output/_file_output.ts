/**
 * What the file outputs (`--out csv`, `--out json`) share: k6's
 * `PeriodicFlusher` behind the {@link Output} interface. A subclass only
 * says how it names itself and how it encodes (see `csv.ts`, `json.ts`).
 *
 * @module
 */
import type { Sample } from "../../metrics/sample.ts";
import { formatDuration } from "../options/duration.ts";
import { SampleFlusher, type SampleFlusherOptions } from "./_sample_flusher.ts";
import type { Output, RunEnd } from "./output.ts";

/**
 * An output that buffers samples and writes them to a file (or stdout)
 * every period, through a {@link SampleFlusher}.
 *
 * @example A minimal file output: one value a line, to stdout
 * ```ts
 * import { FileOutput } from "./_file_output.ts";
 * import { openChunkSink } from "./_chunk_sink.ts";
 * import { WS_SESSIONS } from "../../metrics/builtin.ts";
 * import assert from "node:assert/strict";
 *
 * class ValueOutput extends FileOutput {
 *   constructor(write: (text: string) => void) {
 *     super("values (stdout)", {
 *       open: () => openChunkSink("-", write, () => {}),
 *       periodMs: 1000,
 *       encode: (samples) => samples.map((s) => `${s.value}\n`).join(""),
 *     });
 *   }
 * }
 *
 * let written = "";
 * const output = new ValueOutput((text) => written += text);
 * await output.start();
 * output.add({ metric: WS_SESSIONS, time: 0, value: 1, tags: {} });
 * await output.stop();
 * assert.equal(written, "1\n");
 * ```
 */
export abstract class FileOutput implements Output {
  /** How the run header names it, e.g. `csv (file.csv)`. */
  readonly description: string;
  readonly #periodMs: number;
  readonly #flusher: SampleFlusher;

  /**
   * Creates the output (nothing is opened until {@link FileOutput.start}).
   *
   * @param description How the run header names it.
   * @param flusher Destination, period, encoding and header.
   */
  constructor(description: string, flusher: SampleFlusherOptions) {
    this.description = description;
    this.#periodMs = flusher.periodMs;
    this.#flusher = new SampleFlusher(flusher);
  }

  /**
   * Opens the destination, writes the header (if any) and starts the flush
   * timer.
   *
   * @returns A promise settled once started.
   * @throws {Error} `open FILE: <reason>` when the file cannot be created;
   * `metric flush period should be positive but was 0s` for a period that
   * is not positive (the CSV output's save interval).
   */
  start(): Promise<void> {
    return Promise.resolve().then(() => {
      const period = this.#periodMs;
      if (!(period > 0)) {
        throw new Error(
          `metric flush period should be positive but was ${
            formatDuration(period)
          }`,
        );
      }
      this.#flusher.start();
    });
  }

  /**
   * Buffers a sample.
   *
   * @param sample The sample.
   */
  add(sample: Sample): void {
    this.#flusher.add(sample);
  }

  /**
   * Writes the rest and closes the file.
   *
   * @param _end The run's end (unused).
   * @returns A promise settled once everything is written.
   */
  stop(_end?: RunEnd): Promise<void> {
    return this.#flusher.stop();
  }

  /** Writes the rest synchronously. */
  abort(): void {
    this.#flusher.abort();
  }
}
