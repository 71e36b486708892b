/**
 * The worker side of `wsload run`: everything that runs script code, in a
 * (sandboxed) worker process. It imports the prepared script, hosts the
 * lifecycle calls when it is worker 0 (the first init that exports the
 * options, `setup()`, `teardown()`, `handleSummary()`), runs its part of
 * the test with the scheduler, and reports to the coordinator: metric
 * deltas, samples for the outputs, failures, progress, log lines. It is
 * runtime-neutral; `worker_main.ts` connects it to the process.
 *
 * @module
 */
import { Context, DEFAULT_OPTIONS } from "../../context/context.ts";
import { VUS, VUS_MAX } from "../../metrics/builtin.ts";
import { registry } from "../../metrics/registry.ts";
import { now, type Sample, type SampleSink } from "../../metrics/sample.ts";
import {
  bindExecutionState,
  type InstanceState,
  type Stage,
  type TestControl,
} from "../../internal/execution_state.ts";
import { TestAbortError } from "../../internal/test_abort.ts";
import type { MetricsEngine } from "../engine/mod.ts";
import { Scheduler } from "../execution/mod.ts";
import type { FailureSink } from "../failures.ts";
import { importScript, type RunnableScript } from "../loader/import.ts";
import { RunLog } from "../log.ts";
import {
  type ConsolidatedOptions,
  consolidateOptions,
} from "../options/mod.ts";
import {
  contextOptionsOf,
  createRunEngine,
  k6OptionsView,
} from "../run_options.ts";
import { createScriptConsole } from "../script_console.ts";
import { bindScriptGlobals } from "../script_globals.ts";
import {
  createVU,
  formatScriptError,
  type IterationEnvironment,
  runInStage,
  runIteration,
  type StageResult,
  type VU,
} from "../vu.ts";
import type {
  Counters,
  FailureEvent,
  FromWorker,
  StageName,
  StageOutcome,
  ToWorker,
  WorkerPlan,
  WorkerSettings,
} from "./protocol.ts";
import { NO_COUNTERS, REPORT_INTERVAL_MS } from "./protocol.ts";
import { SampleEncoder } from "./samples.ts";
import { workerShares } from "./segments.ts";

/** How a worker talks to its coordinator. */
export interface WorkerPort {
  /** Sends a message. */
  send(message: FromWorker): void;
}

/** How long sockets get to close after an interruption, ms. */
const DRAIN_TIMEOUT_MS = 3000;
/** A batch of samples goes out at this size without waiting for the timer. */
const BATCH_SIZE = 4096;

const SILENT = { warn() {} };

// handleSummary()'s result in a form the channel carries, with the same
// verdict when the coordinator checks it (end_of_test.ts): k6 accepts a
// map of strings and ArrayBuffers.
function carriable(value: unknown): unknown {
  if (typeof value === "function") return true;
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return [];
  const map: Record<string, unknown> = {};
  for (const [target, content] of Object.entries(value)) {
    map[target] = typeof content === "string" || content instanceof ArrayBuffer
      ? content
      : null;
  }
  return map;
}

// A lifecycle call's result as the coordinator gets it.
function outcomeOf(
  stage: StageName,
  result: StageResult,
  mapPaths: (text: string) => string,
): StageOutcome {
  switch (result.kind) {
    case "timeout":
    case "interrupted":
      return { kind: result.kind };
    case "error":
      return {
        kind: "error",
        text: formatScriptError(result.error, mapPaths),
        aborted: result.error instanceof TestAbortError,
      };
  }
  if (stage === "handleSummary") {
    return { kind: "ok", value: carriable(result.value) };
  }
  if (stage !== "setup" || result.value === undefined) return { kind: "ok" };
  try {
    return { kind: "ok", json: JSON.stringify(result.value) };
  } catch (error) {
    return {
      kind: "invalid",
      message: `setup() returned data that cannot be serialised as JSON: ${
        (error as Error).message
      }`,
    };
  }
}

const unchanged = (text: string): string => text;

