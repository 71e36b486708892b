/**
 * What the four `k6/metrics` constructors share: k6's name rule, the init
 * stage rule, and `add()` with k6's value conversion and messages.
 *
 * @module
 */
import { currentContext } from "../context/context.ts";
import type { Metric, MetricType } from "../metrics/metric.ts";
import { registry } from "../metrics/registry.ts";
import { toTagValues } from "../metrics/tags.ts";
import type { TagValues } from "./_check.ts";
import { forbidInInitStage } from "./_init_guard.ts";
import { executionState } from "../internal/execution_state.ts";

// k6's current rule for script-defined metrics (metrics/registry.go), which
// is stricter than the registry's own. k6's pattern admits 129 characters
// although its message says 128; the registry holds names to 128.
const SCRIPT_METRIC_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{1,127}$/;
const MAX_QUOTED_VALUE_LENGTH = 100;

// k6 shortens long values in its messages: first and last 50 characters.
function shorten(text: string): string {
  const characters = Array.from(text);
  if (characters.length < MAX_QUOTED_VALUE_LENGTH) return text;
  const half = MAX_QUOTED_VALUE_LENGTH / 2;
  const omitted = characters.length - MAX_QUOTED_VALUE_LENGTH;
  return characters.slice(0, half).join("") +
    `... omitting ${omitted} characters ...` +
    characters.slice(-half).join("");
}

/**
 * A custom metric of a k6 script: the common part of `Counter`, `Gauge`,
 * `Rate` and `Trend`.
 *
 * @example Add to a custom trend
 * ```ts
 * import { CustomMetric } from "./_custom_metric.ts";
 *
 * const latency = new CustomMetric("trend", "custom_metric_example", true);
 * latency.add(12.5, { step: "login" });
 * ```
 */
export class CustomMetric {
  #metric: Metric;

  /**
   * Defines (or finds) the metric.
   *
   * @param type The metric type.
   * @param name The name: 2 to 128 ASCII letters, digits and underscores,
   * not starting with a digit (k6's rule).
   * @param isTime Whether values are milliseconds (shown as durations).
   * @throws {Error} `metrics must be declared in the init context` in VU
   * code under `wsload run`; the metric exists with another type or value
   * type (k6's text).
   * @throws {TypeError} The name breaks k6's rule (k6's text).
   */
  constructor(type: MetricType, name: string, isTime?: boolean) {
    const stage = executionState()?.stage;
    if (stage !== undefined && stage !== "init") {
      throw new Error("metrics must be declared in the init context");
    }
    const metricName = String(name);
    if (!SCRIPT_METRIC_NAME.test(metricName)) {
      throw new TypeError(
        `Invalid metric name: '${metricName}'. Metric names must only include up to 128 ASCII letters, numbers, or underscores and start with a letter or an underscore.`,
      );
    }
    this.#metric = registry.define(
      metricName,
      type,
      isTime ? "time" : "default",
    );
  }

  /** The metric name (read-only). */
  get name(): string {
    return this.#metric.name;
  }

  /**
   * Adds a value, as k6's `metric.add()`: a sample tagged with the current
   * tags plus `tags`. Booleans count as 1 and 0; other values go through
   * `Number()` (a truthy value converting to 0 counts as 1, as in k6).
   * An invalid value is logged as a warning and `false` returned, or thrown
   * when the `throw` option is on.
   *
   * @param value The value (a number or a boolean).
   * @param tags Extra tags of the sample.
   * @returns Whether a sample was emitted.
   * @throws {Error} `Adding to metrics in the init context is not supported`.
   * @throws {TypeError} With the `throw` option: `no value was provided for
   * metric '<name>', …` or `'<value>' is an invalid value for metric
   * '<name>', a number or a boolean value is expected`. Always: `cannot add
   * tags for the '<name>' custom metric: …` for invalid tags.
   */
  add(value?: number | boolean, tags?: TagValues | null): boolean {
    forbidInInitStage("Adding to metrics in the init context is not supported");
    const context = currentContext();
    const name = this.#metric.name;
    const reject = (message: string): boolean => {
      if (context.options.throw) throw new TypeError(message);
      context.warn(message);
      return false;
    };
    if (arguments.length === 0) {
      return reject(
        `no value was provided for metric '${name}', a number or a boolean value is expected`,
      );
    }
    let number = value === null ? NaN : Number(value);
    if (number === 0 && value) number = 1;
    if (Number.isNaN(number)) {
      return reject(
        `'${
          shorten(String(value))
        }' is an invalid value for metric '${name}', a number or a boolean value is expected`,
      );
    }
    const userTags = toTagValues(
      tags,
      `cannot add tags for the '${name}' custom metric`,
    );
    const sampleTags = Object.keys(userTags).length === 0
      ? context.tags
      : Object.freeze({ ...context.tags, ...userTags });
    context.emit(this.#metric, number, sampleTags);
    return true;
  }
}
