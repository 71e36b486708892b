/**
 * The metrics engine of a run: aggregates every sample into per-metric
 * sinks (and matching sub-metrics), records groups and checks, evaluates
 * thresholds, and produces the {@link EngineSnapshot} the summaries render.
 *
 * @module
 */
import type { Logger, ResultRecorder } from "../../context/context.ts";
import type { Metric } from "../../metrics/metric.ts";
import { type MetricRegistry, registry } from "../../metrics/registry.ts";
import type { Sample, SampleSink } from "../../metrics/sample.ts";
import type { Tags } from "../../metrics/tags.ts";
import { type GroupNode, GroupTree } from "./group_tree.ts";
import {
  parseMetricKey,
  type SubmetricFilter,
  tagSetKey,
  validateMetricKey,
} from "./metric_name.ts";
import { createSink, type Sink } from "./sink.ts";
import type {
  EngineSnapshot,
  GroupSnapshot,
  MetricSnapshot,
  ThresholdSnapshot,
} from "./snapshot.ts";
import type {
  EngineState,
  GroupState,
  MetricInfo,
  MetricState,
} from "./state.ts";
import {
  type MetricThresholds,
  parseThresholds,
  readThresholdsOption,
  type ThresholdEvaluation,
  type ThresholdsOption,
} from "./thresholds.ts";
import {
  DEFAULT_TREND_STATS,
  parseTrendStats,
  type PercentileStat,
} from "./trend_stats.ts";

/** How a {@link MetricsEngine} is set up. */
export interface MetricsEngineOptions {
  /**
   * The metrics that threshold keys are validated against and resolved in
   * (built-in and custom metrics defined by init code). The process-wide
   * registry when omitted.
   */
  readonly registry?: MetricRegistry;
  /** k6's `options.thresholds`. */
  readonly thresholds?: ThresholdsOption;
  /**
   * k6's `--no-thresholds`: expressions are neither parsed nor evaluated;
   * the keys still create their sub-metrics (a bad key is only warned
   * about).
   */
  readonly noThresholds?: boolean;
  /**
   * Keep metrics per group (`group` tag) and per scenario (`scenario`
   * tag), as the `full` summary mode shows them.
   */
  readonly breakdown?: boolean;
  /** Receives warnings (k6's texts). `console` when omitted. */
  readonly logger?: Pick<Logger, "warn">;
}

/** Options of {@link MetricsEngine.evaluate}. */
export interface EvaluateOptions {
  /**
   * The end-of-test evaluation: metrics without samples are evaluated too
   * (an empty Counter counts 0, an empty Trend evaluates as 0), and
   * failures are reported as crossed rather than as an abort.
   */
  readonly final?: boolean;
}

// A metric or sub-metric being aggregated.
interface Series {
  readonly name: string;
  readonly metric: Metric;
  readonly sink: Sink;
  thresholds: MetricThresholds | undefined;
  // Percentile columns its thresholds add to the summary values.
  thresholdPercentiles: PercentileStat[];
}

interface Submetric extends Series {
  readonly suffix: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly identity: string;
  readonly tagNames: readonly string[];
  readonly tagValues: readonly string[];
}

interface Entry extends Series {
  submetrics: Submetric[] | undefined;
}

// k6 adds a threshold's percentile to the summary values only when the
// source reads like this (internal/output/summary/data.go).
const PERCENTILE_SOURCE = /^p\((\d+(?:\.\d+)?)\)\s*[<>=]/;
// Samples of setup() and teardown() are not part of any group's breakdown.
const LIFECYCLE_GROUPS: ReadonlySet<string> = new Set([
  "setup",
  "::setup",
  "teardown",
  "::teardown",
]);

/**
 * Aggregates the samples of one run. Feed it through {@link
 * MetricsEngine.ingest} (a {@link SampleSink}) and {@link
 * MetricsEngine.recorder}; read it with {@link MetricsEngine.snapshot};
 * evaluate thresholds with {@link MetricsEngine.evaluate}; combine split
 * runs with {@link MetricsEngine.state} and {@link MetricsEngine.merge}.
 */
