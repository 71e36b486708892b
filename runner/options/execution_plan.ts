/**
 * The execution plan: how many VUs each scenario needs at each moment
 * (k6's `GetExecutionRequirements`), combined over all scenarios with their
 * start times, and what follows from it: the VUs to initialise before the
 * test, the most VUs it can use, and its longest duration including
 * graceful stops. Also each executor's scaled numbers for an execution
 * segment (VUs, iterations), shared by the plan text and the executors.
 *
 * @module
 */
import { type ExecutionShare, SegmentedIndex } from "./execution_segment.ts";
import type {
  RampingVUsScenario,
  ScenarioConfig,
  ScenarioConfigs,
  Stage,
} from "./scenario.ts";

/**
 * From `timeOffset` on (ms, relative to the scenario's or the test's start),
 * `plannedVUs` VUs are needed, and up to `maxUnplannedVUs` more may be
 * initialised during the test (arrival-rate executors).
 */
export interface ExecutionStep {
  /** When the step begins, ms. */
  readonly timeOffset: number;
  /** VUs needed from then on. */
  readonly plannedVUs: number;
  /** Extra VUs that may be initialised mid-test. */
  readonly maxUnplannedVUs: number;
}

function step(
  timeOffset: number,
  plannedVUs: number,
  maxUnplannedVUs = 0,
): ExecutionStep {
  return { timeOffset, plannedVUs, maxUnplannedVUs };
}

/**
 * The sum of stage durations.
 *
 * @param stages The stages.
 * @returns Milliseconds.
 */
export function sumStageDurations(stages: readonly Stage[]): number {
  return stages.reduce((sum, stage) => sum + (stage.duration ?? 0), 0);
}

/**
 * A scenario's VUs for this segment: `vus` of the VU-based executors,
 * `startVUs` of ramping-vus, `maxVUs` of the arrival-rate ones.
 *
 * @param config The scenario.
 * @param tuple The execution segment.
 * @returns The scaled count.
 */
export function scaledVUs(
  config: ScenarioConfig,
  tuple: ExecutionShare,
): number {
  switch (config.executor) {
    case "shared-iterations":
    case "per-vu-iterations":
    case "constant-vus":
      return tuple.scale(config.vus);
    case "ramping-vus":
      return tuple.scale(config.startVUs);
    default:
      return tuple.scale(config.maxVUs ?? 0);
  }
}

/**
 * The tuple a scenario that divides its work among a fixed number of VUs
 * numbers its iterations with (k6 re-segments by that number: `vus` for
 * shared-iterations, `maxVUs` for the arrival-rate executors), or
 * `undefined` when this segment gets none of those VUs.
 *
 * @param config The scenario.
 * @param tuple The execution segment.
 * @returns The re-segmented tuple, the tuple itself for the other executors,
 * or `undefined`.
 */
export function iterationTuple(
  config: ScenarioConfig,
  tuple: ExecutionShare,
): ExecutionShare | undefined {
  let value: number;
  switch (config.executor) {
    case "shared-iterations":
      value = config.vus;
      break;
    case "constant-arrival-rate":
    case "ramping-arrival-rate":
      value = config.maxVUs ?? 0;
      break;
    default:
      return tuple;
  }
  try {
    return tuple.withValue(value);
  } catch {
    return undefined;
  }
}

/**
 * The iterations a shared-iterations scenario runs in this segment.
 *
 * @param config The scenario.
 * @param tuple The execution segment.
 * @returns The scaled iteration count (0 when this segment has no VUs).
 */
export function sharedIterationsCount(
  config: ScenarioConfig & { executor: "shared-iterations" },
  tuple: ExecutionShare,
): number {
  return iterationTuple(config, tuple)?.scale(config.iterations) ?? 0;
}

