/**
 * The report the compact and full summaries render, built the way k6's
 * summary output builds it (`internal/output/summary`): metrics sorted into
 * categories by name, check totals as three derived metrics, checks merged
 * by name, thresholds with the percentile values they compared, and, for
 * the full summary, one block per top-level group and per scenario.
 *
 * @module
 */
import type { MetricType, ValueType } from "../../metrics/metric.ts";
import type { SummaryData, SummaryGroup } from "./data.ts";
import { summaryValues } from "./_values.ts";

/** A metric line of the report. */
export interface ReportMetric {
  readonly name: string;
  readonly type: MetricType;
  readonly contains: ValueType;
  readonly values: Readonly<Record<string, number>>;
}

/** A check line of the report. */
export interface ReportCheck {
  readonly name: string;
  readonly passes: number;
  readonly fails: number;
}

/** The check totals (`checks_total`, `_succeeded`, `_failed`) and check list. */
export interface ReportChecks {
  readonly metrics: readonly ReportMetric[];
  readonly ordered: readonly ReportCheck[];
}

/** Metric categories in k6's order; `custom` is printed first. */
export const CATEGORIES = [
  "http",
  "execution",
  "network",
  "browser",
  "web_vitals",
  "grpc",
  "websocket",
  "custom",
] as const;

/** A metric category of the report. */
export type Category = typeof CATEGORIES[number];

/** A block: the totals, a group or a scenario. */
export interface ReportGroup {
  readonly checks?: ReportChecks;
  readonly metrics: ReadonlyMap<Category, readonly ReportMetric[]>;
  readonly groups: readonly (readonly [string, ReportGroup])[];
}

/** A metric with thresholds and their results. */
export interface ReportThresholds {
  readonly metric: ReportMetric;
  readonly thresholds: readonly { readonly source: string; ok: boolean }[];
}

/** The whole report. */
export interface Report {
  readonly thresholds: readonly ReportThresholds[];
  /** TOTAL RESULTS. */
  readonly total: ReportGroup;
  /** Top-level `GROUP:` blocks (full mode). */
  readonly groups: readonly (readonly [string, ReportGroup])[];
  /** `SCENARIO:` blocks (full mode), unsorted. */
  readonly scenarios: readonly (readonly [string, ReportGroup])[];
}

/** A metric as the report builder reads it (a snapshot metric fits). */
export interface SourceMetric {
  readonly name: string;
  readonly type: MetricType;
  readonly contains: ValueType;
  readonly values: Readonly<Record<string, number>>;
  readonly thresholds: readonly {
    readonly source: string;
    readonly ok: boolean;
    readonly value?: number;
  }[];
}

/** A group as the report builder reads it (a snapshot group fits). */
export interface SourceGroup {
  readonly name: string;
  readonly path: string;
  readonly metrics: readonly SourceMetric[];
  readonly checks: readonly {
    readonly name: string;
    readonly path: string;
    readonly passes: number;
    readonly fails: number;
  }[];
  readonly groups: readonly SourceGroup[];
}

/** What the report is built from (an engine snapshot fits). */
export interface ReportSource {
  readonly durationMs: number;
  readonly rootGroup: SourceGroup;
  readonly scenarios: Readonly<Record<string, SourceGroup>>;
}

/** How to build the report. */
export interface ReportOptions {
  readonly mode: "compact" | "full";
  readonly trendStats: readonly string[];
}

// The metrics k6 never lists (their information is shown otherwise), and in
// compact mode the HTTP timing breakdown. k6 matches by name prefix.
const ALWAYS_HIDDEN = ["checks", "group_duration"];
const HIDDEN_IN_COMPACT = [
  ...ALWAYS_HIDDEN,
  "http_req_blocked",
  "http_req_connecting",
  "http_req_receiving",
  "http_req_sending",
  "http_req_tls_handshaking",
  "http_req_waiting",
];
const HTTP_METRICS = [
  "http_reqs",
  "http_req_failed",
  "http_req_duration",
  "http_req_blocked",
  "http_req_connecting",
  "http_req_tls_handshaking",
  "http_req_sending",
  "http_req_waiting",
  "http_req_receiving",
];
const EXECUTION_METRICS = [
  "vus",
  "vus_max",
  "iterations",
  "iteration_duration",
  "dropped_iterations",
];
const NETWORK_METRICS = ["data_sent", "data_received"];
const PERCENTILE_SOURCE = /^p\((\d+(?:\.\d+)?)\)\s*[<>=]/;

