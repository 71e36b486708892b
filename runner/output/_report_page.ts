/**
 * The HTML report document: one self-contained page with the run's title,
 * key numbers, charts (drawn in the browser by the inlined uPlot) and the
 * summary tables (thresholds, checks, metrics) with the same numbers as the
 * end-of-test summary.
 *
 * @module
 */
import { VERSION } from "../../version.ts";
import type { EngineSnapshot } from "../engine/snapshot.ts";
import { formatDuration } from "../options/duration.ts";
import type { SummaryData, SummaryGroup } from "../summary/data.ts";
import { humanizeValue } from "../summary/format.ts";
import {
  buildReport,
  CATEGORIES,
  type Category,
  type ReportMetric,
  type ReportThresholds,
} from "../summary/report.ts";
import { nonTrendValues } from "../summary/report_text.ts";
import { sortMetricNames } from "../summary/text.ts";
import { GoTimeFormatter } from "../../internal/go_time.ts";
import type { FailureCount } from "../failures.ts";
import { REPORT_SCRIPT, REPORT_STYLE } from "./_report_client.ts";
import type { TimelineData } from "./_timeline.ts";
import type { UplotAssets } from "./_uplot_assets.ts";

/**
 * The most rows one table of the report shows, so that the page stays
 * small whatever the cardinality (200,000 check names made a 29 MB page
 * no browser would load); the rest are counted in a last row.
 */
export const MAX_TABLE_ROWS = 100;

/** A table row, and how it ranks when not every row fits. */
interface Row {
  readonly html: string;
  /** Higher shows first when the table is cut (failures). */
  readonly weight: number;
}

/**
 * The rows to show: all of them, or the {@linkcode MAX_TABLE_ROWS} heaviest
 * (ties in their order) followed by a row counting the others.
 */
function cappedRows(
  rows: readonly Row[],
  columns: number,
  more: (hidden: readonly Row[]) => string,
): string {
  if (rows.length <= MAX_TABLE_ROWS) {
    return rows.map((row) => row.html).join("\n");
  }
  const order = rows.map((_, index) => index).sort((a, b) =>
    rows[b].weight - rows[a].weight || a - b
  );
  const shown = new Set(order.slice(0, MAX_TABLE_ROWS));
  const hidden = rows.filter((_, index) => !shown.has(index));
  return [
    ...rows.filter((_, index) => shown.has(index)).map((row) => row.html),
    `<tr class="more"><td colspan="${columns}">${
      escapeHtml(more(hidden))
    }</td></tr>`,
  ].join("\n");
}

/** Everything the page shows. */
export interface ReportPageInput {
  /** The script path as the user gave it. */
  readonly scriptPath: string;
  /** When the run started, ms since the epoch. */
  readonly startedAt: number;
  /**
   * The summary: at the run's end (with its exit code), or so far (live,
   * without one); absent when the run was cut short before the summary.
   */
  readonly end?: {
    readonly snapshot: EngineSnapshot;
    readonly data: SummaryData;
    readonly exitCode?: number;
  };
  /** Failed connections and script errors, by text. */
  readonly failures?: readonly FailureCount[];
  /**
   * Set for the web dashboard's page: it follows the run over server-sent
   * events (`events`, next to the page) until the run ends.
   */
  readonly live?: {
    /** Whether the run is still going. */
    readonly running: boolean;
    /** How long it has run, ms. */
    readonly elapsedMs: number;
  };
  /** The charts' data. */
  readonly timeline: TimelineData;
  /** uPlot's code and CSS. */
  readonly assets: UplotAssets;
  /** The zone offset (minutes east of UTC) at a time; the local zone by default. */
  readonly offsetMinutes?: (ms: number) => number;
}

const EXIT_MEANINGS: Readonly<Record<number, string>> = {
  0: "passed",
  99: "thresholds crossed",
  100: "setup() timed out",
  101: "teardown() timed out",
  104: "invalid configuration",
  105: "interrupted",
  107: "script error",
  108: "aborted by the script",
  110: "marked as failed",
};