/** The script-running half of a run, in one worker process. */
export class ScriptWorker {
  readonly #port: WorkerPort;
  #settings: WorkerSettings | undefined;
  #log: RunLog | undefined;
  #script: RunnableScript | undefined;
  /** The host's first instance of the script (VU 0): the lifecycle's exports. */
  #exports: Readonly<Record<string, unknown>> = {};
  #plan: WorkerPlan | undefined;
  #options: ConsolidatedOptions | undefined;
  #engine: MetricsEngine | undefined;
  #samples: SampleEncoder | undefined;
  #failures: FailureEvent[] = [];
  #scheduler: Scheduler<VU> | undefined;
  #environment: IterationEnvironment | undefined;
  #others: Counters = NO_COUNTERS;
  #startTime = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #warned = new Set<string>();
  readonly #abort = new AbortController();

  /**
   * Creates the worker side of one process.
   *
   * @param port Its channel to the coordinator.
   */
  constructor(port: WorkerPort) {
    this.#port = port;
  }

  /**
   * Handles one message of the coordinator.
   *
   * @param message The message.
   * @returns When it is handled (a stage or the run may take long).
   */
  async handle(message: ToWorker): Promise<void> {
    switch (message.type) {
      case "load":
        return await this.#load(message.settings);
      case "plan":
        return await this.#runPlan(message.plan);
      case "stage":
        return await this.#stage(message.stage, message.argument);
      case "start":
        return await this.#start(message.setupJSON, message.startTime);
      case "totals":
        this.#others = message.others;
        return;
      case "abort":
        this.#abort.abort(new Error(message.reason));
        return;
      case "exit":
        clearInterval(this.#timer);
        return;
    }
  }

  /**
   * Logs a promise rejection nobody handled (script code that neither
   * awaited nor caught), as k6 logs it, and goes on.
   *
   * @param reason The rejection's reason.
   */
  rejection(reason: unknown): void {
    this.#log?.log(
      "error",
      `Uncaught (in promise) ${this.#formatError(reason)}`,
      { source: "stacktrace" },
    );
  }

  /** A script's exception, with its paths mapped once the script loaded. */
  #formatError(error: unknown): string {
    return formatScriptError(error, this.#script?.mapPaths ?? unchanged);
  }

  // ------------------------------------------------------------- load --

