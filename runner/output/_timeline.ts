/**
 * The HTML report's and the web dashboard's time series (VUs, iteration
 * and message rates, percentiles of the WebSocket trends and of every
 * custom trend, the checks pass rate), aggregated as samples arrive in bounded
 * memory: time is cut into buckets (one second, doubling whenever there
 * would be more than {@link MAX_BUCKETS}), and each bucket keeps only
 * maxima, sums and, for durations, a small quantile sketch.
 *
 * @module
 */
import { LogCollapsingLowestDenseDDSketch } from "@datadog/sketches-js";
import type { Sample } from "../../metrics/sample.ts";

/** Most buckets kept: a longer run doubles the bucket width instead. */
export const MAX_BUCKETS = 600;

/** What a chart's values measure (decides the axis format). */
export type ChartUnit = "count" | "ms" | "per_second" | "percent";

/** One line of a chart: a value per bucket, `null` where there is none. */
export interface TimelineSeries {
  /** The legend label. */
  readonly label: string;
  /** One value per bucket of {@link TimelineData.times}. */
  readonly values: readonly (number | null)[];
}

/** One chart: its lines over the shared bucket times. */
export interface TimelineChart {
  /** A stable identifier (`vus`, `ws_messages`, ...). */
  readonly id: string;
  /** The chart title. */
  readonly title: string;
  /** One sentence on what it shows. */
  readonly description: string;
  /** What the values are. */
  readonly unit: ChartUnit;
  /** Whether the run had no samples for it. */
  readonly empty: boolean;
  /** The lines. */
  readonly series: readonly TimelineSeries[];
}

/** The charts' data. */
export interface TimelineData {
  /** The bucket width in milliseconds. */
  readonly bucketMs: number;
  /** Each bucket's start, in Unix seconds (uPlot's time scale). */
  readonly times: readonly number[];
  /** The charts. */
  readonly charts: readonly TimelineChart[];
}

type Sketch = LogCollapsingLowestDenseDDSketch;

interface Bucket {
  vus: number | undefined;
  iterations: number;
  sent: number;
  received: number;
  /** Durations per trend metric. */
  trends: Map<string, Sketch>;
  checksPassed: number;
  checksTotal: number;
}

/** The built-in trends with a chart of their own, in chart order. */
const WS_TRENDS: readonly [string, string][] = [
  ["ws_connecting", "WebSocket handshake time percentiles per interval."],
  ["ws_session_duration", "WebSocket session length percentiles per interval."],
  ["ws_ping", "Ping round-trip time percentiles per interval."],
];
const WS_TREND_NAMES = new Set(WS_TRENDS.map(([name]) => name));

// Built-in trends of k6's other modules and of the runner: summarised in
// the tables, not charted (iteration_duration mirrors the sessions here).
const UNCHARTED_TREND =
  /^(?:iteration_duration|group_duration|http_req_|grpc_|browser_)/;

/** Custom trends charted at most (each costs a sketch per bucket). */
export const MAX_CUSTOM_TRENDS = 20;

// 1% relative accuracy, as the engine's trend sketches; a bucket's
// durations rarely span more than a few hundred bins.
function newSketch(): Sketch {
  return new LogCollapsingLowestDenseDDSketch({
    relativeAccuracy: 0.01,
    binLimit: 512,
  });
}

function newBucket(): Bucket {
  return {
    vus: undefined,
    iterations: 0,
    sent: 0,
    received: 0,
    trends: new Map(),
    checksPassed: 0,
    checksTotal: 0,
  };
}

// Pure: neither argument changes (data() merges live buckets).
function mergeSketches(
  a: Sketch | undefined,
  b: Sketch | undefined,
): Sketch | undefined {
  if (!a || !b) return a ?? b;
  const merged = newSketch();
  merged.merge(a);
  merged.merge(b);
  return merged;
}