const CATEGORY_TITLES: Readonly<Record<Category, string>> = {
  http: "HTTP",
  execution: "Execution",
  network: "Network",
  browser: "Browser",
  web_vitals: "Web vitals",
  grpc: "gRPC",
  websocket: "WebSocket",
  custom: "Custom",
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

// Inlined code must not end its own <script>/<style> element early.
function inline(code: string, tag: "script" | "style"): string {
  return code.replace(new RegExp(`</(${tag})`, "gi"), "<\\/$1");
}

// `2026-01-02 03:04:05 UTC+01:00` in the zone the report was written in.
function timeText(
  ms: number,
  offsetMinutes: ((ms: number) => number) | undefined,
): string {
  const text = new GoTimeFormatter("RFC3339", offsetMinutes).format(ms);
  const zone = text.slice(19);
  return `${text.slice(0, 10)} ${text.slice(11, 19)} ${
    zone === "Z" ? "UTC" : `UTC${zone}`
  }`;
}

function durationText(ms: number): string {
  return formatDuration(Math.round(ms / 100) * 100);
}

function cells(values: readonly string[], numeric = true): string {
  return values.map((value) =>
    `<td${numeric ? ' class="num"' : ""}>${escapeHtml(value)}</td>`
  ).join("");
}

/**
 * Renders the report page.
 *
 * @param input What to show.
 * @returns The HTML document.
 */
export function renderReportPage(input: ReportPageInput): string {
  const parts = renderReportParts(input);
  const title = `wsload ${
    input.live ? "dashboard" : "report"
  } · ${input.scriptPath}`;
  const embedded = JSON.stringify(parts.timeline).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="wsload ${escapeHtml(VERSION)}">
<title>${escapeHtml(title)}</title>
<style>${inline(input.assets.style, "style")}</style>
<style>${inline(REPORT_STYLE, "style")}</style>
</head>
<body data-live="${input.live?.running === true}">
<header class="top"><div class="wrap">
<div class="brand">wsload ${input.live ? "dashboard" : "report"}</div>
<h1>${escapeHtml(input.scriptPath)}</h1>
<div class="meta" id="meta">
${parts.meta}
</div>
</div></header>
<main class="wrap" id="content">
${parts.main}
</main>
<footer class="wrap">Generated by wsload ${escapeHtml(VERSION)} · ${
    escapeHtml(timeText(Date.now(), input.offsetMinutes))
  } · self-contained, works offline</footer>
<script id="wsload-data" type="application/json">${embedded}</script>
<script>${inline(input.assets.script, "script")}</script>
<script>${inline(REPORT_SCRIPT, "script")}</script>
</body>
</html>
`;
}

/** The page's parts that change while a run goes on. */
export interface ReportParts {
  /** The header's facts (start, duration, state). */
  readonly meta: string;
  /** The body: key numbers, errors, charts, tables. */
  readonly main: string;
  /** The charts' data. */
  readonly timeline: TimelineData;
}

/**
 * Renders what the page shows of a run (also sent to the live dashboard
 * as each update).
 *
 * @param input What to show.
 * @returns The header facts, the body and the chart data.
 */
export function renderReportParts(input: ReportPageInput): ReportParts {
  const offset = input.offsetMinutes;
  const end = input.end;
  const live = input.live;
  const durationMs = live?.elapsedMs ?? end?.data.state.testRunDurationMs;
  const exitCode = end?.exitCode;
  const state = live?.running
    ? `<span class="badge live">● running</span>`
    : end === undefined
    ? `<span class="badge warn">stopped at once: no summary</span>`
    : exitCode === undefined
    ? ""
    : `<span class="badge ${
      exitCode === 0 ? "ok" : "bad"
    }">exit ${exitCode} · ${
      escapeHtml(EXIT_MEANINGS[exitCode] ?? "failed")
    }</span>`;
  const meta = [
    `<span>Started <b>${
      escapeHtml(timeText(input.startedAt, offset))
    }</b></span>`,
    durationMs === undefined
      ? ""
      : `<span>Duration <b>${escapeHtml(durationText(durationMs))}</b></span>`,
    state,
  ].filter(Boolean).join("\n");
  const main = `${
    end === undefined && !live
      ? `<div class="note">The run was stopped at once (a second interrupt), so the summary tables are missing; the charts show every sample collected until then.</div>`
      : ""
  }${end ? keyNumbers(end.data) : ""}
${errorsSection(input.failures ?? [])}
<section id="charts">
<h2>Over time <span class="totals">· ${
    escapeHtml(durationText(input.timeline.bucketMs))
  } intervals</span></h2>
<div class="charts">
${input.timeline.charts.map((chart) => chartCard(chart)).join("\n")}
</div>
</section>
${end ? summarySections(end.snapshot, end.data) : ""}`;
  return { meta, main, timeline: input.timeline };
}

const FAILURE_KINDS: Readonly<Record<FailureCount["kind"], string>> = {
  connection: "connection failed",
  script: "script error",
};

function errorsSection(failures: readonly FailureCount[]): string {
  const total = failures.reduce((sum, failure) => sum + failure.count, 0);
  const body = failures.length === 0
    ? `<div class="card empty-note">No failed connections and no script errors.</div>`
    : `<div class="card table-card"><table class="data">
<thead><tr><th>Error</th><th>Kind</th><th class="num">Count</th></tr></thead>
<tbody>
${
      failures.map((failure) =>
        `<tr class="fail"><td class="wrap name">${
          escapeHtml(failure.text)
        }</td><td>${
          FAILURE_KINDS[failure.kind]
        }</td><td class="num">${failure.count}</td></tr>`
      ).join("\n")
    }
