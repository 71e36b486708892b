/**
 * Samples on their way from a worker process to the coordinator's outputs:
 * a batch carries each metric's definition once per worker, each tag set
 * and metadata object once per batch, and each sample as five numbers.
 * Nothing is sampled or dropped: the outputs see every sample a worker's
 * VUs emitted, in the order they did.
 *
 * @module
 */
import type { Metric } from "../../metrics/metric.ts";
import { type MetricRegistry, registry } from "../../metrics/registry.ts";
import type { Sample } from "../../metrics/sample.ts";
import type { Tags } from "../../metrics/tags.ts";
import type { MetricInfo } from "../engine/state.ts";

/** Samples of one worker since its last batch. */
export interface SampleBatch {
  /** Metrics first seen in this batch, numbered on from the last batch's. */
  readonly metrics: readonly MetricInfo[];
  /** The batch's tag sets and metadata objects. */
  readonly tags: readonly Tags[];
  /**
   * Five numbers per sample: metric number, tags index, metadata index
   * (-1 for none), time, value.
   */
  readonly values: Float64Array;
}

const FIELDS = 5;

/**
 * Collects a worker's samples into batches.
 *
 * @example Encode and decode
 * ```ts
 * import { SampleDecoder, SampleEncoder } from "./samples.ts";
 * import { WS_MSGS_SENT } from "../../metrics/builtin.ts";
 * import assert from "node:assert/strict";
 *
 * const encoder = new SampleEncoder();
 * const tags = Object.freeze({ url: "ws://127.0.0.1/" });
 * encoder.add({ metric: WS_MSGS_SENT, time: 1, value: 1, tags });
 * const seen: number[] = [];
 * new SampleDecoder().decode(encoder.take()!, (sample) => seen.push(sample.value));
 * assert.deepEqual(seen, [1]);
 * ```
 */
export class SampleEncoder {
  readonly #metrics = new Map<Metric, number>();
  #newMetrics: MetricInfo[] = [];
  #tags = new Map<Tags, number>();
  #tagList: Tags[] = [];
  #values = new Float64Array(FIELDS * 256);
  #length = 0;

  /** Samples waiting to be taken. */
  get size(): number {
    return this.#length / FIELDS;
  }

  /**
   * Adds a sample (the worker's sink calls this for every sample).
   *
   * @param sample The sample.
   */
  add(sample: Sample): void {
    let metric = this.#metrics.get(sample.metric);
    if (metric === undefined) {
      metric = this.#metrics.size;
      this.#metrics.set(sample.metric, metric);
      const { name, type, contains } = sample.metric;
      this.#newMetrics.push({ name, type, contains });
    }
    if (this.#length + FIELDS > this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    const values = this.#values;
    const at = this.#length;
    values[at] = metric;
    values[at + 1] = this.#tagIndex(sample.tags);
    values[at + 2] = sample.metadata === undefined
      ? -1
      : this.#tagIndex(sample.metadata);
    values[at + 3] = sample.time;
    values[at + 4] = sample.value;
    this.#length = at + FIELDS;
  }

  #tagIndex(tags: Tags): number {
    let index = this.#tags.get(tags);
    if (index === undefined) {
      index = this.#tagList.length;
      this.#tags.set(tags, index);
      this.#tagList.push(tags);
    }
    return index;
  }

  /**
   * Takes the samples added since the last call.
   *
   * @returns The batch, or `undefined` when there was none.
   */
  take(): SampleBatch | undefined {
    if (this.#length === 0) return undefined;
    const batch: SampleBatch = {
      metrics: this.#newMetrics,
      tags: this.#tagList,
      values: this.#values.slice(0, this.#length),
    };
    this.#newMetrics = [];
    this.#tags = new Map();
    this.#tagList = [];
    this.#length = 0;
    return batch;
  }
}

/** Turns one worker's batches back into samples. */
export class SampleDecoder {
  readonly #registry: MetricRegistry;
  readonly #metrics: Metric[] = [];

  /**
   * Creates the decoder of one worker's batches.
   *
   * @param metrics Where metric definitions resolve (the process's registry
   * by default, so that outputs see the same metric objects).
   */
  constructor(metrics: MetricRegistry = registry) {
    this.#registry = metrics;
  }

  /**
   * Decodes a batch.
   *
   * @param batch The batch.
   * @param emit Receives each sample, in order.
   */
  decode(batch: SampleBatch, emit: (sample: Sample) => void): void {
    for (const { name, type, contains } of batch.metrics) {
      this.#metrics.push(
        this.#registry.get(name) ?? this.#registry.define(name, type, contains),
      );
    }
    const tags = batch.tags.map((set) => Object.freeze(set));
    const values = batch.values;
    for (let at = 0; at < values.length; at += FIELDS) {
      const metadata = values[at + 2];
      emit({
        metric: this.#metrics[values[at]],
        tags: tags[values[at + 1]],
        metadata: metadata < 0 ? undefined : tags[metadata],
        time: values[at + 3],
        value: values[at + 4],
      });
    }
  }
}
