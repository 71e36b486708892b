/**
 * The scenarios of a run, on every worker at once, as the coordinator
 * watches them: thresholds every 2 s on the merged metrics (`abortOnFail`
 * stops every worker), the progress view, and `vus`/`vus_max` once a
 * second from the workers' counters.
 *
 * @module
 */
import { VUS, VUS_MAX } from "../metrics/builtin.ts";
import { now, type SampleSink } from "../metrics/sample.ts";
import { ExitCode } from "./exit_codes.ts";
import { hasWork, sortScenarios } from "./options/mod.ts";
import { ProgressView } from "./progress.ts";
import type { RunOutputs } from "./run_end.ts";
import type { WorkerHandle, WorkerPool } from "./workers/coordinator.ts";

const THRESHOLD_INTERVAL_MS = 2000;
const VUS_INTERVAL_MS = 1000;

/** What running the scenarios needs besides {@link RunOutputs}. */
export interface ScenarioRun extends RunOutputs {
  /** The workers. */
  readonly pool: WorkerPool;
  /** The workers that run VUs. */
  readonly workers: readonly WorkerHandle[];
  /** `setup()`'s data as JSON. */
  readonly setupJSON: string | undefined;
  /** Takes the samples the coordinator makes (`vus`, `vus_max`). */
  readonly ingest: SampleSink;
  /** Hears the test's start time, ms since the epoch. */
  readonly started: (time: number) => void;
}

/**
 * Starts every worker's scenarios together and waits for all of them.
 *
 * @param run The run.
 * @returns How long the scenarios took, ms.
 */
export async function runScenarios(run: ScenarioRun): Promise<number> {
  const { config, io, log, status, options, engine, pool } = run;
  let startedAt = 0;
  const elapsed = () => now() - startedAt;
  const thresholdTimer = engine.hasThresholds && !options.noThresholds
    ? setInterval(() => {
      const evaluation = engine.evaluate(elapsed());
      if (evaluation.abort && !status.signal.aborted) {
        if (evaluation.message) log.log("error", evaluation.message);
        status.abort(ExitCode.thresholdsFailed, "thresholds crossed");
      }
    }, THRESHOLD_INTERVAL_MS)
    : undefined;
  const order = sortScenarios(options.scenarios)
    .filter((scenario) => hasWork(scenario, options.executionTuple))
    .map((scenario) => scenario.name);
  const progress = config.quiet ? undefined : new ProgressView({
    write: io.stdout,
    tty: io.stdoutTTY,
    colors: config.colors && io.stdoutTTY,
    columns: io.columns,
    read: () => pool.progress(order),
    scenarios: options.scenarios,
  });
  // Like k6, on a 1 s ticker only (a sample at the start or the end would
  // put a false 0 into the vus min/value).
  const tags = Object.freeze({ ...(options.tags ?? {}) });
  const vusTimer = setInterval(() => {
    const counters = pool.counters();
    const time = now();
    run.ingest({ metric: VUS, time, value: counters.activeVUs, tags });
    run.ingest({ metric: VUS_MAX, time, value: counters.initializedVUs, tags });
  }, VUS_INTERVAL_MS);
  startedAt = now();
  run.started(startedAt);
  progress?.start();
  let completed = 0;
  try {
    const results = await Promise.all(
      run.workers.map((worker) =>
        worker.request(
          { type: "start", setupJSON: run.setupJSON, startTime: startedAt },
          "ran",
        ).catch(() => undefined) // it crashed: reported, the test stops
      ),
    );
    for (const result of results) {
      completed += result?.completedIterations ?? 0;
      if (result?.error !== undefined) {
        log.log("error", result.error);
        status.failWith(ExitCode.generic);
      }
    }
  } finally {
    clearInterval(thresholdTimer);
    clearInterval(vusTimer);
    progress?.stop();
  }
  if (completed === 0) {
    log.warn(
      "No script iterations fully finished, consider making the test duration longer",
    );
  }
  return elapsed();
}
