/**
 * `wsload merge`: the one result of a test split over instances (the pods
 * of a Kubernetes Indexed Job, processes on several machines). Reads the
 * instances' end states (`--out state`), checks they are of one test,
 * merges them, and ends the test as a run ends it (`runner/end_of_test.ts`):
 * thresholds evaluated on the merged data, k6's end-of-test summary or the
 * script's `handleSummary()`, `--summary-export`, and k6's exit code.
 *
 * The exit code: an instance that failed for another reason than its own
 * thresholds (a script error, an abort, an interruption) gives its code
 * to the merged result, the first by segment; otherwise 99 when a
 * threshold fails on the merged data, else 0. An instance's own threshold
 * verdict (its 99) is replaced by the merged one.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { DEFAULT_OPTIONS } from "../../context/context.ts";
import { MetricsEngine } from "../engine/mod.ts";
import { endOfTest, type HandleSummaryOutcome } from "../end_of_test.ts";
import { ExitCode } from "../exit_codes.ts";
import { FailureLog } from "../failures.ts";
import { RunLog } from "../log.ts";
import { type LoadedScript, loadScript, ScriptError } from "../loader/mod.ts";
import { createScriptConsole } from "../script_console.ts";
import { bindScriptGlobals } from "../script_globals.ts";
import type { SummaryMode } from "../summary/mod.ts";
import {
  formatScriptError,
  type IterationEnvironment,
  runInStage,
} from "../vu.ts";
import {
  type CheckedStates,
  checkStates,
  mergeStates,
  type SourcedState,
} from "./merge_states.ts";
import { parseStates } from "./state_file.ts";

/** What to merge and how to report it. */
export interface MergeConfig {
  /** State files or logs with state lines; `-` reads stdin. */
  readonly files: readonly string[];
  /** The script whose `handleSummary()` to call, if any. */
  readonly script?: string;
  /** `--summary-mode` (`full` needs instances run with `--summary-mode full`). */
  readonly summaryMode: SummaryMode | "disabled";
  /** `--summary-export FILE`. */
  readonly summaryExport?: string;
  /** `--summary-trend-stats`, replacing the instances' columns. */
  readonly summaryTrendStats?: readonly string[];
  /** `--summary-time-unit`, replacing the instances' unit. */
  readonly summaryTimeUnit?: string;
  /** `--no-thresholds`: no verdict. */
  readonly noThresholds: boolean;
  /** `--allow-partial`: merge states that leave parts of the test out. */
  readonly allowPartial: boolean;
  /** Colours allowed. */
  readonly colors: boolean;
  /** `--quiet`: no line about what was merged. */
  readonly quiet: boolean;
  /** The process environment (and `__ENV` of handleSummary). */
  readonly env: Readonly<Record<string, string>>;
  /** `-e NAME=value` values for `__ENV`. */
  readonly scriptEnv: Readonly<Record<string, string>>;
}

/** The process around a merge. */
export interface MergeIO {
  /** Writes to stdout. */
  readonly stdout: (text: string) => void;
  /** Writes to stderr. */
  readonly stderr: (text: string) => void;
  /** Whether stdout is a terminal. */
  readonly stdoutTTY: boolean;
  /** Whether stderr is a terminal. */
  readonly stderrTTY: boolean;
  /** Reads all of stdin (for `-`); `/dev/stdin` by default. */
  readonly readStdin?: () => Promise<Uint8Array>;
}

async function readStates(
  files: readonly string[],
  io: MergeIO,
): Promise<SourcedState[]> {
  const states: SourcedState[] = [];
  for (const file of files) {
    const source = file === "-" ? "stdin" : file;
    let bytes: Uint8Array;
    try {
      bytes = file !== "-"
        ? await readFile(file)
        : io.readStdin
        ? await io.readStdin()
        : await readFile("/dev/stdin");
    } catch (error) {
      throw new Error(
        `could not read the state '${file}': ${(error as Error).message}`,
      );
    }
    const found = parseStates(bytes, source);
    found.forEach((state, i) =>
      states.push({
        state,
        source: found.length > 1 ? `${source} (state ${i + 1})` : source,
      })
    );
  }
  return states;
}

