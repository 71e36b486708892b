/**
 * The scheduler runs all scenarios of a test (k6's execution scheduler):
 * it initialises the VUs the plan needs, starts every scenario at its
 * `startTime` (in parallel), lends VUs to scenarios from one shared buffer,
 * samples `vus` and `vus_max`, and reports live progress. `setup()` and
 * `teardown()` are the runner's: call them around {@link Scheduler.run}.
 *
 * @module
 */
import { VUS, VUS_MAX } from "../../metrics/builtin.ts";
import { now } from "../../metrics/sample.ts";
import { DEFAULT_SYSTEM_TAGS, NO_TAGS, type Tags } from "../../metrics/tags.ts";
import {
  type ExecutionStep,
  getEndOffset,
  getFullExecutionRequirements,
  getMaxPlannedVUs,
  getMaxPossibleVUs,
  hasWork,
  sortScenarios,
} from "../options/execution_plan.ts";
import { ExecutionTuple } from "../options/execution_segment.ts";
import type { ScenarioConfig } from "../options/scenario.ts";
import {
  ConstantArrivalRateExecutor,
  RampingArrivalRateExecutor,
} from "./_arrival_rate.ts";
import { ConstantVUsExecutor } from "./_constant_vus.ts";
import type { Executor, ExecutorContext } from "./_executor.ts";
import { PerVUIterationsExecutor } from "./_per_vu_iterations.ts";
import { RampingVUsExecutor } from "./_ramping_vus.ts";
import { SharedIterationsExecutor } from "./_shared_iterations.ts";
import { ExecutionState } from "./_state.ts";
import { ChildController, delay } from "./timing.ts";
import type {
  ExecutionHooks,
  RunProgress,
  RunResult,
  SchedulerOptions,
} from "./types.ts";

const INIT_CONCURRENCY = 16;
const VUS_SAMPLE_INTERVAL_MS = 1_000;

function createExecutor<V>(
  config: ScenarioConfig,
  context: ExecutorContext<V>,
): Executor<V> {
  switch (config.executor) {
    case "shared-iterations":
      return new SharedIterationsExecutor(config, context);
    case "per-vu-iterations":
      return new PerVUIterationsExecutor(config, context);
    case "constant-vus":
      return new ConstantVUsExecutor(config, context);
    case "ramping-vus":
      return new RampingVUsExecutor(config, context);
    case "constant-arrival-rate":
      return new ConstantArrivalRateExecutor(config, context);
    case "ramping-arrival-rate":
      return new RampingArrivalRateExecutor(config, context);
  }
}

/**
 * Runs the scenarios of a test.
 *
 * @example Run 4 iterations shared among 2 VUs
 * ```ts
 * import { Scheduler } from "./scheduler.ts";
 * import { consolidateOptions } from "../options/consolidate.ts";
 * import assert from "node:assert/strict";
 *
 * const options = consolidateOptions({ cli: { vus: "2", iterations: "4" } });
 * const calls: string[] = [];
 * const scheduler = new Scheduler(options, {
 *   initVU: (id) => Promise.resolve(id.idInInstance),
 *   runIteration: (vu, info) => {
 *     calls.push(`VU ${vu} iteration ${info.scenario.iterationInTest}`);
 *     return Promise.resolve("completed");
 *   },
 * });
 * const result = await scheduler.run();
 * assert.equal(result.completedIterations, 4);
 * assert.equal(calls.length, 4);
 * ```
 */
export class Scheduler<V> {
  /** The run's VU needs over time (start times included). */
  readonly plan: readonly ExecutionStep[];
  /** VUs initialised before the test. */
  readonly maxPlannedVUs: number;
  /** The most VUs the run may initialise. */
  readonly maxPossibleVUs: number;
  /** The longest the run can take, graceful stops included, ms. */
  readonly maxDurationMs: number;
  readonly #hooks: ExecutionHooks<V>;
  readonly #state: ExecutionState<V>;
  readonly #executors: readonly Executor<V>[];
  readonly #runTags: Tags;
  #initialized: Promise<void> | undefined;
  #running = false;
  #started: number | undefined;
  #ended: number | undefined;

