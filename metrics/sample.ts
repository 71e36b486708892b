/**
 * A sample: one value of one metric at one moment, with its tags.
 *
 * @module
 */
import type { Metric } from "./metric.ts";
import type { Tags } from "./tags.ts";

/** One measured value, as sinks receive it. */
export interface Sample {
  /** The metric the value belongs to. */
  readonly metric: Metric;
  /** When it was measured: milliseconds since the Unix epoch (fractional). */
  readonly time: number;
  /** The value: ms for time metrics, bytes for data, 1/0 for rates. */
  readonly value: number;
  /** Tags identifying the series (shared, frozen; never mutate). */
  readonly tags: Tags;
  /** Per-sample metadata such as `vu` and `iter`, when enabled. */
  readonly metadata?: Tags;
}

/** Receives samples as they are emitted. Must not throw. */
export type SampleSink = (sample: Sample) => void;

const origin = performance.timeOrigin;

/**
 * The current time in milliseconds since the Unix epoch, with sub-millisecond
 * precision (monotonic within a process).
 *
 * @returns Milliseconds since the epoch.
 */
export function now(): number {
  return origin + performance.now();
}
