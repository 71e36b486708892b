/**
 * VUs and iterations: how `wsload run` executes one iteration of a
 * script's exported function in its own execution context, waits for the
 * sockets and timers it started (k6's event-loop rule), and reports it.
 *
 * @module
 */
import {
  Context,
  type ContextOptions,
  PendingWork,
  type ResultRecorder,
} from "../context/context.ts";
import { Cancellation } from "../context/cancellation.ts";
import {
  DATA_RECEIVED,
  DATA_SENT,
  ITERATION_DURATION,
  ITERATIONS,
} from "../metrics/builtin.ts";
import { now, type SampleSink } from "../metrics/sample.ts";
import type { Tags } from "../metrics/tags.ts";
import {
  bindExecutionState,
  type ExecutionState,
  type InstanceState,
  type Stage,
  type TestControl,
  type VUState,
} from "../internal/execution_state.ts";
import { TestAbortError } from "../internal/test_abort.ts";
import { delay } from "./execution/timing.ts";
import type {
  IterationInfo,
  IterationOutcome,
  VUIdentity,
} from "./execution/types.ts";
import type { FailureSink } from "./failures.ts";
import { isPermissionError, PERMISSION_HINT } from "./loader/sandbox.ts";
import type { RunLog } from "./log.ts";

/** One virtual user: identity and the state it keeps across iterations. */
export interface VU {
  /** Ids in this instance and in the whole test. */
  readonly id: VUIdentity;
  /** This VU's instance of the script's exports (k6 runs init code per VU). */
  readonly exports: Readonly<Record<string, unknown>>;
  /** `exec.vu.tags`: mutable by the script, applied from the next iteration. */
  readonly tags: Record<string, string>;
  /** `exec.vu.metrics.metadata`. */
  readonly metadata: Record<string, string>;
  /** `__ENV` per scenario name (k6 merges the scenario's `env` in). */
  readonly env: Map<string, Record<string, string | undefined>>;
  /** This VU's copy of the setup data (k6 gives each VU its own copy). */
  data: unknown;
  /** Whether `data` was copied yet. */
  hasData: boolean;
  /** The VU's store for modules' per-VU state (e.g. k6/http's connections). */
  readonly locals: Map<symbol | object, unknown>;
}

/** What every iteration of a run shares. */
export interface IterationEnvironment {
  /** Receives every sample. */
  readonly sink: SampleSink;
  /** Hears about groups and checks. */
  readonly recorder: ResultRecorder;
  /** Options the modules read from their context. */
  readonly contextOptions: ContextOptions;
  /** Run-wide tags (`options.tags`, `--tag`). */
  readonly runTags: Tags;
  /** `__ENV` before scenario additions (system env if included, then `-e`). */
  readonly baseEnv: Readonly<Record<string, string>>;
  /** The setup data as JSON, or `undefined` when setup returned nothing. */
  readonly setupJSON: string | undefined;
  /** `minIterationDuration`, ms. */
  readonly minIterationDuration: number;
  /** The run log. */
  readonly log: RunLog;
  /** Counts and logs (rate-limited) failed connections and script errors. */
  readonly failures: FailureSink;
  /** Give each VU k6's event loop (held while it blocks); off in base mode. */
  readonly vuEventLoop: boolean;
  /** Maps temporary module paths in stack traces back to the script's. */
  readonly mapPaths: (text: string) => string;
  /** `k6/execution`'s `instance`. */
  readonly instance: InstanceState;
  /** `k6/execution`'s `test`. */
  readonly test: TestControl;
  /** Warn-once store shared by the run. */
  readonly warnOnce: (key: string, message: string) => void;
  /** How long to wait for sockets to close after an interruption, ms. */
  readonly drainTimeout: number;
}

/**
 * Creates a VU.
 *
 * @param id Its ids.
 * @param exports Its instance of the script's exports.
 * @param locals Its store of per-VU module state (the one its init code used).
 * @returns The VU.
 */
export function createVU(
  id: VUIdentity,
  exports: Readonly<Record<string, unknown>>,
  locals: Map<symbol | object, unknown> = new Map(),
): VU {
  return {
    id,
    exports,
    tags: {},
    metadata: {},
    env: new Map(),
    data: undefined,
    hasData: false,
    locals,
  };
}

// wsload's own modules: this file is runner/vu.{ts,js}, one folder down.
const OWN_CODE = new URL("../", import.meta.url).href;

