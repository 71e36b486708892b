/**
 * Metric keys with a sub-metric filter, k6's `metric{tag:value,other:value}`
 * syntax, as threshold keys and summary lines use them.
 *
 * @module
 */
import { goQuote } from "../../internal/go_quote.ts";

/** A parsed `metric{tag:value,...}` key. */
export interface MetricKey {
  /** The metric name: everything before the first `{` (not trimmed). */
  readonly metric: string;
  /** The sub-metric filter, when the key has one. */
  readonly submetric?: SubmetricFilter;
}

/** The filter part of a sub-metric key. */
export interface SubmetricFilter {
  /** The text between the braces, trimmed: `status:101`. */
  readonly suffix: string;
  /** The sub-metric's name: `metric{suffix}`. */
  readonly name: string;
  /**
   * Tag name → value a sample must carry, in the order written (a repeated
   * tag keeps its last value). Names and values are trimmed and stripped
   * of surrounding `"`/`'` quotes; a value may contain `:`.
   */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * Checks a metric key the way k6 validates threshold keys
 * (`ParseMetricName`): braces must pair up, close the key, and every
 * comma-separated item inside must be `name:value` with a non-empty value.
 *
 * @param key The key, e.g. `ws_connecting{status:101}`.
 * @returns The metric name (before `{`) and the trimmed `name:value` items.
 * @throws {SyntaxError} With k6's text, e.g. `parsing metric name failed,
 * metric "ws_connecting{status" has unmatched opening/close curly brace`.
 *
 * @example Validate a sub-metric key
 * ```ts
 * import { validateMetricKey } from "./metric_name.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(validateMetricKey("checks{ myTag:hola }"), {
 *   metric: "checks",
 *   tags: ["myTag:hola"],
 * });
 * assert.throws(() => validateMetricKey("checks{myTag}"), SyntaxError);
 * ```
 */
export function validateMetricKey(
  key: string,
): { metric: string; tags: string[] } {
  const open = key.indexOf("{");
  const close = key.lastIndexOf("}");
  if (open === -1 && close === -1) return { metric: key, tags: [] };
  const fail = (problem: string) =>
    new SyntaxError(`parsing metric name failed, metric ${problem}`);
  if (open === -1 || close === -1) {
    throw fail(`${goQuote(key)} has unmatched opening/close curly brace`);
  }
  if (close < open) {
    throw fail(
      `${goQuote(key)} closing curly brace appears before opening one`,
    );
  }
  if (close !== key.length - 1) {
    throw fail(
      `${goQuote(key)} lacks a closing curly brace in its last position`,
    );
  }
  const tags = key.slice(open + 1, close).split(",").map((item) => {
    const colon = item.indexOf(":");
    if (colon === -1 || colon === item.length - 1) {
      throw fail(`${goQuote(item)} tag expression is malformed`);
    }
    return item.trim();
  });
  return { metric: key.slice(0, open), tags };
}

/**
 * Parses a metric key into the metric name and its sub-metric filter, the
 * way k6 builds sub-metrics from threshold keys (`AddSubmetric`). This is
 * more lenient than {@link validateMetricKey}: an item without `:` filters
 * on an empty value, and empty items are skipped.
 *
 * @param key The key, e.g. `group_duration{group:::main}`.
 * @returns The metric name and, for a `{...}` key, the filter.
 * @throws {SyntaxError} `missing ending bracket, sub-metric format needs to
 * be 'metric{key:value}'` when the key does not end with `}`, and
 * `submetric criteria for metric '<name>' cannot be empty` for `metric{}`.
 *
 * @example A group filter whose value contains colons
 * ```ts
 * import { parseMetricKey } from "./metric_name.ts";
 * import assert from "node:assert/strict";
 *
 * const key = parseMetricKey("group_duration{group:::main}");
 * assert.equal(key.metric, "group_duration");
 * assert.deepEqual(key.submetric?.tags, { group: "::main" });
 * ```
 */
export function parseMetricKey(key: string): MetricKey {
  const open = key.indexOf("{");
  if (open === -1) return { metric: key };
  const metric = key.slice(0, open);
  const rest = key.slice(open + 1);
  if (rest === "") return { metric };
  if (!rest.endsWith("}")) {
    throw new SyntaxError(
      "missing ending bracket, sub-metric format needs to be 'metric{key:value}'",
    );
  }
  const suffix = rest.slice(0, -1).trim();
  if (suffix === "") {
    throw new SyntaxError(
      `submetric criteria for metric '${metric}' cannot be empty`,
    );
  }
  const tags: Record<string, string> = {};
  for (const item of suffix.split(",")) {
    if (item === "") continue;
    const colon = item.indexOf(":");
    const name = unquote(colon === -1 ? item : item.slice(0, colon));
    tags[name] = colon === -1 ? "" : unquote(item.slice(colon + 1));
  }
  return {
    metric,
    submetric: { suffix, name: `${metric}{${suffix}}`, tags },
  };
}

function unquote(text: string): string {
  return text.trim().replace(/^["']+|["']+$/g, "");
}

/**
 * An identity for a tag filter that ignores the order it was written in, so
 * `{a:1,b:2}` and `{ b:2, a:1 }` name the same sub-metric.
 *
 * @param tags The filter's tags.
 * @returns A string equal for equal tag sets.
 *
 * @example Same tags, different order
 * ```ts
 * import { tagSetKey } from "./metric_name.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(tagSetKey({ a: "1", b: "2" }), tagSetKey({ b: "2", a: "1" }));
 * ```
 */
export function tagSetKey(tags: Readonly<Record<string, string>>): string {
  return JSON.stringify(
    Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}
