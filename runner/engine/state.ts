/**
 * The serialisable state of a metrics engine: what one process (a worker
 * running one execution segment) hands to another to merge, so a split run
 * ends with one result.
 *
 * @module
 */
import type { MetricType, ValueType } from "../../metrics/metric.ts";
import type { SinkState } from "./sink.ts";

/** A metric's definition as states carry it. */
export interface MetricInfo {
  /** The metric name. */
  readonly name: string;
  /** The metric type. */
  readonly type: MetricType;
  /** What the values are. */
  readonly contains: ValueType;
}

/** A sub-metric's aggregated samples. */
export interface SubmetricState {
  /** The filter as written between the braces, trimmed: `status:101`. */
  readonly suffix: string;
  /** The tags a sample must carry. */
  readonly tags: Readonly<Record<string, string>>;
  /** The aggregated samples. */
  readonly sink: SinkState;
}

/** A metric's aggregated samples, with its sub-metrics. */
export interface MetricState extends MetricInfo {
  /** The aggregated samples. */
  readonly sink: SinkState;
  /** Its sub-metrics. */
  readonly submetrics: readonly SubmetricState[];
}

/** A check's totals. */
export interface CheckState {
  /** The check name. */
  readonly name: string;
  /** Passed evaluations. */
  readonly passes: number;
  /** Failed evaluations. */
  readonly fails: number;
}

/** A group with its checks, sub-groups and (in breakdown mode) metrics. */
export interface GroupState {
  /** The group name (`""` for a root). */
  readonly name: string;
  /** Sub-groups in the order they first ran. */
  readonly groups: readonly GroupState[];
  /** Checks in the order they first ran. */
  readonly checks: readonly CheckState[];
  /** Metrics of samples tagged with this group (breakdown mode only). */
  readonly metrics: readonly (MetricInfo & { readonly sink: SinkState })[];
}

/** Everything an engine aggregated; JSON-serialisable. */
export interface EngineState {
  /** Every metric with samples. */
  readonly metrics: readonly MetricState[];
  /** The root group tree (groups and checks as reported, per-group metrics). */
  readonly rootGroup: GroupState;
  /** Per scenario (breakdown mode): its own group tree and metrics. */
  readonly scenarios: Readonly<Record<string, GroupState>>;
}
