/**
 * What the metrics engine hands to the summary, the thresholds report and
 * the outputs at the end of a run (and to the live views while it runs): the
 * aggregated values of every metric and sub-metric, the checks by group, and
 * the same broken down per group and per scenario for the `full` summary.
 * Plain data, JSON-serialisable.
 *
 * @module
 */
import type { MetricType, ValueType } from "../../metrics/metric.ts";

/** One threshold expression and its last evaluation. */
export interface ThresholdSnapshot {
  /** The expression as the user wrote it, e.g. `p(95)<500`. */
  readonly source: string;
  /** Whether it passed at the last evaluation. */
  readonly ok: boolean;
  /** The aggregated value the expression compared (e.g. p(95)), when computed. */
  readonly value?: number;
  /** Whether it is set to abort the test on failure. */
  readonly abortOnFail: boolean;
}

/** A metric, or a sub-metric such as `ws_connecting{status:101}`, with its values. */
export interface MetricSnapshot {
  /** `ws_connecting`, or for a sub-metric `ws_connecting{status:101}`. */
  readonly name: string;
  /** The metric type. */
  readonly type: MetricType;
  /** Plain numbers, milliseconds or bytes. */
  readonly contains: ValueType;
  /** For a sub-metric: the parent metric's name. */
  readonly parent?: string;
  /** For a sub-metric: its tag filter, in the order written. */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * The aggregated values, keyed like k6's handleSummary data:
   * counter `count`, `rate` (per second of test run);
   * gauge `value`, `min`, `max`;
   * rate `rate`, `passes`, `fails`;
   * trend `avg`, `min`, `med`, `max`, `count` and each requested `p(N)`.
   */
  readonly values: Readonly<Record<string, number>>;
  /** Thresholds defined on this metric or sub-metric, in definition order. */
  readonly thresholds: readonly ThresholdSnapshot[];
}

/** A check's totals. */
export interface CheckSnapshot {
  /** The check name. */
  readonly name: string;
  /** `::group::name` path of the check. */
  readonly path: string;
  /** md5 hex of the path, as k6 computes it. */
  readonly id: string;
  /** Passed evaluations. */
  readonly passes: number;
  /** Failed evaluations. */
  readonly fails: number;
}

/** A group (the root group has name and path `""`), with checks and sub-groups in code order. */
export interface GroupSnapshot {
  /** The group name; `""` for the root. */
  readonly name: string;
  /** `::a::b`; `""` for the root. */
  readonly path: string;
  /** md5 hex of the path, as k6 computes it. */
  readonly id: string;
  /** Nested groups in the order they first ran. */
  readonly groups: readonly GroupSnapshot[];
  /** Checks in the order they first ran. */
  readonly checks: readonly CheckSnapshot[];
  /**
   * Metrics of samples tagged with this group only (for the `full`
   * summary); for the root group, all metrics of the test.
   */
  readonly metrics: readonly MetricSnapshot[];
}

/** Everything the engine knows at one moment. */
export interface EngineSnapshot {
  /** Test run time so far, in milliseconds (the divisor of counter rates). */
  readonly durationMs: number;
  /** The root group: every metric and sub-metric with samples, all checks. */
  readonly rootGroup: GroupSnapshot;
  /** Per scenario: its groups, checks and metrics (samples tagged with that scenario). */
  readonly scenarios: Readonly<Record<string, GroupSnapshot>>;
}
