/**
 * k6's options for `wsload run`: durations, the typed options object and
 * its sources (config file, script, `K6_*` environment, CLI flags),
 * consolidation with k6's precedence and shortcut rules, scenarios with
 * k6's validation texts, execution segments, the execution plan and its
 * description.
 *
 * @example Consolidate a run's options and print its plan
 * ```ts
 * import { consolidateOptions, describePlan, formatPlan } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const options = consolidateOptions({
 *   script: { vus: 10, duration: "30s" },
 *   exports: ["default"],
 * });
 * const lines = formatPlan(
 *   describePlan(options.scenarios, options.executionTuple),
 * );
 * assert.equal(
 *   lines[1],
 *   "              * default: 10 looping VUs for 30s (gracefulStop: 30s)",
 * );
 * ```
 *
 * @module
 */
export * from "./duration.ts";
export * from "./config_error.ts";
export * from "./execution_segment.ts";
export * from "./nested_tuple.ts";
export * from "./scenario.ts";
export * from "./execution_plan.ts";
export * from "./plan_text.ts";
export * from "./options.ts";
export * from "./env.ts";
export * from "./cli.ts";
export * from "./shortcuts.ts";
export * from "./consolidate.ts";
export * from "./instance.ts";
export * from "./segment_coverage.ts";
