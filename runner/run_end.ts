/**
 * The outputs of a run, from their start (before any VU exists, so a bad
 * `--out` fails at once) to their end after the summary: the final
 * threshold evaluation, the summary or `handleSummary()`'s files, the
 * outputs' last writes, and the exit code all of these may change.
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
  legacySummaryExport,
  renderSummary,
  type SummaryData,
  summaryData,
} from "./summary/mod.ts";
import { writeSummaryFiles } from "./summary_files.ts";
import type { StageOutcome } from "./workers/protocol.ts";

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
  readonly handleSummary?: (
    data: SummaryData,
  ) => Promise<StageOutcome | undefined>;
}

function secondsText(ms: number): string {
  return `${Math.round(ms / 1000)} seconds`;
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
  return summaryData(snapshot, {
    summaryTrendStats: options.summaryTrendStats,
    summaryTimeUnit: options.summaryTimeUnit ?? "",
    noColor: !config.colors,
    isStdOutTTY: io.stdoutTTY,
    isStdErrTTY: io.stderrTTY,
    setupData,
  });
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
 * Ends a run: the final threshold evaluation, the summary and the
 * outputs' end come after every run, even one whose `setup()` failed (k6
 * defers them).
 *
 * @param run The run.
 * @param durationMs The test's run time.
 * @returns The exit code.
 */
export async function finishRun(
  run: RunEnd,
  durationMs: number,
): Promise<number> {
  const { config, log, status, failures, options, engine } = run;
  const evaluation = options.noThresholds
    ? undefined
    : engine.evaluate(durationMs, { final: true });
  if (evaluation && evaluation.failed.length > 0) {
    // As k6: only news when nothing else failed the test first.
    log.log(
      status.exitCode === ExitCode.ok ? "error" : "debug",
      evaluation.message ??
        `thresholds on metrics '${
          evaluation.failed.join(", ")
        }' have been crossed`,
    );
    status.failWith(ExitCode.thresholdsFailed);
  }
  if (run.consoleFailed()) status.failWith(ExitCode.generic);
  failures.end();
  const snapshot = engine.snapshot(durationMs, options.summaryTrendStats);
  const data = summaryDataOf(
    run,
    snapshot,
    run.setupJSON === undefined ? undefined : JSON.parse(run.setupJSON),
  );
  if (config.summaryMode !== "disabled") {
    await writeSummary(run, snapshot, data);
  }
  // In order, the report last: it shows the exit code a failed file
  // write before it set.
  for (const output of run.outputs) {
    try {
      await output.stop({ snapshot, data, exitCode: status.exitCode });
    } catch (error) {
      log.log(
        "error",
        `output ${output.description} failed: ${(error as Error).message}`,
      );
      status.failWith(ExitCode.generic);
    }
  }
  return status.exitCode;
}

// handleSummary()'s files, or k6's default summary.
async function writeSummary(
  run: RunEnd,
  snapshot: EngineSnapshot,
  data: SummaryData,
): Promise<void> {
  const { config, io, log, status, options } = run;
  let files: (readonly [string, string | ArrayBuffer])[] | undefined;
  if (run.handleSummary) {
    const outcome = await run.handleSummary(data);
    // k6: a falsy result or a throw falls back to the default summary;
    // a timeout or a result of the wrong shape writes nothing at all.
    switch (outcome?.kind) {
      case "timeout":
        log.log(
          "error",
          `handleSummary() execution timed out after ${
            secondsText(options.handleSummaryTimeout)
          }`,
        );
        return;
      case "invalid":
        log.log("error", outcome.message);
        return;
      case "error":
        log.log("error", outcome.text, { hint: "handleSummary() failed" });
        break;
      case "ok":
        if (outcome.files) files = [...outcome.files];
    }
  }
  if (files === undefined) {
    files = [[
      "stdout",
      renderSummary(snapshot, {
        mode: config.summaryMode === "disabled"
          ? "compact"
          : config.summaryMode,
        trendStats: options.summaryTrendStats,
        timeUnit: options.summaryTimeUnit ?? "",
        colors: config.colors && io.stdoutTTY,
      }),
    ]];
  }
  if (config.summaryExport) {
    files.push([config.summaryExport, legacySummaryExport(data)]);
  }
  await writeSummaryFiles(files, {
    stdout: io.stdout,
    stderr: io.stderr,
    log,
    failed: () => status.failWith(ExitCode.generic),
  });
}
