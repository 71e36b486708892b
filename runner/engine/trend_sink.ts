/**
 * The Trend sink: count, sum, min, max and average exact; percentiles exact
 * (k6's definition) while the series is small, then from a mergeable
 * DDSketch in bounded memory.
 *
 * @module
 */
import { LogCollapsingLowestDenseDDSketch } from "@datadog/sketches-js";
import type { Sink, SinkState } from "./sink.ts";
import type { PercentileStat } from "./trend_stats.ts";

/**
 * How many values a Trend keeps verbatim. Up to this many samples its
 * percentiles equal k6's exactly; past it the values move into a sketch
 * and memory stops growing. 10,000 covers a typical CI or smoke test of a
 * series (a minute at ~150 messages per second) at no more than 80 kB per
 * series, and sorting that many values for a threshold check every 2 s
 * costs well under a millisecond.
 */
export const EXACT_TREND_LIMIT = 10_000;

/** Relative accuracy of sketched percentiles (1%). */
export const SKETCH_RELATIVE_ACCURACY = 0.01;

/**
 * Bins per sketch store (positive and negative values each). At 1%
 * accuracy 2,048 bins span a ratio of ~10^17 between the smallest and the
 * largest value before the lowest bins merge.
 */
export const SKETCH_BIN_LIMIT = 2048;

const INITIAL_CAPACITY = 16;

/** A sketch store's bins: counts of consecutive keys from `minKey`. */
export interface SketchStoreState {
  /** The key of the first count. */
  readonly minKey: number;
  /** Counts of keys `minKey`, `minKey + 1`, ... */
  readonly counts: readonly number[];
}

/** A serialised DDSketch (1% relative accuracy, logarithmic mapping). */
export interface SketchState {
  /** Values too close to zero to map to a bin. */
  readonly zeros: number;
  /** Bins of positive values. */
  readonly positive: SketchStoreState;
  /** Bins of negative values (by magnitude). */
  readonly negative: SketchStoreState;
}

/** A Trend sink's serialisable state. */
export interface TrendState {
  /** Discriminates the sink states. */
  readonly type: "trend";
  /** Number of samples. */
  readonly count: number;
  /** Sum of the samples. */
  readonly sum: number;
  /** Smallest sample (0 when empty). */
  readonly min: number;
  /** Largest sample (0 when empty). */
  readonly max: number;
  /** The samples, while the series is exact. */
  readonly values?: readonly number[];
  /** The sketch, once the series outgrew {@link EXACT_TREND_LIMIT}. */
  readonly sketch?: SketchState;
}

type Sketch = LogCollapsingLowestDenseDDSketch;
type SketchStore = Sketch["store"];

/** Aggregates the samples of one Trend series. */
export class TrendSink implements Sink {
  /** The metric type this sink aggregates. */
  readonly type: "trend" = "trend";
  #count = 0;
  #sum = 0;
  #min = 0;
  #max = 0;
  #values: Float64Array | undefined = new Float64Array(INITIAL_CAPACITY);
  #sorted = true;
  #sketch: Sketch | undefined;

  /** Number of samples. */
  get count(): number {
    return this.#count;
  }

  /** Sum of the samples. */
  get sum(): number {
    return this.#sum;
  }

  /** Smallest sample; 0 when empty (as k6). */
  get min(): number {
    return this.#min;
  }

  /** Largest sample; 0 when empty (as k6). */
  get max(): number {
    return this.#max;
  }

  /** Mean of the samples; 0 when empty. */
  get avg(): number {
    return this.#count > 0 ? this.#sum / this.#count : 0;
  }

  /** Whether no sample was added. */
  get empty(): boolean {
    return this.#count === 0;
  }

  /** Whether percentiles are still exact (raw values kept). */
  get exact(): boolean {
    return this.#sketch === undefined;
  }

