// A realistic execution context for the k6 module tests: a Context with a
// bound ExecutionState (as `wsload run` builds them), collecting what the
// code under test emits, warns, reports, records and asks of the runner.
import { Context, DEFAULT_OPTIONS } from "../context/context.ts";
import type { Sample } from "../metrics/sample.ts";
import type { Tags } from "../metrics/tags.ts";
import {
  bindExecutionState,
  type ExecutionState,
  type InstanceState,
  type ScenarioState,
  type Stage,
  type VUState,
} from "../internal/execution_state.ts";

export interface HarnessOptions {
  stage?: Stage;
  /** `null`: no scenario (setup, teardown). */
  scenario?: Partial<ScenarioState> | null;
  vu?: Partial<VUState>;
  tags?: Tags;
  systemTags?: Iterable<string>;
  throw?: boolean;
  options?: Record<string, unknown>;
}

export interface MutableVU {
  idInInstance: number;
  idInTest: number;
  iterationInInstance: number;
  iterationInScenario: number;
  tags: Record<string, string>;
  metadata: Record<string, string>;
}

export interface Harness {
  readonly context: Context;
  readonly controller: AbortController;
  readonly state: ExecutionState;
  readonly vu: MutableVU;
  readonly instanceCounters: {
    iterationsCompleted: number;
    iterationsInterrupted: number;
    vusActive: number;
    vusInitialized: number;
    currentTestRunDuration: number;
  };
  readonly samples: Sample[];
  readonly warnings: string[];
  readonly errors: unknown[];
  readonly groups: string[];
  readonly checks: { group: string; name: string; passed: boolean }[];
  readonly aborts: string[];
  readonly fails: string[];
  readonly onceWarnings: string[];
  run<T>(fn: () => T): T;
  samplesOf(name: string): Sample[];
}

export function createHarness(options: HarnessOptions = {}): Harness {
  const samples: Sample[] = [];
  const warnings: string[] = [];
  const errors: unknown[] = [];
  const groups: string[] = [];
  const checks: { group: string; name: string; passed: boolean }[] = [];
  const aborts: string[] = [];
  const fails: string[] = [];
  const onceWarnings: string[] = [];
  const warnedKeys = new Set<string>();
  const controller = new AbortController();
  const context = new Context({
    tags: options.tags ?? Object.freeze({ group: "", scenario: "default" }),
    sink: (sample) => samples.push(sample),
    options: {
      ...DEFAULT_OPTIONS,
      systemTags: options.systemTags
        ? new Set(options.systemTags)
        : DEFAULT_OPTIONS.systemTags,
      throw: options.throw ?? false,
    },
    signal: controller.signal,
    logger: {
      warn: (message) => warnings.push(message),
      error: (message) => warnings.push(`ERROR ${message}`),
    },
    onError: (error) => errors.push(error),
    recorder: {
      group: (path) => groups.push(path),
      check: (group, name, passed) => checks.push({ group, name, passed }),
    },
  });
  const vu: MutableVU = {
    idInInstance: 3,
    idInTest: 7,
    iterationInInstance: 5,
    iterationInScenario: 2,
    tags: {},
    metadata: {},
    ...options.vu,
  };
  const instanceCounters = {
    iterationsCompleted: 40,
    iterationsInterrupted: 1,
    vusActive: 10,
    vusInitialized: 12,
    currentTestRunDuration: 1234.5,
  };
  const instance: InstanceState = {
    iterationsCompleted: () => instanceCounters.iterationsCompleted,
    iterationsInterrupted: () => instanceCounters.iterationsInterrupted,
    vusActive: () => instanceCounters.vusActive,
    vusInitialized: () => instanceCounters.vusInitialized,
    currentTestRunDuration: () => instanceCounters.currentTestRunDuration,
  };
  const scenario: ScenarioState | undefined = options.scenario === null
    ? undefined
    : {
      name: "default",
      executor: "constant-vus",
      startTime: 1_700_000_000_000.75,
      iterationInInstance: 11,
      iterationInTest: 42,
      progress: () => 0.25,
      ...options.scenario,
    };
  const state: ExecutionState = {
    stage: options.stage ?? "vu",
    vu,
    scenario,
    instance,
    test: {
      options: options.options ??
        { scenarios: { default: { executor: "constant-vus" } } },
      abort(reason) {
        aborts.push(reason ?? "(none)");
        controller.abort();
      },
      fail(reason) {
        fails.push(reason ?? "(none)");
      },
      stopWithScriptError(message) {
        aborts.push(message);
        controller.abort();
      },
    },
    env: {},
    warnOnce(key, message) {
      if (warnedKeys.has(key)) return;
      warnedKeys.add(key);
      onceWarnings.push(message);
    },
  };
  bindExecutionState(context, state);
  return {
    context,
    controller,
    state,
    vu,
    instanceCounters,
    samples,
    warnings,
    errors,
    groups,
    checks,
    aborts,
    fails,
    onceWarnings,
    run: (fn) => context.run(fn),
    samplesOf: (name) =>
      samples.filter((sample) => sample.metric.name === name),
  };
}

/** Resolves after `ms` milliseconds (a plain timer, not the code under test). */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