export class MetricsEngine {
  #registry: MetricRegistry;
  #logger: Pick<Logger, "warn">;
  #breakdown: boolean;
  // Every Metric object seen, pointing at its (by name) canonical entry.
  #entries = new Map<Metric, Entry>();
  #byName = new Map<string, Entry>();
  #withThresholds: Series[] = [];
  #tree = new GroupTree();
  #scenarios = new Map<string, GroupTree>();

  /**
   * Creates the engine of a run, after init code defined the custom
   * metrics: thresholds are validated here.
   *
   * @param options Registry, thresholds and modes.
   * @throws {SyntaxError} For a malformed threshold expression or key (k6's text).
   * @throws {RangeError} For a percentile outside 0–100 (k6's text).
   * @throws {TypeError} For a threshold on an unknown metric or with an
   * aggregation its type lacks (k6's text), or a malformed option.
   *
   * @example Aggregate samples and read the summary data
   * ```ts
   * import { MetricsEngine } from "./engine.ts";
   * import { Context } from "../../context/context.ts";
   * import { WS_CONNECTING } from "../../metrics/builtin.ts";
   * import assert from "node:assert/strict";
   *
   * const engine = new MetricsEngine({
   *   thresholds: { ws_connecting: ["p(95)<500"] },
   * });
   * const context = new Context({ sink: engine.ingest });
   * context.emit(WS_CONNECTING, 120);
   * context.emit(WS_CONNECTING, 80);
   * assert.deepEqual(engine.evaluate(2000, { final: true }).failed, []);
   * const [metric] = engine.snapshot(2000).rootGroup.metrics;
   * assert.equal(metric.values.avg, 100);
   * assert.equal(metric.thresholds[0].ok, true);
   * ```
   */
  constructor(options: MetricsEngineOptions = {}) {
    this.#registry = options.registry ?? registry;
    this.#logger = options.logger ?? console;
    this.#breakdown = options.breakdown ?? false;
    if (options.noThresholds) {
      for (const key of readThresholdsOption(options.thresholds).keys()) {
        try {
          this.#seriesForKey(key);
        } catch (error) {
          this.#logger.warn(
            `Invalid metric '${key}' in threshold definitions: ${
              (error as Error).message
            }`,
          );
        }
      }
      return;
    }
    for (const set of parseThresholds(options.thresholds, this.#registry)) {
      let series: Series;
      try {
        series = this.#seriesForKey(set.key);
      } catch (error) {
        throw new TypeError(
          `invalid metric '${set.key}' in threshold definitions: ${
            (error as Error).message
          }`,
        );
      }
      if (series.thresholds === undefined) {
        series.thresholds = set;
        this.#withThresholds.push(series);
      } else {
        // Two keys for the same sub-metric (`{a:1,b:2}`, `{b:2,a:1}`).
        series.thresholds.thresholds.push(...set.thresholds);
      }
      for (const { source } of set.thresholds) {
        const match = PERCENTILE_SOURCE.exec(source.trim());
        const key = match && `p(${match[1]})`;
        if (key && !series.thresholdPercentiles.some((p) => p.key === key)) {
          series.thresholdPercentiles.push({
            key,
            percentile: Number(match[1]),
          });
        }
      }
    }
  }

  /** Whether any threshold will be evaluated (the runner's 2 s timer is needed). */
  get hasThresholds(): boolean {
    return this.#withThresholds.length > 0;
  }

  /**
   * Receives the groups and checks of the run (pass it as the context's
   * `recorder`); independent of which tags are enabled.
   */
  get recorder(): ResultRecorder {
    return this.#tree;
  }