function mergeBuckets(
  a: Bucket | undefined,
  b: Bucket | undefined,
): Bucket | undefined {
  if (!a || !b) return a ?? b;
  const trends = new Map(a.trends);
  for (const [name, sketch] of b.trends) {
    trends.set(name, mergeSketches(trends.get(name), sketch)!);
  }
  return {
    vus: a.vus === undefined || b.vus === undefined
      ? a.vus ?? b.vus
      : Math.max(a.vus, b.vus),
    iterations: a.iterations + b.iterations,
    sent: a.sent + b.sent,
    received: a.received + b.received,
    trends,
    checksPassed: a.checksPassed + b.checksPassed,
    checksTotal: a.checksTotal + b.checksTotal,
  };
}

// A gauge keeps its value until the next sample: VUs are sampled once a
// second, so an interval can miss its sample by a few milliseconds.
function carriedForward(buckets: readonly (Bucket | undefined)[]) {
  let last: number | null = null;
  return buckets.map((bucket) => last = bucket?.vus ?? last);
}

/** Aggregates the report's metrics per time bucket. */
export class Timeline {
  readonly #maxBuckets: number;
  #origin: number | undefined;
  #lastTime = 0;
  #widthMs = 1000;
  #buckets: (Bucket | undefined)[] = [];
  readonly #seen = new Set<string>();
  // Custom trend names in the order their first sample came.
  readonly #customTrends: string[] = [];

  /**
   * Creates an empty timeline.
   *
   * @param maxBuckets The most buckets to keep (at least 2).
   */
  constructor(maxBuckets: number = MAX_BUCKETS) {
    this.#maxBuckets = Math.max(2, Math.floor(maxBuckets));
  }

  /** The first sample's time (ms since the epoch), once there is one. */
  get origin(): number | undefined {
    return this.#origin;
  }

  /**
   * Takes one sample into its bucket (samples of other metrics are
   * ignored).
   *
   * @param sample The sample.
   */
  add(sample: Sample): void {
    const metric = sample.metric;
    const name = metric.name;
    let trend = false;
    switch (name) {
      case "vus":
      case "iterations":
      case "ws_msgs_sent":
      case "ws_msgs_received":
      case "checks":
        break;
      default:
        if (metric.type !== "trend" || !this.#chartsTrend(name)) return;
        trend = true;
    }
    if (!Number.isFinite(sample.value)) return;
    this.#seen.add(name);
    const bucket = this.#bucketAt(sample.time);
    if (trend) {
      let sketch = bucket.trends.get(name);
      if (sketch === undefined) bucket.trends.set(name, sketch = newSketch());
      sketch.accept(Math.max(0, sample.value));
      return;
    }
    switch (name) {
      case "vus":
        bucket.vus = Math.max(bucket.vus ?? sample.value, sample.value);
        break;
      case "iterations":
        bucket.iterations += sample.value;
        break;
      case "ws_msgs_sent":
        bucket.sent += sample.value;
        break;
      case "ws_msgs_received":
        bucket.received += sample.value;
        break;
      case "checks":
        bucket.checksTotal++;
        if (sample.value !== 0) bucket.checksPassed++;
        break;
    }
  }

  // The WebSocket trends, and custom ones up to MAX_CUSTOM_TRENDS.
  #chartsTrend(name: string): boolean {
    if (WS_TREND_NAMES.has(name) || this.#customTrends.includes(name)) {
      return true;
    }
    if (
      UNCHARTED_TREND.test(name) ||
      this.#customTrends.length >= MAX_CUSTOM_TRENDS
    ) {
      return false;
    }
    this.#customTrends.push(name);
    return true;
  }