/**
 * The number of VUs a ramping-vus scenario should have running over time
 * in this segment, without graceful ramp-downs (k6's
 * `getRawExecutionSteps`). With `zeroEnd`, a final 0-VU step marks the end
 * of the stages.
 *
 * @param config The scenario.
 * @param tuple The execution segment.
 * @param zeroEnd Whether to end with a 0-VU step.
 * @returns The steps.
 */
export function rampingVUsRawSteps(
  config: RampingVUsScenario,
  tuple: ExecutionShare,
  zeroEnd: boolean,
): ExecutionStep[] {
  const index = new SegmentedIndex(tuple);
  let fromVUs = config.startVUs;
  let timeTillEnd = 0;
  let [scaled, unscaled] = index.goTo(fromVUs);
  const steps: ExecutionStep[] = [step(0, scaled)];
  const addStep = (timeOffset: number, plannedVUs: number) => {
    if (steps[steps.length - 1].plannedVUs !== plannedVUs) {
      steps.push(step(timeOffset, plannedVUs));
    }
  };
  for (const stage of config.stages) {
    const stageEndVUs = stage.target ?? 0;
    const stageDuration = stage.duration ?? 0;
    timeTillEnd += stageDuration;
    const stageVUDiff = stageEndVUs - fromVUs;
    if (stageVUDiff === 0) continue;
    if (stageDuration === 0) {
      [scaled, unscaled] = index.goTo(stageEndVUs);
      addStep(timeTillEnd, scaled);
      fromVUs = stageEndVUs;
      continue;
    }
    // Go divides integer nanoseconds, truncating toward zero.
    const offset = (vus: number) =>
      timeTillEnd -
      Math.trunc((stageDuration * 1e6 * vus) / stageVUDiff) / 1e6;
    if (unscaled > stageEndVUs) {
      // Ramping down: a VU stops when the next lower count is due.
      for (; unscaled > stageEndVUs; [scaled, unscaled] = index.prev()) {
        addStep(offset(stageEndVUs - unscaled + 1), scaled - 1);
      }
    } else {
      for (; unscaled <= stageEndVUs; [scaled, unscaled] = index.next()) {
        addStep(offset(stageEndVUs - unscaled), scaled);
      }
    }
    fromVUs = stageEndVUs;
  }
  if (zeroEnd && steps[steps.length - 1].plannedVUs !== 0) {
    steps.push(step(timeTillEnd, 0));
  }
  return steps;
}

// k6's reserveVUsForGracefulRampDowns: while VUs ramp down, keep them
// reserved for gracefulRampDown so they can finish their iterations,
// unless the count comes back up within that window.
function reserveForGracefulRampDowns(
  config: RampingVUsScenario,
  rawSteps: readonly ExecutionStep[],
  executorEndOffset: number,
): ExecutionStep[] {
  const gracefulRampDown = config.gracefulRampDown;
  const newSteps: ExecutionStep[] = [];
  let lastPlannedVUs = 0;
  let lastDownwardSlopeStepNum = 0;
  for (let rawStepNum = 0; rawStepNum < rawSteps.length; rawStepNum++) {
    const rawStep = rawSteps[rawStepNum];
    if (rawStepNum === 0 || rawStep.plannedVUs > lastPlannedVUs) {
      newSteps.push(rawStep);
      lastPlannedVUs = rawStep.plannedVUs;
      continue;
    }
    if (rawStep.plannedVUs === lastPlannedVUs) continue;
    let skippedToNewRawStep = false;
    const timeOffsetWithTimeout = rawStep.timeOffset + gracefulRampDown;
    let wasRampingDown = true;
    const advanceStart = Math.max(lastDownwardSlopeStepNum, rawStepNum + 1);
    for (
      let advStepNum = advanceStart;
      advStepNum < rawSteps.length;
      advStepNum++
    ) {
      const advStep = rawSteps[advStepNum];
      if (advStep.timeOffset > timeOffsetWithTimeout) break;
      if (advStep.plannedVUs >= lastPlannedVUs) {
        rawStepNum = advStepNum - 1;
        skippedToNewRawStep = true;
        break;
      }
      if (wasRampingDown) {
        if (rawSteps[advStepNum - 1].plannedVUs > advStep.plannedVUs) {
          lastDownwardSlopeStepNum = advStepNum;
        } else {
          wasRampingDown = false;
        }
      }
    }
    if (skippedToNewRawStep) continue;
    if (timeOffsetWithTimeout >= executorEndOffset) break;
    newSteps.push(step(timeOffsetWithTimeout, rawStep.plannedVUs));
    lastPlannedVUs = rawStep.plannedVUs;
  }
  return newSteps;
}

