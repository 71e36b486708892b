/**
 * The end of a k6-style run: the `handleSummary(data)` object, the
 * `--summary-export` JSON, the end-of-test summary text in k6's `compact`,
 * `full` and `legacy` formats, the k6-summary jslib (`textSummary`,
 * `jUnit`), the run header, and the fixed-width durations of the live
 * progress lines (`runner/progress_line.ts`), all byte for byte as k6
 * prints them.
 *
 * @example Summarise a snapshot for a script's handleSummary and stdout
 * ```ts
 * import { legacySummaryExport, renderSummary, summaryData } from "./mod.ts";
 * import type { EngineSnapshot } from "../engine/snapshot.ts";
 * import assert from "node:assert/strict";
 *
 * const snapshot: EngineSnapshot = {
 *   durationMs: 1000,
 *   rootGroup: {
 *     name: "", path: "", id: "d41d8cd98f00b204e9800998ecf8427e",
 *     groups: [], checks: [],
 *     metrics: [{
 *       name: "ws_sessions", type: "counter", contains: "default",
 *       values: { count: 3, rate: 3 }, thresholds: [],
 *     }],
 *   },
 *   scenarios: {},
 * };
 * const data = summaryData(snapshot);
 * assert.equal(JSON.parse(legacySummaryExport(data)).metrics.ws_sessions.count, 3);
 * assert.match(renderSummary(snapshot), /ws_sessions/);
 * ```
 *
 * @module
 */
export * from "./data.ts";
export * from "./export.ts";
export * from "./format.ts";
export * from "./render.ts";
export * from "./jslib.ts";
export * from "./fixed_duration.ts";
export * from "./header.ts";
