/**
 * The `--summary-export=file.json` text: k6's old JSON summary, derived from
 * the `handleSummary` data.
 *
 * @module
 */
import type { SummaryData, SummaryGroup } from "./data.ts";

/** A group of the old JSON summary: sub-groups and checks keyed by name. */
interface ExportGroup {
  name: string;
  path: string;
  id: string;
  groups: Record<string, ExportGroup>;
  checks: Record<string, SummaryData["root_group"]["checks"][number]>;
}

/**
 * Writes k6's `--summary-export` JSON (the "old JSON summary"): the data
 * without `options` and `state`; each metric flattened to its values, with
 * `thresholds` mapping each expression to `true` when it FAILED, and a rate
 * metric's `rate` renamed `value`; groups and checks become objects keyed by
 * name. Indented with four spaces, like k6.
 *
 * @param data The `handleSummary` data (as `summaryData` builds it).
 * @returns The JSON text.
 *
 * @example Export a failed threshold
 * ```ts
 * import { legacySummaryExport } from "./export.ts";
 * import assert from "node:assert/strict";
 *
 * const text = legacySummaryExport({
 *   root_group: { name: "", path: "", id: "d41d8cd98f00b204e9800998ecf8427e", groups: [], checks: [] },
 *   options: { summaryTrendStats: ["avg"], summaryTimeUnit: "", noColor: false },
 *   state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: 1000 },
 *   metrics: {
 *     checks: {
 *       type: "rate", contains: "default",
 *       values: { rate: 0.5, passes: 1, fails: 1 },
 *       thresholds: { "rate>0.9": { ok: false } },
 *     },
 *   },
 *   setup_data: undefined,
 * });
 * assert.deepEqual(JSON.parse(text).metrics.checks, {
 *   passes: 1, fails: 1, thresholds: { "rate>0.9": true }, value: 0.5,
 * });
 * ```
 */
export function legacySummaryExport(data: SummaryData): string {
  // A deep copy, changed in place step by step as k6 does, so keys end up
  // in the same order as in k6's file.
  const results = JSON.parse(JSON.stringify(data));
  delete results.options;
  delete results.state;
  for (
    const [name, metric] of Object.entries<SummaryData["metrics"][string]>(
      results.metrics,
    )
  ) {
    const flat: Record<string, unknown> = metric.values;
    if (metric.thresholds && Object.keys(metric.thresholds).length > 0) {
      const failed: Record<string, boolean> = {};
      for (const [source, threshold] of Object.entries(metric.thresholds)) {
        failed[source] = !threshold.ok;
      }
      flat.thresholds = failed;
    }
    if (metric.type === "rate" && Object.hasOwn(flat, "rate")) {
      flat.value = flat.rate;
      delete flat.rate;
    }
    results.metrics[name] = flat;
  }
  results.root_group = exportGroup(results.root_group);
  return JSON.stringify(results, null, 4);
}

function exportGroup(group: SummaryGroup): ExportGroup {
  const groups: Record<string, ExportGroup> = {};
  for (const child of group.groups) groups[child.name] = exportGroup(child);
  const checks: ExportGroup["checks"] = {};
  for (const check of group.checks) checks[check.name] = check;
  return { ...group, groups, checks };
}