// A frame of wsload, of a dependency or of the runtime, not of the script.
function isForeignFrame(line: string): boolean {
  return /^\s*at /.test(line) &&
    (line.includes(OWN_CODE) ||
      /\b(?:ext|node):|\/node_modules\/|\((?:<anonymous>|native|index \d+)\)$/
        .test(line));
}

/**
 * Formats an exception from script code for the log, k6-style: the stack
 * with the script's own paths and names, and only the script's frames (k6
 * shows no Go frames either). A stack without any script frame (an error of
 * wsload itself) is kept whole.
 *
 * @param error The thrown value.
 * @param mapPaths Maps temporary module paths back.
 * @returns The text.
 */
export function formatScriptError(
  error: unknown,
  mapPaths: (text: string) => string,
): string {
  if (!(error instanceof Error)) return mapPaths(String(error));
  const stack = error.stack ?? `${error.name}: ${error.message}`;
  const lines = stack.split("\n");
  const own = lines.filter((line) => !isForeignFrame(line));
  const hasScriptFrame = own.some((line) => /^\s*at /.test(line));
  return withSandboxHint(
    error,
    mapPaths((hasScriptFrame ? own : lines).join("\n")),
  );
}

// A refusal of the runtime's permission system says why, in wsload's terms
// (not "run again with the --allow-read flag", a flag of Deno's own).
function withSandboxHint(error: Error, text: string): string {
  if (!isPermissionError(error) || !text.includes(error.message)) return text;
  let message = error.message.replace(
    /, run again with the --allow-[a-z-]+ flag$/,
    "",
  );
  const { permission, resource } = error as {
    permission?: unknown;
    resource?: unknown;
  };
  if (typeof resource === "string" && !message.includes(resource)) {
    message += ` (${permission ?? "access"} to "${resource}")`;
  }
  return text.replace(error.message, `${message}: ${PERMISSION_HINT}`);
}

function vuEnv(
  vu: VU,
  scenario: string,
  base: Readonly<Record<string, string>>,
  extra: Readonly<Record<string, string>>,
): Record<string, string | undefined> {
  let env = vu.env.get(scenario);
  if (!env) {
    env = { ...base, ...extra };
    vu.env.set(scenario, env);
  }
  return env;
}

function vuState(
  vu: VU,
  iterationInInstance: number,
  iterationInScenario: number,
): VUState {
  return {
    idInInstance: vu.id.idInInstance,
    idInTest: vu.id.idInTest,
    iterationInInstance,
    iterationInScenario,
    tags: vu.tags,
    metadata: vu.metadata,
  };
}

/** Options of {@link runInStage}. */
export interface StageCall {
  /** The lifecycle stage (`setup`, `teardown`, `handleSummary`). */
  readonly stage: Stage;
  /** Tags of its samples (k6 puts setup in group `::setup`). */
  readonly tags: Tags;
  /** Its group path. */
  readonly group: string;
  /** The function to call. */
  readonly fn: (...args: unknown[]) => unknown;
  /** Its arguments. */
  readonly args: readonly unknown[];
  /** Give up after this many ms. */
  readonly timeoutMs: number;
  /** Give up when this aborts (k6 interrupts setup() on Ctrl+C). */
  readonly signal?: AbortSignal;
}

/** How a lifecycle call ended. */
export type StageResult =
  | { readonly kind: "ok"; readonly value: unknown }
  | { readonly kind: "error"; readonly error: unknown }
  | { readonly kind: "timeout" }
  | { readonly kind: "interrupted" };

/**
 * Runs setup/teardown/handleSummary as k6 does: in VU 0's context, waiting
 * for its sockets and timers, with a time limit.
 *
 * @param env The run's iteration environment.
 * @param call What to run.
 * @returns How it ended.
 */
