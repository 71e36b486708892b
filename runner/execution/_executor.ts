/**
 * What every executor shares: running an iteration with its numbers,
 * counting outcomes, the `dropped_iterations` samples, and the status and
 * progress of the scenario.
 *
 * @module
 */
import { DROPPED_ITERATIONS } from "../../metrics/builtin.ts";
import { now } from "../../metrics/sample.ts";
import type { Tags } from "../../metrics/tags.ts";
import type { ExecutionShare } from "../options/execution_segment.ts";
import { SegmentedIndex } from "../options/execution_segment.ts";
import { iterationTuple } from "../options/execution_plan.ts";
import { type ScenarioConfig, scenarioExec } from "../options/scenario.ts";
import type { ExecutionState, VURecord } from "./_state.ts";
import { DurationControl, yieldSometimes } from "./timing.ts";
import type {
  IterationInfo,
  ScenarioProgress,
  ScenarioStatus,
} from "./types.ts";

/** An executor's live numbers, besides its status and time. */
export interface ProgressDetails {
  /** Fraction done, 0 to 1. */
  readonly progress: number;
  /** See {@link ScenarioProgress.activeVUs}. */
  readonly activeVUs: number;
  /** See {@link ScenarioProgress.maxVUs}. */
  readonly maxVUs: number;
  /** Shared and per-VU iterations: iterations done. */
  readonly iterationsDone?: number;
  /** Shared and per-VU iterations: all iterations. */
  readonly iterationsTotal?: number;
  /** Per-VU iterations: iterations per VU. */
  readonly iterationsPerVU?: number;
  /** Arrival rates: current iterations per second. */
  readonly rate?: number;
}

/** Settings the scheduler gives every executor. */
export interface ExecutorContext<V> {
  /** The run's state. */
  readonly state: ExecutionState<V>;
  /** The execution segment. */
  readonly tuple: ExecutionShare;
  /** Run-wide tags. */
  readonly runTags: Tags;
  /** Enabled system tags. */
  readonly systemTags: ReadonlySet<string>;
}

/** The base of the six executors. */
export abstract class Executor<V, C extends ScenarioConfig = ScenarioConfig> {
  /** The scenario. */
  readonly config: C;
  /** The run's state. */
  protected readonly state: ExecutionState<V>;
  /** The execution segment. */
  protected readonly tuple: ExecutionShare;
  readonly #context: ExecutorContext<V>;
  readonly #iterationIndex: SegmentedIndex;
  // The same iterations' numbers in the instance (a worker's share is a part).
  readonly #instanceIndex: SegmentedIndex;
  #status: ScenarioStatus = "waiting";
  #control: DurationControl | undefined;
  #runSignal: AbortSignal | undefined;
  #startedAt = 0;
  #endedElapsed: number | undefined;
  #completed = 0;
  #interrupted = 0;

  /**
   * Creates the executor.
   *
   * @param config The scenario.
   * @param context The run's settings.
   */
  constructor(config: C, context: ExecutorContext<V>) {
    this.config = config;
    this.state = context.state;
    this.tuple = context.tuple;
    this.#context = context;
    const iterations = iterationTuple(config, context.tuple) ?? context.tuple;
    this.#iterationIndex = new SegmentedIndex(iterations);
    this.#instanceIndex = new SegmentedIndex(iterations.instanceOffsets());
  }

  /** The regular duration (without graceful stop), ms. */
  abstract get durationMs(): number;

  /** The live numbers. */
  protected abstract details(): ProgressDetails;

  /**
   * Runs the scenario's work.
   *
   * @param parent The run's signal.
   * @returns When every VU is back in the buffer.
   */
  protected abstract execute(parent: AbortSignal): Promise<void>;

  /**
   * Starts the regular and graceful-stop deadlines (k6's
   * `getDurationContexts`) and tracks the status with them.
   *
   * @param parent The run's signal.
   * @param regularMs The regular duration.
   * @param gracefulStopMs The graceful stop.
   * @returns The deadlines.
   */
  protected startControl(
    parent: AbortSignal,
    regularMs: number,
    gracefulStopMs: number,
  ): DurationControl {
    const control = new DurationControl(parent, regularMs, gracefulStopMs);
    this.#control = control;
    this.#runSignal = parent;
    this.#startedAt = now();
    control.regular.signal.addEventListener("abort", () => {
      if (!parent.aborted && gracefulStopMs > 0 && this.#status === "running") {
        this.#status = "stopping";
      }
    }, { once: true });
    return control;
  }