/**
 * Builds the report from a snapshot-shaped source.
 *
 * @param source The snapshot (or data converted by {@link sourceFromData}).
 * @param options Mode and trend stats.
 * @returns The report.
 */
export function buildReport(
  source: ReportSource,
  options: ReportOptions,
): Report {
  const { mode, trendStats } = options;
  const root = source.rootGroup;
  const block = (group: SourceGroup, checks: ReportCheck[]): ReportGroup => ({
    checks: checkTotals(group.metrics, checks, source.durationMs, trendStats),
    metrics: categorize(group.metrics, mode, trendStats),
    groups: group.groups.map((child) => [
      child.name,
      block(child, mergeChecks(child.checks)),
    ]),
  });
  const total = block(root, allChecks(root));
  const thresholds = root.metrics
    .filter((metric) => metric.thresholds.length > 0)
    .map((metric) => thresholdsOf(metric, trendStats));
  if (mode === "compact") {
    return { thresholds, total, groups: [], scenarios: [] };
  }
  // k6 files a sample under its scenario's block unless the scenario is
  // `default` (or untagged); only those samples build the top-level groups.
  const scenarioNames = Object.keys(source.scenarios);
  const topGroups = scenarioNames.length === 0
    ? root.groups
    : source.scenarios["default"]?.groups ?? [];
  return {
    thresholds,
    total,
    groups: topGroups.map((group) => [
      group.name,
      block(group, mergeChecks(group.checks)),
    ]),
    scenarios: scenarioNames
      .filter((name) => name !== "default")
      .map((name) => {
        const scenario = source.scenarios[name];
        return [name, block(scenario, allChecks(scenario))];
      }),
  };
}

/**
 * Converts `handleSummary` data into a report source: the metrics and the
 * group tree with its checks. Groups carry no metrics of their own (the
 * data has none) and there are no scenarios.
 *
 * @param data The data.
 * @returns The source.
 */
export function sourceFromData(data: SummaryData): ReportSource {
  const metrics: SourceMetric[] = Object.entries(data.metrics).map((
    [name, metric],
  ) => ({
    name,
    type: metric.type,
    contains: metric.contains,
    values: metric.values,
    thresholds: Object.entries(metric.thresholds ?? {}).map((
      [source, threshold],
    ) => ({ source, ok: threshold.ok })),
  }));
  const group = (g: SummaryGroup, withMetrics: boolean): SourceGroup => ({
    name: g.name,
    path: g.path,
    metrics: withMetrics ? metrics : [],
    checks: g.checks,
    groups: g.groups.map((child) => group(child, false)),
  });
  return {
    durationMs: data.state.testRunDurationMs,
    rootGroup: group(data.root_group, true),
    scenarios: {},
  };
}

function categoryOf(name: string): Category {
  if (startsWithAny(name, HTTP_METRICS)) return "http";
  if (startsWithAny(name, EXECUTION_METRICS)) return "execution";
  if (startsWithAny(name, NETWORK_METRICS)) return "network";
  if (name.startsWith("browser_web_vital_")) return "web_vitals";
  if (name.startsWith("browser_")) return "browser";
  if (name.startsWith("grpc_")) return "grpc";
  if (name.startsWith("ws_")) return "websocket";
  return "custom";
}

function startsWithAny(name: string, prefixes: readonly string[]): boolean {
  return prefixes.some((prefix) => name.startsWith(prefix));
}

