/**
 * The contract between the scheduler (which decides when each VU runs an
 * iteration of which scenario) and the rest of the runner (which creates
 * VUs and runs the script's functions).
 *
 * Who emits what:
 * - The scheduler emits `vus` and `vus_max` (at the start of
 *   {@link Scheduler.run}, every second, and at the end) and
 *   `dropped_iterations`, through {@link ExecutionHooks.sink}.
 * - The runner emits `iterations` and `iteration_duration` from
 *   {@link ExecutionHooks.runIteration}, as k6's VU does, because only it
 *   knows the VU's tags at the end of the iteration (scenario, group, tags
 *   the script set through `k6/execution`): one sample each when the
 *   exported function settled before `signal` aborted (outcome `completed`
 *   or `failed`), none for an interrupted iteration. The duration is the
 *   function's run time, without `minIterationDuration`'s wait, which the
 *   runner also applies (wait out the rest after a completed iteration;
 *   stop waiting when `signal` aborts).
 *
 * @module
 */
import type { Logger } from "../../context/context.ts";
import type { SampleSink } from "../../metrics/sample.ts";
import type { Tags } from "../../metrics/tags.ts";
import type { ExecutionShare } from "../options/execution_segment.ts";
import type { ExecutorType, ScenarioConfigs } from "../options/scenario.ts";

/** A VU's two numbers (k6's `exec.vu.idInInstance` / `idInTest`), from 1. */
export interface VUIdentity {
  /** Number within this instance (`__VU`). */
  readonly idInInstance: number;
  /** Number across all instances of a distributed test. */
  readonly idInTest: number;
}

/** The VU's side of an iteration (k6's `exec.vu`). */
export interface VUIterationInfo extends VUIdentity {
  /** Iterations this VU started before this one, in any scenario (`__ITER`). */
  readonly iterationInInstance: number;
  /** Iterations this VU started before this one in this scenario. */
  readonly iterationInScenario: number;
}

/** The scenario's side of an iteration (k6's `exec.scenario`, plus the scenario's settings). */
export interface ScenarioIterationInfo {
  /** The scenario name. */
  readonly name: string;
  /** The executor type. */
  readonly executor: ExecutorType;
  /** When the scenario started, ms since the epoch. */
  readonly startTime: number;
  /** Iterations this scenario started before this one in this instance. */
  readonly iterationInInstance: number;
  /** Iterations of this scenario started before this one across all instances (striped). */
  readonly iterationInTest: number;
  /** The exported function to call. */
  readonly exec: string;
  /** The scenario's `env` additions to `__ENV`. */
  readonly env: Readonly<Record<string, string>>;
  /** The scenario's `tags`, to add to the VU's tags. */
  readonly tags: Readonly<Record<string, string>>;
  /**
   * The scenario's progress, 0 to 1 (`exec.scenario.progress`).
   *
   * @returns The fraction done.
   */
  progress(): number;
}

/** Everything `k6/execution` and `__VU`/`__ITER` need about one iteration. */
export interface IterationInfo {
  /** The VU. */
  readonly vu: VUIterationInfo;
  /** The scenario. */
  readonly scenario: ScenarioIterationInfo;
}

/**
 * How an iteration ended:
 * - `completed`: the function settled normally;
 * - `failed`: it threw (logged by the runner); still a full iteration, as
 *   in k6;
 * - `interrupted`: it was cut short (its `signal` aborted, or the script
 *   aborted the test). An iteration whose `signal` aborted before it settled
 *   counts as interrupted whatever the outcome says.
 */
export type IterationOutcome = "completed" | "failed" | "interrupted";

/** What the scheduler needs from the runner; `V` is the runner's VU handle. */
export interface ExecutionHooks<V> {
  /**
   * Creates a VU (runs the script's init code). Called before the test for
   * every VU the plan needs at once (k6's pre-allocation), and during the
   * test for arrival-rate VUs beyond `preAllocatedVUs`.
   *
   * @param id The VU's numbers.
   * @param signal Aborted when the run is abandoned.
   * @returns The VU handle. A rejection before the test fails
   * {@link Scheduler.init}; during the test it is logged and the VU is
   * not added.
   */
  initVU(id: VUIdentity, signal: AbortSignal): Promise<V>;
  /**
   * Runs one iteration: calls the scenario's exported function on the VU
   * and waits for the work it started (sockets, timers). Must always
   * settle, and settle soon after `signal` aborts (graceful stop or
   * ramp-down expired, test aborted). See the module doc for the metrics it
   * emits.
   *
   * @param vu The VU.
   * @param info The iteration's numbers and scenario.
   * @param signal Aborted when the iteration must be interrupted.
   * @returns How it ended. A rejection counts as `failed` and is logged.
   */
  runIteration(
    vu: V,
    info: IterationInfo,
    signal: AbortSignal,
  ): Promise<IterationOutcome>;
  /** Receives `vus`, `vus_max` and `dropped_iterations` samples. */
  readonly sink?: SampleSink;
  /** Receives k6's warnings and errors (default: dropped). */
  readonly logger?: Pick<Logger, "warn" | "error">;
}

