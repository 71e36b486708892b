/**
 * The end of a test, as k6 ends it: the final threshold evaluation, the
 * end-of-test summary (or what `handleSummary()` returns), the
 * `--summary-export` file, the outputs' end, and the exit code. A run
 * (`wsload run`) and a merged result (`wsload merge`) both end here, so
 * their summaries, files and exit codes agree.
 *
 * @module
 */
import { writeFile } from "node:fs/promises";
import type { MetricsEngine } from "./engine/mod.ts";
import type { EngineSnapshot } from "./engine/snapshot.ts";
import { ExitCode } from "./exit_codes.ts";
import { systemErrorText } from "../internal/system_error.ts";
import type { RunLog } from "./log.ts";
import type { Output } from "./output/mod.ts";
import {
  legacySummaryExport,
  renderSummary,
  type SummaryData,
  summaryData,
  type SummaryMode,
} from "./summary/mod.ts";

/** How the script's `handleSummary()` call ended. */
export type HandleSummaryOutcome =
  | { readonly kind: "ok"; readonly value: unknown }
  | { readonly kind: "error"; readonly error: unknown }
  | { readonly kind: "timeout" }
  | { readonly kind: "interrupted" };

/** The summary facts of a test (k6 options and the terminal). */
export interface SummaryFacts {
  /** k6's `summaryTrendStats`. */
  readonly summaryTrendStats: readonly string[];
  /** k6's `summaryTimeUnit` (`""` picks a unit per value). */
  readonly summaryTimeUnit?: string;
  /** Colours allowed (`--no-color`/`NO_COLOR` turn them off). */
  readonly colors: boolean;
  /** Whether stdout is a terminal. */
  readonly stdoutTTY: boolean;
  /** Whether stderr is a terminal. */
  readonly stderrTTY: boolean;
}

/**
 * k6's `handleSummary()` data of a snapshot.
 *
 * @param snapshot The engine snapshot.
 * @param facts The summary options and terminal facts.
 * @param setupData What `setup()` returned, if anything.
 * @returns The data.
 *
 * @example
 * ```ts
 * import { summaryDataFor } from "./end_of_test.ts";
 * import { MetricsEngine } from "./engine/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const snapshot = new MetricsEngine().snapshot(1500);
 * const data = summaryDataFor(snapshot, {
 *   summaryTrendStats: ["avg", "p(95)"],
 *   colors: false,
 *   stdoutTTY: false,
 *   stderrTTY: false,
 * }, { token: "abc" });
 * assert.equal(data.state.testRunDurationMs, 1500);
 * assert.equal(data.options.noColor, true);
 * assert.deepEqual(data.setup_data, { token: "abc" });
 * ```
 */
export function summaryDataFor(
  snapshot: EngineSnapshot,
  facts: SummaryFacts,
  setupData?: unknown,
): SummaryData {
  return summaryData(snapshot, {
    summaryTrendStats: facts.summaryTrendStats,
    summaryTimeUnit: facts.summaryTimeUnit ?? "",
    noColor: !facts.colors,
    isStdOutTTY: facts.stdoutTTY,
    isStdErrTTY: facts.stderrTTY,
    setupData,
  });
}

/** What {@link endOfTest} needs. */
export interface EndOfTestInput extends SummaryFacts {
  /** The engine with every sample of the test. */
  readonly engine: MetricsEngine;
  /** The test run duration, ms (divisor of rates). */
  readonly durationMs: number;
  /** The exit code so far (a threshold failure only replaces 0). */
  readonly exitCode: number;
  /** `--no-thresholds`. */
  readonly noThresholds: boolean;
  /** `--summary-mode` (`disabled`: no summary, handleSummary or export). */
  readonly summaryMode: SummaryMode | "disabled";
  /** `--summary-export FILE`. */
  readonly summaryExport?: string;
  /** k6's `handleSummaryTimeout`, ms (for the timeout message). */
  readonly handleSummaryTimeoutMs: number;
  /** What `setup()` returned (the data's `setup_data`). */
  readonly setupData?: unknown;
  /** Calls the script's `handleSummary(data)`; absent when it has none. */
  readonly handleSummary?: (data: SummaryData) => Promise<HandleSummaryOutcome>;
  /** Formats an error `handleSummary()` threw (source positions). */
  readonly formatError: (error: unknown) => string;
  /**
   * Called after the threshold verdict, before the summary; returns true
   * when a file of the run could not be written (the test then fails).
   */
  readonly beforeSummary?: () => boolean;
  /** The outputs to stop, in order, once the summary is written. */
  readonly outputs: readonly Output[];
  /** Writes to stdout. */
  readonly stdout: (text: string) => void;
  /** Writes to stderr. */
  readonly stderr: (text: string) => void;
  /** The run log. */
  readonly log: RunLog;
}

function secondsText(ms: number): string {
  return `${Math.round(ms / 1000)} seconds`;
}

