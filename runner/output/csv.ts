/**
 * `--out csv=FILE`: every sample as a CSV row, as k6's CSV output writes
 * it, configured like k6 by the argument (`FILE`, or
 * `fileName=FILE,saveInterval=2s,timeFormat=rfc3339`) and the
 * `K6_CSV_FILENAME`, `K6_CSV_SAVE_INTERVAL` and `K6_CSV_TIME_FORMAT`
 * environment variables.
 *
 * @module
 */
import { goQuote } from "../../internal/go_quote.ts";
import { parseDuration } from "../options/duration.ts";
import { openChunkSink } from "./_chunk_sink.ts";
import {
  CSV_TIME_FORMATS,
  csvHeader,
  CsvRowEncoder,
  csvTagColumns,
  type CsvTimeFormat,
} from "./_csv_format.ts";
import { FileOutput } from "./_file_output.ts";
import type { OutputContext } from "./output.ts";

export { CSV_TIME_FORMATS, type CsvTimeFormat } from "./_csv_format.ts";

/** The CSV output's settings. */
export interface CsvConfig {
  /** The file (`.gz` compresses); `""` or `-` for stdout. Default `file.csv`. */
  readonly fileName: string;
  /** How often rows are written, in milliseconds. Default 1000. */
  readonly saveIntervalMs: number;
  /** The timestamp format. Default `unix`. */
  readonly timeFormat: CsvTimeFormat;
}

function timeFormatOf(text: string): CsvTimeFormat {
  const format = text.toLowerCase();
  if (!CSV_TIME_FORMATS.includes(format)) {
    throw new Error(`${text} does not belong to TimeFormat values`);
  }
  return format as CsvTimeFormat;
}

/**
 * Resolves the CSV settings k6's way: defaults, then the environment, then
 * the `--out csv=...` argument.
 *
 * @param argument What follows `csv=` (may be empty).
 * @param env The environment (`K6_CSV_*`).
 * @returns The settings.
 * @throws {Error} With k6's texts: `unknown key "x" as argument for csv
 * output`, `couldn't parse "x=" as argument for csv output`, `xyz does not
 * belong to TimeFormat values`, or a duration error.
 *
 * @example Read an argument with options
 * ```ts
 * import { csvConfig } from "./csv.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(
 *   csvConfig("fileName=out.csv,saveInterval=2s", { K6_CSV_TIME_FORMAT: "rfc3339" }),
 *   { fileName: "out.csv", saveIntervalMs: 2000, timeFormat: "rfc3339" },
 * );
 * assert.equal(csvConfig("", {}).fileName, "file.csv");
 * ```
 */
export function csvConfig(
  argument: string,
  env: Readonly<Record<string, string>>,
): CsvConfig {
  let fileName = "file.csv";
  let saveInterval: string | undefined;
  let timeFormat = "unix";
  // An empty variable counts as unset (k6's null.String / NullDuration).
  if (env.K6_CSV_FILENAME) fileName = env.K6_CSV_FILENAME;
  if (env.K6_CSV_SAVE_INTERVAL) saveInterval = env.K6_CSV_SAVE_INTERVAL;
  if (env.K6_CSV_TIME_FORMAT) timeFormat = env.K6_CSV_TIME_FORMAT;
  if (argument !== "" && !argument.includes("=")) {
    fileName = argument;
  } else if (argument !== "") {
    for (const pair of argument.split(",")) {
      const equals = pair.indexOf("=");
      const key = equals < 0 ? pair : pair.slice(0, equals);
      const value = equals < 0 ? "" : pair.slice(equals + 1);
      if (value === "") {
        throw new Error(
          `couldn't parse ${goQuote(argument)} as argument for csv output`,
        );
      }
      switch (key) {
        case "saveInterval":
          saveInterval = value;
          break;
        case "fileName":
          fileName = value;
          break;
        case "timeFormat":
          timeFormat = value;
          break;
        default:
          throw new Error(
            `unknown key ${goQuote(key)} as argument for csv output`,
          );
      }
    }
  }
  return {
    fileName,
    saveIntervalMs: saveInterval === undefined
      ? 1000
      : parseDuration(saveInterval),
    timeFormat: timeFormatOf(timeFormat),
  };
}

/** What the CSV output needs besides its settings. */
export interface CsvOutputOptions
  extends Pick<OutputContext, "systemTags" | "logger"> {
  /** Where `csv=-` writes. */
  readonly stdout?: (text: string) => void;
  /** The zone offset (minutes east of UTC) at a time; the local zone by default. */
  readonly offsetMinutes?: (ms: number) => number;
}

/**
 * k6's CSV output: a header, then a row per sample, written every save
 * interval.
 *
 * @example Write samples to a CSV file
 * ```ts
 * import { CsvOutput } from "./csv.ts";
 * import { WS_SESSIONS } from "../../metrics/builtin.ts";
 * import assert from "node:assert/strict";
 * import { mkdtempSync, readFileSync, rmSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 *
 * const dir = mkdtempSync(join(tmpdir(), "wsload-csv-"));
 * const output = new CsvOutput(
 *   { fileName: join(dir, "out.csv"), saveIntervalMs: 1000, timeFormat: "unix" },
 *   { systemTags: new Set(["scenario", "url"]), logger: console },
 * );
 * await output.start();
 * output.add({
 *   metric: WS_SESSIONS,
 *   time: 1562324644000,
 *   value: 1,
 *   tags: { scenario: "default", url: "ws://x", my: "tag" },
 * });
 * await output.stop();
 * assert.equal(
 *   readFileSync(join(dir, "out.csv"), "utf8"),
 *   "metric_name,timestamp,metric_value,scenario,url,extra_tags,metadata\n" +
 *     "ws_sessions,1562324644,1.000000,default,ws://x,my=tag,\n",
 * );
 * rmSync(dir, { recursive: true });
 * ```
 */
export class CsvOutput extends FileOutput {
  /**
   * Creates the output (nothing is opened until {@link FileOutput.start}).
   *
   * @param config The settings (see {@link csvConfig}).
   * @param options System tags (the columns), logger and stdout.
   */
  constructor(config: CsvConfig, options: CsvOutputOptions) {
    const toStdout = config.fileName === "" || config.fileName === "-";
    const columns = csvTagColumns(options.systemTags);
    const encoder = new CsvRowEncoder(
      columns,
      config.timeFormat,
      options.offsetMinutes,
    );
    super(toStdout ? "csv (stdout)" : `csv (${config.fileName})`, {
      open: () =>
        openChunkSink(
          config.fileName,
          options.stdout,
          (error) => options.logger.error(`csv output: ${error.message}`),
        ),
      periodMs: config.saveIntervalMs,
      encode: (samples) => encoder.encode(samples),
      header: csvHeader(columns),
    });
  }
}
