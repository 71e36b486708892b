/**
 * `wsload run`: one k6-style test from script to summary. Loads the
 * script, consolidates its options with the config file, environment and
 * flags, runs setup, the scenarios and teardown, evaluates thresholds
 * (every 2 s and at the end), prints the summary (or what `handleSummary`
 * returns), and answers with k6's exit code. Everything that touches the
 * process (streams, signals, exit) comes in through {@link RunIO}.
 *
 * ## Differences from k6
 *
 * All of them, with the reasons, are in `docs/differences.md`; those of
 * the run itself:
 *
 * - **One process, one event loop.** VUs are async function calls, not
 *   separate JavaScript VMs. The loader (`runner/loader/`) makes scripts
 *   wait where k6 blocks and evaluates every module once per VU; a VU's
 *   events wait while it blocks (`metrics/event_queue.ts`), except timers,
 *   which fire on time (k6 holds them, k6 issue 2964).
 * - **Unhandled promise rejections** of script code are logged as
 *   `Uncaught (in promise) …`; the iteration that caused them cannot be
 *   told and goes on (k6 fails it).
 * - **`exec.test.abort()`** throws an error the runner recognises; a script
 *   that catches it keeps running until the VU is interrupted (k6's is
 *   uncatchable).
 * - **`exec.vu.tags`** changes apply from the VU's next iteration.
 * - **Not supported:** `--paused` and `--linger` (warned and ignored; there
 *   is no REST API), `--address`, the default config file
 *   `~/.config/k6/config.json` (pass `--config`), extensions (`k6/x/...`),
 *   `k6/http` requests (only cookie jars), browser and gRPC modules, cloud
 *   outputs. `K6_*` environment variables of HTTP-only options are not
 *   read.
 * - **Open-file limit.** A plan with more VUs than the process may open
 *   files (each VU holds a socket; `ulimit -n`, which Deno and Node, like
 *   Go, already raised from the soft to the hard limit) is warned about
 *   before any VU starts; k6 says nothing and its dials fail with `socket:
 *   too many open files`, as wsload's then do too.
 * - **A file that could not be written** (`--out`, `--report`,
 *   `--summary-export`, `handleSummary()` files, `--console-output`: a
 *   full disk, a folder removed during the run) fails the run: an error
 *   naming the file and exit 255 (k6's code for an error without one of
 *   its own), unless the run already failed with another code. k6 logs
 *   the error and exits 0.
 * - **SIGHUP** (the terminal was closed) stops the run gracefully like
 *   SIGINT and SIGTERM: exit 105, the summary, every output complete. k6
 *   leaves it to Go's default and dies at once (exit 129, no summary,
 *   outputs cut short). Writes to a stdout or stderr whose reader went
 *   away are dropped instead of ending the process.
 * - **No multi-core mode yet:** one run uses one core;
 *   `--execution-segment` splits a test across processes or machines as
 *   with k6.
 *
 * @module
 */
import { closeSync, openSync, writeSync } from "node:fs";
import {
  Context,
  type ContextOptions,
  DEFAULT_OPTIONS,
} from "../metrics/context.ts";
import { now, type Sample, type SampleSink } from "../metrics/sample.ts";
import {
  bindExecutionState,
  type InstanceState,
  type TestControl,
} from "../k6/_state.ts";
import { TestAbortError } from "../k6/_abort.ts";
import { MetricsEngine } from "./engine/mod.ts";
import { Scheduler } from "./execution/mod.ts";
import { ExitCode } from "./exit_codes.ts";
import { systemErrorText } from "./_go.ts";
import { unsupportedVariables } from "./env_check.ts";
import { FailureLog } from "./failures.ts";
import { RunLog } from "./log.ts";
import {
  type CliOverrides,
  ConfigError,
  type ConsolidatedOptions,
  consolidateOptions,
  describePlan,
  formatDuration,
  getFullExecutionRequirements,
  getMaxPossibleVUs,
} from "./options/mod.ts";
import { openFilesWarning } from "./_open_files.ts";
import { createOutputs, type Output } from "./output/mod.ts";
import { ProgressView } from "./progress.ts";
import { createScriptConsole } from "./script_console.ts";
import { bindScriptGlobals } from "./script_globals.ts";
import { type LoadedScript, loadScript, ScriptError } from "./loader/mod.ts";
import type { EngineSnapshot } from "./engine/snapshot.ts";
import { renderRunHeader, type SummaryMode } from "./summary/mod.ts";
import { endOfTest, summaryDataFor } from "./end_of_test.ts";
import { waitForStart } from "./start_at.ts";
import {
  createVU,
  formatScriptError,
  type IterationEnvironment,
  runInStage,
  runIteration,
  type VU,
} from "./vu.ts";

