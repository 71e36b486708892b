/**
 * The lifecycle of one `wsload run`, as the coordinator drives it: the
 * first init in worker 0 (the script's options), consolidated options, the
 * outputs, the worker processes and their VUs, `setup()` once, the
 * scenarios on every worker with thresholds every 2 s on the merged
 * metrics, `teardown()` once, the final thresholds, the summary or
 * `handleSummary()`, the outputs' end — and k6's exit code throughout.
 * Script code runs only in the workers; everything the user asked to be
 * written is written here.
 *
 * @module
 */
import { availableParallelism } from "node:os";
import { registry } from "../metrics/registry.ts";
import { now, type Sample } from "../metrics/sample.ts";
import type { MetricsEngine } from "./engine/mod.ts";
import { ExitCode } from "./exit_codes.ts";
import type { FailureLog } from "./failures.ts";
import type { PreparedScript } from "./loader/mod.ts";
import type { RunLog } from "./log.ts";
import { openFilesWarning } from "./_open_files.ts";
import {
  ConfigError,
  type ConsolidatedOptions,
  consolidateOptions,
  describePlan,
  getFullExecutionRequirements,
  getMaxPossibleVUs,
} from "./options/mod.ts";
import type { Output } from "./output/mod.ts";
import type { RunConfig, RunIO } from "./run_config.ts";
import { finishRun, type RunOutputs, startOutputs } from "./run_end.ts";
import { createRunEngine } from "./run_options.ts";
import { runScenarios } from "./run_scenarios.ts";
import { waitForStart } from "./start_at.ts";
import type { RunStatus } from "./run_status.ts";
import { renderRunHeader } from "./summary/mod.ts";
import {
  type PoolEvents,
  type Reply,
  type WorkerHandle,
  WorkerPool,
} from "./workers/coordinator.ts";
import type {
  StageName,
  StageOutcome,
  WorkerPlan,
  WorkerReport,
  WorkerSettings,
} from "./workers/protocol.ts";
import { readAllowances } from "./workers/read_allowances.ts";
import type { SampleDecoder } from "./workers/samples.ts";
import { spawnWorkerProcess } from "./workers/spawn.ts";

function secondsText(ms: number): string {
  return `${Math.round(ms / 1000)} seconds`;
}

/** The parts of a run that exist before its lifecycle starts. */
export interface RunParts {
  /** What to run. */
  readonly config: RunConfig;
  /** The process around it. */
  readonly io: RunIO;
  /** The run log (stderr). */
  readonly log: RunLog;
  /** Writes a line of the script's console (stderr or `--console-output`). */
  readonly writeConsole: (line: string) => void;
  /** Counts and logs failures, rate-limited. */
  readonly failures: FailureLog;
  /** The exit code and the stop signal. */
  readonly status: RunStatus;
  /** Whether a `--console-output` write failed (the run then fails). */
  readonly consoleFailed: () => boolean;
  /** The prepared script. */
  readonly script: PreparedScript;
  /** `__ENV` before scenario additions. */
  readonly baseEnv: Readonly<Record<string, string>>;
}

/** One run, from the first init to the exit code. */
export class TestRun implements PoolEvents {
  readonly #parts: RunParts;
  readonly #pool: WorkerPool;
  readonly #warned = new Set<string>();
  #options: ConsolidatedOptions | undefined;
  #engine: MetricsEngine | undefined;
  #outputs: readonly Output[] = [];
  #host: WorkerHandle | undefined;
  #startedAt = 0;
  #setupJSON: string | undefined;
  #functions: readonly string[] = [];
  #plan: WorkerPlan | undefined;