// The instances' exit codes that are not their own threshold verdict.
function instanceFailure(checked: CheckedStates, log: RunLog): number {
  let exitCode: number = ExitCode.ok;
  for (const { state, source } of checked.states) {
    const code = state.exitCode;
    if (code === ExitCode.ok || code === ExitCode.thresholdsFailed) continue;
    log.log(
      "error",
      `the instance of segment ${state.executionSegment} (${source}) ended with exit code ${code}`,
    );
    if (exitCode === ExitCode.ok) exitCode = code;
  }
  return exitCode;
}

/**
 * Merges the states and ends the test.
 *
 * @param config What to merge.
 * @param io The process's streams.
 * @returns k6's exit code; 255 when the states cannot be read or merged.
 *
 * @example A state file that is not there
 * ```ts
 * import { mergeRun } from "./merge_run.ts";
 * import assert from "node:assert/strict";
 *
 * let stderr = "";
 * const code = await mergeRun({
 *   files: ["no-such-state.json"],
 *   summaryMode: "compact",
 *   noThresholds: false,
 *   allowPartial: false,
 *   colors: false,
 *   quiet: true,
 *   env: {},
 *   scriptEnv: {},
 * }, {
 *   stdout: () => {},
 *   stderr: (text) => stderr += text,
 *   stdoutTTY: false,
 *   stderrTTY: false,
 * });
 * assert.equal(code, 255);
 * assert.match(stderr, /could not read the state 'no-such-state\.json'/);
 * ```
 */
export async function mergeRun(
  config: MergeConfig,
  io: MergeIO,
): Promise<number> {
  const log = new RunLog({
    write: io.stderr,
    colors: config.colors && io.stderrTTY,
  });
  let checked: CheckedStates;
  let engine: MetricsEngine;
  try {
    checked = checkStates(
      await readStates(config.files, io),
      config.allowPartial,
    );
    engine = mergeStates(checked, {
      breakdown: config.summaryMode === "full",
      noThresholds: config.noThresholds,
      logger: log,
    });
  } catch (error) {
    log.log("error", (error as Error).message);
    return ExitCode.generic;
  }
  const { options, states, durationMs } = checked;
  if (checked.missing.length > 0) {
    log.warn(
      `a partial result: no state for ${
        checked.missing.join(", ")
      } of the test; counts and rates cover only the merged segments`,
    );
  }
  if (!config.quiet) {
    log.log(
      "info",
      `merged ${states.length} state(s) of ${
        states[0].state.script.path
      }: segments ${
        states.map(({ state }) => state.executionSegment).join(", ")
      }; test run duration ${(durationMs / 1000).toFixed(1)}s`,
    );
  }
  const exitCode = instanceFailure(checked, log);
  const setupData = states[0].state.setupData;
  let handleSummary:
    | ((data: unknown) => Promise<HandleSummaryOutcome>)
    | undefined;
  let script: LoadedScript | undefined;
  let mapPaths = (text: string) => text;
  try {
    if (config.script !== undefined) {
      const loaded = await scriptHandleSummary(config, checked, log);
      if (typeof loaded === "number") return loaded;
      ({ script, handleSummary } = loaded);
      mapPaths = script.mapPaths;
    }
    return await endOfTest({
      engine,
      durationMs,
      exitCode,
      noThresholds: config.noThresholds || options.noThresholds,
      summaryMode: config.summaryMode,
      summaryExport: config.summaryExport,
      summaryTrendStats: config.summaryTrendStats ?? options.summaryTrendStats,
      summaryTimeUnit: config.summaryTimeUnit ?? options.summaryTimeUnit,
      handleSummaryTimeoutMs: options.handleSummaryTimeout,
      colors: config.colors,
      stdoutTTY: io.stdoutTTY,
      stderrTTY: io.stderrTTY,
      setupData,
      handleSummary,
      formatError: (error) => formatScriptError(error, mapPaths),
      outputs: [],
      stdout: io.stdout,
      stderr: io.stderr,
      log,
    });
  } finally {
    await script?.dispose();
  }
}

