/**
 * The messages between `wsload run`'s coordinator and its worker processes
 * (see `docs/workers.md`). They travel over the runtime's child-process IPC
 * channel with structured clone (`serialization: "advanced"`), in order; a
 * worker sends a `report` before each of its replies, so the coordinator
 * has every sample of a stage before its result.
 *
 * @module
 */
import type { MetricInfo } from "../engine/state.ts";
import type { EngineState } from "../engine/state.ts";
import type { RunProgress } from "../execution/types.ts";
import type { ScriptManifest } from "../loader/import.ts";
import type { LogLevel } from "../log.ts";
import type { CliOverrides } from "../options/mod.ts";
import type { SampleBatch } from "./samples.ts";

/** How often a worker sends its report, and the coordinator its totals, ms. */
export const REPORT_INTERVAL_MS = 200;

/** What a worker process is told when it starts. */
export interface WorkerSettings {
  /** Its number, from 0. */
  readonly index: number;
  /**
   * Whether it hosts the lifecycle: the first init (options), `setup()`,
   * `teardown()` and `handleSummary()`.
   */
  readonly host: boolean;
  /** The prepared script. */
  readonly script: ScriptManifest;
  /** Colour log lines (k6's `INFO[0003]` form). */
  readonly colors: boolean;
  /** Colour the script console's lines (false when they go to a file). */
  readonly consoleColors: boolean;
  /** Lowest log level written. */
  readonly level: LogLevel;
  /** The run's start, ms since the epoch (the log's `[0003]` counter). */
  readonly logStart: number;
  /** `__ENV` before scenario additions. */
  readonly baseEnv: Readonly<Record<string, string>>;
  /** k6's event loop per VU (off in `--compatibility-mode=base`). */
  readonly vuEventLoop: boolean;
}

/** Where the options of a run come from; each worker consolidates them. */
export interface OptionSources {
  /** The config file's JSON. */
  readonly config?: unknown;
  /** The script's `options`, as the first init exported them (JSON). */
  readonly script?: unknown;
  /** The environment (`K6_*`, `WSLOAD_*`). */
  readonly env: Readonly<Record<string, string>>;
  /** The flags. */
  readonly cli: CliOverrides;
  /** The script's exported functions. */
  readonly exports: readonly string[];
}

/** What a worker runs. */
export interface WorkerPlan {
  /** The options' sources (consolidated as the coordinator did). */
  readonly options: OptionSources;
  /** How many workers share the instance. */
  readonly workers: number;
  /** `--strip-url-query`. */
  readonly stripUrlQuery: boolean;
  /** Keep per-group and per-scenario metrics (`--summary-mode full`). */
  readonly breakdown: boolean;
  /** Send every sample (an output needs them), not only metric deltas. */
  readonly streamSamples: boolean;
}

/** The lifecycle calls worker 0 hosts. */
export type StageName = "setup" | "teardown" | "handleSummary";

/** The run's counters (what `k6/execution`'s `instance` shows). */
export interface Counters {
  /** Iterations completed. */
  readonly completedIterations: number;
  /** Iterations interrupted. */
  readonly interruptedIterations: number;
  /** VUs running an iteration. */
  readonly activeVUs: number;
  /** VUs initialised. */
  readonly initializedVUs: number;
}

/** The counters of a worker that has no VUs yet. */
export const NO_COUNTERS: Counters = Object.freeze({
  completedIterations: 0,
  interruptedIterations: 0,
  activeVUs: 0,
  initializedVUs: 0,
});

/** A failure a worker counted, for the coordinator's one failure log. */
export type FailureEvent =
  | {
    readonly kind: "connection";
    readonly url: string;
    readonly error: string;
  }
  | {
    readonly kind: "script";
    readonly text: string;
    readonly fields: Readonly<Record<string, string>>;
  };

/** What a worker sends every {@link REPORT_INTERVAL_MS}. */
export interface WorkerReport {
  /** The metrics since the last report (a fresh engine's state). */
  readonly delta?: EngineState;
  /** The samples since the last report, when the outputs need them. */
  readonly samples?: SampleBatch;
  /** Failures since the last report. */
  readonly failures?: readonly FailureEvent[];
  /** The scheduler's progress, once it exists. */
  readonly progress?: RunProgress;
  /** Its counters. */
  readonly counters: Counters;
}

/** How a lifecycle call ended, as a worker reports it. */
export type StageOutcome =
  | {
    readonly kind: "ok";
    /** `setup()`'s result as JSON (k6's round trip), when it returned one. */
    readonly json?: string;
    /**
     * `handleSummary()`'s result, as the coordinator checks it: strings and
     * `ArrayBuffer`s of a map as they are; anything the channel cannot carry
     * is replaced by a value of the same verdict (`null` for an unsupported
     * value of a map, `[]` for an array, `true` for a function).
     */
    readonly value?: unknown;
  }
  | {
    readonly kind: "error";
    /** The error, formatted for the log (the user's paths and lines). */
    readonly text: string;
    /** It was `exec.test.abort()` (already handled). */
    readonly aborted: boolean;
  }
  | {
    /** A result the runner cannot use (logged by the coordinator). */
    readonly kind: "invalid";
    readonly message: string;
  }
  | { readonly kind: "timeout" }
  | { readonly kind: "interrupted" };

/** Coordinator → worker. */
export type ToWorker =
  | { readonly type: "load"; readonly settings: WorkerSettings }
  | { readonly type: "plan"; readonly plan: WorkerPlan }
  | {
    readonly type: "stage";
    readonly stage: StageName;
    /** teardown: the setup data's JSON; handleSummary: the summary data. */
    readonly argument?: unknown;
  }
  | {
    readonly type: "start";
    readonly setupJSON: string | undefined;
    /** The test's start, ms since the epoch. */
    readonly startTime: number;
  }
  | { readonly type: "totals"; readonly others: Counters }
  | { readonly type: "abort"; readonly reason: string }
  | { readonly type: "exit" };

/** Worker → coordinator. */
export type FromWorker =
  | {
    readonly type: "loaded";
    /** The host's first init: the script's `options` (JSON round trip). */
    readonly options?: unknown;
    /** The host's first init: the exported functions. */
    readonly functions?: readonly string[];
    /** The host's first init: the custom metrics it defined. */
    readonly metrics?: readonly MetricInfo[];
  }
  | {
    readonly type: "failed";
    /** What failed: loading, the first init, the options, or a VU's init. */
    readonly phase: "load" | "init" | "options" | "vus";
    /** The error, formatted for the log. */
    readonly text: string;
    /** It was `exec.test.abort()` (already handled). */
    readonly aborted: boolean;
  }
  | { readonly type: "ready" }
  | { readonly type: "report"; readonly report: WorkerReport }
  | { readonly type: "stageResult"; readonly outcome: StageOutcome }
  | {
    readonly type: "ran";
    /** The scheduler's error, formatted, when it failed. */
    readonly error?: string;
    /** Iterations completed. */
    readonly completedIterations: number;
  }
  | {
    readonly type: "control";
    /** `exec.test.abort()`, `exec.test.fail()`, or a stop with a script error. */
    readonly action: "abort" | "fail" | "scriptError";
    readonly reason?: string;
  }
  | {
    readonly type: "log";
    /** `console` for the script's console (the `--console-output` file). */
    readonly target: "log" | "console";
    readonly line: string;
  }
  | {
    readonly type: "warnOnce";
    readonly key: string;
    readonly message: string;
  };
