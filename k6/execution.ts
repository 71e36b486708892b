/**
 * The `k6/execution` module of a script run by `wsload run`: what the
 * running code is (which VU, iteration, scenario), the instance's live
 * counters, and the test controls `test.abort()` and `test.fail()`. As in
 * k6 it has only a default export: `import exec from "k6/execution"`.
 *
 * Outside `wsload run` the VU fields are 0, the instance counters 0, and
 * `scenario` fields throw (there is no scenario).
 *
 * Difference from k6: a change to `exec.vu.tags` (or
 * `exec.vu.metrics.metadata`) shows at once when read back, but the
 * samples carry it from the next iteration on (the runner builds an
 * iteration's tags when it starts); k6 applies it at once.
 *
 * @example Name a message after the VU
 * ```ts
 * import exec from "./execution.ts";
 *
 * const text = `hello from VU ${exec.vu.idInTest}`;
 * ```
 *
 * @module
 */
import { currentContext } from "../context/context.ts";
import type { Tags } from "../metrics/tags.ts";
import { TestAbortError } from "../internal/test_abort.ts";
import {
  type ExecutionState,
  executionState,
  type InstanceState,
  type ScenarioState,
  type VUState,
} from "../internal/execution_state.ts";
import { vuTagValue } from "./_tag_value.ts";

/** `exec.vu`: the VU running the code. */
export interface VUInfo {
  /** `__VU`: 1-based id of the VU in this instance (0 in setup/teardown). */
  readonly idInInstance: number;
  /** The VU id across all instances of a split run. */
  readonly idInTest: number;
  /** `__ITER`: 0-based iteration count of the VU across scenarios. */
  readonly iterationInInstance: number;
  /** 0-based iteration count of the VU in the current scenario. */
  readonly iterationInScenario: number;
  /** The VU's tags: readable and settable (string, number, boolean values). */
  readonly tags: Record<string, string>;
  /** The same tags, and the VU's sample metadata. */
  readonly metrics: {
    /** The VU's tags (the same object as `tags`). */
    readonly tags: Record<string, string>;
    /** The VU's sample metadata: readable and settable. */
    readonly metadata: Record<string, string>;
  };
}

/** `exec.scenario`: the scenario the VU code runs in. */
export interface ScenarioInfo {
  /** The scenario name. */
  readonly name: string;
  /** The executor type, e.g. `constant-vus`. */
  readonly executor: string;
  /** When the scenario started, ms since the epoch. */
  readonly startTime: number;
  /** Progress of the scenario, 0 to 1. */
  readonly progress: number;
  /** Iterations of this scenario started by this instance before this one. */
  readonly iterationInInstance: number;
  /** Iterations of this scenario started in the whole test before this one. */
  readonly iterationInTest: number;
}

/** `exec.instance`: live counters of this wsload instance. */
export interface InstanceInfo {
  /** Completed iterations so far. */
  readonly iterationsCompleted: number;
  /** Interrupted iterations so far. */
  readonly iterationsInterrupted: number;
  /** VUs running an iteration now. */
  readonly vusActive: number;
  /** VUs initialised so far. */
  readonly vusInitialized: number;
  /** Milliseconds since the test started. */
  readonly currentTestRunDuration: number;
}

/** `exec.test`: the test controls and options. */
export interface TestInfo {
  /**
   * Stops the whole test (teardown and summary still run; exit code 108)
   * and throws a {@link TestAbortError} to stop the calling code.
   */
  abort(reason?: string): never;
  /** Marks the test failed (exit code 110) and lets it go on. */
  fail(reason?: string): void;
  /** The consolidated options (deeply frozen). */
  readonly options: Readonly<Record<string, unknown>>;
}

/** The `k6/execution` default export. */
export interface Execution {
  /** The VU running the code (not in the init code). */
  readonly vu: VUInfo;
  /** The scenario the code runs in (its fields: only in VU code). */
  readonly scenario: ScenarioInfo;
  /** The instance's live counters (not in the init code). */
  readonly instance: InstanceInfo;
  /** The test controls and options. */
  readonly test: TestInfo;
}