  /**
   * Runs the scenario to its end.
   *
   * @param parent The run's signal.
   * @returns When the scenario is over.
   */
  async run(parent: AbortSignal): Promise<void> {
    this.#status = "running";
    try {
      await this.execute(parent);
    } finally {
      this.#endedElapsed = this.#control?.elapsed;
      this.#control?.dispose();
      const finished = !parent.aborted && this.details().progress >= 1;
      this.#status = finished ? "done" : "interrupted";
    }
  }

  /** Time since the scenario started, ms (frozen when it ends). */
  protected get elapsed(): number {
    return this.#endedElapsed ?? this.#control?.elapsed ?? 0;
  }

  // One function for every iteration's `exec.scenario.progress`.
  readonly #progress = (): number => Math.min(1, this.details().progress);

  /**
   * Runs one iteration on a VU and counts how it ended.
   *
   * @param vu The VU.
   * @param signal Aborted to interrupt the iteration.
   * @returns `true` for a full (not interrupted) iteration.
   */
  protected async iterate(
    vu: VURecord<V>,
    signal: AbortSignal,
  ): Promise<boolean> {
    const [, unscaled] = this.#iterationIndex.next();
    const [, inInstance] = this.#instanceIndex.next();
    const name = this.config.name;
    const inScenario = vu.scenarioIterations.get(name) ?? 0;
    vu.scenarioIterations.set(name, inScenario + 1);
    const info: IterationInfo = {
      vu: {
        idInInstance: vu.idInInstance,
        idInTest: vu.idInTest,
        iterationInInstance: vu.iterations++,
        iterationInScenario: inScenario,
      },
      scenario: {
        name,
        executor: this.config.executor,
        startTime: this.#startedAt,
        iterationInInstance: inInstance - 1,
        iterationInTest: unscaled - 1,
        exec: scenarioExec(this.config),
        env: this.config.env,
        tags: this.config.tags,
        progress: this.#progress,
      },
    };
    let outcome;
    try {
      outcome = await this.state.hooks.runIteration(vu.handle, info, signal);
    } catch (error) {
      this.state.logger.error(
        `Uncaught error in iteration of scenario ${name}: ${
          error instanceof Error ? error.stack ?? error.message : String(error)
        }`,
      );
      outcome = "failed";
    }
    const full = !signal.aborted && outcome !== "interrupted";
    if (full) {
      this.#completed++;
      this.state.completedIterations++;
    } else {
      this.#interrupted++;
      this.state.interruptedIterations++;
    }
    await yieldSometimes();
    return full;
  }

  /**
   * Emits `dropped_iterations`.
   *
   * @param count How many iterations were dropped.
   * @param vuId The VU, for executors that tag it (per-VU iterations).
   */
  protected emitDropped(count: number, vuId?: number): void {
    // An aborted test (Ctrl+C, exec.test.abort(), abortOnFail) drops
    // nothing: k6 pushes these only while the run's context lives.
    if (this.#runSignal?.aborted) return;
    const { runTags, systemTags } = this.#context;
    const tags: Record<string, string> = { ...runTags };
    if (systemTags.has("scenario")) tags.scenario = this.config.name;
    if (vuId !== undefined && systemTags.has("vu")) tags.vu = String(vuId);
    this.state.hooks.sink?.({
      metric: DROPPED_ITERATIONS,
      time: now(),
      value: count,
      tags: Object.freeze(tags),
    });
  }

  /**
   * The scenario's live progress.
   *
   * @returns A plain object.
   */
  progress(): ScenarioProgress {
    const details = this.details();
    const elapsedMs = this.elapsed;
    return {
      ...details,
      name: this.config.name,
      executor: this.config.executor,
      status: this.#status,
      progress: Math.min(1, Math.max(0, details.progress)),
      elapsedMs,
      durationMs: this.durationMs,
      startTimeMs: this.config.startTime,
      completedIterations: this.#completed,
      interruptedIterations: this.#interrupted,
    };
  }
}
