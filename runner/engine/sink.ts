/**
 * Sinks: what the engine keeps of a metric's samples, one kind per metric
 * type, each mergeable with another process's sink through a serialisable
 * state.
 *
 * @module
 */
import type { MetricType } from "../../metrics/metric.ts";
import { TrendSink, type TrendState } from "./trend_sink.ts";
import type { PercentileStat } from "./trend_stats.ts";

/** A Counter sink's state. */
export interface CounterState {
  /** Discriminates the sink states. */
  readonly type: "counter";
  /** Number of samples. */
  readonly samples: number;
  /** Sum of the sample values. */
  readonly sum: number;
}

/** A Gauge sink's state. */
export interface GaugeState {
  /** Discriminates the sink states. */
  readonly type: "gauge";
  /** Number of samples. */
  readonly samples: number;
  /** The last value. */
  readonly value: number;
  /** When the last value was measured (ms since the epoch). */
  readonly time: number;
  /** Smallest value. */
  readonly min: number;
  /** Largest value. */
  readonly max: number;
}

/** A Rate sink's state. */
export interface RateState {
  /** Discriminates the sink states. */
  readonly type: "rate";
  /** Non-zero samples. */
  readonly passes: number;
  /** All samples. */
  readonly total: number;
}

/** The serialisable state of any sink. */
export type SinkState = CounterState | GaugeState | RateState | TrendState;

/** What every sink offers the engine. */
export interface Sink {
  /** The metric type it aggregates. */
  readonly type: MetricType;
  /** Whether no sample was added. */
  readonly empty: boolean;
  /**
   * Adds one sample. The hot path: no allocation.
   *
   * @param value The sample value.
   * @param time When it was measured (ms since the epoch).
   */
  add(value: number, time: number): void;
  /**
   * The values of k6's summary data for this metric type.
   *
   * @param durationMs Test run time so far (divisor of counter rates).
   * @param percentiles Trend `p(N)` columns to add.
   * @returns Values keyed like k6's `handleSummary` data.
   */
  summarize(
    durationMs: number,
    percentiles: readonly PercentileStat[],
  ): Record<string, number>;
  /**
   * The sink's state.
   *
   * @returns A JSON-serialisable state.
   */
  state(): SinkState;
  /**
   * Adds another sink's samples.
   *
   * @param state The other sink's state.
   * @throws {TypeError} When the state is of another metric type.
   */
  merge(state: SinkState): void;
}

/** Sums a Counter's samples. */
export class CounterSink implements Sink {
  /** The metric type this sink aggregates. */
  readonly type: "counter" = "counter";
  /** Number of samples. */
  samples = 0;
  /** Sum of the sample values (k6's `count`). */
  sum = 0;

  /** Whether no sample was added. */
  get empty(): boolean {
    return this.samples === 0;
  }

  /**
   * Adds one sample.
   *
   * @param value The value to add to the count.
   */
  add(value: number): void {
    this.samples++;
    this.sum += value;
  }

  /**
   * The count per second of test run; 0 for a zero duration.
   *
   * @param durationMs Test run time in milliseconds.
   * @returns The rate.
   */
  rate(durationMs: number): number {
    return durationMs > 0 ? this.sum / (durationMs / 1000) : 0;
  }

  /**
   * `count` and `rate` (per second).
   *
   * @param durationMs Test run time in milliseconds.
   * @returns The values.
   *
   * @example A counter's values
   * ```ts
   * import { CounterSink } from "./sink.ts";
   * import assert from "node:assert/strict";
   *
   * const counter = new CounterSink();
   * counter.add(3);
   * counter.add(2);
   * assert.deepEqual(counter.summarize(2000), { count: 5, rate: 2.5 });
   * ```
   */
  summarize(durationMs: number): Record<string, number> {
    return { count: this.sum, rate: this.rate(durationMs) };
  }

  /**
   * The sink's state.
   *
   * @returns A JSON-serialisable state.
   */
  state(): CounterState {
    return { type: "counter", samples: this.samples, sum: this.sum };
  }

  /**
   * Adds another counter's samples.
   *
   * @param state The other sink's state.
   * @throws {TypeError} When the state is not a counter's.
   */
  merge(state: SinkState): void {
    if (state.type !== "counter") throw mismatch(state, this.type);
    this.samples += state.samples;
    this.sum += state.sum;
  }
}

/** Keeps a Gauge's last value and its extremes. */
export class GaugeSink implements Sink {
  /** The metric type this sink aggregates. */
  readonly type: "gauge" = "gauge";
  /** Number of samples. */
  samples = 0;
  /** The last value (0 when empty). */
  value = 0;
  /** When the last value was measured. */
  time = 0;
  /** Smallest value (0 when empty). */
  min = 0;
  /** Largest value (0 when empty). */
  max = 0;

