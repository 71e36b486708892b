/**
 * `--report FILE.html`: one self-contained HTML file with the run's charts
 * over time (active VUs, WebSocket messages per second, `ws_connecting`
 * and `ws_session_duration` percentiles, checks pass rate) and the summary
 * tables. It needs no network to open: uPlot's code and styles are inlined.
 *
 * @module
 */
import type { Sample } from "../../metrics/sample.ts";
import { now } from "../../metrics/sample.ts";
import { type ChunkSink, openChunkSink } from "./_chunk_sink.ts";
import { renderReportPage } from "./_report_page.ts";
import { Timeline } from "./_timeline.ts";
import { loadUplotAssets, type UplotAssets } from "./_uplot_assets.ts";
import type { Output, OutputContext, RunEnd } from "./output.ts";

/** What the HTML report needs besides the file name. */
export interface HtmlReportOptions
  extends Pick<OutputContext, "scriptPath" | "logger" | "failures"> {
  /** The zone offset (minutes east of UTC) at a time; the local zone by default. */
  readonly offsetMinutes?: (ms: number) => number;
  /** The most time buckets the charts keep (default 600). */
  readonly maxBuckets?: number;
}

/**
 * The HTML report output. Samples are aggregated into per-interval chart
 * data as they arrive (bounded memory); the page is written when the run
 * stops, or, on a hard exit, synchronously with the charts only.
 *
 * @example Write a report for a few samples
 * ```ts
 * import { HtmlReportOutput } from "./html_report.ts";
 * import { VUS } from "../../metrics/builtin.ts";
 * import assert from "node:assert/strict";
 * import { mkdtempSync, readFileSync, rmSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 *
 * const dir = mkdtempSync(join(tmpdir(), "wsload-report-"));
 * const file = join(dir, "report.html");
 * const report = new HtmlReportOutput(file, { scriptPath: "test.js", logger: console });
 * await report.start();
 * report.add({ metric: VUS, time: Date.now(), value: 3, tags: {} });
 * report.abort();
 * assert.match(readFileSync(file, "utf8"), /<title>wsload report · test\.js<\/title>/);
 * rmSync(dir, { recursive: true });
 * ```
 */
export class HtmlReportOutput implements Output {
  /** `report (FILE)`. */
  readonly description: string;
  readonly #file: string;
  readonly #options: HtmlReportOptions;
  readonly #timeline: Timeline;
  #assets: UplotAssets | undefined;
  #sink: ChunkSink | undefined;
  #startedAt = 0;
  #done = false;

  /**
   * Creates the output (nothing is opened until {@link start}).
   *
   * @param file The HTML file to write.
   * @param options Script path and logger.
   */
  constructor(file: string, options: HtmlReportOptions) {
    this.#file = file;
    this.#options = options;
    this.description = `report (${file})`;
    this.#timeline = new Timeline(options.maxBuckets);
  }

  /**
   * Loads uPlot and creates the file (so a bad path fails before the run).
   *
   * @returns A promise settled once ready.
   * @throws {Error} When uPlot cannot be found, or the file cannot be
   * created (`open FILE: <reason>`).
   */
  async start(): Promise<void> {
    this.#assets = await loadUplotAssets();
    this.#sink = openChunkSink(
      this.#file,
      undefined,
      (error) => this.#options.logger.error(`report: ${error.message}`),
    );
    this.#startedAt = now();
  }

  /**
   * Aggregates a sample into the charts.
   *
   * @param sample The sample.
   */
  add(sample: Sample): void {
    if (!this.#done) this.#timeline.add(sample);
  }

  /**
   * Writes the report.
   *
   * @param end The run's summary data, snapshot and exit code.
   * @returns A promise settled once the file is written.
   */
  async stop(end: RunEnd): Promise<void> {
    if (this.#done || !this.#sink) return;
    this.#done = true;
    const sink = this.#sink;
    void sink.write(this.#render(end));
    await sink.close();
  }

  /**
   * Writes the report with the charts only, synchronously; after
   * {@link stop}, finishes writing the full report synchronously.
   */
  abort(): void {
    if (!this.#sink) return;
    const page = this.#done ? "" : this.#render(undefined);
    this.#done = true;
    this.#sink.abort(page);
  }

  #render(end: RunEnd | undefined): string {
    return renderReportPage({
      scriptPath: this.#options.scriptPath,
      startedAt: this.#timeline.origin ?? this.#startedAt,
      end,
      failures: this.#options.failures?.(),
      timeline: this.#timeline.data(),
      assets: this.#assets!,
      offsetMinutes: this.#options.offsetMinutes,
    });
  }
}