</tbody></table></div>`;
  return `<section id="errors">
<h2>Errors <span class="totals">· ${total}</span></h2>
${body}
</section>`;
}

function chartCard(chart: TimelineData["charts"][number]): string {
  const body = chart.empty
    ? `<div class="empty">No ${
      escapeHtml(chart.title)
    } samples in this run</div>`
    : `<div class="plot"></div>`;
  return `<figure class="card chart" data-chart="${escapeHtml(chart.id)}">
<h3>${escapeHtml(chart.title)}</h3>
<p class="desc">${escapeHtml(chart.description)}</p>
${body}
</figure>`;
}

function keyNumbers(data: SummaryData): string {
  const metrics = data.metrics;
  const tiles: string[] = [];
  const tile = (label: string, value: string, sub = "") =>
    tiles.push(
      `<div class="kpi"><div class="label">${
        escapeHtml(label)
      }</div><div class="value">${escapeHtml(value)}</div><div class="sub">${
        escapeHtml(sub)
      }</div></div>`,
    );
  const counter = (name: string, label: string) => {
    const metric = metrics[name];
    if (metric?.type !== "counter") return;
    tile(
      label,
      humanizeValue(metric.values.count, metric),
      `${humanizeValue(metric.values.rate, metric)}/s`,
    );
  };
  const vus = metrics.vus;
  if (vus?.type === "gauge") {
    tile("Peak VUs", String(vus.values.max), `min ${vus.values.min}`);
  }
  counter("iterations", "Iterations");
  counter("ws_sessions", "WS sessions");
  counter("ws_msgs_sent", "Messages sent");
  counter("ws_msgs_received", "Messages received");
  const checks = metrics.checks;
  if (checks?.type === "rate") {
    const { passes, fails } = checks.values;
    tile(
      "Checks passed",
      humanizeValue(checks.values.rate, checks),
      `${passes} of ${passes + fails}`,
    );
  }
  return tiles.length === 0
    ? ""
    : `<section class="kpis" id="key-numbers">\n${
      tiles.join("\n")
    }\n</section>\n`;
}

function summarySections(snapshot: EngineSnapshot, data: SummaryData): string {
  const trendStats = data.options.summaryTrendStats;
  const timeUnit = data.options.summaryTimeUnit;
  const report = buildReport(snapshot, { mode: "compact", trendStats });
  return [
    thresholdsSection(report.thresholds, timeUnit),
    checksSection(data),
    metricsSection(report.total.metrics, trendStats, timeUnit),
  ].join("\n");
}

function thresholdValue(
  metric: ReportMetric,
  source: string,
  timeUnit: string,
): string {
  const aggregation = source.split(/[=><!]/)[0].trim();
  const values = metric.values;
  const human = (value: number | undefined) =>
    value === undefined ? "–" : humanizeValue(value, metric, timeUnit);
  switch (metric.type) {
    case "trend":
      return `${aggregation}=${human(values[aggregation])}`;
    case "counter":
      return aggregation === "count"
        ? `count=${human(values.count)}`
        : `rate=${human(values.rate)}/s`;
    default:
      return `${aggregation}=${
        human(metric.type === "gauge" ? values.value : values.rate)
      }`;
  }
}

function thresholdsSection(
  entries: readonly ReportThresholds[],
  timeUnit: string,
): string {
  if (entries.length === 0) return "";
  const byName = new Map(entries.map((entry) => [entry.metric.name, entry]));
  const rows: Row[] = [];
  let passed = 0;
  let total = 0;
  for (const name of sortMetricNames([...byName.keys()])) {
    const entry = byName.get(name)!;
    for (const threshold of entry.thresholds) {
      total++;
      if (threshold.ok) passed++;
      rows.push({
        weight: threshold.ok ? 0 : 1,
        html: `<tr class="${threshold.ok ? "pass" : "fail"}"><td class="name">${
          escapeHtml(name)
        }</td><td class="name">${
          escapeHtml(threshold.source.trim())
        }</td><td class="num">${
          escapeHtml(thresholdValue(entry.metric, threshold.source, timeUnit))
        }</td><td>${
          threshold.ok
            ? '<span class="badge ok">✓ passed</span>'
            : '<span class="badge bad">✗ failed</span>'
        }</td></tr>`,
      });
    }
  }
  return `<section id="thresholds">
<h2>Thresholds <span class="totals">· ${passed} of ${total} passed</span></h2>
<div class="card table-card"><table class="data">
<thead><tr><th>Metric</th><th>Threshold</th><th class="num">Value</th><th>Result</th></tr></thead>
<tbody>
${
    cappedRows(rows, 4, (hidden) =>
      `… and ${hidden.length} more thresholds (${
        hidden.filter((row) =>
          row.weight > 0
        ).length
      } of them failed), not shown: failed ones are shown first`)
  }