/** The options the scheduler reads; consolidated options fit. */
export interface SchedulerOptions {
  /** The (validated) scenarios. */
  readonly scenarios: ScenarioConfigs;
  /**
   * This instance's execution segment, or a worker's part of it (default:
   * the whole test).
   */
  readonly executionTuple?: ExecutionShare;
  /** Run-wide tags, on every sample the scheduler emits. */
  readonly tags?: Tags;
  /** Enabled system tags; decide the `scenario` and `vu` tags of `dropped_iterations`. */
  readonly systemTags?: ReadonlySet<string>;
}

/**
 * A scenario's state for the progress display:
 * `waiting` before its `startTime`, `running`, `stopping` during its
 * graceful stop, then `done`, or `interrupted` when the test was aborted or
 * its work was not finished.
 */
export type ScenarioStatus =
  | "waiting"
  | "running"
  | "stopping"
  | "done"
  | "interrupted";

/** One scenario's live progress (a plain, JSON-serialisable object). */
export interface ScenarioProgress {
  /** The scenario name. */
  readonly name: string;
  /** The executor type. */
  readonly executor: ExecutorType;
  /** Where it is in its life. */
  readonly status: ScenarioStatus;
  /** Fraction done, 0 to 1 (iterations for the iteration executors, time for the others). */
  readonly progress: number;
  /**
   * VUs in use: the fixed VU count (iteration executors, constant-vus), the
   * VUs currently looping (ramping-vus), or the VUs running an iteration
   * (arrival rates).
   */
  readonly activeVUs: number;
  /**
   * The scale for `activeVUs`: the fixed VU count, ramping-vus' most VUs,
   * or the arrival-rate VUs initialised so far.
   */
  readonly maxVUs: number;
  /** Time since the scenario started, ms (0 while waiting). */
  readonly elapsedMs: number;
  /** The scenario's regular duration, ms (`duration`, `maxDuration` or the stages' sum). */
  readonly durationMs: number;
  /** Its offset from the test start, ms. */
  readonly startTimeMs: number;
  /** Iterations started and finished (shared and per-VU iterations). */
  readonly iterationsDone?: number;
  /** All iterations to run (shared and per-VU iterations). */
  readonly iterationsTotal?: number;
  /** Iterations per VU (per-VU iterations). */
  readonly iterationsPerVU?: number;
  /** The current iteration start rate per second (arrival rates). */
  readonly rate?: number;
  /** Iterations of this scenario that completed. */
  readonly completedIterations: number;
  /** Iterations of this scenario that were interrupted. */
  readonly interruptedIterations: number;
}

/** The whole run's live progress. */
export interface RunProgress {
  /** Time since the run started, ms (0 before). */
  readonly elapsedMs: number;
  /** The plan's longest duration including graceful stops, ms. */
  readonly maxDurationMs: number;
  /** VUs currently active (`vus`). */
  readonly activeVUs: number;
  /** VUs initialised so far (`vus_max`). */
  readonly initializedVUs: number;
  /** The most VUs the run may initialise (pads the VU counts). */
  readonly maxVUs: number;
  /** Iterations completed across scenarios. */
  readonly completedIterations: number;
  /** Iterations interrupted across scenarios. */
  readonly interruptedIterations: number;
  /** Each scenario, in start order. */
  readonly scenarios: readonly ScenarioProgress[];
}

/** What {@link Scheduler.run} returns. */
export interface RunResult {
  /** Iterations completed. */
  readonly completedIterations: number;
  /** Iterations interrupted. */
  readonly interruptedIterations: number;
  /** Whether the run's signal aborted it. */
  readonly aborted: boolean;
  /** How long the run took, ms. */
  readonly durationMs: number;
}
