/**
 * The execution plan as k6 prints it before a test starts:
 *
 * ```
 *      scenarios: (100.00%) 2 scenarios, 20 max VUs, 10m40s max duration (incl. graceful stop):
 *               * warmup: 100 iterations shared among 10 VUs (maxDuration: 10m0s, gracefulStop: 30s)
 *               * load: 10 looping VUs for 30s (startTime: 10s, gracefulStop: 30s)
 * ```
 *
 * @module
 */
import { formatFixed } from "../../internal/go_format.ts";
import { formatDuration } from "./duration.ts";
import {
  getEndOffset,
  getFullExecutionRequirements,
  getMaxPossibleVUs,
  sharedIterationsCount,
  sortScenarios,
  sumStageDurations,
} from "./execution_plan.ts";
import type { ExecutionShare } from "./execution_segment.ts";
import {
  maxStageTarget,
  type ScenarioConfig,
  type ScenarioConfigs,
} from "./scenario.ts";

/** The plan header and one description per scenario. */
export interface PlanText {
  /**
   * The header after `scenarios: `, e.g. `(100.00%) 1 scenario, 10 max VUs,
   * 1m0s max duration (incl. graceful stop):`.
   */
  readonly header: string;
  /** Each scenario's name and description, in k6's order (start time, name). */
  readonly scenarios: readonly { name: string; description: string }[];
}

function baseInfo(config: ScenarioConfig, facts: string[]): string {
  if (config.exec !== undefined) facts.push(`exec: ${config.exec}`);
  if (config.startTime > 0) {
    facts.push(`startTime: ${formatDuration(config.startTime)}`);
  }
  if (config.gracefulStop > 0) {
    facts.push(`gracefulStop: ${formatDuration(config.gracefulStop)}`);
  }
  return facts.length === 0 ? "" : ` (${facts.join(", ")})`;
}

/**
 * Describes one scenario in k6's words (`GetDescription`), with the values
 * scaled for the execution segment.
 *
 * @param config The scenario.
 * @param tuple The execution segment.
 * @returns e.g. `10 looping VUs for 30s (gracefulStop: 30s)`.
 *
 * @example Describe a scenario
 * ```ts
 * import { describeScenario } from "./plan_text.ts";
 * import { ExecutionTuple } from "./execution_segment.ts";
 * import { parseScenario } from "./scenario.ts";
 * import assert from "node:assert/strict";
 *
 * const config = parseScenario("load", {
 *   executor: "constant-arrival-rate",
 *   rate: 30,
 *   duration: "30s",
 *   preAllocatedVUs: 2,
 *   maxVUs: 50,
 * });
 * assert.equal(
 *   describeScenario(config, ExecutionTuple.create()),
 *   "30.00 iterations/s for 30s (maxVUs: 2-50, gracefulStop: 30s)",
 * );
 * ```
 */