  #bucketAt(time: number): Bucket {
    this.#origin ??= time;
    this.#lastTime = Math.max(this.#lastTime, time);
    let index = Math.max(0, Math.floor((time - this.#origin) / this.#widthMs));
    while (index >= this.#maxBuckets) {
      this.#coarsen();
      index = Math.floor((time - this.#origin) / this.#widthMs);
    }
    return this.#buckets[index] ??= newBucket();
  }

  #coarsen(): void {
    const merged: (Bucket | undefined)[] = [];
    for (let index = 0; index < this.#buckets.length; index += 2) {
      merged.push(mergeBuckets(this.#buckets[index], this.#buckets[index + 1]));
    }
    this.#buckets = merged;
    this.#widthMs *= 2;
  }

  /**
   * The charts so far.
   *
   * @returns The chart data.
   */
  data(): TimelineData {
    const origin = this.#origin ?? 0;
    const width = this.#widthMs;
    const buckets = this.#origin === undefined ? [] : Array.from(
      { length: this.#buckets.length },
      (_, i) => this.#buckets[i],
    );
    // The run's end cuts the last bucket short; a stub of less than half a
    // bucket joins the one before, so a few late samples over a few
    // milliseconds do not show as a collapse (or a spike) of the rates.
    let lastMs = this.#lastTime - (origin + (buckets.length - 1) * width);
    if (buckets.length > 1 && lastMs < width / 2) {
      const stub = buckets.pop();
      const previous = buckets.length - 1;
      buckets[previous] = mergeBuckets(buckets[previous], stub);
      lastMs += width;
    }
    const count = buckets.length;
    const times = buckets.map((_, i) => (origin + i * width) / 1000);
    const seconds = buckets.map((_, i) =>
      i < count - 1 ? width / 1000 : Math.max(lastMs, 1) / 1000
    );
    const perSecond = (pick: (bucket: Bucket) => number) =>
      buckets.map((bucket, i) => bucket ? pick(bucket) / seconds[i] : 0);
    const quantiles = (name: string) =>
      (["p50", "p90", "p95", "max"] as const).map((label) => ({
        label,
        values: buckets.map((bucket) => {
          const sketch = bucket?.trends.get(name);
          if (!sketch || sketch.count === 0) return null;
          if (label === "max") return sketch.max;
          return sketch.getValueAtQuantile(Number(label.slice(1)) / 100);
        }),
      }));
    const seen = this.#seen;
    const trendChart = (name: string, description: string): TimelineChart => ({
      id: name,
      title: name,
      description,
      unit: "ms",
      empty: !seen.has(name),
      series: quantiles(name),
    });
    return {
      bucketMs: width,
      times,
      charts: [
        {
          id: "vus",
          title: "Virtual users",
          description: "Active VUs (the most in each interval).",
          unit: "count",
          empty: !seen.has("vus"),
          series: [{ label: "vus", values: carriedForward(buckets) }],
        },
        {
          id: "iterations",
          title: "Iterations per second",
          description: "Completed iterations, per second.",
          unit: "per_second",
          empty: !seen.has("iterations"),
          series: [{
            label: "iterations",
            values: perSecond((bucket) => bucket.iterations),
          }],
        },
        {
          id: "ws_messages",
          title: "WebSocket messages per second",
          description: "ws_msgs_sent and ws_msgs_received, per second.",
          unit: "per_second",
          empty: !seen.has("ws_msgs_sent") && !seen.has("ws_msgs_received"),
          series: [
            { label: "sent", values: perSecond((bucket) => bucket.sent) },
            {
              label: "received",
              values: perSecond((bucket) => bucket.received),
            },
          ],
        },
        ...WS_TRENDS.map(([name, description]) =>
          trendChart(name, description)
        ),
        {
          id: "checks",
          title: "Checks pass rate",
          description: "Share of checks that passed in each interval.",
          unit: "percent",
          empty: !seen.has("checks"),
          series: [{
            label: "passed",
            values: buckets.map((bucket) =>
              bucket && bucket.checksTotal > 0
                ? (bucket.checksPassed / bucket.checksTotal) * 100
                : null
            ),
          }],
        },
        ...this.#customTrends.map((name) =>
          trendChart(name, "Custom trend: percentiles per interval.")
        ),
      ],
    };
  }
}