  /**
   * Prepares the run: computes the plan and creates one executor per
   * scenario that has work in this execution segment.
   *
   * @param options The scenarios (validated), segment, run tags and system
   * tags; consolidated options fit as they are.
   * @param hooks The runner's callbacks.
   */
  constructor(options: SchedulerOptions, hooks: ExecutionHooks<V>) {
    const tuple = options.executionTuple ?? ExecutionTuple.create();
    this.plan = Object.freeze(
      getFullExecutionRequirements(options.scenarios, tuple),
    );
    this.maxPlannedVUs = getMaxPlannedVUs(this.plan);
    this.maxPossibleVUs = getMaxPossibleVUs(this.plan);
    this.maxDurationMs = getEndOffset(this.plan);
    this.#hooks = hooks;
    this.#runTags = options.tags ?? NO_TAGS;
    this.#state = new ExecutionState(
      hooks,
      tuple,
      this.maxPlannedVUs,
      this.maxPossibleVUs,
    );
    const context: ExecutorContext<V> = {
      state: this.#state,
      tuple,
      runTags: this.#runTags,
      systemTags: options.systemTags ?? DEFAULT_SYSTEM_TAGS,
    };
    this.#executors = Object.freeze(
      sortScenarios(options.scenarios)
        .filter((config) => hasWork(config, tuple))
        .map((config) => createExecutor(config, context)),
    );
  }

  /**
   * Initialises the VUs the plan needs at once (k6's pre-allocation),
   * several at a time; idempotent.
   *
   * @param signal Aborts the initialisation (passed to `initVU`).
   * @returns When all are ready.
   * @throws The first error of `initVU`; the remaining initialisations
   * are abandoned (their signal aborts).
   */
  init(signal?: AbortSignal): Promise<void> {
    this.#initialized ??= this.#initVUs(signal);
    return this.#initialized;
  }

  async #initVUs(signal?: AbortSignal): Promise<void> {
    const controller = new ChildController(
      signal ?? new AbortController().signal,
    );
    let remaining = this.maxPlannedVUs;
    let failure: { error: unknown } | undefined;
    const worker = async () => {
      while (remaining > 0 && !failure && !controller.signal.aborted) {
        remaining--;
        try {
          const vu = await this.#state.initializeVU(controller.signal);
          this.#state.returnVU(vu, false);
        } catch (error) {
          failure ??= { error };
          controller.abort();
        }
      }
    };
    try {
      await Promise.all(
        Array.from(
          { length: Math.min(INIT_CONCURRENCY, this.maxPlannedVUs) },
          worker,
        ),
      );
    } finally {
      controller.detach();
    }
    if (failure) throw failure.error;
    if (controller.signal.aborted) {
      throw signal?.reason ?? new Error("VU initialization aborted");
    }
  }

  #emitVUs(): void {
    const sink = this.#hooks.sink;
    if (!sink) return;
    const time = now();
    sink({
      metric: VUS,
      time,
      value: this.#state.activeVUs,
      tags: this.#runTags,
    });
    sink({
      metric: VUS_MAX,
      time,
      value: this.#state.initializedVUs,
      tags: this.#runTags,
    });
  }

  /**
   * Runs every scenario to its end (initialising VUs first if
   * {@link Scheduler.init} was not called). Aborting `signal` interrupts
   * everything at once: running iterations get their signal aborted,
   * scenarios still waiting for their start time never start.
   *
   * @param signal Aborts the test.
   * @returns The iteration counts and whether the run was aborted.
   * @throws {Error} When called a second time (a scheduler runs once), or
   * with the error of `initVU` during initialisation, or of a scenario
   * that could not get its VUs (the other scenarios are interrupted).
   */
  async run(signal?: AbortSignal): Promise<RunResult> {
    if (this.#running) throw new Error("a Scheduler can run only once");
    this.#running = true;
    await this.init(signal);
    const run = new ChildController(signal ?? new AbortController().signal);
    this.#started = performance.now();
    // Like k6, only on the 1 s ticker: a sample at the start (0 active) or the
    // end (VUs already returned) would put a false 0 into the vus min/value.
    const ticker = setInterval(() => this.#emitVUs(), VUS_SAMPLE_INTERVAL_MS);
    let firstError: { error: unknown } | undefined;
    try {
      await Promise.all(this.#executors.map(async (executor) => {
        if (!await delay(executor.config.startTime, run.signal)) return;
        try {
          await executor.run(run.signal);
        } catch (error) {
          firstError ??= { error };
          run.abort();
        }
      }));
    } finally {
      clearInterval(ticker);
      run.detach();
      this.#ended = performance.now();
    }
    if (firstError) throw firstError.error;
    return {
      completedIterations: this.#state.completedIterations,
      interruptedIterations: this.#state.interruptedIterations,
      aborted: signal?.aborted ?? false,
      durationMs: this.#ended - this.#started,
    };
  }

  /**
   * The live progress of the run and of every scenario.
   *
   * @returns A plain object.
   */
  /**
   * The instance's counters alone (what `k6/execution`'s `instance` reads),
   * without the per-scenario progress.
   *
   * @returns Completed and interrupted iterations, active and initialised VUs.
   */
  counters(): {
    completedIterations: number;
    interruptedIterations: number;
    activeVUs: number;
    initializedVUs: number;
  } {
    const state = this.#state;
    return {
      completedIterations: state.completedIterations,
      interruptedIterations: state.interruptedIterations,
      activeVUs: state.activeVUs,
      initializedVUs: state.initializedVUs,
    };
  }

  progress(): RunProgress {
    const start = this.#started;
    const elapsedMs = start === undefined
      ? 0
      : (this.#ended ?? performance.now()) - start;
    return {
      elapsedMs,
      maxDurationMs: this.maxDurationMs,
      activeVUs: this.#state.activeVUs,
      initializedVUs: this.#state.initializedVUs,
      maxVUs: this.maxPossibleVUs,
      completedIterations: this.#state.completedIterations,
      interruptedIterations: this.#state.interruptedIterations,
      scenarios: this.#executors.map((executor) => executor.progress()),
    };
  }
}
