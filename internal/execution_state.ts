/**
 * The contract between `wsload run` and the k6 modules a script imports:
 * what the runner knows about the code that is running right now (which VU,
 * which iteration, which scenario, which lifecycle stage) and the
 * test-wide controls (`exec.test.abort()`, `fail()`).
 *
 * The runner stores one {@link ExecutionState} in each execution context it
 * creates (see {@link bindExecutionState}); the k6 modules read it with
 * {@link executionState}. Outside `wsload run` there is none, and the
 * modules behave as in a VU with no runner (e.g. `__VU` is 0).
 *
 * @module
 */
import { type Context, currentContext } from "../context/context.ts";

/** Where in the test lifecycle code runs (k6 forbids some calls in `init`). */
export type Stage = "init" | "setup" | "vu" | "teardown" | "handleSummary";

/** What `k6/execution`'s `vu` object shows. */
export interface VUState {
  /** `__VU`: 1-based id of the VU in this instance; 0 in setup/teardown. */
  readonly idInInstance: number;
  /** The VU id across all instances of a split run. */
  readonly idInTest: number;
  /** `__ITER`: 0-based iteration count of this VU across scenarios. */
  readonly iterationInInstance: number;
  /** 0-based iteration count of this VU in the current scenario. */
  readonly iterationInScenario: number;
  /** The VU's own tags (`exec.vu.tags`, mutable by the script; k6 rules apply). */
  readonly tags: Record<string, string>;
  /** The VU's metadata (`exec.vu.metrics.metadata`, mutable). */
  readonly metadata: Record<string, string>;
}

/** What `k6/execution`'s `scenario` object shows. */
export interface ScenarioState {
  /** The scenario name. */
  readonly name: string;
  /** The executor type, e.g. `constant-vus`. */
  readonly executor: string;
  /** When the scenario started, ms since the epoch. */
  readonly startTime: number;
  /** Iterations of this scenario started by this instance before this one. */
  readonly iterationInInstance: number;
  /** Iterations of this scenario started in the whole test before this one. */
  readonly iterationInTest: number;
  /** Progress 0..1 of the scenario. */
  progress(): number;
}

/** What `k6/execution`'s `instance` object shows (live values). */
export interface InstanceState {
  /** Completed iterations so far. */
  iterationsCompleted(): number;
  /** Interrupted iterations so far. */
  iterationsInterrupted(): number;
  /** VUs running an iteration now. */
  vusActive(): number;
  /** VUs initialised so far. */
  vusInitialized(): number;
  /** Milliseconds since the test started. */
  currentTestRunDuration(): number;
}

/** Test-wide controls and data. */
export interface TestControl {
  /** The consolidated options, as `exec.test.options` shows them. */
  readonly options: Readonly<Record<string, unknown>>;
  /** Stops the whole test (teardown and summary still run), exit code 108. */
  abort(reason?: string): void;
  /** Marks the test failed (exit code 110) and lets it go on. */
  fail(reason?: string): void;
  /**
   * Logs a script error and stops the whole test with exit code 107: the
   * script needs something wsload does not provide.
   */
  stopWithScriptError(message: string): void;
}

/** Everything the k6 modules may ask about the running code. */
export interface ExecutionState {
  /** The lifecycle stage. */
  readonly stage: Stage;
  /** The VU (id 0 outside VU code). */
  readonly vu: VUState;
  /** The scenario, when VU code runs in one. */
  readonly scenario: ScenarioState | undefined;
  /** The instance's live counters. */
  readonly instance: InstanceState;
  /** The test controls. */
  readonly test: TestControl;
  /** `__ENV` of this VU: a plain, mutable object. */
  readonly env: Record<string, string | undefined>;
  /** Warns once per test per key (e.g. the deprecated experimental module). */
  warnOnce(key: string, message: string): void;
}

const STATE_KEY = Symbol("wsload.executionState");

interface StateBox {
  state: ExecutionState | undefined;
}

function box(): StateBox {
  return { state: undefined };
}

/**
 * Attaches an execution state to a context (and every context derived from
 * it). Called by the runner right after it creates a VU's context.
 *
 * @param context The context.
 * @param state The state.
 */
export function bindExecutionState(
  context: Context,
  state: ExecutionState,
): void {
  context.local(STATE_KEY, box).state = state;
}

/**
 * The execution state of the running code, or `undefined` outside
 * `wsload run`.
 *
 * @returns The state.
 */
export function executionState(): ExecutionState | undefined {
  return currentContext().local(STATE_KEY, box).state;
}
