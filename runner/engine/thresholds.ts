/**
 * Thresholds: reading k6's `options.thresholds`, validating them against
 * the defined metrics with k6's error texts, and evaluating them against a
 * metric's sink (with `abortOnFail` and `delayAbortEval`).
 *
 * @module
 */
import type { MetricRegistry } from "../../metrics/registry.ts";
import { parseDuration } from "../options/duration.ts";
import { goQuote } from "../../internal/go_quote.ts";
import { validateMetricKey } from "./metric_name.ts";
import {
  CounterSink,
  type GaugeSink,
  type RateSink,
  type Sink,
} from "./sink.ts";
import {
  AGGREGATIONS,
  compareThreshold,
  parseThresholdExpression,
  type ThresholdExpression,
} from "./threshold_expression.ts";
import type { TrendSink } from "./trend_sink.ts";

/** The object form of a threshold. */
export interface ThresholdConfig {
  /** The expression, e.g. `p(95)<500`. */
  readonly threshold: string;
  /** Abort the test when this threshold fails during the run. */
  readonly abortOnFail?: boolean;
  /**
   * Test time before which a failure does not abort: a k6 duration
   * (`"10s"`, `"1m30s"`) or a number of milliseconds.
   */
  readonly delayAbortEval?: string | number | null;
}

/** One threshold as a script writes it: an expression or the object form. */
export type ThresholdDefinition = string | ThresholdConfig;

/** k6's `options.thresholds`: metric key → its thresholds. */
export type ThresholdsOption = Readonly<
  Record<string, readonly ThresholdDefinition[]>
>;

/** One threshold of a metric, with the result of its last evaluation. */
export class Threshold {
  /** The expression as written. */
  readonly source: string;
  /** The parsed expression. */
  readonly expression: ThresholdExpression;
  /** Whether a failure during the run aborts the test. */
  readonly abortOnFail: boolean;
  /** Test time (ms) that must pass before a failure may abort; none if undefined. */
  readonly delayAbortEvalMs: number | undefined;
  /** Whether the last evaluation failed (false before any). */
  lastFailed = false;
  /** The aggregated value of the last evaluation, when there was one. */
  lastValue: number | undefined = undefined;

  /**
   * Creates a threshold.
   *
   * @param source The expression.
   * @param abortOnFail Abort the test on failure.
   * @param delayAbortEvalMs Grace time in ms before failures may abort.
   * @throws {SyntaxError} When the expression is malformed (k6's text).
   * @throws {RangeError} When a percentile is outside 0–100 (k6's text).
   *
   * @example Evaluate a threshold
   * ```ts
   * import { Threshold } from "./thresholds.ts";
   * import { RateSink } from "./sink.ts";
   * import assert from "node:assert/strict";
   *
   * const threshold = new Threshold("rate>0.9", false, undefined);
   * const checks = new RateSink();
   * checks.add(1);
   * checks.add(0);
   * assert.equal(threshold.run(checks, 1000), false);
   * assert.equal(threshold.lastValue, 0.5);
   * ```
   */
  constructor(
    source: string,
    abortOnFail: boolean,
    delayAbortEvalMs: number | undefined,
  ) {
    this.source = source;
    this.expression = parseThresholdExpression(source);
    this.abortOnFail = abortOnFail;
    this.delayAbortEvalMs = delayAbortEvalMs;
  }

  /**
   * Evaluates the threshold and remembers the result. A value the sink
   * cannot give yet (a Rate without samples, a Counter's rate at zero test
   * time) passes, as in k6.
   *
   * @param sink The metric's sink (of the type the threshold was validated for).
   * @param durationMs Test run time so far (divisor of a Counter's rate).
   * @returns Whether it passed.
   */
  run(sink: Sink, durationMs: number): boolean {
    const value = aggregate(sink, this.expression, durationMs);
    const passed = value === undefined ||
      compareThreshold(this.expression, value);
    this.lastFailed = !passed;
    this.lastValue = value;
    return passed;
  }
}

function aggregate(
  sink: Sink,
  expression: ThresholdExpression,
  durationMs: number,
): number | undefined {
  switch (expression.aggregation) {
    case "count":
      return (sink as CounterSink).sum;
    case "rate":
      if (sink instanceof CounterSink) {
        return durationMs > 0 ? sink.rate(durationMs) : undefined;
      } else {
        const rate = sink as RateSink;
        return rate.total > 0 ? rate.passes / rate.total : undefined;
      }
    case "value":
      return (sink as GaugeSink).value;
    case "avg":
      return (sink as TrendSink).avg;
    case "min":
      return (sink as TrendSink).min;
    case "max":
      return (sink as TrendSink).max;
    case "med":
      return (sink as TrendSink).percentile(50);
    case "p":
      return (sink as TrendSink).percentile(expression.percentile!);
  }
}

/** The thresholds of one metric or sub-metric key. */
export class MetricThresholds {
  /** The key as written in `options.thresholds`. */
  readonly key: string;
  /** Its thresholds, in definition order. */
  readonly thresholds: Threshold[];
  /** Set once a failing `abortOnFail` threshold is past its delay; stays set. */
  abort = false;

