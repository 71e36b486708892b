/**
 * `--out json=FILE`: every sample as a line of JSON, byte-compatible with
 * k6's NDJSON output (`.gz` compresses; no file or `-` writes to stdout).
 *
 * @module
 */
import { openChunkSink } from "./_chunk_sink.ts";
import { NdjsonEncoder } from "./_ndjson.ts";
import { FileOutput } from "./_file_output.ts";
import type { OutputContext } from "./output.ts";

/** k6's flush period of the JSON output. */
export const JSON_FLUSH_PERIOD_MS = 200;

/** What the JSON output needs besides the file name. */
export interface JsonOutputOptions extends
  Pick<
    OutputContext,
    "thresholds" | "systemTags" | "logger"
  > {
  /** Where `json` / `json=-` writes. */
  readonly stdout?: (text: string) => void;
  /**
   * The thresholds as configured (strings or `{threshold, abortOnFail,
   * delayAbortEval}` objects), so declarations show `abortOnFail` ones as
   * k6 does; `thresholds` is used otherwise.
   */
  readonly thresholdOptions?: Readonly<Record<string, unknown>>;
  /** The zone offset (minutes east of UTC) at a time; the local zone by default. */
  readonly offsetMinutes?: (ms: number) => number;
}

/**
 * k6's JSON output: a `Metric` line declaring each metric before its first
 * point, then a `Point` line per sample, flushed every 200 ms in whole
 * lines.
 *
 * @example Write samples to an NDJSON file
 * ```ts
 * import { JsonOutput } from "./json.ts";
 * import { WS_MSGS_SENT } from "../../metrics/builtin.ts";
 * import assert from "node:assert/strict";
 * import { mkdtempSync, readFileSync, rmSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 *
 * const dir = mkdtempSync(join(tmpdir(), "wsload-json-"));
 * const output = new JsonOutput(join(dir, "out.json"), {
 *   thresholds: {},
 *   systemTags: new Set(),
 *   logger: console,
 *   offsetMinutes: () => 0,
 * });
 * await output.start();
 * output.add({
 *   metric: WS_MSGS_SENT,
 *   time: Date.UTC(2021, 1, 24, 13, 37, 10),
 *   value: 1,
 *   tags: { scenario: "default" },
 * });
 * await output.stop();
 * const lines = readFileSync(join(dir, "out.json"), "utf8").split("\n");
 * assert.equal(
 *   lines[1],
 *   '{"metric":"ws_msgs_sent","type":"Point","data":{"time":"2021-02-24T13:37:10Z","value":1,"tags":{"scenario":"default"}}}',
 * );
 * rmSync(dir, { recursive: true });
 * ```
 */
export class JsonOutput extends FileOutput {
  /**
   * Creates the output (nothing is opened until {@link FileOutput.start}).
   * The run header names it `json (FILE)`, or k6's `json(stdout)`.
   *
   * @param file The file name (`.gz` compresses); `""` or `-` for stdout.
   * @param options Thresholds, system tags, logger and stdout.
   */
  constructor(file: string, options: JsonOutputOptions) {
    const toStdout = file === "" || file === "-";
    const encoder = new NdjsonEncoder(options);
    const logError = (error: Error) =>
      options.logger.error(`json output: ${error.message}`);
    super(toStdout ? "json(stdout)" : `json (${file})`, {
      open: () => openChunkSink(file, options.stdout, logError),
      periodMs: JSON_FLUSH_PERIOD_MS,
      encode: (samples) => {
        const text = encoder.encode(samples);
        const failures = encoder.takeFailures();
        if (failures) options.logger.error(failures);
        return text;
      },
    });
  }
}