  /**
   * Prepares a run.
   *
   * @param parts The run's log, status, script and process.
   */
  constructor(parts: RunParts) {
    this.#parts = parts;
    const { config, io, script } = parts;
    const sandbox = config.sandbox ?? true;
    this.#pool = new WorkerPool(
      io.spawnWorker ?? spawnWorkerProcess,
      {
        sandbox,
        reads: sandbox ? readAllowances(script) : [],
        env: config.env,
        stdout: io.stdout,
        stderr: io.stderr,
      },
      this,
    );
  }

  /** Kills the workers at once (a second Ctrl+C). */
  kill(): void {
    this.#pool.kill();
    for (const output of this.#outputs) output.abort();
  }

  /**
   * Runs the test.
   *
   * @returns The exit code.
   */
  async run(): Promise<number> {
    const { status } = this.#parts;
    const stopWorkers = () =>
      this.#pool.broadcast({
        type: "abort",
        reason: String(status.signal.reason?.message ?? "aborted"),
      });
    status.signal.addEventListener("abort", stopWorkers, { once: true });
    try {
      return await this.#run();
    } finally {
      status.signal.removeEventListener("abort", stopWorkers);
      await this.#pool.close();
    }
  }

  async #run(): Promise<number> {
    const { log, status } = this.#parts;
    const host = this.#startWorker(0, true);
    this.#host = host;
    let loaded: Reply;
    try {
      loaded = await host.expect("loaded", "failed");
    } catch {
      return status.exitCode === ExitCode.ok
        ? ExitCode.generic
        : status.exitCode;
    }
    if (loaded.type === "failed") {
      // exec.test.abort() in init code: the exit code (108) is already set.
      if (!loaded.aborted) {
        log.log(
          "error",
          loaded.text,
          loaded.phase === "load" ? {} : { hint: "script exception" },
        );
        status.set(ExitCode.scriptException);
      }
      return status.exitCode;
    }
    if (loaded.type !== "loaded") return ExitCode.generic;
    for (const { name, type, contains } of loaded.metrics ?? []) {
      if (registry.get(name) === undefined) {
        registry.define(name, type, contains);
      }
    }
    const functions = loaded.functions ?? [];
    this.#functions = functions;
    const options = this.#consolidate(loaded.options, functions);
    if (typeof options === "number") return options;
    const outputs = await startOutputs(
      this.#outputsContext(),
      () => this.#elapsed(),
    );
    if (typeof outputs === "number") return outputs;
    this.#outputs = outputs;
    return await this.#runWith(options, loaded.options, functions);
  }

  #startWorker(index: number, host: boolean): WorkerHandle {
    const { config, io, baseEnv } = this.#parts;
    // The manifest alone: plain data for the channel.
    const { path, folder, modules, warnings, reads, sandbox } =
      this.#parts.script;
    const script = { path, folder, modules, warnings, reads, sandbox };
    const consoleFile = config.cli.consoleOutput ??
      config.env.K6_CONSOLE_OUTPUT;
    const settings: WorkerSettings = {
      index,
      host,
      script,
      colors: config.colors && io.stderrTTY,
      consoleColors: consoleFile ? false : config.colors && io.stderrTTY,
      level: config.verbose ? "debug" : "info",
      logStart: this.#parts.log.startTime,
      baseEnv,
      vuEventLoop: config.compatibilityMode !== "base",
    };
    return this.#pool.start(settings);
  }

  #consolidate(
    scriptOptions: unknown,
    functions: readonly string[],
  ): ConsolidatedOptions | number {
    const { config, log } = this.#parts;
    try {
      const options = consolidateOptions({
        config: config.configFile,
        script: scriptOptions,
        env: config.env,
        cli: config.cli,
        exports: functions,
        logger: log,
      });
      this.#options = options;
      for (const name of ["paused", "linger"] as const) {
        if (options[name]) {
          log.warn(
            `the '${name}' option is not supported by wsload and is ignored`,
          );
        }
      }
      this.#engine = createRunEngine(options, {
        breakdown: config.summaryMode === "full",
        logger: log,
      });
      return options;
    } catch (error) {
      log.log("error", (error as Error).message);
      return error instanceof ConfigError || error instanceof SyntaxError ||
          error instanceof RangeError || error instanceof TypeError
        ? ExitCode.invalidConfig
        : ExitCode.generic;
    }
  }

  #outputsContext(): RunOutputs {
    const { config, io, log, status, failures } = this.#parts;
    return {
      config,
      io,
      log,
      status,
      failures,
      options: this.#options!,
      engine: this.#engine!,
    };
  }

  #finish(durationMs: number): Promise<number> {
    return finishRun({
      ...this.#outputsContext(),
      outputs: this.#outputs,
      setupJSON: this.#setupJSON,
      consoleFailed: this.#parts.consoleFailed,
      handleSummary: this.#functions.includes("handleSummary")
        ? async (data) => {
          const outcome = await this.#stage("handleSummary", data);
          switch (outcome?.kind) {
            case "ok":
              return { kind: "ok", value: outcome.value };
            case "error":
              return { kind: "error", error: outcome.text };
            case "timeout":
              return { kind: "timeout" };
            default:
              // Its worker is gone (reported): k6's default summary.
              return { kind: "interrupted" };
          }
        }
        : undefined,
    }, durationMs);
  }

  #elapsed(): number {
    return this.#startedAt === 0 ? 0 : now() - this.#startedAt;
  }

  // Samples the coordinator makes itself (vus, vus_max).
  #ingest(sample: Sample): void {
    this.#engine?.ingest(sample);
    for (const output of this.#outputs) output.add(sample);
  }

  // ------------------------------------------------------------ events --

  /** @internal A worker's report: metric delta, samples, failures. */
  report(report: WorkerReport, decoder: SampleDecoder): void {
    if (report.delta) this.#engine?.merge(report.delta);
    if (report.samples) {
      const outputs = this.#outputs;
      decoder.decode(report.samples, (sample) => {
        for (const output of outputs) output.add(sample);
      });
    }
    for (const failure of report.failures ?? []) {
      if (failure.kind === "connection") {
        this.#parts.failures.connection(failure.url, failure.error);
      } else {
        this.#parts.failures.script(failure.text, failure.fields);
      }
    }
  }

  /** @internal A worker's log line. */
  log(target: "log" | "console", line: string): void {
    if (target === "console") this.#parts.writeConsole(line);
    else this.#parts.io.stderr(line);
  }

  /** @internal A warning shown once per key. */
  warnOnce(key: string, message: string): void {
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    this.#parts.log.warn(message);
  }

  /** @internal `exec.test.*` in a worker (it logged it already). */
  control(action: "abort" | "fail" | "scriptError", reason?: string): void {
    const { status } = this.#parts;
    if (action === "fail") status.failWith(ExitCode.markedAsFailed);
    else if (action === "abort") {
      status.abort(ExitCode.scriptAborted, reason ?? "test aborted");
    } else status.abort(ExitCode.scriptException, reason ?? "script error");
  }

  /** @internal A worker stopped unexpectedly: the test stops, failing. */
  crashed(_worker: WorkerHandle, description: string): void {
    this.#parts.log.log("error", description);
    this.#parts.status.abort(ExitCode.generic, description);
  }

  // --------------------------------------------------------------- run --

  async #runWith(
    options: ConsolidatedOptions,
    scriptOptions: unknown,
    functions: readonly string[],
  ): Promise<number> {
    const { config, io, log, status } = this.#parts;
    const peak = getMaxPossibleVUs(
      getFullExecutionRequirements(options.scenarios, options.executionTuple),
    );
    // As asked (or one per core), never more than the VUs at their peak.
    const count = Math.max(
      1,
      Math.min(options.workers ?? availableParallelism(), peak),
    );
    const tooManySockets = openFilesWarning(
      Math.ceil(peak / count),
      io.openFileLimit,
    );
    if (tooManySockets !== undefined) log.warn(tooManySockets);
    if (!config.quiet) {
      const descriptions = this.#outputs.map((output) => output.description);
      // As k6 v1: the dashboard's URL on a line of its own.
      const dashboard = descriptions.find((d) => d.startsWith("web-dashboard"));
      io.stdout(renderRunHeader({
        script: config.script,
        outputs: descriptions.filter((d) => d !== dashboard),
        webDashboard: dashboard?.slice("web-dashboard".length),
        plan: describePlan(options.scenarios, options.executionTuple),
        colors: config.colors && io.stdoutTTY,
      }));
    }

    // Every worker loads the script and initialises its VUs.
    const plan: WorkerPlan = {
      options: {
        config: config.configFile,
        script: scriptOptions,
        env: config.env,
        cli: config.cli,
        exports: functions,
      },
      workers: count,
      stripUrlQuery: config.stripUrlQuery ?? false,
      breakdown: config.summaryMode === "full",
      streamSamples: this.#outputs.length > 0,
    };
    this.#plan = plan;
    const workers = [this.#host!];
    for (let index = 1; index < count; index++) {
      workers.push(this.#startWorker(index, false));
    }
    this.#pool.shareCounters();
    const failures = await Promise.all(
      workers.map((worker) => this.#prepare(worker, plan)),
    );
    const failed = failures.find((failure) => failure !== undefined);
    if (failed !== undefined || status.signal.aborted) {
      // A VU's init code failed (k6 stops the test before setup()).
      if (failed !== undefined && !failed.aborted && !status.signal.aborted) {
        log.log("error", failed.text, { hint: "script exception" });
        status.set(ExitCode.scriptException);
        status.abort(ExitCode.scriptException, "VU initialization failed");
      }
      return await this.#finish(0);
    }

    // A split test's instances begin together (issue 11).
    if (config.startAt !== undefined) {
      await waitForStart(config.startAt, status.signal, log);
    }

    // setup(), once, in worker 0.
    if (
      functions.includes("setup") && !options.noSetup && !status.signal.aborted
    ) {
      const outcome = await this.#stage("setup");
      if (outcome?.kind !== "ok") {
        this.#stageFailed("setup", outcome, options.setupTimeout, true);
        return await this.#finish(0);
      }
      this.#setupJSON = outcome.json;
    }

    const durationMs = await runScenarios({
      ...this.#outputsContext(),
      pool: this.#pool,
      workers,
      setupJSON: this.#setupJSON,
      ingest: (sample) => this.#ingest(sample),
      started: (time) => this.#startedAt = time,
    });

    // teardown(data): runs even after an abort (not after a second
    // Ctrl+C, which exits).
    if (functions.includes("teardown") && !options.noTeardown) {
      const outcome = await this.#stage("teardown", this.#setupJSON);
      if (outcome?.kind !== "ok") {
        this.#stageFailed("teardown", outcome, options.teardownTimeout, false);
      }
    }
    return await this.#finish(durationMs);
  }

  // Loads the script in a worker and initialises its VUs; the failure, if any.
  async #prepare(
    worker: WorkerHandle,
    plan: WorkerPlan,
  ): Promise<{ text: string; aborted: boolean } | undefined> {
    try {
      if (worker !== this.#host) {
        const loaded = await worker.expect("loaded", "failed");
        if (loaded.type === "failed") return loaded;
      }
      const reply = await worker.request(
        { type: "plan", plan },
        "ready",
        "failed",
      );
      if (reply.type === "failed") {
        // The others stop initialising.
        this.#parts.status.abort(ExitCode.scriptException, "VU init failed");
        return reply;
      }
      return undefined;
    } catch {
      return undefined; // it crashed: reported, and the test stops
    }
  }

  // A lifecycle call in the host (a new host if worker 0 is gone); no
  // outcome when the host crashed (that is reported, and fails the run).
  async #stage(
    stage: StageName,
    argument?: unknown,
  ): Promise<StageOutcome | undefined> {
    const host = await this.#liveHost();
    if (host === undefined) return undefined;
    try {
      const reply = await host.request(
        { type: "stage", stage, argument },
        "stageResult",
      );
      return reply.outcome;
    } catch {
      return undefined;
    }
  }

  // Worker 0, or, when it is gone, a host started for the lifecycle alone.
  async #liveHost(): Promise<WorkerHandle | undefined> {
    if (this.#host?.alive) return this.#host;
    const host = this.#startWorker(-1, true);
    this.#host = host;
    try {
      const loaded = await host.expect("loaded", "failed");
      if (loaded.type === "failed") return undefined;
      const ready = await host.request(
        { type: "plan", plan: this.#plan! },
        "ready",
        "failed",
      );
      return ready.type === "ready" ? host : undefined;
    } catch {
      return undefined;
    }
  }

  #stageFailed(
    stage: "setup" | "teardown",
    outcome: StageOutcome | undefined,
    timeoutMs: number,
    always: boolean,
  ): void {
    const { log, status } = this.#parts;
    const setCode = (code: number) =>
      always ? status.set(code) : status.failWith(code);
    switch (outcome?.kind) {
      case "timeout":
        log.log(
          "error",
          `${stage}() execution timed out after ${secondsText(timeoutMs)}`,
        );
        setCode(
          stage === "setup" ? ExitCode.setupTimeout : ExitCode.teardownTimeout,
        );
        return;
      case "error":
        // exec.test.abort() in setup: the exit code (108) is already set.
        if (outcome.aborted) return;
        log.log("error", outcome.text, { hint: "script exception" });
        setCode(ExitCode.scriptException);
        return;
      case "invalid":
        log.log("error", outcome.message);
        setCode(ExitCode.scriptException);
        return;
      case undefined:
        // Its worker crashed: reported, and the exit code is set.
        return;
    }
  }
}
