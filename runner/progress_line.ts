/**
 * What k6's live progress shows, as text: the run status line
 * (`running (00m12.8s), 05/20 VUs, 200 complete and 0 interrupted
 * iterations`) and, per scenario, the progress fraction and the right-hand
 * parts of its bar (`10 VUs  13.5s/30s`), per executor.
 *
 * @module
 */
import { formatFixed } from "../internal/go_format.ts";
import { formatDuration } from "./options/duration.ts";
import { formatFixedDuration } from "./summary/fixed_duration.ts";

/** The counters of the run status line. */
export interface RunStatus {
  /** Whether the test has started (before that, no elapsed time is shown). */
  readonly started: boolean;
  /** Whether the run is paused; default `false`. */
  readonly paused?: boolean;
  /** Time since the test started, in milliseconds. */
  readonly elapsedMs: number;
  /** The planned maximum duration, which fixes the time field's width. */
  readonly maxDurationMs: number;
  /** VUs running an iteration now. */
  readonly activeVUs: number;
  /** VUs initialised so far. */
  readonly initializedVUs: number;
  /** The most VUs the plan can use, which fixes the VU fields' width. */
  readonly maxVUs: number;
  /** Iterations that completed. */
  readonly completeIterations: number;
  /** Iterations that were interrupted. */
  readonly interruptedIterations: number;
}

/**
 * Renders k6's run status line (the first line of the live progress).
 *
 * @param status The counters.
 * @returns e.g. `running (00m12.8s), 05/20 VUs, 200 complete and 0
 * interrupted iterations`.
 *
 * @example The status line of a 10m40s, 20-VU plan
 * ```ts
 * import { runStatusLine } from "./progress_line.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   runStatusLine({
 *     started: true, elapsedMs: 12_800, maxDurationMs: 640_000,
 *     activeVUs: 5, initializedVUs: 20, maxVUs: 20,
 *     completeIterations: 200, interruptedIterations: 0,
 *   }),
 *   "running (00m12.8s), 05/20 VUs, 200 complete and 0 interrupted iterations",
 * );
 * ```
 */
export function runStatusLine(status: RunStatus): string {
  let state = status.paused ? "paused" : "running";
  if (status.started) {
    state += ` (${
      formatFixedDuration(status.elapsedMs, status.maxDurationMs)
    })`;
  }
  const vus = (count: number) => padInteger(count, status.maxVUs);
  return `${state}, ${vus(status.activeVUs)}/${
    vus(status.initializedVUs)
  } VUs, ${status.completeIterations} complete and ${status.interruptedIterations} interrupted iterations`;
}

/** The live state of a scenario, by executor. */
export type ExecutorProgressState =
  | {
    /** A fixed number of looping VUs for a duration. */
    readonly executor: "constant-vus";
    readonly vus: number;
    readonly elapsedMs: number;
    readonly durationMs: number;
  }
  | {
    /** Looping VUs following stages. */
    readonly executor: "ramping-vus";
    readonly activeVUs: number;
    readonly maxVUs: number;
    readonly elapsedMs: number;
    /** The sum of the stage durations. */
    readonly durationMs: number;
  }
  | {
    /** A number of iterations shared by the VUs. */
    readonly executor: "shared-iterations";
    readonly vus: number;
    readonly iterations: number;
    readonly doneIterations: number;
    readonly elapsedMs: number;
    readonly maxDurationMs: number;
  }
  | {
    /** A number of iterations for each VU. */
    readonly executor: "per-vu-iterations";
    readonly vus: number;
    readonly iterationsPerVU: number;
    readonly doneIterations: number;
    readonly elapsedMs: number;
    readonly maxDurationMs: number;
  }
  | {
    /** Iterations started at a fixed rate. */
    readonly executor: "constant-arrival-rate";
    /** VUs running an iteration now. */
    readonly runningVUs: number;
    /** VUs activated so far. */
    readonly activeVUs: number;
    readonly maxVUs: number;
    /** The (segment-scaled) iterations per second. */
    readonly ratePerSecond: number;
    readonly elapsedMs: number;
    readonly durationMs: number;
  }
  | {
    /** Iterations started at a rate following stages. */
    readonly executor: "ramping-arrival-rate";
    readonly runningVUs: number;
    readonly activeVUs: number;
    readonly maxVUs: number;
    /** The current iterations per second. */
    readonly ratePerSecond: number;
    /** The highest rate of the stages, which fixes the field's width. */
    readonly maxRatePerSecond: number;
    readonly elapsedMs: number;
    /** The sum of the stage durations. */
    readonly durationMs: number;
  };

/** A bar's fill and right-hand parts. */
export interface BarProgress {
  /** The fraction done, 0 to 1. */
  readonly progress: number;
  /** The right-hand parts, printed two spaces apart. */
  readonly right: string[];
}

/**
 * Computes a scenario bar's fill and right-hand parts as k6's executors do.
 *
 * @param state The scenario's live state.
 * @returns The fraction done and the right-hand parts, e.g. `["10 VUs",
 * "13.5s/30s"]` for constant-vus.
 * @throws {TypeError} When the executor is unknown.
 *
 * @example A constant-vus scenario 13.5s into 30s
 * ```ts
 * import { executorProgress } from "./progress_line.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(
 *   executorProgress({ executor: "constant-vus", vus: 10, elapsedMs: 13_500, durationMs: 30_000 }),
 *   { progress: 0.45, right: ["10 VUs", "13.5s/30s"] },
 * );
 * ```
 */