/**
 * The VUs a scenario needs over its lifetime (relative to its own start),
 * including graceful stops and ramp-downs (k6's
 * `GetExecutionRequirements`).
 *
 * @param config The scenario.
 * @param tuple The execution segment.
 * @returns The steps; the last has 0 VUs.
 *
 * @example Requirements of a constant-vus scenario
 * ```ts
 * import { getExecutionRequirements } from "./execution_plan.ts";
 * import { ExecutionTuple } from "./execution_segment.ts";
 * import { parseScenario } from "./scenario.ts";
 * import assert from "node:assert/strict";
 *
 * const config = parseScenario("a", {
 *   executor: "constant-vus",
 *   vus: 10,
 *   duration: "1m",
 * });
 * assert.deepEqual(getExecutionRequirements(config, ExecutionTuple.create()), [
 *   { timeOffset: 0, plannedVUs: 10, maxUnplannedVUs: 0 },
 *   { timeOffset: 90_000, plannedVUs: 0, maxUnplannedVUs: 0 },
 * ]);
 * ```
 */
export function getExecutionRequirements(
  config: ScenarioConfig,
  tuple: ExecutionShare,
): ExecutionStep[] {
  switch (config.executor) {
    case "shared-iterations": {
      const vus = tuple.scale(config.vus);
      if (vus === 0) return [step(0, 0)];
      return [step(0, vus), step(config.maxDuration + config.gracefulStop, 0)];
    }
    case "per-vu-iterations":
      return [
        step(0, tuple.scale(config.vus)),
        step(config.maxDuration + config.gracefulStop, 0),
      ];
    case "constant-vus":
      return [
        step(0, tuple.scale(config.vus)),
        step((config.duration ?? 0) + config.gracefulStop, 0),
      ];
    case "ramping-vus": {
      let steps = rampingVUsRawSteps(config, tuple, false);
      const end = sumStageDurations(config.stages) + config.gracefulStop;
      if (config.gracefulRampDown > 0) {
        steps = reserveForGracefulRampDowns(config, steps, end);
      }
      if (steps[steps.length - 1].plannedVUs !== 0) steps.push(step(end, 0));
      return steps;
    }
    case "constant-arrival-rate":
    case "ramping-arrival-rate": {
      const preAllocated = tuple.scale(config.preAllocatedVUs ?? 0);
      const max = tuple.scale(config.maxVUs ?? 0);
      const regular = config.executor === "constant-arrival-rate"
        ? config.duration ?? 0
        : sumStageDurations(config.stages);
      return [
        step(0, preAllocated, max - preAllocated),
        step(regular + config.gracefulStop, 0),
      ];
    }
  }
}

/**
 * Whether a scenario has anything to do in this segment (k6 skips those
 * that do not).
 *
 * @param config The scenario.
 * @param tuple The execution segment.
 * @returns `true` when it has work.
 */
export function hasWork(
  config: ScenarioConfig,
  tuple: ExecutionShare,
): boolean {
  switch (config.executor) {
    case "shared-iterations":
      return tuple.scale(config.vus) > 0 &&
        sharedIterationsCount(config, tuple) > 0;
    case "per-vu-iterations":
      return tuple.scale(config.vus) > 0 && config.iterations > 0;
    case "constant-vus":
      return tuple.scale(config.vus) > 0;
    case "ramping-vus":
      return getMaxPlannedVUs(getExecutionRequirements(config, tuple)) > 0;
    default:
      return tuple.scale(config.maxVUs ?? 0) > 0;
  }
}

