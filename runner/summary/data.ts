/**
 * The `data` object k6 passes to a script's `handleSummary(data)`, built
 * from an engine snapshot: the group tree with its checks, the options and
 * state of the run, every metric and sub-metric with its values and
 * threshold results, and what `setup()` returned.
 *
 * @module
 */
import type { MetricType, ValueType } from "../../metrics/metric.ts";
import type {
  EngineSnapshot,
  GroupSnapshot,
  MetricSnapshot,
} from "../engine/snapshot.ts";
import { sortMetricNames } from "./text.ts";
import { DEFAULT_TREND_STATS } from "../engine/trend_stats.ts";
import { summaryValues } from "./_values.ts";

/** A check in {@link SummaryData}: its totals and where it ran. */
export interface SummaryCheck {
  /** The check name. */
  name: string;
  /** `::group::name`. */
  path: string;
  /** md5 hex of the path. */
  id: string;
  /** Passed evaluations. */
  passes: number;
  /** Failed evaluations. */
  fails: number;
}

/** A group in {@link SummaryData}; the root group has name and path `""`. */
export interface SummaryGroup {
  /** The group name. */
  name: string;
  /** `::a::b`, or `""` for the root. */
  path: string;
  /** md5 hex of the path. */
  id: string;
  /** Nested groups, in the order they first ran. */
  groups: SummaryGroup[];
  /** Checks of this group, in the order they first ran. */
  checks: SummaryCheck[];
}

/** A threshold's result in {@link SummaryData}. */
export interface SummaryThreshold {
  /** Whether the threshold passed. */
  ok: boolean;
}

/** A metric or sub-metric in {@link SummaryData}. */
export interface SummaryMetric {
  /** The metric type. */
  type: MetricType;
  /** Plain numbers, milliseconds or bytes. */
  contains: ValueType;
  /**
   * Counter `count`, `rate` (per second); gauge `value`, `min`, `max`; rate
   * `rate`, `passes`, `fails`; trend one key per `summaryTrendStats` entry.
   */
  values: Record<string, number>;
  /** Threshold results by expression; absent when the metric has none. */
  thresholds?: Record<string, SummaryThreshold>;
}

/** k6's `handleSummary(data)` argument. */
export interface SummaryData {
  /** The root group, with every group and check of the test. */
  root_group: SummaryGroup;
  /** The summary options of the run. */
  options: {
    /** The trend columns. */
    summaryTrendStats: string[];
    /** `s`, `ms`, `us`, or `""` to pick a unit per value. */
    summaryTimeUnit: string;
    /** Whether colours were disabled (`--no-color`). */
    noColor: boolean;
  };
  /** The state of the run. */
  state: {
    /** Whether stdout is a terminal. */
    isStdOutTTY: boolean;
    /** Whether stderr is a terminal. */
    isStdErrTTY: boolean;
    /** The test run duration in milliseconds. */
    testRunDurationMs: number;
  };
  /** Every metric and sub-metric (`name{tag:value}`) by name. */
  metrics: Record<string, SummaryMetric>;
  /** What `setup()` returned; `undefined` (key present) when nothing. */
  setup_data: unknown;
}

/** The run facts {@link summaryData} needs besides the snapshot. */
export interface SummaryDataOptions {
  /** k6's `summaryTrendStats`; default `avg, min, med, max, p(90), p(95)`. */
  readonly summaryTrendStats?: readonly string[];
  /** k6's `summaryTimeUnit`; default `""`. */
  readonly summaryTimeUnit?: string;
  /** Whether colours are disabled; default `false`. */
  readonly noColor?: boolean;
  /** Whether stdout is a terminal; default `false`. */
  readonly isStdOutTTY?: boolean;
  /** Whether stderr is a terminal; default `false`. */
  readonly isStdErrTTY?: boolean;
  /** What `setup()` returned (JSON-serialisable); omit when nothing. */
  readonly setupData?: unknown;
}

/**
 * Builds k6's `handleSummary(data)` object from an engine snapshot. Keys are
 * in the order k6's Go code lists them (k6 itself hands over Go maps, whose
 * order varies from run to run); metrics are sorted by name, each
 * sub-metric after its parent.
 *
 * @param snapshot The engine snapshot at the end of the run.
 * @param options The summary options and run state.
 * @returns A new, JSON-serialisable data object.
 * @throws {RangeError} When a metric lacks a value the summary needs (a
 * trend stat the snapshot was not computed for).
 *
 * @example Build the data a handleSummary function receives
 * ```ts
 * import { summaryData } from "./data.ts";
 * import assert from "node:assert/strict";
 *
 * const data = summaryData({
 *   durationMs: 1000,
 *   rootGroup: {
 *     name: "", path: "", id: "d41d8cd98f00b204e9800998ecf8427e",
 *     groups: [], checks: [],
 *     metrics: [{
 *       name: "ws_sessions", type: "counter", contains: "default",
 *       values: { count: 3, rate: 3 },
 *       thresholds: [{ source: "count>1", ok: true, abortOnFail: false }],
 *     }],
 *   },
 *   scenarios: {},
 * }, { setupData: { token: "abc" } });
 * assert.deepEqual(data.metrics.ws_sessions, {
 *   type: "counter", contains: "default",
 *   values: { count: 3, rate: 3 },
 *   thresholds: { "count>1": { ok: true } },
 * });
 * assert.equal(data.state.testRunDurationMs, 1000);
 * assert.deepEqual(data.setup_data, { token: "abc" });
 * ```
 */
export function summaryData(
  snapshot: EngineSnapshot,
  options: SummaryDataOptions = {},
): SummaryData {
  const trendStats = [...(options.summaryTrendStats ?? DEFAULT_TREND_STATS)];
  return {
    root_group: dataGroup(snapshot.rootGroup),
    options: {
      summaryTrendStats: trendStats,
      summaryTimeUnit: options.summaryTimeUnit ?? "",
      noColor: options.noColor ?? false,
    },
    state: {
      isStdOutTTY: options.isStdOutTTY ?? false,
      isStdErrTTY: options.isStdErrTTY ?? false,
      testRunDurationMs: snapshot.durationMs,
    },
    metrics: dataMetrics(snapshot.rootGroup.metrics, trendStats),
    // k6 hands handleSummary a fresh parse of setup()'s JSON.
    setup_data: options.setupData === undefined
      ? undefined
      : JSON.parse(JSON.stringify(options.setupData)),
  };
}

function dataGroup(group: GroupSnapshot): SummaryGroup {
  return {
    name: group.name,
    path: group.path,
    id: group.id,
    groups: group.groups.map(dataGroup),
    checks: group.checks.map((check) => ({
      name: check.name,
      path: check.path,
      id: check.id,
      passes: check.passes,
      fails: check.fails,
    })),
  };
}

function dataMetrics(
  metrics: readonly MetricSnapshot[],
  trendStats: readonly string[],
): Record<string, SummaryMetric> {
  const byName = new Map(metrics.map((metric) => [metric.name, metric]));
  const result: Record<string, SummaryMetric> = {};
  for (const name of sortMetricNames([...byName.keys()])) {
    const metric = byName.get(name)!;
    const entry: SummaryMetric = {
      type: metric.type,
      contains: metric.contains,
      values: summaryValues(metric, trendStats),
    };
    if (metric.thresholds.length > 0) {
      entry.thresholds = {};
      for (const threshold of metric.thresholds) {
        entry.thresholds[threshold.source] = { ok: threshold.ok };
      }
    }
    result[name] = entry;
  }
  return result;
}