const SCENARIO_OUTSIDE_VU =
  "getting scenario information outside of the VU context is not supported";

// What the fields show outside `wsload run`: a VU with no runner.
const DETACHED_VU: VUState = {
  idInInstance: 0,
  idInTest: 0,
  iterationInInstance: 0,
  iterationInScenario: 0,
  tags: {},
  metadata: {},
};
const DETACHED_INSTANCE: InstanceState = {
  iterationsCompleted: () => 0,
  iterationsInterrupted: () => 0,
  vusActive: () => 0,
  vusInitialized: () => 0,
  currentTestRunDuration: () => 0,
};
const NO_OPTIONS: Readonly<Record<string, unknown>> = Object.freeze({});

function inInit(state: ExecutionState | undefined): boolean {
  return state?.stage === "init";
}

// k6's info objects: enumerable getters that read the live values.
function liveObject<T>(getters: Record<string, () => unknown>): T {
  const object = {};
  for (const [key, get] of Object.entries(getters)) {
    Object.defineProperty(object, key, { get, enumerable: true });
  }
  return object as T;
}

/**
 * A live view of the VU's own tags (or metadata) over those of the context
 * that read `exec.vu`: reads see both, writes and deletes change the VU's
 * own.
 */
function tagView(
  kind: "tag" | "metadata",
  own: () => Record<string, string>,
  inherited: () => Tags,
): Record<string, string> {
  const lookup = (key: string): string | undefined => {
    const mine = own();
    if (Object.hasOwn(mine, key)) return mine[key];
    const theirs = inherited();
    return Object.hasOwn(theirs, key) ? theirs[key] : undefined;
  };
  const keys = (): string[] => [
    ...new Set([...Object.keys(inherited()), ...Object.keys(own())]),
  ];
  return new Proxy<Record<string, string>>({}, {
    get: (_, key) => typeof key === "string" ? lookup(key) : undefined,
    has: (_, key) => typeof key === "string" && lookup(key) !== undefined,
    set(_, key, value) {
      if (typeof key === "string") own()[key] = vuTagValue(kind, key, value);
      return true;
    },
    defineProperty(_, key, descriptor) {
      if (typeof key === "string") {
        own()[key] = vuTagValue(kind, key, descriptor.value);
      }
      return true;
    },
    deleteProperty(_, key) {
      if (typeof key === "string") delete own()[key];
      return true;
    },
    ownKeys: () => keys(),
    getOwnPropertyDescriptor(_, key) {
      const value = typeof key === "string" ? lookup(key) : undefined;
      return value === undefined
        ? undefined
        : { value, writable: true, enumerable: true, configurable: true };
    },
  });
}

function vuInfo(): VUInfo {
  const state = executionState();
  if (inInit(state)) {
    throw new Error(
      "getting VU information in the init context is not supported",
    );
  }
  const vu = (): VUState => state?.vu ?? DETACHED_VU;
  const context = currentContext();
  const tags = tagView("tag", () => vu().tags, () => context.tags);
  const metadata = tagView(
    "metadata",
    () => vu().metadata,
    () => context.metadata ?? {},
  );
  const info = liveObject<VUInfo>({
    idInInstance: () => vu().idInInstance,
    idInTest: () => vu().idInTest,
    iterationInInstance: () => vu().iterationInInstance,
    iterationInScenario: () => vu().iterationInScenario,
  });
  Object.defineProperty(info, "tags", { value: tags, enumerable: true });
  Object.defineProperty(info, "metrics", {
    value: liveObject({ tags: () => tags, metadata: () => metadata }),
    enumerable: true,
  });
  return info;
}

function scenarioInfo(): ScenarioInfo {
  const state = executionState();
  if (inInit(state)) throw new Error(SCENARIO_OUTSIDE_VU);
  const scenario = (): ScenarioState => {
    if (!state?.scenario) throw new Error(SCENARIO_OUTSIDE_VU);
    return state.scenario;
  };
  return liveObject<ScenarioInfo>({
    name: () => scenario().name,
    executor: () => scenario().executor,
    startTime: () => Math.trunc(scenario().startTime),
    progress: () => scenario().progress(),
    iterationInInstance: () => scenario().iterationInInstance,
    iterationInTest: () => scenario().iterationInTest,
  });
}

