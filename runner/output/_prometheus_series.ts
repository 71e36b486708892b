/**
 * k6's remote-write data model: every sample goes into its time series (a
 * metric and a tag set), which keeps a cumulative sink for the whole run;
 * each push sends the series that got samples since the last, with k6's
 * names and units:
 *
 * | k6 type | series | value |
 * |---|---|---|
 * | Counter | `k6_<name>_total` | the count so far |
 * | Gauge | `k6_<name>` | the last value |
 * | Rate | `k6_<name>_rate` | the rate so far |
 * | Trend | `k6_<name>_<stat>` per trend stat (`p99`, `avg`, ...) | the stat so far, times in seconds |
 * | Trend, native histograms | `k6_<name>_seconds` (times), `_bytes` (data) | a native histogram |
 *
 * Labels are the sample's tags (empty values left out, as k6 does) and
 * `__name__`, sorted by name.
 *
 * @module
 */
import type { Metric, ValueType } from "../../metrics/metric.ts";
import type { Sample } from "../../metrics/sample.ts";
import { createSink, type Sink } from "../engine/sink.ts";
import { tagSetKey } from "../engine/metric_name.ts";
import { parseTrendStats, type PercentileStat } from "../engine/trend_stats.ts";
import type { TrendSink } from "../engine/trend_sink.ts";
import { NativeHistogramSink } from "./_native_histogram.ts";
import type { Label, TimeSeries } from "./_remote_write.ts";

/** How trends are sent. */
export interface TrendMapping {
  /** Send native histograms instead of stat gauges. */
  readonly nativeHistogram: boolean;
  /** The trend stats (`K6_PROMETHEUS_RW_TREND_STATS`), e.g. `p(99)`, `avg`. */
  readonly stats: readonly string[];
}

const PREFIX = "k6_";

// Prometheus' stale marker: a NaN with this exact bit pattern.
const STALE_NAN = new Float64Array(
  new BigUint64Array([0x7ff0000000000002n]).buffer,
)[0];

/**
 * The series name suffix of a trend stat: `p(99)` → `p99`, `p(99.9)` →
 * `p999`, others as written (k6's mapping).
 *
 * @param stat The stat.
 * @returns The suffix.
 */
export function trendStatSuffix(stat: string): string {
  return stat.startsWith("p(")
    ? `p${stat.slice(2, -1).replaceAll(".", "")}`
    : stat;
}

/**
 * Checks trend stats as k6 does: `avg`, `min`, `med`, `max`, `count`,
 * `sum` or `p(N)`.
 *
 * @param stats The stats.
 * @throws {SyntaxError} For an unknown stat (k6's text).
 * @throws {RangeError} For a percentile outside 0–100 (k6's text).
 */
export function checkTrendStats(stats: readonly string[]): void {
  parseTrendStats(stats.filter((stat) => stat !== "sum"));
}

function unitSuffix(contains: ValueType): string {
  return contains === "time" ? "seconds" : contains === "data" ? "bytes" : "";
}

// Times are sent in seconds (Prometheus' base unit); k6 measures ms.
function inBaseUnit(contains: ValueType, value: number): number {
  return contains === "time" ? value / 1000 : value;
}

interface Series {
  readonly metric: Metric;
  readonly labels: readonly Label[];
  readonly sink: Sink | NativeHistogramSink;
  // Milliseconds of the newest sample, and of the last one sent.
  latest: number;
  sent: number;
  changed: boolean;
}

/** Every series of the run, with its cumulative sink. */
export class SeriesStore {
  readonly #series = new Map<string, Series>();
  readonly #byMetric = new Map<
    Metric,
    { byObject: WeakMap<object, Series>; byText: Map<string, Series> }
  >();
  readonly #trends: TrendMapping;
  readonly #percentiles: readonly PercentileStat[];

