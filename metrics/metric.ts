/**
 * Metric definitions: the four k6 metric types and what their values hold.
 *
 * @module
 */

/** The four k6 metric types. */
export type MetricType = "counter" | "gauge" | "rate" | "trend";

/**
 * What a metric's values measure; decides how summaries format them.
 * `time` values are milliseconds, `data` values are bytes.
 */
export type ValueType = "default" | "time" | "data";

/** A named metric of one type, as the registry holds it. */
export interface Metric {
  /** The metric's name, e.g. `ws_connecting`. */
  readonly name: string;
  /** Counter, gauge, rate or trend. */
  readonly type: MetricType;
  /** Whether values are plain numbers, milliseconds or bytes. */
  readonly contains: ValueType;
}