function instanceInfo(): InstanceInfo {
  const state = executionState();
  if (inInit(state)) {
    throw new Error(
      "getting instance information in the init context is not supported",
    );
  }
  const instance = state?.instance ?? DETACHED_INSTANCE;
  return liveObject<InstanceInfo>({
    iterationsCompleted: () => instance.iterationsCompleted(),
    iterationsInterrupted: () => instance.iterationsInterrupted(),
    vusActive: () => instance.vusActive(),
    vusInitialized: () => instance.vusInitialized(),
    currentTestRunDuration: () => instance.currentTestRunDuration(),
  });
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

// One frozen JSON copy per options object, as k6 caches its options view.
const frozenOptions = new WeakMap<object, Readonly<Record<string, unknown>>>();

function optionsView(
  options: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  const cached = frozenOptions.get(options);
  if (cached) return cached;
  const view: Readonly<Record<string, unknown>> = deepFreeze(
    JSON.parse(JSON.stringify(options)),
  );
  frozenOptions.set(options, view);
  return view;
}

// The script's message as the runner's controls take it: a string, or
// undefined when none was given (the runner adds k6's prefix).
function scriptReason(reason: unknown): string | undefined {
  return reason === null || reason === undefined ? undefined : String(reason);
}

function withPrefix(prefix: string, reason: string | undefined): string {
  return reason === undefined ? prefix : `${prefix}: ${reason}`;
}

function testInfo(): TestInfo {
  const state = executionState();
  const test = {
    abort(reason?: string): never {
      const message = scriptReason(reason);
      state?.test.abort(message);
      throw new TestAbortError(withPrefix("test aborted", message));
    },
    fail(reason?: string): void {
      if (inInit(state)) {
        throw new Error("execution.test.fail() called outside of VU context");
      }
      const message = scriptReason(reason);
      if (state) state.test.fail(message);
      else console.error(withPrefix("test marked as failed", message));
    },
  };
  Object.defineProperty(test, "options", {
    get() {
      if (inInit(state)) {
        throw new Error(
          "getting test options in the init context is not supported",
        );
      }
      return state ? optionsView(state.test.options) : NO_OPTIONS;
    },
    enumerable: true,
  });
  return test as TestInfo;
}

/**
 * The `k6/execution` default export. Each property is read afresh: `vu`,
 * `scenario`, `instance` and `test` describe the code running at the time
 * of the read.
 *
 * - `vu` (not in init code: `getting VU information in the init context is
 *   not supported`): ids, iteration counters, `tags` and
 *   `metrics.tags`/`metrics.metadata` (live objects; values must be
 *   strings, numbers or booleans, else a `TypeError` with k6's text).
 * - `scenario` (not in init code; its fields throw `getting scenario
 *   information outside of the VU context is not supported` where no
 *   scenario runs, e.g. in setup).
 * - `instance` (not in init code): live counters.
 * - `test`: `abort(reason?)` asks the runner to stop the test (handing it
 *   the script's reason) and throws a {@link TestAbortError} whose message
 *   is k6's `test aborted[: reason]`; `fail(reason?)` marks the test
 *   failed (not in init code; outside `wsload run` it prints k6's `test
 *   marked as failed[: reason]`); `options` (not in init code).
 *
 * @example Tag the rest of a VU's samples
 * ```ts
 * import exec from "./execution.ts";
 *
 * exec.vu.tags.stage = "1";
 * console.log(exec.vu.tags.stage); // "1"
 * ```
 */
const execution: Execution = Object.freeze(Object.defineProperties({}, {
  instance: { get: instanceInfo, enumerable: true },
  scenario: { get: scenarioInfo, enumerable: true },
  test: { get: testInfo, enumerable: true },
  vu: { get: vuInfo, enumerable: true },
})) as Execution;

export default execution;