  /**
   * Groups the thresholds of one key.
   *
   * @param key The metric key.
   * @param thresholds Its thresholds.
   */
  constructor(key: string, thresholds: Threshold[]) {
    this.key = key;
    this.thresholds = thresholds;
  }

  /**
   * Evaluates every threshold (k6's `Thresholds.Run`): a failing
   * `abortOnFail` threshold sets {@link MetricThresholds.abort} once its
   * `delayAbortEval` is shorter than the test time.
   *
   * @param sink The metric's sink.
   * @param elapsedMs Test run time so far.
   * @returns Whether all passed.
   *
   * @example Abort only after the delay
   * ```ts
   * import { MetricThresholds, Threshold } from "./thresholds.ts";
   * import { CounterSink } from "./sink.ts";
   * import assert from "node:assert/strict";
   *
   * const errors = new CounterSink();
   * errors.add(1);
   * const set = new MetricThresholds("errors", [
   *   new Threshold("count<1", true, 10_000),
   * ]);
   * assert.equal(set.run(errors, 5_000), false);
   * assert.equal(set.abort, false);
   * set.run(errors, 10_001);
   * assert.equal(set.abort, true);
   * ```
   */
  run(sink: Sink, elapsedMs: number): boolean {
    let passed = true;
    for (const threshold of this.thresholds) {
      if (threshold.run(sink, elapsedMs)) continue;
      passed = false;
      if (this.abort || !threshold.abortOnFail) continue;
      const delay = threshold.delayAbortEvalMs;
      this.abort = delay === undefined || delay < elapsedMs;
    }
    return passed;
  }
}

/** A threshold definition read from the option, not parsed yet. */
export interface ThresholdSpec {
  /** The expression as written. */
  readonly source: string;
  /** Abort the test on failure. */
  readonly abortOnFail: boolean;
  /** Grace time in ms before failures may abort; none if undefined. */
  readonly delayAbortEvalMs: number | undefined;
}

/**
 * Reads the shape of `options.thresholds` without parsing the expressions
 * (what `--no-thresholds` still needs: the keys create sub-metrics).
 *
 * @param option The option value.
 * @returns Metric key → threshold definitions, in definition order.
 * @throws {TypeError} When the option is not an object of arrays of
 * expressions or `{threshold, abortOnFail, delayAbortEval}` objects.
 * @throws {SyntaxError} When a `delayAbortEval` string is not a duration
 * (e.g. `invalid duration "soon" (e.g. 30s, 1m30s, 500ms)`).
 *
 * @example Both forms
 * ```ts
 * import { readThresholdsOption } from "./thresholds.ts";
 * import assert from "node:assert/strict";
 *
 * const specs = readThresholdsOption({
 *   checks: ["rate>0.9", {
 *     threshold: "rate>0.5",
 *     abortOnFail: true,
 *     delayAbortEval: "10s",
 *   }],
 * });
 * assert.deepEqual(specs.get("checks"), [
 *   { source: "rate>0.9", abortOnFail: false, delayAbortEvalMs: undefined },
 *   { source: "rate>0.5", abortOnFail: true, delayAbortEvalMs: 10_000 },
 * ]);
 * ```
 */
export function readThresholdsOption(
  option: unknown,
): Map<string, ThresholdSpec[]> {
  const specs = new Map<string, ThresholdSpec[]>();
  if (option === undefined || option === null) return specs;
  if (typeof option !== "object" || Array.isArray(option)) {
    throw new TypeError(
      `invalid thresholds option: expected an object mapping metric names to arrays of thresholds, got ${
        describe(option)
      }`,
    );
  }
  for (const [key, definitions] of Object.entries(option)) {
    if (!Array.isArray(definitions)) {
      throw new TypeError(
        `invalid thresholds for metric '${key}': expected an array of threshold expressions or {threshold, abortOnFail, delayAbortEval} objects, got ${
          describe(definitions)
        }`,
      );
    }
    specs.set(key, definitions.map((item) => readDefinition(key, item)));
  }
  return specs;
}