/** The process around a run: streams, terminal facts, signals. */
export interface RunIO {
  /** Writes to stdout. */
  readonly stdout: (text: string) => void;
  /** Writes to stderr. */
  readonly stderr: (text: string) => void;
  /** Whether stdout is a terminal. */
  readonly stdoutTTY: boolean;
  /** Whether stderr is a terminal. */
  readonly stderrTTY: boolean;
  /** Terminal width, when known. */
  readonly columns?: number;
  /**
   * How many files (sockets included) the process may open, when known: a
   * plan with more VUs than that is warned about before any VU starts.
   */
  readonly openFileLimit?: number;
  /** Aborted on the first Ctrl+C / SIGTERM / SIGHUP: stop gracefully (exit 105). */
  readonly interrupt: AbortSignal;
  /**
   * Registers a function to call synchronously if the process must exit
   * at once (a second Ctrl+C), so outputs can write what they buffered.
   *
   * @returns A function that unregisters it.
   */
  readonly onHardExit?: (hook: () => void) => () => void;
  /**
   * Registers a handler for promise rejections nobody handled (script code
   * that neither awaits nor catches): k6 logs them and goes on, it does not
   * end the process.
   *
   * @returns A function that unregisters it.
   */
  readonly onUnhandledRejection?: (
    handler: (reason: unknown) => void,
  ) => () => void;
}

/** What to run and how, from the command line. */
export interface RunConfig {
  /** The script path as the user typed it. */
  readonly script: string;
  /** Option flags the user passed. */
  readonly cli: CliOverrides;
  /** The parsed `--config` file, if any. */
  readonly configFile?: unknown;
  /** The process environment (K6_* options; and `__ENV` unless excluded). */
  readonly env: Readonly<Record<string, string>>;
  /** `-e NAME=value` values for `__ENV`. */
  readonly scriptEnv: Readonly<Record<string, string>>;
  /** Whether the process environment is part of `__ENV` (k6 default: yes). */
  readonly includeSystemEnvVars: boolean;
  /** `--summary-mode` (`disabled` skips summary, handleSummary and export). */
  readonly summaryMode: SummaryMode | "disabled";
  /** `--summary-export FILE`. */
  readonly summaryExport?: string;
  /** `--report FILE.html`: a self-contained HTML report. */
  readonly report?: string;
  /** `--quiet`: no header, no progress. */
  readonly quiet: boolean;
  /** Colours allowed (`--no-color`/`NO_COLOR` turn them off). */
  readonly colors: boolean;
  /** `--verbose`: debug log lines. */
  readonly verbose?: boolean;
  /** `--strip-url-query`: no query strings in the `url` and `name` tags. */
  readonly stripUrlQuery?: boolean;
  /**
   * k6's `--compatibility-mode`: `extended` (default) makes scripts wait
   * where k6 blocks; `base` runs them as written, for scripts that await
   * themselves (no transform, events never held).
   */
  readonly compatibilityMode?: "extended" | "base";
  /** `--start-at`: begin (after the VUs' init) at this time, ms since the epoch. */
  readonly startAt?: number;
}

const THRESHOLD_INTERVAL_MS = 2000;
const DRAIN_TIMEOUT_MS = 3000;

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