  /**
   * How many numbers this sink retains for percentiles: the raw-value
   * buffer's capacity, or the sketch's bins. Bounded by
   * {@link EXACT_TREND_LIMIT} and 2 × {@link SKETCH_BIN_LIMIT} whatever the
   * sample count.
   */
  get storageSize(): number {
    const sketch = this.#sketch;
    if (sketch === undefined) return this.#values!.length;
    return sketch.store.bins.length + sketch.negativeStore.bins.length;
  }

  /**
   * Adds one sample.
   *
   * @param value The value.
   *
   * @example Aggregate a few durations
   * ```ts
   * import { TrendSink } from "./trend_sink.ts";
   * import assert from "node:assert/strict";
   *
   * const trend = new TrendSink();
   * for (const value of [10, 20, 30, 40]) trend.add(value);
   * assert.equal(trend.avg, 25);
   * assert.equal(trend.percentile(50), 25);
   * ```
   */
  add(value: number): void {
    if (this.#count === 0) {
      this.#min = value;
      this.#max = value;
    } else if (value < this.#min) {
      this.#min = value;
    } else if (value > this.#max) {
      this.#max = value;
    }
    const index = this.#count++;
    this.#sum += value;
    const values = this.#values;
    if (values !== undefined) {
      if (index >= values.length) {
        if (index >= EXACT_TREND_LIMIT) {
          this.#startSketch(index).accept(value);
          return;
        }
        this.#grow(index + 1);
      }
      this.#values![index] = value;
      this.#sorted = false;
      return;
    }
    this.#sketch!.accept(value);
  }

  /**
   * The N-th percentile with k6's definition: sorted values, index
   * `N/100 × (count − 1)`, linear interpolation between the two
   * neighbours; one sample gives that sample, none gives 0. Past
   * {@link EXACT_TREND_LIMIT} samples, within 1% relative error of that.
   *
   * @param percentile N, between 0 and 100.
   * @returns The percentile.
   *
   * @example k6's interpolation
   * ```ts
   * import { TrendSink } from "./trend_sink.ts";
   * import assert from "node:assert/strict";
   *
   * const trend = new TrendSink();
   * for (const value of [1, 2, 3, 4, 5]) trend.add(value);
   * assert.equal(trend.percentile(90), 4.6);
   * ```
   */
  percentile(percentile: number): number {
    const count = this.#count;
    if (count === 0) return 0;
    const rank = (percentile / 100) * (count - 1);
    const below = Math.floor(rank);
    const above = Math.ceil(rank);
    const values = this.#values;
    if (values !== undefined) {
      if (count === 1) return values[0];
      if (!this.#sorted) {
        values.subarray(0, count).sort();
        this.#sorted = true;
      }
      const low = values[below];
      return low + (values[above] - low) * (rank - below);
    }
    const low = below === 0 ? this.#min : this.#valueAtRank(below);
    const high = above === count - 1 ? this.#max : this.#valueAtRank(above);
    return low + (high - low) * (rank - below);
  }

  /**
   * The summary values: `avg`, `min`, `med`, `max`, `count` and the
   * requested percentiles.
   *
   * @param _durationMs Unused (trends do not depend on the test duration).
   * @param percentiles The `p(N)` columns to add.
   * @returns Values keyed like k6's summary data.
   */
  summarize(
    _durationMs: number,
    percentiles: readonly PercentileStat[],
  ): Record<string, number> {
    const values: Record<string, number> = {
      avg: this.avg,
      min: this.#min,
      med: this.percentile(50),
      max: this.#max,
      count: this.#count,
    };
    for (const { key, percentile } of percentiles) {
      values[key] = this.percentile(percentile);
    }
    return values;
  }

