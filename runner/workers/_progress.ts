/**
 * One progress of a run from its workers' progress: counts add up, times
 * are the longest, a scenario is as far as its slowest part.
 *
 * @module
 */
import type {
  RunProgress,
  ScenarioProgress,
  ScenarioStatus,
} from "../execution/types.ts";

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

function optionalSum(values: readonly (number | undefined)[]) {
  return values.every((value) => value === undefined)
    ? undefined
    : sum(values.map((value) => value ?? 0));
}

// A scenario runs while any part runs; it is done only when all are.
function mergedStatus(statuses: readonly ScenarioStatus[]): ScenarioStatus {
  if (statuses.every((status) => status === statuses[0])) return statuses[0];
  for (const status of ["running", "stopping", "waiting"] as const) {
    if (statuses.includes(status)) {
      return status === "waiting" ? "running" : status;
    }
  }
  return "interrupted";
}

function mergeScenario(parts: readonly ScenarioProgress[]): ScenarioProgress {
  const [first] = parts;
  const iterationsDone = optionalSum(parts.map((p) => p.iterationsDone));
  const iterationsTotal = optionalSum(parts.map((p) => p.iterationsTotal));
  return {
    name: first.name,
    executor: first.executor,
    status: mergedStatus(parts.map((p) => p.status)),
    progress: iterationsTotal
      ? Math.min(1, (iterationsDone ?? 0) / iterationsTotal)
      : Math.max(...parts.map((p) => p.progress)),
    activeVUs: sum(parts.map((p) => p.activeVUs)),
    maxVUs: sum(parts.map((p) => p.maxVUs)),
    elapsedMs: Math.max(...parts.map((p) => p.elapsedMs)),
    durationMs: first.durationMs,
    startTimeMs: first.startTimeMs,
    iterationsDone,
    iterationsTotal,
    iterationsPerVU: first.iterationsPerVU,
    rate: optionalSum(parts.map((p) => p.rate)),
    completedIterations: sum(parts.map((p) => p.completedIterations)),
    interruptedIterations: sum(parts.map((p) => p.interruptedIterations)),
  };
}

/**
 * Merges the workers' progress.
 *
 * @param parts Each worker's latest progress.
 * @param order The scenario names in start order (a worker without work in
 * a scenario does not list it).
 * @returns The run's progress.
 */
export function mergeProgress(
  parts: readonly RunProgress[],
  order: readonly string[],
): RunProgress {
  const scenarios: ScenarioProgress[] = [];
  for (const name of order) {
    const found = parts.flatMap((part) =>
      part.scenarios.filter((scenario) => scenario.name === name)
    );
    if (found.length > 0) scenarios.push(mergeScenario(found));
  }
  return {
    elapsedMs: Math.max(0, ...parts.map((p) => p.elapsedMs)),
    maxDurationMs: Math.max(0, ...parts.map((p) => p.maxDurationMs)),
    activeVUs: sum(parts.map((p) => p.activeVUs)),
    initializedVUs: sum(parts.map((p) => p.initializedVUs)),
    maxVUs: sum(parts.map((p) => p.maxVUs)),
    completedIterations: sum(parts.map((p) => p.completedIterations)),
    interruptedIterations: sum(parts.map((p) => p.interruptedIterations)),
    scenarios,
  };
}