// Option keys whose values are durations (ms here, Go duration text in k6).
const DURATION_KEYS: ReadonlySet<string> = new Set([
  "duration",
  "gracefulStop",
  "gracefulRampDown",
  "startTime",
  "maxDuration",
  "timeUnit",
  "setupTimeout",
  "teardownTimeout",
  "handleSummaryTimeout",
  "minIterationDuration",
]);
const INTERNAL_KEYS: ReadonlySet<string> = new Set([
  "executionTuple",
  "ignored",
]);

// exec.test.options as k6 shows it: durations as text ("30s"), sets as
// arrays, segments as text, no internal fields.
function k6OptionsView(value: unknown, key = ""): unknown {
  if (typeof value === "number" && DURATION_KEYS.has(key)) {
    return formatDuration(value);
  }
  if (value instanceof Set) return [...value];
  if (Array.isArray(value)) return value.map((item) => k6OptionsView(item));
  if (value === null || typeof value !== "object") return value;
  if (value.constructor !== Object) return String(value);
  const view: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    if (!INTERNAL_KEYS.has(name) && item !== undefined) {
      view[name] = k6OptionsView(item, name);
    }
  }
  return view;
}

function functionNames(module: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(module).filter((name) =>
    typeof module[name] === "function"
  );
}

function contextOptionsOf(
  options: ConsolidatedOptions,
  stripUrlQuery: boolean,
): ContextOptions {
  return {
    stripUrlQuery,
    systemTags: options.systemTags,
    userAgent: options.userAgent ?? DEFAULT_OPTIONS.userAgent,
    throw: options.throw ?? false,
    insecureSkipTLSVerify: options.insecureSkipTLSVerify ?? false,
    tlsCA: [],
    tlsAuth: options.tlsAuth,
    tlsVersion: options.tlsVersion,
    hosts: options.hosts,
    http: {
      discardResponseBodies: options.discardResponseBodies,
      noConnectionReuse: options.noConnectionReuse,
      noVUConnectionReuse: options.noVUConnectionReuse,
      maxRedirects: options.maxRedirects,
      batch: options.batch,
      batchPerHost: options.batchPerHost,
    },
  };
}

/**
 * Runs a test.
 *
 * @param config What to run.
 * @param io The process around it.
 * @returns k6's exit code.
 */