export async function runInStage(
  env: IterationEnvironment,
  call: StageCall,
): Promise<StageResult> {
  const controller = new AbortController();
  const pending = new PendingWork();
  let failure: { error: unknown } | undefined;
  const context = new Context({
    tags: call.tags,
    group: call.group,
    sink: env.sink,
    options: env.contextOptions,
    signal: controller.signal,
    pending,
    logger: env.log,
    recorder: env.recorder,
    vuEventLoop: env.vuEventLoop,
    onError(error) {
      failure ??= { error };
      controller.abort();
    },
    onConnectionFailure(url, error) {
      if (!controller.signal.aborted) env.failures.connection(url, error);
    },
  });
  const vu = createVU({ idInInstance: 0, idInTest: 0 }, {});
  bindExecutionState(context, {
    stage: call.stage,
    vu: vuState(vu, 0, 0),
    scenario: undefined,
    instance: env.instance,
    test: env.test,
    env: { ...env.baseEnv },
    warnOnce: env.warnOnce,
  });
  // Symbols, so that no value the function returns is mistaken for them.
  const timedOut = Symbol("timed out");
  const interrupted = Symbol("interrupted");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<typeof timedOut>((resolve) => {
    timer = setTimeout(() => resolve(timedOut), call.timeoutMs);
  });
  let onAbort: (() => void) | undefined;
  const abort = new Promise<typeof interrupted>((resolve) => {
    onAbort = () => resolve(interrupted);
    if (call.signal?.aborted) onAbort();
    call.signal?.addEventListener("abort", onAbort, { once: true });
  });
  const started = now();
  let complete = false;
  try {
    const work = (async () => {
      let value: unknown;
      // Called unbound, as k6 calls it (and as a stack trace names it).
      const { fn, args } = call;
      try {
        value = await context.run(() => fn(...args));
      } catch (error) {
        failure ??= { error };
        controller.abort();
      }
      await pending.idle();
      return value;
    })();
    const outcome = await Promise.race([work, timeout, abort]);
    if ((outcome === timedOut || outcome === interrupted) && !failure) {
      // Its sockets close and its sleeps end; its code is left behind.
      controller.abort();
      return { kind: outcome === timedOut ? "timeout" : "interrupted" };
    }
    complete = true;
    if (failure) return { kind: "error", error: failure.error };
    return { kind: "ok", value: outcome };
  } finally {
    clearTimeout(timer);
    if (onAbort) call.signal?.removeEventListener("abort", onAbort);
    const ended = now();
    // As k6's: setup() and teardown() count in iteration_duration (k6's
    // docs say so), in their groups, when they ran to their end. Nothing
    // is measured in handleSummary() or a merge's init code, but bytes they
    // moved are not lost.
    const measured = call.stage === "setup" || call.stage === "teardown";
    reportBytes(context, call.tags, env.sink, ended, measured);
    if (measured && complete) {
      env.sink({
        metric: ITERATION_DURATION,
        time: ended,
        value: ended - started,
        tags: call.tags,
        metadata: context.metadata,
      });
    }
  }
}

// What k6 pushes at the end of every call of a script function (its
// dialer's "trail"): data_sent and data_received, 0 included, even for a
// call that was cut off; so straight to the run's sink.
function reportBytes(
  context: Context,
  tags: Tags,
  sink: SampleSink,
  time: number,
  evenNone: boolean,
): void {
  const { sent, received } = context.takeBytes();
  if (!evenNone && sent === 0 && received === 0) return;
  const metadata = context.metadata;
  sink({ metric: DATA_SENT, time, value: sent, tags, metadata });
  sink({ metric: DATA_RECEIVED, time, value: received, tags, metadata });
}

const noop = (): void => {};

// One follower per scenario signal: each running iteration's interrupt is
// an entry of its set (removed in O(1)), not a listener of the signal (a
// record each, and a search through thousands of VUs' to remove one).
const followers = new WeakMap<AbortSignal, Cancellation>();

function follower(signal: AbortSignal): Cancellation {
  let cancellation = followers.get(signal);
  if (cancellation === undefined) {
    cancellation = new Cancellation(signal);
    followers.set(signal, cancellation);
  }
  return cancellation;
}

/**
 * Runs one iteration: calls the scenario's exec function in a fresh
 * context, waits until it settled and every socket and timer it started is
 * done, emits `iterations` and `iteration_duration` unless it was
 * interrupted, and `data_sent`/`data_received` always. An exception
 * (thrown, rejected, or from a listener or timer) ends the iteration: the
 * remaining sockets are closed and the error is logged; the VU goes on.
 *
 * @param env The run's iteration environment.
 * @param vu The VU.
 * @param info Which iteration this is.
 * @param signal Aborted when the iteration must be interrupted.
 * @returns How the iteration ended.
 */