/**
 * Scenarios in k6's order: by start time, then by name.
 *
 * @param scenarios The scenarios.
 * @returns A sorted array.
 */
export function sortScenarios(scenarios: ScenarioConfigs): ScenarioConfig[] {
  return Object.values(scenarios).sort((a, b) =>
    a.startTime - b.startTime ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  );
}

/**
 * The VU needs of the whole test: every scenario's steps shifted by its
 * start time and summed (k6's `GetFullExecutionRequirements`).
 *
 * @param scenarios The scenarios.
 * @param tuple The execution segment.
 * @returns The combined steps.
 *
 * @example Two scenarios one after the other share their VUs
 * ```ts
 * import {
 *   getFullExecutionRequirements,
 *   getMaxPlannedVUs,
 * } from "./execution_plan.ts";
 * import { ExecutionTuple } from "./execution_segment.ts";
 * import { parseScenarios } from "./scenario.ts";
 * import assert from "node:assert/strict";
 *
 * const scenarios = parseScenarios({
 *   a: { executor: "constant-vus", vus: 10, duration: "10s", gracefulStop: 0 },
 *   b: { executor: "constant-vus", vus: 5, duration: "10s", startTime: "10s" },
 * })!;
 * const plan = getFullExecutionRequirements(scenarios, ExecutionTuple.create());
 * assert.equal(getMaxPlannedVUs(plan), 10);
 * ```
 */
export function getFullExecutionRequirements(
  scenarios: ScenarioConfigs,
  tuple: ExecutionShare,
): ExecutionStep[] {
  const sorted = sortScenarios(scenarios);
  const tracked = sorted.flatMap((config, configId) =>
    getExecutionRequirements(config, tuple).map((s) => ({
      ...s,
      timeOffset: s.timeOffset + config.startTime,
      configId,
    }))
  );
  // Array.prototype.sort is stable: steps of one scenario keep their order.
  tracked.sort((a, b) =>
    a.timeOffset - b.timeOffset || a.configId - b.configId
  );
  const planned = sorted.map(() => 0);
  const unplanned = sorted.map(() => 0);
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const result: ExecutionStep[] = [];
  for (const s of tracked) {
    planned[s.configId] = s.plannedVUs;
    unplanned[s.configId] = s.maxUnplannedVUs;
    const last = result[result.length - 1];
    const plannedVUs = sum(planned);
    const maxUnplannedVUs = sum(unplanned);
    if (
      !last || last.plannedVUs !== plannedVUs ||
      last.maxUnplannedVUs !== maxUnplannedVUs
    ) {
      result.push(step(s.timeOffset, plannedVUs, maxUnplannedVUs));
    }
  }
  return result;
}

/**
 * The most VUs needed at once: the VUs initialised before the test.
 *
 * @param steps The plan.
 * @returns The maximum of `plannedVUs`.
 */
export function getMaxPlannedVUs(steps: readonly ExecutionStep[]): number {
  return steps.reduce((max, s) => Math.max(max, s.plannedVUs), 0);
}

/**
 * The most VUs the test can use, counting those initialised mid-test.
 *
 * @param steps The plan.
 * @returns The maximum of `plannedVUs + maxUnplannedVUs`.
 */
export function getMaxPossibleVUs(steps: readonly ExecutionStep[]): number {
  return steps.reduce(
    (max, s) => Math.max(max, s.plannedVUs + s.maxUnplannedVUs),
    0,
  );
}

/**
 * When the plan ends: the offset of its last step (the longest possible
 * duration, graceful stops included).
 *
 * @param steps The plan.
 * @returns Milliseconds (0 for an empty plan).
 */
export function getEndOffset(steps: readonly ExecutionStep[]): number {
  return steps.length === 0 ? 0 : steps[steps.length - 1].timeOffset;
}