  /**
   * Aggregates one sample: the hot path, called for every sample of the
   * run. One map lookup by metric, no allocation; sub-metric filters are
   * checked only for metrics that have sub-metrics.
   *
   * @param sample The sample.
   */
  readonly ingest: SampleSink = (sample: Sample): void => {
    const entry = this.#entries.get(sample.metric) ??
      this.#entryFor(sample.metric);
    const { value, time } = sample;
    entry.sink.add(value, time);
    const submetrics = entry.submetrics;
    if (submetrics !== undefined) {
      const tags = sample.tags;
      for (const submetric of submetrics) {
        if (matches(submetric, tags)) submetric.sink.add(value, time);
      }
    }
    if (this.#breakdown) this.#addToBreakdown(entry, sample);
  };

  /**
   * Creates (or finds) the sub-metric of a `metric{tag:value,...}` key, as
   * summaries list under their parent; it collects matching samples from
   * now on.
   *
   * @param key The key, e.g. `ws_connecting{status:101}`.
   * @returns The sub-metric's name (the key with the filter trimmed).
   * @throws {SyntaxError} For a malformed key (k6's text).
   * @throws {TypeError} When the key has no `{...}` filter or names an
   * unknown metric.
   *
   * @example Count handshakes by status
   * ```ts
   * import { MetricsEngine } from "./engine.ts";
   * import { Context } from "../../context/context.ts";
   * import { WS_CONNECTING } from "../../metrics/builtin.ts";
   * import assert from "node:assert/strict";
   *
   * const engine = new MetricsEngine();
   * const name = engine.addSubmetric("ws_connecting{ status:101 }");
   * const context = new Context({ sink: engine.ingest });
   * context.emit(WS_CONNECTING, 5, { status: "101" });
   * context.emit(WS_CONNECTING, 9, { status: "404" });
   * const metrics = engine.snapshot(1000).rootGroup.metrics;
   * const submetric = metrics.find((metric) => metric.name === name)!;
   * assert.equal(name, "ws_connecting{status:101}");
   * assert.equal(submetric.values.count, 1);
   * ```
   */
  addSubmetric(key: string): string {
    validateMetricKey(key);
    const { metric, submetric } = parseMetricKey(key);
    if (submetric === undefined) {
      throw new TypeError(
        `expected a sub-metric key like 'metric{tag:value}', got '${key}'`,
      );
    }
    const found = this.#registry.get(metric) ??
      this.#byName.get(metric)?.metric;
    if (found === undefined) {
      throw new TypeError(`metric '${metric}' does not exist in the script`);
    }
    return this.#submetricFor(this.#entryFor(found), submetric).name;
  }

  /**
   * Evaluates the thresholds (k6 does this every 2 s during the run and
   * once at the end, after the last sample) and keeps each one's result
   * for the snapshot. During the run, metrics without samples are skipped.
   *
   * @param elapsedMs Test run time so far (divisor of counter rates, and
   * compared with `delayAbortEval`).
   * @param options `final` for the end-of-test evaluation.
   * @returns The failing metric names, whether to abort, and k6's message.
   * @throws {RangeError} When `elapsedMs` is not a finite number ≥ 0.
   *
   * @example Abort on a failing threshold
   * ```ts
   * import { MetricsEngine } from "./engine.ts";
   * import { Context } from "../../context/context.ts";
   * import { CHECKS } from "../../metrics/builtin.ts";
   * import assert from "node:assert/strict";
   *
   * const engine = new MetricsEngine({
   *   thresholds: { checks: [{ threshold: "rate>0.9", abortOnFail: true }] },
   * });
   * new Context({ sink: engine.ingest }).emit(CHECKS, 0);
   * const result = engine.evaluate(2000);
   * assert.deepEqual(result.failed, ["checks"]);
   * assert.equal(result.abort, true);
   * ```
   */
  evaluate(
    elapsedMs: number,
    options: EvaluateOptions = {},
  ): ThresholdEvaluation {
    checkDuration("elapsedMs", elapsedMs);
    const final = options.final ?? false;
    const failed: string[] = [];
    let abort = false;
    for (const series of this.#withThresholds) {
      if (!final && series.sink.empty) continue;
      if (series.thresholds!.run(series.sink, elapsedMs)) continue;
      failed.push(series.name);
      if (series.thresholds!.abort) abort = true;
    }
    failed.sort();
    const names = failed.join(", ");
    if (final) {
      return failed.length === 0 ? { failed, abort: false } : {
        failed,
        abort: false,
        message: `thresholds on metrics '${names}' have been crossed`,
      };
    }
    return abort
      ? {
        failed,
        abort,
        message:
          `thresholds on metrics '${names}' were crossed; at least one has abortOnFail enabled, stopping test prematurely`,
      }
      : { failed, abort };
  }

  /**
   * Everything aggregated so far, as the summaries and `handleSummary`
   * need it. The root group lists every metric with samples or thresholds
   * (sorted by name, each followed by its sub-metrics), with the groups and
   * checks the recorder heard about; in breakdown mode each group also
   * lists its own metrics, and `scenarios` has one tree per scenario other
   * than `default`.
   *
   * @param durationMs Test run time (divisor of counter rates).
   * @param trendStats The trend columns (`summaryTrendStats`); `avg`,
   * `min`, `med`, `max` and `count` are always included, plus every
   * percentile a threshold uses.
   * @returns The snapshot (plain data).
   * @throws {RangeError} When `durationMs` is not a finite number ≥ 0, or a
   * percentile column is out of range (k6's text).
   * @throws {SyntaxError} For an unknown trend column (k6's text).
   *
   * @example Summary data per group in breakdown mode
   * ```ts
   * import { MetricsEngine } from "./engine.ts";
   * import { Context } from "../../context/context.ts";
   * import { WS_MSGS_SENT } from "../../metrics/builtin.ts";
   * import assert from "node:assert/strict";
   *
   * const engine = new MetricsEngine({ breakdown: true });
   * const root = new Context({
   *   sink: engine.ingest,
   *   recorder: engine.recorder,
   * });
   * const chat = root.withGroup("chat");
   * chat.recordGroup(chat.group);
   * chat.emit(WS_MSGS_SENT, 1);
   * root.emit(WS_MSGS_SENT, 1);
   * const { rootGroup } = engine.snapshot(1000);
   * assert.equal(rootGroup.metrics[0].values.count, 2);
   * assert.equal(rootGroup.groups[0].path, "::chat");
   * assert.equal(rootGroup.groups[0].metrics[0].values.count, 1);
   * ```
   */
  snapshot(
    durationMs: number,
    trendStats: readonly string[] = DEFAULT_TREND_STATS,
  ): EngineSnapshot {
    checkDuration("durationMs", durationMs);
    const percentiles = parseTrendStats(trendStats);
    const rootMetrics = this.#rootMetrics(durationMs, percentiles);
    const groupMetrics = (group: GroupNode): MetricSnapshot[] =>
      [...group.metrics]
        .sort(([a], [b]) => compareNames(a.name, b.name))
        .map(([metric, sink]) => ({
          name: metric.name,
          type: metric.type,
          contains: metric.contains,
          values: sink.summarize(durationMs, percentiles),
          thresholds: [],
        }));
    const scenarios: Record<string, GroupSnapshot> = {};
    for (const name of [...this.#scenarios.keys()].sort(compareNames)) {
      scenarios[name] = this.#scenarios.get(name)!.root.snapshot(groupMetrics);
    }
    return {
      durationMs,
      rootGroup: this.#tree.root.snapshot((group) =>
        group === this.#tree.root ? rootMetrics : groupMetrics(group)
      ),
      scenarios,
    };
  }

  /**
   * The engine's aggregated data, to merge into another engine (split
   * runs: each worker hands its state to the coordinator).
   *
   * @returns A JSON-serialisable state.
   *
   * @example Merge two engines
   * ```ts
   * import { MetricsEngine } from "./engine.ts";
   * import { Context } from "../../context/context.ts";
   * import { WS_MSGS_SENT } from "../../metrics/builtin.ts";
   * import assert from "node:assert/strict";
   *
   * const [a, b] = [new MetricsEngine(), new MetricsEngine()];
   * new Context({ sink: a.ingest }).emit(WS_MSGS_SENT, 3);
   * new Context({ sink: b.ingest }).emit(WS_MSGS_SENT, 4);
   * a.merge(JSON.parse(JSON.stringify(b.state())));
   * const [sent] = a.snapshot(1000).rootGroup.metrics;
   * assert.deepEqual(sent.values, { count: 7, rate: 7 });
   * ```
   */
  state(): EngineState {
    const metrics: MetricState[] = [];
    for (const entry of this.#byName.values()) {
      const submetrics = (entry.submetrics ?? [])
        .filter((submetric) => !submetric.sink.empty)
        .map(({ suffix, tags, sink }) => ({
          suffix,
          tags,
          sink: sink.state(),
        }));
      if (entry.sink.empty && submetrics.length === 0) continue;
      const { name, type, contains } = entry.metric;
      metrics.push({
        name,
        type,
        contains,
        sink: entry.sink.state(),
        submetrics,
      });
    }
    const scenarios: Record<string, GroupState> = {};
    for (const [name, tree] of this.#scenarios) {
      scenarios[name] = tree.root.state();
    }
    return { metrics, rootGroup: this.#tree.root.state(), scenarios };
  }

  /**
   * Adds another engine's {@link MetricsEngine.state}: counters, rates and
   * gauges exactly, trends exactly while small and through the sketch
   * otherwise; groups and checks by path; sub-metrics by tag filter.
   *
   * @param state The other engine's state.
   * @throws {TypeError} When a metric has another type here than there.
   *
   * @example Combine the checks of two workers
   * ```ts
   * import { MetricsEngine } from "./engine.ts";
   * import assert from "node:assert/strict";
   *
   * const [coordinator, worker] = [new MetricsEngine(), new MetricsEngine()];
   * coordinator.recorder.check("", "connected", true);
   * worker.recorder.check("", "connected", false);
   * coordinator.merge(worker.state());
   * const [check] = coordinator.snapshot(1000).rootGroup.checks;
   * assert.deepEqual([check.passes, check.fails], [1, 1]);
   * ```
   */
  merge(state: EngineState): void {
    const resolve = (info: MetricInfo) => this.#resolve(info);
    for (const metricState of state.metrics) {
      const entry = this.#entryFor(resolve(metricState));
      entry.sink.merge(metricState.sink);
      for (const { suffix, tags, sink } of metricState.submetrics) {
        const name = `${entry.name}{${suffix}}`;
        this.#submetricFor(entry, { suffix, name, tags }).sink.merge(sink);
      }
    }
    this.#tree.root.merge(state.rootGroup, resolve);
    for (const [name, group] of Object.entries(state.scenarios)) {
      this.#scenarioTree(name).root.merge(group, resolve);
    }
  }

  #resolve(info: MetricInfo): Metric {
    const known = this.#byName.get(info.name)?.metric ??
      this.#registry.get(info.name);
    if (known === undefined) {
      createSink(info.type); // rejects an unknown type
      const { name, type, contains } = info;
      return Object.freeze({ name, type, contains });
    }
    if (known.type !== info.type) {
      throw new TypeError(
        `cannot merge metric '${info.name}': it is a ${known.type} here and a ${info.type} in the merged state`,
      );
    }
    return known;
  }

  #entryFor(metric: Metric): Entry {
    const known = this.#entries.get(metric);
    if (known !== undefined) return known;
    let entry = this.#byName.get(metric.name);
    if (entry === undefined || entry.metric.type !== metric.type) {
      entry = {
        name: metric.name,
        metric,
        sink: createSink(metric.type),
        thresholds: undefined,
        thresholdPercentiles: [],
        submetrics: undefined,
      };
      if (!this.#byName.has(metric.name)) this.#byName.set(metric.name, entry);
    }
    this.#entries.set(metric, entry);
    return entry;
  }

  #submetricFor(entry: Entry, filter: SubmetricFilter): Submetric {
    const identity = tagSetKey(filter.tags);
    const known = entry.submetrics?.find((sub) => sub.identity === identity);
    if (known !== undefined) return known;
    const submetric: Submetric = {
      name: filter.name,
      metric: entry.metric,
      sink: createSink(entry.metric.type),
      thresholds: undefined,
      thresholdPercentiles: [],
      suffix: filter.suffix,
      tags: filter.tags,
      identity,
      tagNames: Object.keys(filter.tags),
      tagValues: Object.values(filter.tags),
    };
    (entry.submetrics ??= []).push(submetric);
    return submetric;
  }