function categorize(
  metrics: readonly SourceMetric[],
  mode: "compact" | "full",
  trendStats: readonly string[],
): Map<Category, ReportMetric[]> {
  const hidden = mode === "compact" ? HIDDEN_IN_COMPACT : ALWAYS_HIDDEN;
  const categories = new Map<Category, ReportMetric[]>(
    CATEGORIES.map((category) => [category, []]),
  );
  for (const metric of metrics) {
    if (startsWithAny(metric.name, hidden)) continue;
    categories.get(categoryOf(metric.name))!.push(reportMetric(
      metric,
      trendStats,
    ));
  }
  return categories;
}

function reportMetric(
  metric: SourceMetric,
  trendStats: readonly string[],
): ReportMetric {
  return {
    name: metric.name,
    type: metric.type,
    contains: metric.contains,
    values: summaryValues(metric, trendStats),
  };
}

// The percentile a threshold compares is shown even when it is not a trend
// column: k6 adds it to the metric's values.
function thresholdsOf(
  metric: SourceMetric,
  trendStats: readonly string[],
): ReportThresholds {
  const values = summaryValues(metric, trendStats);
  if (metric.type === "trend") {
    for (const threshold of metric.thresholds) {
      const match = PERCENTILE_SOURCE.exec(threshold.source.trim());
      if (!match) continue;
      const key = `p(${match[1]})`;
      const value = metric.values[key] ?? threshold.value;
      if (value !== undefined) values[key] = value;
    }
  }
  return {
    metric: { ...metric, values },
    thresholds: metric.thresholds.map(({ source, ok }) => ({ source, ok })),
  };
}

/** Every check of a group and its sub-groups, merged by name (k6's totals). */
function allChecks(group: SourceGroup): ReportCheck[] {
  const seenPaths = new Set<string>();
  const flat: SourceGroup["checks"][number][] = [];
  const visit = (g: SourceGroup) => {
    for (const check of g.checks) {
      // A source that already lists nested checks at the top must not count
      // them twice.
      if (seenPaths.has(check.path)) continue;
      seenPaths.add(check.path);
      flat.push(check);
    }
    g.groups.forEach(visit);
  };
  visit(group);
  return mergeChecks(flat);
}

function mergeChecks(checks: SourceGroup["checks"]): ReportCheck[] {
  const byName = new Map<
    string,
    { name: string; passes: number; fails: number }
  >();
  for (const check of checks) {
    const merged = byName.get(check.name);
    if (merged) {
      merged.passes += check.passes;
      merged.fails += check.fails;
    } else {
      byName.set(check.name, {
        name: check.name,
        passes: check.passes,
        fails: check.fails,
      });
    }
  }
  return [...byName.values()];
}

function checkTotals(
  metrics: readonly SourceMetric[],
  checks: readonly ReportCheck[],
  durationMs: number,
  trendStats: readonly string[],
): ReportChecks | undefined {
  const checksMetric = metrics.find((metric) => metric.name === "checks");
  if (!checksMetric && checks.length === 0) return undefined;
  const succeeded = checksMetric
    ? summaryValues(checksMetric, trendStats)
    : rateValues(
      checks.reduce((sum, check) => sum + check.passes, 0),
      checks.reduce((sum, check) => sum + check.fails, 0),
    );
  const passes = succeeded.passes;
  const fails = succeeded.fails;
  const total = passes + fails;
  const kind = { contains: "default" } as const;
  return {
    metrics: [
      {
        name: "checks_total",
        type: "counter",
        ...kind,
        values: {
          count: total,
          rate: durationMs === 0 ? 0 : total / (durationMs / 1000),
        },
      },
      { name: "checks_succeeded", type: "rate", ...kind, values: succeeded },
      {
        name: "checks_failed",
        type: "rate",
        ...kind,
        values: {
          passes: fails,
          fails: passes,
          rate: rateValues(fails, passes).rate,
        },
      },
    ],
    ordered: checks,
  };
}

function rateValues(passes: number, fails: number): Record<string, number> {
  const total = passes + fails;
  return { rate: total > 0 ? passes / total : 0, passes, fails };
}
