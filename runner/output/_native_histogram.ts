/**
 * A Prometheus native histogram of one series' observations, as k6's
 * remote-write output builds one with the Prometheus Go client
 * (`NativeHistogramBucketFactor: 1.1`, so schema 3: bucket boundaries
 * grow by 2^(1/8) ≈ 1.09; the default zero threshold 2^-128): cumulative
 * counts per exponential bucket, turned into the spans and deltas of the
 * remote-write message.
 *
 * @module
 */
import type { BucketSpan, NativeHistogram } from "./_remote_write.ts";

/** The schema of a bucket factor of 1.1 (the largest whose factor is ≤ 1.1). */
export const NATIVE_SCHEMA: number = 3;

/** The Prometheus client's default zero threshold. */
export const NATIVE_ZERO_THRESHOLD: number = 2 ** -128;

const PER_OCTAVE = 2 ** NATIVE_SCHEMA;

// The bucket of a magnitude above the zero threshold: bucket i holds
// (2^((i-1)/8), 2^(i/8)]. The float estimate is corrected at boundaries.
function bucketIndex(magnitude: number): number {
  let index = Math.ceil(Math.log2(magnitude) * PER_OCTAVE);
  while (2 ** (index / PER_OCTAVE) < magnitude) index++;
  while (2 ** ((index - 1) / PER_OCTAVE) >= magnitude) index--;
  return index;
}

function spansAndDeltas(
  buckets: ReadonlyMap<number, number>,
): { spans: BucketSpan[]; deltas: number[] } {
  const spans: BucketSpan[] = [];
  const deltas: number[] = [];
  let previousIndex: number | undefined;
  let previousCount = 0;
  let length = 0;
  let offset = 0;
  for (const index of [...buckets.keys()].sort((a, b) => a - b)) {
    const count = buckets.get(index)!;
    if (previousIndex === undefined || index !== previousIndex + 1) {
      if (length > 0) spans.push({ offset, length });
      offset = previousIndex === undefined ? index : index - previousIndex - 1;
      length = 0;
    }
    deltas.push(count - previousCount);
    previousCount = count;
    previousIndex = index;
    length++;
  }
  if (length > 0) spans.push({ offset, length });
  return { spans, deltas };
}

/** Observations of one series in exponential buckets. */
export class NativeHistogramSink {
  #count = 0;
  #sum = 0;
  #zeros = 0;
  readonly #positive = new Map<number, number>();
  readonly #negative = new Map<number, number>();

  /**
   * Adds an observation.
   *
   * @param value The observation (seconds for times, as k6 sends them).
   */
  add(value: number): void {
    this.#count++;
    this.#sum += value;
    const magnitude = Math.abs(value);
    if (magnitude <= NATIVE_ZERO_THRESHOLD) {
      this.#zeros++;
      return;
    }
    const buckets = value > 0 ? this.#positive : this.#negative;
    const index = bucketIndex(magnitude);
    buckets.set(index, (buckets.get(index) ?? 0) + 1);
  }

  /**
   * The histogram so far, as a remote-write message carries it.
   *
   * @param timestamp Milliseconds since the epoch.
   * @returns The histogram.
   *
   * @example Three observations
   * ```ts
   * import { NativeHistogramSink } from "./_native_histogram.ts";
   * import assert from "node:assert/strict";
   *
   * const sink = new NativeHistogramSink();
   * for (const seconds of [1, 1, 2]) sink.add(seconds);
   * const histogram = sink.histogram(1000);
   * assert.equal(histogram.countInt, 3);
   * assert.deepEqual(histogram.positiveSpans, [{ offset: 0, length: 1 }, { offset: 7, length: 1 }]);
   * assert.deepEqual(histogram.positiveDeltas, [2, -1]);
   * ```
   */
  histogram(timestamp: number): NativeHistogram {
    const positive = spansAndDeltas(this.#positive);
    const negative = spansAndDeltas(this.#negative);
    return {
      countInt: this.#count,
      sum: this.#sum,
      schema: NATIVE_SCHEMA,
      zeroThreshold: NATIVE_ZERO_THRESHOLD,
      zeroCountInt: this.#zeros,
      negativeSpans: negative.spans,
      negativeDeltas: negative.deltas,
      positiveSpans: positive.spans,
      positiveDeltas: positive.deltas,
      timestamp,
    };
  }
}
