/**
 * The lines k6 prints before a run starts (after its banner, which wsload
 * does not copy): execution, script, outputs and the scenario plan.
 *
 * ```
 *
 *      execution: local
 *         script: script.js
 *         output: -
 *
 *      scenarios: (100.00%) 1 scenario, 10 max VUs, 1m0s max duration (incl. graceful stop):
 *               * default: 10 looping VUs for 30s (gracefulStop: 30s)
 *
 * ```
 *
 * @module
 */
import { formatPlan, type PlanText } from "../options/plan_text.ts";
import { goColor, SGR } from "../../internal/ansi.ts";

/** What {@link renderRunHeader} prints. */
export interface RunHeaderOptions {
  /** `local` (default) or `cloud`. */
  readonly execution?: string;
  /** The script as the user named it. */
  readonly script: string;
  /**
   * Output descriptions, e.g. `json (results.json)`; printed joined by
   * `, `, or `-` when empty (the default).
   */
  readonly outputs?: readonly string[];
  /** Printed verbatim after `web dashboard:` on its own line, when set. */
  readonly webDashboard?: string;
  /** The profiling URL, printed on its own line when set. */
  readonly profiling?: string;
  /** The plan: header and scenario descriptions. */
  readonly plan: PlanText;
  /** Whether to colour the values cyan (as k6 does on a terminal). */
  readonly colors?: boolean;
}

/**
 * Renders the run header exactly as k6 prints it, from the leading empty
 * line to the empty line after the scenarios.
 *
 * @param options What to print.
 * @returns The text, ending with a newline.
 *
 * @example The header of a one-scenario run
 * ```ts
 * import { renderRunHeader } from "./header.ts";
 * import assert from "node:assert/strict";
 *
 * const text = renderRunHeader({
 *   script: "script.js",
 *   plan: {
 *     header: "(100.00%) 1 scenario, 10 max VUs, 1m0s max duration (incl. graceful stop):",
 *     scenarios: [{ name: "default", description: "10 looping VUs for 30s (gracefulStop: 30s)" }],
 *   },
 * });
 * assert.equal(text, [
 *   "",
 *   "     execution: local",
 *   "        script: script.js",
 *   "        output: -",
 *   "",
 *   "     scenarios: (100.00%) 1 scenario, 10 max VUs, 1m0s max duration (incl. graceful stop):",
 *   "              * default: 10 looping VUs for 30s (gracefulStop: 30s)",
 *   "",
 *   "",
 * ].join("\n"));
 * ```
 */
export function renderRunHeader(options: RunHeaderOptions): string {
  const value = options.colors
    ? (text: string) => goColor(text, SGR.cyan)
    : (text: string) => text;
  const outputs = options.outputs ?? [];
  const [, ...scenarioLines] = formatPlan(options.plan);
  const lines = [
    "",
    `     execution: ${value(options.execution ?? "local")}`,
    `        script: ${value(options.script)}`,
    ...(options.webDashboard === undefined
      ? []
      : [` web dashboard:${value(options.webDashboard)}`]),
    `        output: ${value(outputs.length > 0 ? outputs.join(", ") : "-")}`,
    ...(options.profiling === undefined
      ? []
      : [`     profiling: ${value(options.profiling)}`]),
    "",
    `     scenarios: ${value(options.plan.header)}`,
    ...scenarioLines,
    "",
  ];
  return lines.join("\n") + "\n";
}