// Loads the script once (its init code, as VU 0) for its handleSummary().
async function scriptHandleSummary(
  config: MergeConfig,
  checked: CheckedStates,
  log: RunLog,
): Promise<
  | number
  | {
    script: LoadedScript;
    handleSummary?: (data: unknown) => Promise<HandleSummaryOutcome>;
  }
> {
  let script: LoadedScript;
  try {
    script = await loadScript(config.script!, { env: config.env });
  } catch (error) {
    log.log(
      "error",
      error instanceof ScriptError
        ? error.message
        : formatScriptError(error, (t) => t),
    );
    return ExitCode.scriptException;
  }
  bindScriptGlobals(
    createScriptConsole(
      log,
      (error) => formatScriptError(error, script.mapPaths),
    ),
  );
  const environment = stageEnvironment(config, checked, log, script);
  const init = await runInStage(environment, {
    stage: "init",
    tags: {},
    group: "",
    fn: () => script.instantiate(),
    args: [],
    timeoutMs: checked.options.handleSummaryTimeout,
  });
  if (init.kind !== "ok") {
    log.log(
      "error",
      init.kind === "error"
        ? formatScriptError(init.error, script.mapPaths)
        : `the init code of ${config.script} did not finish`,
      { hint: "script exception" },
    );
    await script.dispose();
    return ExitCode.scriptException;
  }
  const exports = init.value as Readonly<Record<string, unknown>>;
  if (typeof exports.handleSummary !== "function") {
    log.warn(
      `${config.script} exports no handleSummary(); the default summary is printed`,
    );
    return { script };
  }
  const fn = exports.handleSummary as (...args: unknown[]) => unknown;
  return {
    script,
    handleSummary: (data) =>
      runInStage(environment, {
        stage: "handleSummary",
        tags: {},
        group: "",
        fn,
        args: [data],
        timeoutMs: checked.options.handleSummaryTimeout,
      }),
  };
}

// What handleSummary() sees around it: no VUs, no scenarios, the merged
// test's duration; its samples, if any, go nowhere.
function stageEnvironment(
  config: MergeConfig,
  checked: CheckedStates,
  log: RunLog,
  script: LoadedScript,
): IterationEnvironment {
  const warned = new Set<string>();
  return {
    sink: () => {},
    recorder: new MetricsEngine().recorder,
    contextOptions: DEFAULT_OPTIONS,
    runTags: {},
    baseEnv: { ...config.env, ...config.scriptEnv },
    setupJSON: checked.states[0].state.setupData === undefined
      ? undefined
      : JSON.stringify(checked.states[0].state.setupData),
    minIterationDuration: 0,
    log,
    failures: new FailureLog(log),
    vuEventLoop: true,
    mapPaths: script.mapPaths,
    instance: {
      iterationsCompleted: () => 0,
      iterationsInterrupted: () => 0,
      vusActive: () => 0,
      vusInitialized: () => 0,
      currentTestRunDuration: () => checked.durationMs,
    },
    test: {
      options: { ...checked.options },
      abort: (reason) => log.log("error", `test aborted: ${reason ?? ""}`),
      fail: (reason) =>
        log.log("error", `test marked as failed: ${reason ?? ""}`),
      stopWithScriptError: (message) => log.log("error", message),
    },
    warnOnce: (key, message) => {
      if (!warned.has(key)) log.warn(message);
      warned.add(key);
    },
    drainTimeout: 3000,
  };
}