  // k6's getThresholdMetricOrSubmetric.
  #seriesForKey(key: string): Series {
    const { metric: name, submetric } = parseMetricKey(key);
    const metric = this.#registry.get(name);
    if (metric === undefined) {
      throw new TypeError(`metric '${name}' does not exist in the script`);
    }
    const entry = this.#entryFor(metric);
    if (submetric === undefined) return entry;
    const count = entry.submetrics?.length ?? 0;
    const series = this.#submetricFor(entry, submetric);
    if ((entry.submetrics?.length ?? 0) > count) {
      for (const tag of ["vu", "iter"]) {
        if (tag in submetric.tags) {
          this.#logger.warn(
            `The high-cardinality '${tag}' metric tag was made non-indexable in k6 v0.41.0, so thresholds like '${key}' that are based on it won't work correctly.`,
          );
        }
      }
    }
    return series;
  }

  #rootMetrics(
    durationMs: number,
    percentiles: readonly PercentileStat[],
  ): MetricSnapshot[] {
    const describe = (series: Series, extra?: Partial<MetricSnapshot>) => ({
      name: series.name,
      type: series.metric.type,
      contains: series.metric.contains,
      ...extra,
      values: series.sink.summarize(
        durationMs,
        withThresholdPercentiles(percentiles, series.thresholdPercentiles),
      ),
      thresholds: thresholdSnapshots(series.thresholds),
    });
    const snapshots: MetricSnapshot[] = [];
    const entries = [...this.#byName.values()].sort((a, b) =>
      compareNames(a.name, b.name)
    );
    for (const entry of entries) {
      const submetrics = (entry.submetrics ?? []).filter((submetric) =>
        !submetric.sink.empty || submetric.thresholds !== undefined
      );
      if (
        entry.sink.empty && entry.thresholds === undefined &&
        !submetrics.some((submetric) => submetric.thresholds !== undefined)
      ) {
        continue;
      }
      snapshots.push(describe(entry));
      for (const submetric of submetrics) {
        snapshots.push(
          describe(submetric, { parent: entry.name, tags: submetric.tags }),
        );
      }
    }
    return snapshots;
  }

  #addToBreakdown(entry: Entry, sample: Sample): void {
    const tags = sample.tags;
    const scenario = tags.scenario;
    let tree = this.#tree;
    if (scenario !== undefined && scenario !== "default") {
      tree = this.#scenarios.get(scenario) ?? this.#scenarioTree(scenario);
      addToGroup(tree.root, entry, sample, true);
    }
    const group = tags.group;
    if (group === undefined || group === "" || LIFECYCLE_GROUPS.has(group)) {
      return;
    }
    // Root-tree checks come from the recorder; scenario trees count them
    // from the `check` tag, as k6's breakdown does.
    addToGroup(tree.node(group), entry, sample, tree !== this.#tree);
  }

  #scenarioTree(name: string): GroupTree {
    let tree = this.#scenarios.get(name);
    if (tree === undefined) {
      tree = new GroupTree(name);
      this.#scenarios.set(name, tree);
    }
    return tree;
  }
}