export function describeScenario(
  config: ScenarioConfig,
  tuple: ExecutionShare,
): string {
  switch (config.executor) {
    case "shared-iterations":
      return `${sharedIterationsCount(config, tuple)} iterations shared among ${
        tuple.scale(config.vus)
      } VUs${
        baseInfo(config, [`maxDuration: ${formatDuration(config.maxDuration)}`])
      }`;
    case "per-vu-iterations":
      return `${config.iterations} iterations for each of ${
        tuple.scale(config.vus)
      } VUs${
        baseInfo(config, [`maxDuration: ${formatDuration(config.maxDuration)}`])
      }`;
    case "constant-vus":
      return `${tuple.scale(config.vus)} looping VUs for ${
        formatDuration(config.duration ?? 0)
      }${baseInfo(config, [])}`;
    case "ramping-vus":
      return `Up to ${
        tuple.scale(maxStageTarget(config.startVUs, config.stages))
      } looping VUs for ${
        formatDuration(sumStageDurations(config.stages))
      } over ${config.stages.length} stages${
        baseInfo(config, [
          `gracefulRampDown: ${formatDuration(config.gracefulRampDown)}`,
        ])
      }`;
    case "constant-arrival-rate": {
      const preAllocated = tuple.scale(config.preAllocatedVUs ?? 0);
      const maxVUs = tuple.scale(config.maxVUs ?? 0);
      let range = `maxVUs: ${preAllocated}`;
      if (maxVUs > preAllocated) range += `-${maxVUs}`;
      // k6 scales the rate by the share of maxVUs this segment got.
      const perSecond = maxVUs === 0
        ? 0
        : ((config.rate ?? 0) * 1000 / config.timeUnit) *
          (maxVUs / (config.maxVUs ?? 0));
      return `${formatFixed(perSecond, 2)} iterations/s for ${
        formatDuration(config.duration ?? 0)
      }${baseInfo(config, [range])}`;
    }
    case "ramping-arrival-rate": {
      let range = `maxVUs: ${tuple.scale(config.preAllocatedVUs ?? 0)}`;
      if ((config.maxVUs ?? 0) > (config.preAllocatedVUs ?? 0)) {
        range += `-${tuple.scale(config.maxVUs ?? 0)}`;
      }
      const perSecond = maxStageTarget(config.startRate, config.stages) *
        tuple.segment.length * 1000 / config.timeUnit;
      return `Up to ${formatFixed(perSecond, 2)} iterations/s for ${
        formatDuration(sumStageDurations(config.stages))
      } over ${config.stages.length} stages${baseInfo(config, [range])}`;
    }
  }
}

/**
 * The plan header and scenario descriptions k6 prints before the test.
 *
 * @param scenarios The (validated) scenarios.
 * @param tuple The execution segment.
 * @returns The header and the descriptions.
 *
 * @example The plan of one scenario
 * ```ts
 * import { describePlan } from "./plan_text.ts";
 * import { ExecutionTuple } from "./execution_segment.ts";
 * import { parseScenarios } from "./scenario.ts";
 * import assert from "node:assert/strict";
 *
 * const scenarios = parseScenarios({
 *   default: { executor: "constant-vus", vus: 10, duration: "30s" },
 * })!;
 * const plan = describePlan(scenarios, ExecutionTuple.create());
 * assert.equal(
 *   plan.header,
 *   "(100.00%) 1 scenario, 10 max VUs, 1m0s max duration (incl. graceful stop):",
 * );
 * ```
 */
export function describePlan(
  scenarios: ScenarioConfigs,
  tuple: ExecutionShare,
): PlanText {
  const plan = getFullExecutionRequirements(scenarios, tuple);
  const sorted = sortScenarios(scenarios);
  const count = sorted.length > 1 ? `${sorted.length} scenarios` : "1 scenario";
  const maxDuration = Math.round(getEndOffset(plan) / 100) * 100;
  const header = `(${formatFixed(tuple.segment.length * 100, 2)}%) ${count}, ${
    getMaxPossibleVUs(plan)
  } max VUs, ${
    formatDuration(maxDuration)
  } max duration (incl. graceful stop):`;
  return {
    header,
    scenarios: sorted.map((config) => ({
      name: config.name,
      description: describeScenario(config, tuple),
    })),
  };
}

/**
 * The plan as the lines k6 prints (without colours):
 * `     scenarios: <header>` then `              * <name>: <description>`.
 *
 * @param plan The plan text.
 * @returns The lines.
 *
 * @example Print a plan
 * ```ts
 * import { describePlan, formatPlan } from "./plan_text.ts";
 * import { ExecutionTuple } from "./execution_segment.ts";
 * import { parseScenarios } from "./scenario.ts";
 * import assert from "node:assert/strict";
 *
 * const scenarios = parseScenarios({
 *   default: { executor: "per-vu-iterations" },
 * })!;
 * const lines = formatPlan(describePlan(scenarios, ExecutionTuple.create()));
 * assert.equal(
 *   lines[1],
 *   "              * default: 1 iterations for each of 1 VUs (maxDuration: 10m0s, gracefulStop: 30s)",
 * );
 * ```
 */
export function formatPlan(plan: PlanText): string[] {
  return [
    `     scenarios: ${plan.header}`,
    ...plan.scenarios.map(({ name, description }) =>
      `              * ${name}: ${description}`
    ),
  ];
}