  async #load(settings: WorkerSettings): Promise<void> {
    this.#settings = settings;
    const logTo = (target: "log" | "console", colors: boolean) =>
      new RunLog({
        write: (line) => this.#port.send({ type: "log", target, line }),
        colors,
        level: settings.level,
        startTime: settings.logStart,
      });
    this.#log = logTo("log", settings.colors);
    bindScriptGlobals(
      createScriptConsole(
        logTo("console", settings.consoleColors),
        (error) => this.#formatError(error),
      ),
    );
    try {
      this.#script = await importScript(settings.script);
    } catch (error) {
      return this.#fail("load", error);
    }
    if (!settings.host) return this.#port.send({ type: "loaded" });
    try {
      this.#exports = await this.#initContext(0).run(() =>
        this.#script!.instantiate()
      );
    } catch (error) {
      return this.#fail("init", error);
    }
    let options: unknown;
    try {
      // k6 hands the options around as JSON.
      const json = JSON.stringify(this.#exports.options);
      options = json === undefined ? undefined : JSON.parse(json);
    } catch (error) {
      return this.#fail("options", error);
    }
    this.#port.send({
      type: "loaded",
      options,
      functions: Object.keys(this.#exports).filter((name) =>
        typeof this.#exports[name] === "function"
      ),
      metrics: registry.all().map(({ name, type, contains }) => ({
        name,
        type,
        contains,
      })),
    });
  }

  #fail(phase: "load" | "init" | "options" | "vus", error: unknown): void {
    this.#port.send({
      type: "failed",
      phase,
      text: this.#formatError(error),
      aborted: error instanceof TestAbortError || this.#abort.signal.aborted,
    });
  }

  // The context of init code: once for the options (VU 0), once per VU.
  #initContext(id: number, vuLocals?: Map<symbol | object, unknown>): Context {
    const context = new Context({
      sink: this.#sink,
      logger: this.#log,
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
      instance: this.#instance,
      test: this.#test,
      env: { ...this.#settings!.baseEnv },
      warnOnce: this.#warnOnce,
    });
    return context;
  }

  // ------------------------------------------------------------- plan --

  async #runPlan(plan: WorkerPlan): Promise<void> {
    const settings = this.#settings!;
    this.#plan = plan;
    let options: ConsolidatedOptions;
    try {
      options = consolidateOptions({ ...plan.options, logger: SILENT });
      this.#options = options;
      this.#engine = this.#newEngine();
    } catch (error) {
      return this.#fail("options", error);
    }
    if (plan.streamSamples) this.#samples = new SampleEncoder();
    this.#environment = this.#newEnvironment(undefined);
    this.#timer = setInterval(() => this.#report(), REPORT_INTERVAL_MS);
    if (settings.index < 0) return this.#port.send({ type: "ready" });
    const share = workerShares(options.executionTuple, plan.workers)[
      settings.index
    ];
    const sink = this.#sink;
    // vus and vus_max are the coordinator's: the sums over all workers.
    const schedulerSink = (sample: Sample) => {
      if (sample.metric !== VUS && sample.metric !== VUS_MAX) sink(sample);
    };
    this.#scheduler = new Scheduler<VU>(
      {
        scenarios: options.scenarios,
        executionTuple: share,
        tags: this.#environment.runTags,
        systemTags: options.systemTags,
      },
      {
        initVU: async (id) => {
          // The VU's init code and its iterations share its module state.
          const locals = new Map<symbol | object, unknown>();
          return createVU(
            id,
            await this.#initContext(id.idInInstance, locals).run(() =>
              this.#script!.instantiate()
            ),
            locals,
          );
        },
        runIteration: (vu, info, signal) =>
          runIteration(this.#environment!, vu, info, signal),
        sink: schedulerSink,
        logger: this.#log,
      },
    );
    try {
      await this.#scheduler.init(this.#abort.signal);
    } catch (error) {
      this.#report();
      return this.#fail("vus", error);
    }
    this.#report();
    this.#port.send({ type: "ready" });
  }

  #newEngine(): MetricsEngine {
    return createRunEngine(this.#options!, {
      breakdown: this.#plan!.breakdown,
      aggregateOnly: true,
      logger: SILENT,
    });
  }

  #newEnvironment(setupJSON: string | undefined): IterationEnvironment {
    const options = this.#options!;
    const settings = this.#settings!;
    return {
      sink: this.#sink,
      recorder: this.#recorder,
      contextOptions: contextOptionsOf(options, this.#plan!.stripUrlQuery),
      runTags: Object.freeze({ ...(options.tags ?? {}) }),
      baseEnv: settings.baseEnv,
      setupJSON,
      minIterationDuration: options.minIterationDuration ?? 0,
      log: this.#log!,
      failures: this.#failureSink,
      vuEventLoop: settings.vuEventLoop,
      mapPaths: this.#script!.mapPaths,
      instance: this.#instance,
      test: this.#test,
      warnOnce: this.#warnOnce,
      drainTimeout: DRAIN_TIMEOUT_MS,
    };
  }

  // ------------------------------------------------- samples and reports --

  readonly #sink: SampleSink = (sample) => {
    this.#engine?.ingest(sample);
    const samples = this.#samples;
    if (samples !== undefined) {
      samples.add(sample);
      if (samples.size >= BATCH_SIZE) this.#report();
    }
  };

  // The groups and checks go to the engine of the moment.
  readonly #recorder = {
    group: (path: string) => this.#engine?.recorder.group(path),
    check: (group: string, name: string, passed: boolean) =>
      this.#engine?.recorder.check(group, name, passed),
  };

  readonly #failureSink: FailureSink = {
    connection: (url, error) =>
      this.#failures.push({ kind: "connection", url, error }),
    script: (text, fields = {}) =>
      this.#failures.push({ kind: "script", text, fields }),
  };

  #counters(): Counters {
    return this.#scheduler?.counters() ?? NO_COUNTERS;
  }

  /** Sends what happened since the last report; a fresh engine takes over. */
  #report(): void {
    const engine = this.#engine;
    if (engine === undefined) return;
    this.#engine = this.#newEngine();
    const failures = this.#failures;
    this.#failures = [];
    this.#port.send({
      type: "report",
      report: {
        delta: engine.state(),
        samples: this.#samples?.take(),
        failures: failures.length > 0 ? failures : undefined,
        progress: this.#scheduler?.progress(),
        counters: this.#counters(),
      },
    });
  }

  // ------------------------------------------------ k6/execution's view --

  readonly #instance: InstanceState = {
    iterationsCompleted: () =>
      this.#counters().completedIterations + this.#others.completedIterations,
    iterationsInterrupted: () =>
      this.#counters().interruptedIterations +
      this.#others.interruptedIterations,
    vusActive: () => this.#counters().activeVUs + this.#others.activeVUs,
    vusInitialized: () =>
      this.#counters().initializedVUs + this.#others.initializedVUs,
    currentTestRunDuration: () =>
      this.#startTime === 0 ? 0 : now() - this.#startTime,
  };

  readonly #test: TestControl = this.#testControl();

  // exec.test: this worker stops at once, the coordinator stops the others
  // and keeps the exit code.
  #testControl(): TestControl {
    let view: Readonly<Record<string, unknown>> | undefined;
    const optionsView = () => {
      const options = this.#options;
      if (options === undefined) return {};
      return view ??= k6OptionsView(options) as Readonly<
        Record<string, unknown>
      >;
    };
    const stop = (action: "abort" | "scriptError", reason: string) => {
      this.#port.send({ type: "control", action, reason });
      this.#abort.abort(new Error(reason));
    };
    return {
      get options() {
        return optionsView();
      },
      abort: (reason) => {
        this.#log?.log("error", `test aborted${reason ? `: ${reason}` : ""}`);
        stop("abort", reason ?? "test aborted");
      },
      fail: (reason) => {
        this.#log?.log(
          "error",
          `test marked as failed${reason ? `: ${reason}` : ""}`,
        );
        this.#port.send({ type: "control", action: "fail", reason });
      },
      stopWithScriptError: (message) => {
        if (this.#abort.signal.aborted) return;
        this.#log?.log("error", message, { hint: "script exception" });
        stop("scriptError", message);
      },
    };
  }

  readonly #warnOnce = (key: string, message: string): void => {
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    this.#port.send({ type: "warnOnce", key, message });
  };

  // ----------------------------------------------------------- stages --

  async #stage(stage: StageName, argument: unknown): Promise<void> {
    const options = this.#options!;
    const environment = this.#environment!;
    const fn = this.#exports[stage] as (...args: unknown[]) => unknown;
    const runTags = environment.runTags;
    const group = stage === "handleSummary" ? "" : `::${stage}`;
    const tags = stage === "handleSummary" ? runTags : Object.freeze({
      ...runTags,
      ...(options.systemTags.has("group") ? { group } : {}),
    });
    let args: unknown[] = [];
    if (stage === "teardown") {
      args = [
        argument === undefined ? undefined : JSON.parse(String(argument)),
      ];
    } else if (stage === "handleSummary") {
      args = [argument];
    }
    const result = await runInStage(environment, {
      stage: stage as Stage,
      tags,
      group,
      fn,
      args,
      timeoutMs: stage === "setup"
        ? options.setupTimeout
        : stage === "teardown"
        ? options.teardownTimeout
        : options.handleSummaryTimeout,
      // k6 interrupts setup() on Ctrl+C; teardown and the summary still run.
      signal: stage === "setup" ? this.#abort.signal : undefined,
    });
    this.#report();
    this.#port.send({
      type: "stageResult",
      outcome: outcomeOf(stage, result, this.#script!.mapPaths),
    });
  }

  // -------------------------------------------------------------- run --

  async #start(setupJSON: string | undefined, startTime: number) {
    this.#startTime = startTime;
    this.#environment = this.#newEnvironment(setupJSON);
    let error: string | undefined;
    let completedIterations = 0;
    try {
      if (this.#scheduler) {
        const result = await this.#scheduler.run(this.#abort.signal);
        completedIterations = result.completedIterations;
      }
    } catch (thrown) {
      error = formatScriptError(thrown, this.#script!.mapPaths);
    }
    this.#report();
    this.#port.send({ type: "ran", error, completedIterations });
  }
}
