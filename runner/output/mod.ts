/**
 * The run's outputs: `--out json=FILE` (k6's NDJSON), `--out csv=FILE`
 * (k6's CSV) and `--report FILE.html` (a self-contained HTML report with
 * charts and the summary tables).
 *
 * @example Create the outputs of `--out json=results.json.gz --out csv=-`
 * ```ts
 * import { createOutputs } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const outputs = createOutputs(["json=results.json.gz", "csv=-"], undefined, {
 *   thresholds: {},
 *   systemTags: new Set(["scenario"]),
 *   env: {},
 *   logger: console,
 *   scriptPath: "test.js",
 *   stdout: (text) => void text,
 * });
 * assert.deepEqual(outputs.map((output) => output.description), [
 *   "json (results.json.gz)",
 *   "csv (stdout)",
 * ]);
 * ```
 *
 * @module
 */
export type { Output, OutputContext, RunEnd } from "./output.ts";
export * from "./create.ts";
export * from "./json.ts";
export * from "./csv.ts";
export * from "./html_report.ts";
export * from "./influxdb.ts";
export * from "./web_dashboard.ts";
export * from "./prometheus_rw.ts";
export * from "./state.ts";