export function executorProgress(state: ExecutorProgressState): BarProgress {
  switch (state.executor) {
    case "constant-vus": {
      const time = elapsedOf(state.elapsedMs, state.durationMs);
      return {
        progress: time.over ? 1 : state.elapsedMs / state.durationMs,
        right: [`${state.vus} VUs`, time.text],
      };
    }
    case "ramping-vus": {
      const vus = `${padInteger(state.activeVUs, state.maxVUs)}/${
        padInteger(state.maxVUs, state.maxVUs)
      } VUs`;
      const time = elapsedOf(state.elapsedMs, state.durationMs);
      // Unlike the others, k6 prints the total here in the fixed format too.
      const text = time.over
        ? time.text
        : `${formatFixedDuration(state.elapsedMs, state.durationMs)}/${
          formatFixedDuration(state.durationMs, state.durationMs)
        }`;
      return {
        progress: time.over ? 1 : state.elapsedMs / state.durationMs,
        right: [vus, text],
      };
    }
    case "shared-iterations": {
      // k6 shows the elapsed time here even past maxDuration.
      const time = `${
        formatFixedDuration(state.elapsedMs, state.maxDurationMs)
      }/${formatDuration(state.maxDurationMs)}`;
      return {
        progress: state.doneIterations / state.iterations,
        right: [
          `${padInteger(state.vus, state.vus)} VUs`,
          time,
          `${padInteger(state.doneIterations, state.iterations)}/${
            padInteger(state.iterations, state.iterations)
          } shared iters`,
        ],
      };
    }
    case "per-vu-iterations": {
      const total = state.vus * state.iterationsPerVU;
      const time = elapsedOf(state.elapsedMs, state.maxDurationMs);
      return {
        progress: time.over ? 1 : state.doneIterations / total,
        right: [
          `${padInteger(state.vus, state.vus)} VUs`,
          time.text,
          `${padInteger(state.doneIterations, total)}/${
            padInteger(total, total)
          } iters, ${state.iterationsPerVU} per VU`,
        ],
      };
    }
    case "constant-arrival-rate":
    case "ramping-arrival-rate": {
      const maxRate = state.executor === "constant-arrival-rate"
        ? state.ratePerSecond
        : state.maxRatePerSecond;
      const time = elapsedOf(state.elapsedMs, state.durationMs);
      return {
        progress: time.over
          ? 1
          : Math.min(1, state.elapsedMs / state.durationMs),
        right: [
          `${padInteger(state.runningVUs, state.maxVUs)}/${
            padInteger(state.activeVUs, state.maxVUs)
          } VUs`,
          time.text,
          `${padFloat(state.ratePerSecond, maxRate, 2)} iters/s`,
        ],
      };
    }
    default:
      throw new TypeError(
        `Unknown executor '${
          (state as { executor: unknown }).executor
        }'; expected constant-vus, ramping-vus, shared-iterations, per-vu-iterations, constant-arrival-rate or ramping-arrival-rate`,
      );
  }
}

/**
 * The bar of a scenario waiting for its `startTime`: `waiting` and the
 * remaining time.
 *
 * @param remainingMs Time left until the scenario starts.
 * @param startTimeMs The scenario's `startTime`, which fixes the width.
 * @returns No progress, and the right-hand parts.
 *
 * @example Five seconds left of a 10s start time
 * ```ts
 * import { waitingProgress } from "./progress_line.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(waitingProgress(5_000, 10_000), { progress: 0, right: ["waiting", "05.0s"] });
 * ```
 */
export function waitingProgress(
  remainingMs: number,
  startTimeMs: number,
): BarProgress {
  return {
    progress: 0,
    right: ["waiting", formatFixedDuration(remainingMs, startTimeMs)],
  };
}

/**
 * The time part of a bar: `elapsed/duration` while running, just the
 * duration once past it.
 */
function elapsedOf(
  elapsedMs: number,
  durationMs: number,
): { over: boolean; text: string } {
  const over = elapsedMs > durationMs;
  const total = formatDuration(durationMs);
  return {
    over,
    text: over
      ? total
      : `${formatFixedDuration(elapsedMs, durationMs)}/${total}`,
  };
}

/** An integer zero-padded to the digit count of `max` (Go's `%0Nd`). */
function padInteger(value: number, max: number): string {
  let width = max < 0 ? 2 : 1;
  for (
    let rest = Math.trunc(max / 10);
    rest !== 0;
    rest = Math.trunc(rest / 10)
  ) {
    width++;
  }
  return goZeroPad(String(Math.trunc(value)), width);
}

/** A float with `precision` decimals, zero-padded for values up to `max`. */
function padFloat(value: number, max: number, precision: number): string {
  let width = 1;
  if (max < 0) {
    max = -max;
    width++;
  }
  if (max >= 10) width += Math.trunc(Math.log10(max));
  if (precision > 0) width += precision + 1;
  return goZeroPad(formatFixed(value, precision), width);
}

// Go pads with zeros after the sign.
function goZeroPad(text: string, width: number): string {
  return text.startsWith("-")
    ? `-${text.slice(1).padStart(width - 1, "0")}`
    : text.padStart(width, "0");
}