/**
 * Ends a test: thresholds, summary, export, outputs.
 *
 * @param input The test's engine, options and streams.
 * @returns k6's exit code: the one so far; else 99 when a threshold
 * failed; else 255 when a file could not be written.
 *
 * @example A crossed threshold: exit code 99 and k6's summary on stdout
 * ```ts
 * import { endOfTest } from "./end_of_test.ts";
 * import { MetricsEngine } from "./engine/mod.ts";
 * import { RunLog } from "./log.ts";
 * import { Context } from "../context/context.ts";
 * import { WS_SESSIONS } from "../metrics/builtin.ts";
 * import assert from "node:assert/strict";
 *
 * const engine = new MetricsEngine({ thresholds: { ws_sessions: ["count>5"] } });
 * new Context({ sink: engine.ingest }).emit(WS_SESSIONS, 1);
 * let stdout = "";
 * const errors: string[] = [];
 * const code = await endOfTest({
 *   engine,
 *   durationMs: 1000,
 *   exitCode: 0,
 *   noThresholds: false,
 *   summaryMode: "compact",
 *   summaryTrendStats: ["avg"],
 *   handleSummaryTimeoutMs: 120_000,
 *   colors: false,
 *   stdoutTTY: false,
 *   stderrTTY: false,
 *   formatError: String,
 *   outputs: [],
 *   stdout: (text) => stdout += text,
 *   stderr: () => {},
 *   log: new RunLog({ write: (line) => errors.push(line), colors: false }),
 * });
 * assert.equal(code, 99);
 * assert.match(stdout, /ws_sessions/);
 * assert.match(errors[0], /thresholds on metrics 'ws_sessions' have been crossed/);
 * ```
 */
export async function endOfTest(input: EndOfTestInput): Promise<number> {
  const { engine, durationMs, log } = input;
  let exitCode = input.exitCode;
  const failWrite = () => {
    if (exitCode === ExitCode.ok) exitCode = ExitCode.generic;
  };
  const evaluation = input.noThresholds
    ? undefined
    : engine.evaluate(durationMs, { final: true });
  if (evaluation && evaluation.failed.length > 0) {
    // As k6: only news when nothing else failed the test first.
    log.log(
      exitCode === ExitCode.ok ? "error" : "debug",
      evaluation.message ??
        `thresholds on metrics '${
          evaluation.failed.join(", ")
        }' have been crossed`,
    );
    if (exitCode === ExitCode.ok) exitCode = ExitCode.thresholdsFailed;
  }
  if (input.beforeSummary?.()) failWrite();
  const snapshot = engine.snapshot(durationMs, input.summaryTrendStats);
  const data = summaryDataFor(snapshot, input, input.setupData);
  if (input.summaryMode !== "disabled") {
    const files = await summaryFiles(input, snapshot, data);
    if (files !== undefined) await writeFiles(files, input, failWrite);
  }
  // In order, the report last: it shows the exit code a failed file
  // write before it set.
  for (const output of input.outputs) {
    try {
      await output.stop({ snapshot, data, exitCode });
    } catch (error) {
      log.log(
        "error",
        `output ${output.description} failed: ${(error as Error).message}`,
      );
      failWrite();
    }
  }
  return exitCode;
}

// What to write where: handleSummary()'s map, or k6's default summary; plus
// the export. Undefined when nothing may be written at all.
async function summaryFiles(
  input: EndOfTestInput,
  snapshot: EngineSnapshot,
  data: SummaryData,
): Promise<[string, string | Uint8Array][] | undefined> {
  const { log } = input;
  let results: Record<string, unknown> | undefined;
  if (input.handleSummary) {
    const result = await input.handleSummary(data);
    // k6: a falsy result or a throw falls back to the default summary;
    // a timeout or a result of the wrong shape writes nothing at all.
    if (result.kind === "timeout") {
      log.log(
        "error",
        `handleSummary() execution timed out after ${
          secondsText(input.handleSummaryTimeoutMs)
        }`,
      );
      return undefined;
    }
    if (result.kind === "error") {
      log.log("error", input.formatError(result.error), {
        hint: "handleSummary() failed",
      });
    } else if (result.kind === "ok" && result.value) {
      if (typeof result.value !== "object" || Array.isArray(result.value)) {
        log.log(
          "error",
          "handleSummary() should return a map with string keys",
        );
        return undefined;
      }
      results = { ...(result.value as Record<string, unknown>) };
    }
  }
  if (!results) {
    const mode = input.summaryMode === "disabled"
      ? "compact"
      : input.summaryMode;
    results = {
      stdout: renderSummary(snapshot, {
        mode,
        trendStats: input.summaryTrendStats,
        timeUnit: input.summaryTimeUnit ?? "",
        colors: input.colors && input.stdoutTTY,
      }),
    };
  }
  if (input.summaryExport) {
    results[input.summaryExport] = legacySummaryExport(data);
  }
  const files: [string, string | Uint8Array][] = [];
  for (const [target, value] of Object.entries(results)) {
    if (typeof value === "string") files.push([target, value]);
    else if (value instanceof ArrayBuffer) {
      files.push([target, new Uint8Array(value)]);
    } else {
      log.log(
        "error",
        `handleSummary() returned an unsupported value for '${target}': expected a string or an ArrayBuffer`,
      );
      return undefined;
    }
  }
  return files;
}

async function writeFiles(
  files: readonly [string, string | Uint8Array][],
  input: EndOfTestInput,
  failWrite: () => void,
): Promise<void> {
  const text = (value: string | Uint8Array) =>
    typeof value === "string" ? value : new TextDecoder().decode(value);
  for (const [target, value] of files) {
    if (target === "stdout") input.stdout(text(value));
    else if (target === "stderr") input.stderr(text(value));
    else {
      try {
        await writeFile(target, value);
      } catch (error) {
        input.log.log(
          "error",
          `could not write the summary to '${target}': ${
            systemErrorText(error)
          }`,
        );
        failWrite();
      }
    }
  }
}