</tbody></table></div>
</section>`;
}

function checksSection(data: SummaryData): string {
  const rows: Row[] = [];
  let passes = 0;
  let fails = 0;
  const visit = (group: SummaryGroup, trail: readonly string[]) => {
    for (const check of group.checks) {
      passes += check.passes;
      fails += check.fails;
      const total = check.passes + check.fails;
      const rate = total === 0 ? 0 : check.passes / total;
      rows.push({
        weight: check.fails,
        html: `<tr class="${
          check.fails === 0 ? "pass" : "fail"
        }"><td class="wrap">${check.fails === 0 ? "✓" : "✗"} ${
          escapeHtml(check.name)
        }</td><td>${escapeHtml(trail.join(" › ") || "–")}</td>${
          cells([
            String(check.passes),
            String(check.fails),
            humanizeValue(rate, { type: "rate", contains: "default" }),
          ])
        }</tr>`,
      });
    }
    for (const child of group.groups) visit(child, [...trail, child.name]);
  };
  visit(data.root_group, []);
  if (rows.length === 0) return "";
  return `<section id="checks">
<h2>Checks <span class="totals">· ${passes} of ${
    passes + fails
  } passed</span></h2>
<div class="card table-card"><table class="data">
<thead><tr><th>Check</th><th>Group</th><th class="num">Passes</th><th class="num">Fails</th><th class="num">Pass rate</th></tr></thead>
<tbody>
${
    cappedRows(rows, 5, (hidden) =>
      `… and ${hidden.length} more checks (${
        hidden.filter((row) =>
          row.weight > 0
        ).length
      } of them with failures), not shown: the ${MAX_TABLE_ROWS} with the most failures are; --summary-export lists every check`)
  }
</tbody></table></div>
</section>`;
}

function metricName(name: string): string {
  const brace = name.indexOf("{");
  return brace < 0
    ? `<td class="name">${escapeHtml(name)}</td>`
    : `<td class="name sub">${
      escapeHtml(`{ ${name.slice(brace + 1, -1)} }`)
    }</td>`;
}

function moreMetrics(hidden: readonly Row[]): string {
  return `… and ${hidden.length} more metrics, not shown: --summary-export lists every one`;
}

function metricsSection(
  categories: ReadonlyMap<Category, readonly ReportMetric[]>,
  trendStats: readonly string[],
  timeUnit: string,
): string {
  // k6's summary lists custom metrics first.
  const order: Category[] = [
    "custom",
    ...CATEGORIES.filter((c) => c !== "custom"),
  ];
  const blocks: string[] = [];
  for (const category of order) {
    const metrics = categories.get(category) ?? [];
    if (metrics.length === 0) continue;
    const trends = metrics.filter((metric) => metric.type === "trend");
    const others = metrics.filter((metric) => metric.type !== "trend");
    const tables: string[] = [];
    if (trends.length > 0) {
      tables.push(`<div class="card table-card"><table class="data">
<thead><tr><th>Trend</th>${
        trendStats.map((stat) => `<th class="num">${escapeHtml(stat)}</th>`)
          .join("")
      }</tr></thead>
<tbody>
${
        cappedRows(
          trends.map((metric) => ({
            weight: 0,
            html: `<tr>${metricName(metric.name)}${
              cells(
                trendStats.map((stat) =>
                  humanizeValue(metric.values[stat], metric, timeUnit)
                ),
              )
            }</tr>`,
          })),
          trendStats.length + 1,
          moreMetrics,
        )
      }
</tbody></table></div>`);
    }
    if (others.length > 0) {
      tables.push(
        `<div class="card table-card"${
          trends.length > 0 ? ' style="margin-top:10px"' : ""
        }><table class="data">
<thead><tr><th>Metric</th><th>Type</th><th class="num">Value</th><th class="num">Details</th></tr></thead>
<tbody>
${
          cappedRows(
            others.map((metric) => {
              const [value, ...extras] = nonTrendValues(metric, timeUnit);
              return {
                weight: 0,
                html: `<tr>${metricName(metric.name)}<td>${metric.type}</td>${
                  cells([value, extras.join("   ")])
                }</tr>`,
              };
            }),
            4,
            moreMetrics,
          )
        }
</tbody></table></div>`,
      );
    }
    blocks.push(
      `<div class="category">${escapeHtml(CATEGORY_TITLES[category])}</div>\n${
        tables.join("\n")
      }`,
    );
  }
  if (blocks.length === 0) return "";
  return `<section id="metrics">
<h2>Metrics</h2>
${blocks.join("\n")}
</section>`;
}
