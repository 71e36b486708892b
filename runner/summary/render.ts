/**
 * The end-of-test summary text k6 prints: the grouped `compact` and `full`
 * summaries of k6 v1/v2, and the classic `legacy` one.
 *
 * @module
 */
import type { EngineSnapshot } from "../engine/snapshot.ts";
import { type SummaryData, summaryData } from "./data.ts";
import { renderLegacyText } from "./_legacy_text.ts";
import { buildReport, sourceFromData } from "./report.ts";
import { renderReportText } from "./report_text.ts";
import { DEFAULT_TREND_STATS } from "../engine/trend_stats.ts";
import { summaryValues } from "./_values.ts";

/** k6's `--summary-mode` values that print a summary. */
export type SummaryMode = "compact" | "full" | "legacy";

/** How {@link renderSummary} renders. */
export interface RenderSummaryOptions {
  /** `compact` (default), `full` (adds group and scenario blocks) or `legacy`. */
  readonly mode?: SummaryMode;
  /**
   * The trend columns (k6's `summaryTrendStats`); default the data's own, or
   * `avg, min, med, max, p(90), p(95)` for a snapshot.
   */
  readonly trendStats?: readonly string[];
  /**
   * k6's `summaryTimeUnit`: `s`, `ms` or `us` prints every time in that
   * unit; default (`""`) picks a unit per value.
   */
  readonly timeUnit?: string;
  /** Whether to emit ANSI colours, byte for byte as k6; default `false`. */
  readonly colors?: boolean;
  /** Legacy mode only: the left margin (k6's `indent`); default one space. */
  readonly indent?: string;
}

const MODES: readonly SummaryMode[] = ["compact", "full", "legacy"];

/**
 * Renders the end-of-test summary exactly as k6 writes it to stdout (the
 * text is framed by a leading newline and two trailing ones, as k6's
 * summary handler does).
 *
 * From a snapshot, every mode is complete. From `handleSummary` data, the
 * `full` mode has group blocks with checks only and no scenario blocks, and
 * percentile thresholds outside the trend columns show no value: the data
 * does not carry them.
 *
 * @param input An engine snapshot, or `handleSummary` data.
 * @param options Mode, trend columns, time unit, colours.
 * @returns The text to print.
 * @throws {RangeError} When `mode` is unknown, or a metric lacks a value for
 * one of the trend columns.
 *
 * @example Print a compact summary
 * ```ts
 * import { renderSummary } from "./render.ts";
 * import assert from "node:assert/strict";
 *
 * const text = renderSummary({
 *   durationMs: 2000,
 *   rootGroup: {
 *     name: "", path: "", id: "d41d8cd98f00b204e9800998ecf8427e",
 *     groups: [], checks: [],
 *     metrics: [
 *       { name: "ws_sessions", type: "counter", contains: "default", values: { count: 4, rate: 2 }, thresholds: [] },
 *       { name: "ws_msgs_sent", type: "counter", contains: "default", values: { count: 40, rate: 20 }, thresholds: [] },
 *     ],
 *   },
 *   scenarios: {},
 * });
 * assert.equal(text, [
 *   "",
 *   "",
 *   "  █ TOTAL RESULTS ",
 *   "",
 *   "    WEBSOCKET",
 *   "    ws_msgs_sent...: 40 20/s",
 *   "    ws_sessions....: 4  2/s",
 *   "",
 *   "",
 *   "",
 *   "",
 * ].join("\n"));
 * ```
 */
export function renderSummary(
  input: EngineSnapshot | SummaryData,
  options: RenderSummaryOptions = {},
): string {
  const mode = options.mode ?? "compact";
  if (!MODES.includes(mode)) {
    throw new RangeError(
      `Unknown summary mode '${mode}'; expected one of ${MODES.join(", ")}`,
    );
  }
  const fromData = isSummaryData(input);
  const trendStats = options.trendStats ??
    (fromData ? input.options.summaryTrendStats : DEFAULT_TREND_STATS);
  const timeUnit = options.timeUnit ??
    (fromData ? input.options.summaryTimeUnit : "");
  const colors = options.colors ?? false;
  let text: string;
  if (mode === "legacy") {
    if (fromData) {
      for (const [name, metric] of Object.entries(input.metrics)) {
        summaryValues({ name, ...metric }, trendStats);
      }
    }
    const data = fromData ? input : summaryData(input, {
      summaryTrendStats: trendStats,
      summaryTimeUnit: timeUnit,
      noColor: !colors,
    });
    text = renderLegacyText(data, {
      indent: options.indent ?? " ",
      enableColors: colors,
      summaryTrendStats: trendStats,
      summaryTimeUnit: timeUnit,
      variant: "k6",
    });
  } else {
    const source = fromData ? sourceFromData(input) : input;
    const report = buildReport(source, { mode, trendStats });
    text = renderReportText(report, { trendStats, timeUnit, colors });
  }
  return `\n${text}\n\n`;
}

function isSummaryData(
  input: EngineSnapshot | SummaryData,
): input is SummaryData {
  return "root_group" in input;
}