  /**
   * Creates the store.
   *
   * @param trends How trends are sent.
   */
  constructor(trends: TrendMapping) {
    this.#trends = trends;
    this.#percentiles = parseTrendStats(
      trends.stats.filter((stat) => stat !== "sum"),
    );
  }

  /**
   * Adds a sample to its series.
   *
   * @param sample The sample.
   */
  add(sample: Sample): void {
    const { metric, tags } = sample;
    let lookup = this.#byMetric.get(metric);
    if (lookup === undefined) {
      lookup = { byObject: new WeakMap(), byText: new Map() };
      this.#byMetric.set(metric, lookup);
    }
    // The same tag object again (most samples of a socket or an
    // iteration share theirs), else the same tags in the same order.
    let one = lookup.byObject.get(tags);
    if (one === undefined) {
      let text = "";
      for (const name in tags) text += `${name}\u0000${tags[name]}\u0001`;
      one = lookup.byText.get(text);
      if (one === undefined) {
        const key = `${metric.name}\u0000${tagSetKey(tags)}`;
        one = this.#series.get(key) ?? this.#create(metric, tags);
        this.#series.set(key, one);
        lookup.byText.set(text, one);
      }
      // Frozen tags are a context's or a socket's, used again and again.
      if (Object.isFrozen(tags)) lookup.byObject.set(tags, one);
    }
    const value = one.sink instanceof NativeHistogramSink
      ? inBaseUnit(metric.contains, sample.value)
      : sample.value;
    one.sink.add(value, sample.time);
    if (sample.time > one.latest) one.latest = Math.floor(sample.time);
    one.changed = true;
  }

  /**
   * The series that got samples since the last call, with their values
   * so far. Each is stamped with its newest sample's millisecond, or a
   * millisecond after the last one sent (a series takes one value per
   * millisecond: a sample of the same millisecond as the last push is
   * still sent).
   *
   * @returns The time series to push.
   */
  changed(): TimeSeries[] {
    const result: TimeSeries[] = [];
    for (const series of this.#series.values()) {
      if (!series.changed) continue;
      series.changed = false;
      const timestamp = Math.max(series.latest, series.sent + 1);
      series.sent = timestamp;
      result.push(...this.#map(series, timestamp));
    }
    return result;
  }

  /**
   * A stale marker for every series (k6's `K6_PROMETHEUS_RW_STALE_MARKERS`):
   * Prometheus ends them at once instead of 5 minutes later.
   *
   * @param now Milliseconds since the epoch.
   * @returns The time series to push.
   */
  staleMarkers(now: number): TimeSeries[] {
    const result: TimeSeries[] = [];
    for (const series of this.#series.values()) {
      const timestamp = Math.max(Math.floor(now) + 1, series.sent + 1);
      for (const { labels } of this.#map(series, timestamp)) {
        result.push({ labels, samples: [{ value: STALE_NAN, timestamp }] });
      }
    }
    return result;
  }

  #create(metric: Metric, tags: Readonly<Record<string, string>>): Series {
    const native = metric.type === "trend" && this.#trends.nativeHistogram;
    const labels: Label[] = [];
    for (const [name, value] of Object.entries(tags)) {
      if (name !== "" && value !== "") labels.push({ name, value });
    }
    return {
      metric,
      labels,
      sink: native ? new NativeHistogramSink() : createSink(metric.type),
      latest: 0,
      sent: 0,
      changed: false,
    };
  }

  #map(series: Series, timestamp: number): TimeSeries[] {
    const { metric, sink } = series;
    const named = (suffix: string) => {
      const name = `${PREFIX}${metric.name}${
        suffix === "" ? "" : `_${suffix}`
      }`;
      return [...series.labels, { name: "__name__", value: name }].sort((
        a,
        b,
      ) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    };
    const one = (suffix: string, value: number): TimeSeries => ({
      labels: named(suffix),
      samples: [{ value, timestamp }],
    });
    if (sink instanceof NativeHistogramSink) {
      return [{
        labels: named(unitSuffix(metric.contains)),
        histograms: [sink.histogram(timestamp)],
      }];
    }
    switch (metric.type) {
      case "counter":
        return [one("total", sink.summarize(0, []).count)];
      case "gauge":
        return [one("", sink.summarize(0, []).value)];
      case "rate":
        return [one("rate", sink.summarize(0, []).rate)];
      default: {
        const values = sink.summarize(0, this.#percentiles);
        const trend = sink as TrendSink;
        return this.#trends.stats.map((stat) => {
          const value = stat === "sum" ? trend.sum : values[stat];
          // A count is a count, not a time (k6 divides it by 1000 too).
          return one(
            trendStatSuffix(stat),
            stat === "count" ? value : inBaseUnit(metric.contains, value),
          );
        });
      }
    }
  }
}