  /** Whether no sample was added. */
  get empty(): boolean {
    return this.samples === 0;
  }

  /**
   * Adds one sample; it becomes the current value.
   *
   * @param value The value.
   * @param time When it was measured (ms since the epoch).
   */
  add(value: number, time: number): void {
    if (this.samples++ === 0 || value < this.min) this.min = value;
    if (this.samples === 1 || value > this.max) this.max = value;
    this.value = value;
    this.time = time;
  }

  /**
   * `value`, `min` and `max`.
   *
   * @returns The values.
   *
   * @example A gauge's values
   * ```ts
   * import { GaugeSink } from "./sink.ts";
   * import assert from "node:assert/strict";
   *
   * const gauge = new GaugeSink();
   * gauge.add(5, 1);
   * gauge.add(2, 2);
   * assert.deepEqual(gauge.summarize(), { value: 2, min: 2, max: 5 });
   * ```
   */
  summarize(): Record<string, number> {
    return { value: this.value, min: this.min, max: this.max };
  }

  /**
   * The sink's state.
   *
   * @returns A JSON-serialisable state.
   */
  state(): GaugeState {
    const { samples, value, time, min, max } = this;
    return { type: "gauge", samples, value, time, min, max };
  }

  /**
   * Adds another gauge's samples: extremes combine, and the value measured
   * last becomes the current one.
   *
   * @param state The other sink's state.
   * @throws {TypeError} When the state is not a gauge's.
   */
  merge(state: SinkState): void {
    if (state.type !== "gauge") throw mismatch(state, this.type);
    if (state.samples === 0) return;
    if (this.samples === 0) {
      ({ value: this.value, time: this.time, min: this.min, max: this.max } =
        state);
    } else {
      this.min = Math.min(this.min, state.min);
      this.max = Math.max(this.max, state.max);
      if (state.time > this.time) {
        this.value = state.value;
        this.time = state.time;
      }
    }
    this.samples += state.samples;
  }
}

/** Counts a Rate's non-zero samples among all. */
export class RateSink implements Sink {
  /** The metric type this sink aggregates. */
  readonly type: "rate" = "rate";
  /** Non-zero samples. */
  passes = 0;
  /** All samples. */
  total = 0;

  /** Whether no sample was added. */
  get empty(): boolean {
    return this.total === 0;
  }

  /**
   * Adds one sample: non-zero passes.
   *
   * @param value The value.
   */
  add(value: number): void {
    this.total++;
    if (value !== 0) this.passes++;
  }

  /**
   * `rate` (passes ÷ total; 0 when empty), `passes`, `fails`.
   *
   * @returns The values.
   *
   * @example A rate's values
   * ```ts
   * import { RateSink } from "./sink.ts";
   * import assert from "node:assert/strict";
   *
   * const rate = new RateSink();
   * for (const value of [1, 0, 1, 1]) rate.add(value);
   * assert.deepEqual(rate.summarize(), { rate: 0.75, passes: 3, fails: 1 });
   * ```
   */
  summarize(): Record<string, number> {
    return {
      rate: this.total > 0 ? this.passes / this.total : 0,
      passes: this.passes,
      fails: this.total - this.passes,
    };
  }

  /**
   * The sink's state.
   *
   * @returns A JSON-serialisable state.
   */
  state(): RateState {
    return { type: "rate", passes: this.passes, total: this.total };
  }

  /**
   * Adds another rate's samples.
   *
   * @param state The other sink's state.
   * @throws {TypeError} When the state is not a rate's.
   */
  merge(state: SinkState): void {
    if (state.type !== "rate") throw mismatch(state, this.type);
    this.passes += state.passes;
    this.total += state.total;
  }
}

function mismatch(state: SinkState, type: MetricType): TypeError {
  return new TypeError(`cannot merge a ${state.type} into a ${type}`);
}

/**
 * Creates the sink for a metric type.
 *
 * @param type The metric type.
 * @returns An empty sink.
 * @throws {TypeError} For an unknown type.
 *
 * @example A sink per type
 * ```ts
 * import { createSink } from "./sink.ts";
 * import assert from "node:assert/strict";
 *
 * const sink = createSink("rate");
 * sink.add(1, Date.now());
 * assert.equal(sink.summarize(0, []).rate, 1);
 * ```
 */
export function createSink(type: MetricType): Sink {
  switch (type) {
    case "counter":
      return new CounterSink();
    case "gauge":
      return new GaugeSink();
    case "rate":
      return new RateSink();
    case "trend":
      return new TrendSink();
    default:
      throw new TypeError(
        `unknown metric type '${type}', expected one of counter, gauge, rate, trend`,
      );
  }
}