function addToGroup(
  group: GroupNode,
  entry: Entry,
  sample: Sample,
  countChecks: boolean,
): void {
  group.sink(entry.metric).add(sample.value, sample.time);
  if (countChecks && entry.name === "checks") {
    const check = sample.tags.check;
    if (check !== undefined) group.check(check, sample.value !== 0);
  }
}

function matches(submetric: Submetric, tags: Tags): boolean {
  const names = submetric.tagNames;
  const values = submetric.tagValues;
  for (let i = 0; i < names.length; i++) {
    if (tags[names[i]] !== values[i]) return false;
  }
  return true;
}

function withThresholdPercentiles(
  requested: readonly PercentileStat[],
  fromThresholds: readonly PercentileStat[],
): readonly PercentileStat[] {
  if (fromThresholds.length === 0) return requested;
  const extra = fromThresholds.filter((stat) =>
    !requested.some((known) => known.key === stat.key)
  );
  return extra.length === 0 ? requested : [...requested, ...extra];
}

function thresholdSnapshots(
  set: MetricThresholds | undefined,
): ThresholdSnapshot[] {
  if (set === undefined) return [];
  return set.thresholds.map((threshold) => {
    const base = {
      source: threshold.source,
      ok: !threshold.lastFailed,
      abortOnFail: threshold.abortOnFail,
    };
    return threshold.lastValue === undefined
      ? base
      : { ...base, value: threshold.lastValue };
  });
}

// Byte order, as Go's sort.Strings (not locale order).
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function checkDuration(name: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new RangeError(
      `${name} must be a finite number of milliseconds >= 0, got ${value}`,
    );
  }
}