export async function runIteration(
  env: IterationEnvironment,
  vu: VU,
  info: IterationInfo,
  signal: AbortSignal,
): Promise<IterationOutcome> {
  const scenario = info.scenario;
  // No AbortController: most iterations never need one (see Cancellation).
  const cancellation = new Cancellation();
  let cutOff = false;
  const interrupt = () => {
    cutOff = true;
    cancellation.cancel();
  };
  // (An already aborted signal would never call it: neither does this.)
  const stopFollowing = signal.aborted
    ? noop
    : follower(signal).onCancel(interrupt);
  const pending = new PendingWork();
  let failure: { error: unknown } | undefined;
  const options = env.contextOptions;
  const tags: Record<string, string> = {
    ...env.runTags,
    ...scenario.tags,
    ...vu.tags,
  };
  if (options.systemTags.has("scenario")) tags.scenario = scenario.name;
  if (options.systemTags.has("group")) tags.group = "";
  const frozenTags = Object.freeze(tags);
  let metadata: Tags | undefined;
  if (options.systemTags.has("vu") || options.systemTags.has("iter")) {
    const values: Record<string, string> = { ...vu.metadata };
    if (options.systemTags.has("vu")) values.vu = String(vu.id.idInInstance);
    if (options.systemTags.has("iter")) {
      values.iter = String(info.vu.iterationInInstance);
    }
    metadata = Object.freeze(values);
  } else if (Object.keys(vu.metadata).length > 0) {
    metadata = Object.freeze({ ...vu.metadata });
  }
  // Like k6 (samples are pushed only while the VU's context lives), an
  // interrupted iteration reports nothing after the moment it was cut off:
  // no ws_session_duration of the sockets it closes, no checks of code
  // that still runs after an await (neither as samples nor in the check
  // list, which must agree with checks_total).
  const { sink, recorder } = env;
  const context = new Context({
    tags: frozenTags,
    sink: (sample) => {
      if (!cutOff) sink(sample);
    },
    options,
    cancellation,
    pending,
    logger: env.log,
    recorder: {
      group: (path) => {
        if (!cutOff) recorder.group(path);
      },
      check: (group, name, passed) => {
        if (!cutOff) recorder.check(group, name, passed);
      },
    },
    metadata,
    vuEventLoop: env.vuEventLoop,
    vuLocals: vu.locals,
    onError(error) {
      failure ??= { error };
      cancellation.cancel();
    },
    // Sockets that a cut-off iteration closes fail on purpose.
    onConnectionFailure(url, error) {
      if (!cancellation.cancelled) env.failures.connection(url, error);
    },
  });
  const state: ExecutionState = {
    stage: "vu",
    vu: vuState(vu, info.vu.iterationInInstance, info.vu.iterationInScenario),
    scenario: {
      name: scenario.name,
      executor: scenario.executor,
      startTime: scenario.startTime,
      iterationInInstance: scenario.iterationInInstance,
      iterationInTest: scenario.iterationInTest,
      progress: scenario.progress,
    },
    instance: env.instance,
    test: env.test,
    env: vuEnv(vu, scenario.name, env.baseEnv, scenario.env),
    warnOnce: env.warnOnce,
  };
  bindExecutionState(context, state);
  if (!vu.hasData) {
    vu.data = env.setupJSON === undefined
      ? undefined
      : JSON.parse(env.setupJSON);
    vu.hasData = true;
  }
  const started = now();
  let ended = started;
  try {
    const fn = vu.exports[scenario.exec];
    if (typeof fn !== "function") {
      throw new TypeError(
        `the script does not export a function named '${scenario.exec}'`,
      );
    }
    try {
      // An interrupted or failed iteration stops waiting for its function:
      // k6 stops the code; here its continuation is abandoned (it may wait
      // on a timer that the abort just cleared and would never settle).
      await Promise.race([
        context.run(() => fn(vu.data)),
        cancellation.whenCancelled(),
      ]);
    } catch (error) {
      failure ??= { error };
      cancellation.cancel();
    }
    if (cancellation.cancelled) {
      // Interrupted or failed: sockets are closing; give them a moment.
      const drained = new AbortController();
      await Promise.race([
        pending.idle(),
        delay(env.drainTimeout, drained.signal),
      ]);
      drained.abort();
    } else {
      await pending.idle();
    }
  } finally {
    stopFollowing();
    ended = now();
    reportBytes(context, frozenTags, env.sink, ended, true);
  }
  if (signal.aborted && !failure) return "interrupted";
  if (failure) {
    // exec.test.abort() already stopped the test; its throw only unwinds the script.
    if (signal.aborted || failure.error instanceof TestAbortError) {
      return "interrupted";
    }
    env.failures.script(formatScriptError(failure.error, env.mapPaths), {
      executor: scenario.executor,
      scenario: scenario.name,
      source: "stacktrace",
    });
  }
  // k6's order, all at the iteration's end: data_sent, data_received,
  // iteration_duration, iterations.
  context.emit(ITERATION_DURATION, ended - started, frozenTags, ended);
  context.emit(ITERATIONS, 1, frozenTags, ended);
  if (env.minIterationDuration > 0) {
    await delay(env.minIterationDuration - (ended - started), signal);
  }
  return failure ? "failed" : "completed";
}
