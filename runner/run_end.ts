/**
 * The outputs of a run, from their start (before any VU exists, so a bad
 * `--out` fails at once) to the end of the test (`end_of_test.ts`: the
 * final threshold evaluation, the summary or `handleSummary()`'s files,
 * the outputs' last writes, and the exit code).
 *
 * @module
 */
import type { EngineSnapshot } from "./engine/snapshot.ts";
import type { MetricsEngine } from "./engine/mod.ts";
import { ExitCode } from "./exit_codes.ts";
import type { FailureLog } from "./failures.ts";
import type { RunLog } from "./log.ts";
import type { ConsolidatedOptions } from "./options/mod.ts";
import { createOutputs, type Output } from "./output/mod.ts";
import type { RunConfig, RunIO } from "./run_config.ts";
import type { RunStatus } from "./run_status.ts";
import {
  endOfTest,
  type HandleSummaryOutcome,
  summaryDataFor,
} from "./end_of_test.ts";
import type { SummaryData } from "./summary/mod.ts";

/** What the outputs and the end of a run work with. */
export interface RunOutputs {
  /** What to run. */
  readonly config: RunConfig;
  /** The process around it. */
  readonly io: RunIO;
  /** The run log. */
  readonly log: RunLog;
  /** The exit code. */
  readonly status: RunStatus;
  /** The failures counted. */
  readonly failures: FailureLog;
  /** The consolidated options. */
  readonly options: ConsolidatedOptions;
  /** The merged metrics. */
  readonly engine: MetricsEngine;
}

/** What the end of a run needs besides {@link RunOutputs}. */
export interface RunEnd extends RunOutputs {
  /** The started outputs. */
  readonly outputs: readonly Output[];
  /** `setup()`'s data as JSON. */
  readonly setupJSON: string | undefined;
  /** Whether a `--console-output` write failed. */
  readonly consoleFailed: () => boolean;
  /** Calls `handleSummary()` in a worker, when the script exports it. */
  readonly handleSummary?: (data: SummaryData) => Promise<HandleSummaryOutcome>;
}

// The expressions per threshold key, as the NDJSON metric declarations list them.
function thresholdSources(
  thresholds: Readonly<Record<string, unknown>> | undefined,
): Record<string, string[]> {
  const sources: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(thresholds ?? {})) {
    const list = Array.isArray(value) ? value : [value];
    sources[key] = list.map((item) =>
      typeof item === "object" && item !== null
        ? String((item as { threshold?: unknown }).threshold)
        : String(item)
    );
  }
  return sources;
}

/**
 * k6's handleSummary data of a snapshot (at the end, or so far for the
 * dashboard).
 *
 * @param run The run.
 * @param snapshot The engine's snapshot.
 * @param setupData `setup()`'s data.
 * @returns The data.
 */
export function summaryDataOf(
  run: Pick<RunOutputs, "config" | "io" | "options">,
  snapshot: EngineSnapshot,
  setupData?: unknown,
): SummaryData {
  const { config, io, options } = run;
  return summaryDataFor(snapshot, {
    summaryTrendStats: options.summaryTrendStats,
    summaryTimeUnit: options.summaryTimeUnit,
    colors: config.colors,
    stdoutTTY: io.stdoutTTY,
    stderrTTY: io.stderrTTY,
  }, setupData);
}

/**
 * Opens every output of the run.
 *
 * @param run The run.
 * @param elapsedMs The test's run time so far (for the dashboard).
 * @returns The outputs, or the exit code of a failure (logged).
 */
export async function startOutputs(
  run: RunOutputs,
  elapsedMs: () => number,
): Promise<readonly Output[] | number> {
  const { config, io, log, failures, options, engine } = run;
  try {
    const created = createOutputs(options.out ?? [], config.report, {
      thresholds: thresholdSources(options.thresholds),
      thresholdOptions: options.thresholds,
      stdout: io.stdout,
      systemTags: options.systemTags,
      env: config.env,
      logger: log,
      scriptPath: config.script,
      failures: () => failures.counts(),
      // --out state: the run's mergeable end state (issue 11).
      options,
      engineState: () => engine.state(),
      summarySoFar: () => {
        const snapshot = engine.snapshot(
          elapsedMs(),
          options.summaryTrendStats,
        );
        return { snapshot, data: summaryDataOf(run, snapshot) };
      },
    });
    for (const [index, output] of created.entries()) {
      try {
        await output.start();
      } catch (error) {
        for (const opened of created.slice(0, index)) opened.abort();
        throw error;
      }
    }
    return created;
  } catch (error) {
    log.log("error", (error as Error).message);
    return ExitCode.invalidConfig;
  }
}

/**
 * Ends a run through {@link endOfTest} (which `wsload merge` shares): the
 * final threshold evaluation, the summary and the outputs' end come after
 * every run, even one whose `setup()` failed (k6 defers them).
 *
 * @param run The run.
 * @param durationMs The test's run time.
 * @returns The exit code.
 */
export async function finishRun(
  run: RunEnd,
  durationMs: number,
): Promise<number> {
  const { config, io, log, status, failures, options } = run;
  const exitCode = await endOfTest({
    engine: run.engine,
    durationMs,
    exitCode: status.exitCode,
    noThresholds: options.noThresholds ?? false,
    summaryMode: config.summaryMode,
    summaryExport: config.summaryExport,
    summaryTrendStats: options.summaryTrendStats,
    summaryTimeUnit: options.summaryTimeUnit,
    handleSummaryTimeoutMs: options.handleSummaryTimeout,
    colors: config.colors,
    stdoutTTY: io.stdoutTTY,
    stderrTTY: io.stderrTTY,
    setupData: run.setupJSON === undefined
      ? undefined
      : JSON.parse(run.setupJSON),
    handleSummary: run.handleSummary,
    // The worker formatted it already, with the script's paths and lines.
    formatError: (error) => String(error),
    beforeSummary: () => {
      failures.end();
      return run.consoleFailed();
    },
    outputs: run.outputs,
    stdout: io.stdout,
    stderr: io.stderr,
    log,
  });
  status.set(exitCode);
  return exitCode;
}