export async function runTest(config: RunConfig, io: RunIO): Promise<number> {
  const log = new RunLog({
    write: io.stderr,
    colors: config.colors && io.stderrTTY,
    level: config.verbose ? "debug" : "info",
  });
  const failures = new FailureLog(log);
  for (const warning of unsupportedVariables(config.env)) log.warn(warning);
  const warned = new Set<string>();
  const warnOnce = (key: string, message: string) => {
    if (warned.has(key)) return;
    warned.add(key);
    log.warn(message);
  };
  let exitCode: number = ExitCode.ok;
  let consoleWriteFailed = false;
  const testAbort = new AbortController();
  const abortTest = (code: number, reason: string) => {
    if (testAbort.signal.aborted) return;
    if (exitCode === ExitCode.ok || exitCode === ExitCode.markedAsFailed) {
      exitCode = code;
    }
    testAbort.abort(new Error(reason));
  };
  const onInterrupt = () => abortTest(ExitCode.externalAbort, "interrupted");
  io.interrupt.addEventListener("abort", onInterrupt, { once: true });
  let mapPaths = (text: string) => text;
  const stopCatchingRejections = io.onUnhandledRejection?.((reason) =>
    log.log(
      "error",
      `Uncaught (in promise) ${formatScriptError(reason, mapPaths)}`,
      {
        source: "stacktrace",
      },
    )
  );
  let closeConsoleFile = () => {};
  // Every way out of runTest goes through here.
  const done = (code: number): number => {
    io.interrupt.removeEventListener("abort", onInterrupt);
    stopCatchingRejections?.();
    closeConsoleFile();
    closeConsoleFile = () => {};
    return code;
  };

  // Late-bound: init code may read k6/execution before the scheduler exists.
  let scheduler: Scheduler<VU> | undefined;
  let consolidated: ConsolidatedOptions | undefined;
  const startedAt = { time: 0 };
  const instance: InstanceState = {
    iterationsCompleted: () => scheduler?.counters().completedIterations ?? 0,
    iterationsInterrupted: () =>
      scheduler?.counters().interruptedIterations ?? 0,
    vusActive: () => scheduler?.counters().activeVUs ?? 0,
    vusInitialized: () => scheduler?.counters().initializedVUs ?? 0,
    currentTestRunDuration: () =>
      startedAt.time === 0 ? 0 : now() - startedAt.time,
  };
  const test: TestControl = {
    get options() {
      return consolidated
        ? k6OptionsView(consolidated) as Readonly<Record<string, unknown>>
        : {};
    },
    abort(reason?: string) {
      log.log("error", `test aborted${reason ? `: ${reason}` : ""}`);
      abortTest(ExitCode.scriptAborted, reason ?? "test aborted");
    },
    fail(reason?: string) {
      log.log("error", `test marked as failed${reason ? `: ${reason}` : ""}`);
      if (exitCode === ExitCode.ok) exitCode = ExitCode.markedAsFailed;
    },
    stopWithScriptError(message: string) {
      if (testAbort.signal.aborted) return;
      log.log("error", message, { hint: "script exception" });
      abortTest(ExitCode.scriptException, message);
    },
  };
  const baseEnv: Record<string, string> = {
    ...(config.includeSystemEnvVars ? config.env : {}),
    ...config.scriptEnv,
  };

  // k6's handleSummary data so far, for the dashboard.
  const summaryDataOf = (snapshot: EngineSnapshot) =>
    summaryDataFor(snapshot, {
      summaryTrendStats: consolidated!.summaryTrendStats,
      summaryTimeUnit: consolidated!.summaryTimeUnit,
      colors: config.colors,
      stdoutTTY: io.stdoutTTY,
      stderrTTY: io.stderrTTY,
    });

  // Samples go to the engine once it exists; init code emits none.
  let engine: MetricsEngine | undefined;
  let outputs: readonly Output[] = [];
  const sink: SampleSink = (sample: Sample) => {
    engine?.ingest(sample);
    for (const output of outputs) output.add(sample);
  };

  // --console-output FILE (or K6_CONSOLE_OUTPUT): the script's console
  // goes to that file, the runner's own log stays on stderr.
  const consoleFile = config.cli.consoleOutput ?? config.env.K6_CONSOLE_OUTPUT;
  let consoleLog = log;
  if (consoleFile !== undefined && consoleFile !== "") {
    let fd: number;
    try {
      fd = openSync(consoleFile, "a");
    } catch (error) {
      log.log(
        "error",
        `could not open the console output file '${consoleFile}': ${
          (error as Error).message
        }`,
      );
      return done(ExitCode.invalidConfig);
    }
    closeConsoleFile = () => closeSync(fd);
    consoleLog = new RunLog({
      write: (line) => {
        if (consoleWriteFailed) return;
        try {
          writeSync(fd, line);
        } catch (error) {
          consoleWriteFailed = true;
          log.log(
            "error",
            `could not write the console output to '${consoleFile}': ${
              systemErrorText(error)
            }`,
          );
        }
      },
      colors: false,
      level: config.verbose ? "debug" : "info",
    });
  }
  bindScriptGlobals(createScriptConsole(consoleLog));
  // Init code runs once to read the options (as VU 0), then once per VU.
  const initContextFor = (
    id: number,
    vuLocals?: Map<symbol | object, unknown>,
  ) => {
    const context = new Context({
      sink,
      logger: log,
      options: DEFAULT_OPTIONS,
      vuLocals,
    });
    bindExecutionState(context, {
      stage: "init",
      vu: {
        idInInstance: id,
        idInTest: id,
        iterationInInstance: 0,
        iterationInScenario: 0,
        tags: {},
        metadata: {},
      },
      scenario: undefined,
      instance,
      test,
      env: { ...baseEnv },
      warnOnce,
    });
    return context;
  };

  let script: LoadedScript;
  let exports: Readonly<Record<string, unknown>>;
  try {
    script = await loadScript(config.script, {
      env: config.env,
      autoAwait: config.compatibilityMode !== "base",
    });
  } catch (error) {
    log.log(
      "error",
      error instanceof ScriptError
        ? error.message
        : formatScriptError(error, (t) => t),
    );
    return done(ExitCode.scriptException);
  }
  mapPaths = script.mapPaths;
  for (const warning of script.warnings) log.warn(warning);
  try {
    exports = await initContextFor(0).run(() => script.instantiate());
  } catch (error) {
    await script.dispose();
    // exec.test.abort() in init code: the exit code (108) is already set.
    if (error instanceof TestAbortError) return done(exitCode);
    log.log("error", formatScriptError(error, script.mapPaths), {
      hint: "script exception",
    });
    return done(ExitCode.scriptException);
  }
  // A second Ctrl+C exits at once: the script's copies go first.
  const stopRemovingCopies = io.onHardExit?.(() => script.disposeNow());
  try {
    return done(await runLoaded());
  } finally {
    stopRemovingCopies?.();
    done(0);
    await script.dispose();
  }

  async function runLoaded(): Promise<number> {
    let options: ConsolidatedOptions;
    try {
      options = consolidateOptions({
        config: config.configFile,
        script: exports.options,
        env: config.env,
        cli: config.cli,
        exports: functionNames(exports),
        logger: log,
      });
      consolidated = options;
      for (
        const [set, name] of [[options.paused, "paused"], [
          options.linger,
          "linger",
        ]] as const
      ) {
        if (set) {
          log.warn(
            `the '${name}' option is not supported by wsload and is ignored`,
          );
        }
      }
      engine = new MetricsEngine({
        thresholds: options.thresholds as never,
        noThresholds: options.noThresholds,
        breakdown: config.summaryMode === "full",
        logger: log,
      });
      // k6's implicit sub-metric: the duration of the expected responses.
      if (options.systemTags.has("expected_response")) {
        engine.addSubmetric("http_req_duration{expected_response:true}");
      }
    } catch (error) {
      log.log("error", (error as Error).message);
      return error instanceof ConfigError || error instanceof SyntaxError ||
          error instanceof RangeError || error instanceof TypeError
        ? ExitCode.invalidConfig
        : ExitCode.generic;
    }
    const metrics = engine;
    const started = await startOutputs(options);
    if (started !== undefined) return started;
    const stopHardExit = io.onHardExit?.(() => {
      for (const output of outputs) output.abort();
    });
    try {
      return await runStarted(options, metrics);
    } finally {
      stopHardExit?.();
    }
  }

  // Opens every output before any VU exists: a bad `--out` fails at once.
  async function startOutputs(
    options: ConsolidatedOptions,
  ): Promise<number | undefined> {
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
        engineState: () => engine!.state(),
        summarySoFar: () => {
          const snapshot = engine!.snapshot(
            instance.currentTestRunDuration(),
            options.summaryTrendStats,
          );
          return { snapshot, data: summaryDataOf(snapshot) };
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
      outputs = created;
      return undefined;
    } catch (error) {
      log.log("error", (error as Error).message);
      return ExitCode.invalidConfig;
    }
  }

  async function runStarted(
    options: ConsolidatedOptions,
    metrics: MetricsEngine,
  ): Promise<number> {
    const contextOptions = contextOptionsOf(
      options,
      config.stripUrlQuery ?? false,
    );
    const runTags = Object.freeze({ ...(options.tags ?? {}) });
    let setupJSON: string | undefined;
    const environment = (): IterationEnvironment => ({
      sink,
      recorder: metrics.recorder,
      contextOptions,
      runTags,
      baseEnv,
      setupJSON,
      minIterationDuration: options.minIterationDuration ?? 0,
      log,
      failures,
      vuEventLoop: config.compatibilityMode !== "base",
      mapPaths: script.mapPaths,
      instance,
      test,
      warnOnce,
      drainTimeout: DRAIN_TIMEOUT_MS,
    });

    const plan = describePlan(options.scenarios, options.executionTuple);
    const tooManySockets = openFilesWarning(
      getMaxPossibleVUs(
        getFullExecutionRequirements(
          options.scenarios,
          options.executionTuple,
        ),
      ),
      io.openFileLimit,
    );
    if (tooManySockets !== undefined) log.warn(tooManySockets);
    if (!config.quiet) {
      const descriptions = outputs.map((output) => output.description);
      // As k6 v1: the dashboard's URL on a line of its own.
      const dashboard = descriptions.find((d) => d.startsWith("web-dashboard"));
      io.stdout(renderRunHeader({
        script: config.script,
        outputs: descriptions.filter((d) => d !== dashboard),
        webDashboard: dashboard?.slice("web-dashboard".length),
        plan,
        colors: config.colors && io.stdoutTTY,
      }));
    }

    let iterationEnvironment = environment();
    scheduler = new Scheduler<VU>(
      {
        scenarios: options.scenarios,
        executionTuple: options.executionTuple,
        tags: runTags,
        systemTags: options.systemTags,
      },
      {
        initVU: async (id) => {
          // The VU's init code and its iterations share its module state.
          const locals = new Map<symbol | object, unknown>();
          return createVU(
            id,
            await initContextFor(id.idInInstance, locals).run(() =>
              script.instantiate()
            ),
            locals,
          );
        },
        runIteration: (vu, info, signal) =>
          runIteration(iterationEnvironment, vu, info, signal),
        sink,
        logger: log,
      },
    );
    const running = scheduler;
    try {
      await running.init(testAbort.signal);
    } catch (error) {
      if (!testAbort.signal.aborted) {
        log.log("error", formatScriptError(error, script.mapPaths), {
          hint: "script exception",
        });
        exitCode = ExitCode.scriptException;
      }
      return await finish(0);
    }
    // A split test's instances begin together (issue 11).
    if (config.startAt !== undefined) {
      await waitForStart(config.startAt, testAbort.signal, log);
    }

    const lifecycleTags = (group: string) =>
      Object.freeze({
        ...runTags,
        ...(options.systemTags.has("group") ? { group } : {}),
      });

    // setup()
    if (
      typeof exports.setup === "function" && !options.noSetup &&
      !testAbort.signal.aborted
    ) {
      const result = await runInStage(iterationEnvironment, {
        stage: "setup",
        tags: lifecycleTags("::setup"),
        group: "::setup",
        fn: exports.setup as (...args: unknown[]) => unknown,
        args: [],
        timeoutMs: options.setupTimeout,
        signal: testAbort.signal,
      });
      // A failed or interrupted setup() skips the scenarios and teardown();
      // as in k6, the summary and the outputs still finish.
      if (result.kind === "interrupted") return await finish(0);
      if (result.kind === "timeout") {
        log.log(
          "error",
          `setup() execution timed out after ${
            secondsText(options.setupTimeout)
          }`,
        );
        exitCode = ExitCode.setupTimeout;
        return await finish(0);
      }
      if (result.kind === "error") {
        // exec.test.abort() in setup: the exit code (108) is already set.
        if (!(result.error instanceof TestAbortError)) {
          log.log("error", formatScriptError(result.error, script.mapPaths), {
            hint: "script exception",
          });
          exitCode = ExitCode.scriptException;
        }
        return await finish(0);
      }
      if (result.value !== undefined) {
        try {
          setupJSON = JSON.stringify(result.value);
        } catch (error) {
          log.log(
            "error",
            `setup() returned data that cannot be serialised as JSON: ${
              (error as Error).message
            }`,
          );
          exitCode = ExitCode.scriptException;
          return await finish(0);
        }
      }
      iterationEnvironment = environment();
    }

    // The scenarios, with thresholds every 2 s and live progress.
    const thresholdTimer = metrics.hasThresholds && !options.noThresholds
      ? setInterval(() => {
        const evaluation = metrics.evaluate(instance.currentTestRunDuration());
        if (evaluation.abort && !testAbort.signal.aborted) {
          if (evaluation.message) log.log("error", evaluation.message);
          abortTest(ExitCode.thresholdsFailed, "thresholds crossed");
        }
      }, THRESHOLD_INTERVAL_MS)
      : undefined;
    const progress = config.quiet ? undefined : new ProgressView({
      write: io.stdout,
      tty: io.stdoutTTY,
      colors: config.colors && io.stdoutTTY,
      columns: io.columns,
      read: () => running.progress(),
      scenarios: options.scenarios,
    });
    startedAt.time = now();
    progress?.start();
    let runResult;
    try {
      runResult = await running.run(testAbort.signal);
    } catch (error) {
      log.log("error", formatScriptError(error, script.mapPaths));
      if (exitCode === ExitCode.ok) exitCode = ExitCode.generic;
    } finally {
      clearInterval(thresholdTimer);
      progress?.stop();
    }
    const durationMs = runResult?.durationMs ??
      instance.currentTestRunDuration();
    if (runResult && runResult.completedIterations === 0) {
      log.warn(
        "No script iterations fully finished, consider making the test duration longer",
      );
    }

    // teardown(data): runs even after an abort (not after a second Ctrl+C, which exits).
    if (typeof exports.teardown === "function" && !options.noTeardown) {
      const result = await runInStage(iterationEnvironment, {
        stage: "teardown",
        tags: lifecycleTags("::teardown"),
        group: "::teardown",
        fn: exports.teardown as (...args: unknown[]) => unknown,
        args: [setupJSON === undefined ? undefined : JSON.parse(setupJSON)],
        timeoutMs: options.teardownTimeout,
      });
      if (result.kind === "timeout") {
        log.log(
          "error",
          `teardown() execution timed out after ${
            secondsText(options.teardownTimeout)
          }`,
        );
        if (exitCode === ExitCode.ok) exitCode = ExitCode.teardownTimeout;
      } else if (result.kind === "error") {
        log.log("error", formatScriptError(result.error, script.mapPaths), {
          hint: "script exception",
        });
        if (exitCode === ExitCode.ok) exitCode = ExitCode.scriptException;
      }
    }

    return await finish(durationMs);

    // The final threshold evaluation, the summary and the outputs' end come
    // after every run, even one whose setup() failed (k6 defers them).
    async function finish(durationMs: number): Promise<number> {
      exitCode = await endOfTest({
        engine: metrics,
        durationMs,
        exitCode,
        noThresholds: options.noThresholds ?? false,
        summaryMode: config.summaryMode,
        summaryExport: config.summaryExport,
        summaryTrendStats: options.summaryTrendStats,
        summaryTimeUnit: options.summaryTimeUnit,
        handleSummaryTimeoutMs: options.handleSummaryTimeout,
        colors: config.colors,
        stdoutTTY: io.stdoutTTY,
        stderrTTY: io.stderrTTY,
        setupData: setupJSON === undefined ? undefined : JSON.parse(setupJSON),
        handleSummary: typeof exports.handleSummary === "function"
          ? (data) =>
            runInStage(iterationEnvironment, {
              stage: "handleSummary",
              tags: runTags,
              group: "",
              fn: exports.handleSummary as (...args: unknown[]) => unknown,
              args: [data],
              timeoutMs: options.handleSummaryTimeout,
            })
          : undefined,
        formatError: (error) => formatScriptError(error, script.mapPaths),
        beforeSummary: () => {
          failures.end();
          return consoleWriteFailed;
        },
        outputs,
        stdout: io.stdout,
        stderr: io.stderr,
        log,
      });
      return exitCode;
    }
  }
}
