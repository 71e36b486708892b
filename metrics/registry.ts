/**
 * The metric registry: one definition per metric name, process-wide.
 *
 * @module
 */
import type { Metric, MetricType, ValueType } from "./metric.ts";

const METRIC_TYPES: readonly MetricType[] = [
  "counter",
  "gauge",
  "rate",
  "trend",
];
const VALUE_TYPES: readonly ValueType[] = ["default", "time", "data"];
// k6's rule for metric names (metrics/registry.go): 1-128 letters, digits and
// a few punctuation characters.
const NAME_PATTERN = /^[\p{L}\p{N}._ !?/&#()<>%-]{1,128}$/u;

/** Holds every metric defined in this process, built-in and custom. */
export class MetricRegistry {
  #metrics = new Map<string, Metric>();

  /**
   * Returns the metric of that name, defining it on first use.
   *
   * @param name The metric name (k6's rule: 1-128 letters, digits, `._ !?/&#()<>%-`).
   * @param type The metric type.
   * @param contains What the values are; `"default"` when omitted.
   * @returns The one definition for that name.
   * @throws {TypeError} When the name is invalid, or the type or contains
   * value is unknown.
   * @throws {Error} When the name is already defined with another type or
   * value type.
   *
   * @example Define a custom trend
   * ```ts
   * import { MetricRegistry } from "./registry.ts";
   * import assert from "node:assert/strict";
   *
   * const registry = new MetricRegistry();
   * const rtt = registry.define("msg_rtt", "trend", "time");
   * assert.equal(registry.define("msg_rtt", "trend", "time"), rtt);
   * ```
   */
  define(
    name: string,
    type: MetricType,
    contains: ValueType = "default",
  ): Metric {
    if (!METRIC_TYPES.includes(type)) {
      throw new TypeError(
        `unknown metric type '${type}', expected one of ${
          METRIC_TYPES.join(", ")
        }`,
      );
    }
    if (!VALUE_TYPES.includes(contains)) {
      throw new TypeError(
        `unknown metric value type '${contains}', expected one of ${
          VALUE_TYPES.join(", ")
        }`,
      );
    }
    const existing = this.#metrics.get(name);
    if (existing) {
      if (existing.type !== type) {
        throw new Error(
          `metric '${name}' already exists but with type ${existing.type}, instead of ${type}`,
        );
      }
      if (existing.contains !== contains) {
        throw new Error(
          `metric '${name}' already exists but with a value type ${existing.contains}, instead of ${contains}`,
        );
      }
      return existing;
    }
    if (typeof name !== "string" || !NAME_PATTERN.test(name)) {
      throw new TypeError(
        `Invalid metric name: '${name}'; a metric name must be 1 to 128 letters, digits or any of ._ !?/&#()<>%-`,
      );
    }
    const metric: Metric = Object.freeze({ name, type, contains });
    this.#metrics.set(name, metric);
    return metric;
  }

  /**
   * Looks a metric up by name.
   *
   * @param name The metric name.
   * @returns The metric, or `undefined` when none has that name.
   */
  get(name: string): Metric | undefined {
    return this.#metrics.get(name);
  }

  /**
   * Lists every defined metric in definition order.
   *
   * @returns The metrics.
   */
  all(): Metric[] {
    return [...this.#metrics.values()];
  }
}

/** The process-wide registry that built-in and custom metrics live in. */
export const registry: MetricRegistry = new MetricRegistry();