  /**
   * The sink's state, to merge into another process's sink.
   *
   * @returns A JSON-serialisable state.
   */
  state(): TrendState {
    const base = {
      type: "trend" as const,
      count: this.#count,
      sum: this.#sum,
      min: this.#min,
      max: this.#max,
    };
    const sketch = this.#sketch;
    if (sketch === undefined) {
      return {
        ...base,
        values: Array.from(this.#values!.subarray(0, this.#count)),
      };
    }
    return {
      ...base,
      sketch: {
        zeros: sketch.zeroCount,
        positive: storeState(sketch.store),
        negative: storeState(sketch.negativeStore),
      },
    };
  }

  /**
   * Adds another sink's samples: exactly while both together stay within
   * {@link EXACT_TREND_LIMIT}, through the sketch otherwise.
   *
   * @param state The other sink's {@link TrendSink.state}.
   * @throws {TypeError} When the state is not a trend's.
   *
   * @example Merge two series
   * ```ts
   * import { TrendSink } from "./trend_sink.ts";
   * import assert from "node:assert/strict";
   *
   * const a = new TrendSink();
   * const b = new TrendSink();
   * a.add(1);
   * b.add(3);
   * a.merge(b.state());
   * assert.equal(a.percentile(50), 2);
   * ```
   */
  merge(state: SinkState): void {
    if (state.type !== "trend") {
      throw new TypeError(`cannot merge a ${state.type} into a trend`);
    }
    if (state.count === 0) return;
    if (this.#count === 0) {
      this.#min = state.min;
      this.#max = state.max;
    } else {
      this.#min = Math.min(this.#min, state.min);
      this.#max = Math.max(this.#max, state.max);
    }
    const offset = this.#count;
    this.#count += state.count;
    this.#sum += state.sum;
    const incoming = state.values;
    if (this.#values !== undefined && incoming !== undefined) {
      if (this.#count <= EXACT_TREND_LIMIT) {
        if (this.#count > this.#values.length) this.#grow(this.#count);
        this.#values.set(incoming, offset);
        this.#sorted = false;
        return;
      }
    }
    const sketch = this.#sketch ?? this.#startSketch(offset);
    if (incoming !== undefined) {
      for (const value of incoming) sketch.accept(value);
    } else if (state.sketch !== undefined) {
      addStore(sketch.store, state.sketch.positive);
      addStore(sketch.negativeStore, state.sketch.negative);
      sketch.zeroCount += state.sketch.zeros;
      sketch.count += state.count;
    }
  }

  #grow(needed: number): void {
    let capacity = this.#values!.length;
    while (capacity < needed) capacity *= 2;
    const grown = new Float64Array(Math.min(capacity, EXACT_TREND_LIMIT));
    grown.set(this.#values!);
    this.#values = grown;
  }

  // Moves the first `kept` raw values into a new sketch and drops them.
  #startSketch(kept: number): Sketch {
    const sketch = new LogCollapsingLowestDenseDDSketch({
      relativeAccuracy: SKETCH_RELATIVE_ACCURACY,
      binLimit: SKETCH_BIN_LIMIT,
    });
    const values = this.#values!;
    for (let i = 0; i < kept; i++) sketch.accept(values[i]);
    this.#values = undefined;
    this.#sketch = sketch;
    return sketch;
  }

  #valueAtRank(rank: number): number {
    const sketch = this.#sketch!;
    const negatives = sketch.negativeStore.count;
    if (rank < negatives) {
      const key = sketch.negativeStore.keyAtRank(negatives - rank - 1);
      return -sketch.mapping.value(key);
    }
    if (rank < negatives + sketch.zeroCount) return 0;
    const key = sketch.store.keyAtRank(rank - negatives - sketch.zeroCount);
    return sketch.mapping.value(key);
  }
}

function storeState(store: SketchStore): SketchStoreState {
  if (store.count === 0) return { minKey: 0, counts: [] };
  const counts: number[] = [];
  for (let key = store.minKey; key <= store.maxKey; key++) {
    counts.push(store.bins[key - store.offset]);
  }
  return { minKey: store.minKey, counts };
}

function addStore(store: SketchStore, state: SketchStoreState): void {
  state.counts.forEach((count, index) => {
    if (count > 0) store.add(state.minKey + index, count);
  });
}
