/**
 * The metrics engine of `wsload run`: k6's sinks (Counter, Gauge, Rate,
 * Trend with exact-then-sketched percentiles), sub-metrics, thresholds,
 * the group and check tree, and the snapshot the summaries render.
 *
 * @example Run thresholds over a few samples
 * ```ts
 * import { MetricsEngine } from "./mod.ts";
 * import { Context } from "../../context/context.ts";
 * import { WS_CONNECTING } from "../../metrics/builtin.ts";
 * import assert from "node:assert/strict";
 *
 * const engine = new MetricsEngine({
 *   thresholds: { ws_connecting: ["p(95)<100"] },
 * });
 * const context = new Context({ sink: engine.ingest });
 * for (const ms of [20, 40, 400]) context.emit(WS_CONNECTING, ms);
 * const result = engine.evaluate(3000, { final: true });
 * assert.equal(
 *   result.message,
 *   "thresholds on metrics 'ws_connecting' have been crossed",
 * );
 * ```
 *
 * @module
 */
export * from "./engine.ts";
export * from "./group_tree.ts";
export * from "./metric_name.ts";
export * from "./sink.ts";
export * from "./snapshot.ts";
export * from "./state.ts";
export * from "./threshold_expression.ts";
export * from "./thresholds.ts";
export * from "./trend_sink.ts";
export * from "./trend_stats.ts";