function readDefinition(key: string, definition: unknown): ThresholdSpec {
  if (typeof definition === "string") {
    return {
      source: definition,
      abortOnFail: false,
      delayAbortEvalMs: undefined,
    };
  }
  const where = `invalid threshold on metric '${key}'`;
  if (typeof definition !== "object" || definition === null) {
    throw new TypeError(
      `${where}: expected an expression string or a {threshold, abortOnFail, delayAbortEval} object, got ${
        describe(definition)
      }`,
    );
  }
  const { threshold, abortOnFail, delayAbortEval } = definition as Record<
    string,
    unknown
  >;
  if (typeof threshold !== "string") {
    throw new TypeError(
      `${where}: 'threshold' must be an expression string, got ${
        describe(threshold)
      }`,
    );
  }
  if (abortOnFail !== undefined && typeof abortOnFail !== "boolean") {
    throw new TypeError(
      `${where} '${threshold}': 'abortOnFail' must be a boolean, got ${
        describe(abortOnFail)
      }`,
    );
  }
  let delayAbortEvalMs: number | undefined;
  if (delayAbortEval !== undefined && delayAbortEval !== null) {
    if (
      typeof delayAbortEval !== "string" && typeof delayAbortEval !== "number"
    ) {
      throw new TypeError(
        `${where} '${threshold}': 'delayAbortEval' must be a duration string like "10s" or a number of milliseconds, got ${
          describe(delayAbortEval)
        }`,
      );
    }
    try {
      delayAbortEvalMs = parseDuration(delayAbortEval);
    } catch (error) {
      const message = `${where} '${threshold}': invalid 'delayAbortEval': ${
        (error as Error).message
      }`;
      throw error instanceof SyntaxError
        ? new SyntaxError(message)
        : new TypeError(message);
    }
  }
  return {
    source: threshold,
    abortOnFail: abortOnFail ?? false,
    delayAbortEvalMs,
  };
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "string" ? `'${value}'` : typeof value;
}

/**
 * Reads `options.thresholds` and parses every expression, key by key in
 * definition order; with a registry, also validates each key against the
 * metrics defined there (k6 validates before the test starts, after init
 * code defined the custom metrics).
 *
 * @param option The option value.
 * @param registry The metrics to validate the keys against; none skips
 * that check.
 * @returns Per key, its thresholds.
 * @throws {SyntaxError} For a malformed expression or metric key (k6's
 * texts, e.g. `failed parsing threshold expression "rate"; reason:
 * malformed threshold expression`).
 * @throws {RangeError} For a percentile outside 0–100 (k6's text).
 * @throws {TypeError} For an unknown metric (`invalid threshold defined on
 * foo; reason: no metric name "foo" found`), an aggregation the metric type
 * does not support (`invalid threshold "count>1" applied on metric
 * ws_connecting; reason: unsupported aggregation method count on metric of
 * type trend. supported aggregation methods for this metric are: avg, min,
 * max, med, p`), or a malformed option.
 *
 * @example Validate against the defined metrics
 * ```ts
 * import { parseThresholds } from "./thresholds.ts";
 * import { MetricRegistry } from "../../metrics/registry.ts";
 * import assert from "node:assert/strict";
 *
 * const registry = new MetricRegistry();
 * registry.define("msg_rtt", "trend", "time");
 * const sets = parseThresholds({ msg_rtt: ["p(95)<200"] }, registry);
 * assert.equal(sets[0].thresholds[0].expression.percentile, 95);
 * assert.throws(
 *   () => parseThresholds({ msg_rtt: ["rate>1"] }, registry),
 *   TypeError,
 * );
 * ```
 */
export function parseThresholds(
  option: unknown,
  registry?: MetricRegistry,
): MetricThresholds[] {
  const sets: MetricThresholds[] = [];
  for (const [key, specs] of readThresholdsOption(option)) {
    const thresholds = specs.map((spec) =>
      new Threshold(spec.source, spec.abortOnFail, spec.delayAbortEvalMs)
    );
    if (registry !== undefined) validateKey(key, thresholds, registry);
    sets.push(new MetricThresholds(key, thresholds));
  }
  return sets;
}

function validateKey(
  key: string,
  thresholds: readonly Threshold[],
  registry: MetricRegistry,
): void {
  let name: string;
  try {
    name = validateMetricKey(key).metric;
  } catch (error) {
    throw new SyntaxError(
      `unable to validate threshold expressions; reason: ${
        (error as Error).message
      }`,
    );
  }
  const metric = registry.get(name);
  if (metric === undefined) {
    throw new TypeError(
      `invalid threshold defined on ${key}; reason: no metric name ${
        goQuote(key)
      } found`,
    );
  }
  const supported = AGGREGATIONS[metric.type];
  for (const threshold of thresholds) {
    const { aggregation } = threshold.expression;
    if (!supported.includes(aggregation)) {
      throw new TypeError(
        `invalid threshold ${
          goQuote(threshold.source)
        } applied on metric ${key}; reason: unsupported aggregation method ${aggregation} on metric of type ${metric.type}. supported aggregation methods for this metric are: ${
          supported.join(", ")
        }`,
      );
    }
  }
}

/** The outcome of one threshold evaluation round. */
export interface ThresholdEvaluation {
  /** Names of the metrics and sub-metrics with a failing threshold, sorted. */
  readonly failed: readonly string[];
  /** Whether the test must abort (a failing `abortOnFail` threshold, past its delay). */
  readonly abort: boolean;
  /**
   * k6's log line for this outcome, if any: the end-of-test `thresholds on
   * metrics 'a, b' have been crossed`, or during the run the abort reason
   * `thresholds on metrics 'a' were crossed; at least one has abortOnFail
   * enabled, stopping test prematurely`.
   */
  readonly message?: string;
}
