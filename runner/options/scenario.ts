/**
 * Scenario configurations: k6's six executors with their field names and
 * defaults, read from a `scenarios` object, and checked with k6's exact
 * validation texts.
 *
 * Durations are milliseconds. Fields that k6 leaves unset when the user
 * gives no value (there is no default) are optional here; validation
 * reports them.
 *
 * @module
 */
import { ConfigError } from "./config_error.ts";
import { formatDuration } from "./duration.ts";
import {
  isObject,
  type JsonObject,
  matchFields,
  readDuration,
  readInteger,
  readStages,
  readString,
  readStringMap,
} from "./_json_fields.ts";

/** The executors k6 v2 has. */
export type ExecutorType =
  | "shared-iterations"
  | "per-vu-iterations"
  | "constant-vus"
  | "ramping-vus"
  | "constant-arrival-rate"
  | "ramping-arrival-rate";

/** Every executor type, in k6's documentation order. */
export const EXECUTOR_TYPES: readonly ExecutorType[] = Object.freeze([
  "shared-iterations",
  "per-vu-iterations",
  "constant-vus",
  "ramping-vus",
  "constant-arrival-rate",
  "ramping-arrival-rate",
]);

/** The name of the scenario that shortcut options (`vus`, `duration`, ...) create. */
export const DEFAULT_SCENARIO_NAME = "default";
/** The exported function a scenario runs when it names none. */
export const DEFAULT_EXEC = "default";
/** k6's default `gracefulStop`: 30 s. */
export const DEFAULT_GRACEFUL_STOP_MS = 30_000;
// k6's minDuration: scheduled durations shorter than this are rejected.
const MIN_DURATION_MS = 1_000;
// k6's sanity cap on ramping-vus targets.
const MAX_CONCURRENT_VUS = 100_000_000;
const NAME_PATTERN = /^[0-9a-zA-Z_-]+$/;

/** One stage of a ramping executor: reach `target` over `duration`. */
export interface Stage {
  /** How long the stage lasts, ms (unset: a validation error). */
  readonly duration?: number;
  /** VUs or iteration rate at the end of the stage (unset: a validation error). */
  readonly target?: number;
}

/** The fields every executor has. */
export interface ScenarioBase {
  /** The scenario's name (its key in `scenarios`). */
  readonly name: string;
  /** The executor type. */
  readonly executor: ExecutorType;
  /** Delay from the test start, ms (default 0). */
  readonly startTime: number;
  /** How long in-flight iterations may finish after the regular end, ms (default 30 s). */
  readonly gracefulStop: number;
  /** The exported function to run, when set (otherwise `default`). */
  readonly exec?: string;
  /** Extra `__ENV` entries for this scenario's VUs. */
  readonly env: Readonly<Record<string, string>>;
  /** Extra tags on this scenario's samples. */
  readonly tags: Readonly<Record<string, string>>;
  /** k6's scenario `options` (browser settings), kept as given and unused. */
  readonly options?: unknown;
}

/** `shared-iterations`: VUs share a pool of iterations. */
export interface SharedIterationsScenario extends ScenarioBase {
  /** The executor type. */
  readonly executor: "shared-iterations";
  /** VUs (default 1). */
  readonly vus: number;
  /** Total iterations (default 1). */
  readonly iterations: number;
  /** Hard limit of the regular run, ms (default 10 min). */
  readonly maxDuration: number;
}

/** `per-vu-iterations`: each VU runs the same number of iterations. */
export interface PerVUIterationsScenario extends ScenarioBase {
  /** The executor type. */
  readonly executor: "per-vu-iterations";
  /** VUs (default 1). */
  readonly vus: number;
  /** Iterations per VU (default 1). */
  readonly iterations: number;
  /** Hard limit of the regular run, ms (default 10 min). */
  readonly maxDuration: number;
}

/** `constant-vus`: a fixed number of VUs loop for a duration. */
export interface ConstantVUsScenario extends ScenarioBase {
  /** The executor type. */
  readonly executor: "constant-vus";
  /** VUs (default 1). */
  readonly vus: number;
  /** How long, ms (required). */
  readonly duration?: number;
}

/** `ramping-vus`: the number of looping VUs follows stages. */
export interface RampingVUsScenario extends ScenarioBase {
  /** The executor type. */
  readonly executor: "ramping-vus";
  /** VUs at the start (default 1). */
  readonly startVUs: number;
  /** The stages (required, at least one). */
  readonly stages: readonly Stage[];
  /** How long surplus VUs may finish their iteration when ramping down, ms (default 30 s). */
  readonly gracefulRampDown: number;
}

/** `constant-arrival-rate`: iterations start at a fixed rate. */
export interface ConstantArrivalRateScenario extends ScenarioBase {
  /** The executor type. */
  readonly executor: "constant-arrival-rate";
  /** Iterations per `timeUnit` (required). */
  readonly rate?: number;
  /** The period of `rate`, ms (default 1 s). */
  readonly timeUnit: number;
  /** How long, ms (required). */
  readonly duration?: number;
  /** VUs initialised before the test (required). */
  readonly preAllocatedVUs?: number;
  /** The most VUs the scenario may use (default `preAllocatedVUs`). */
  readonly maxVUs?: number;
}

/** `ramping-arrival-rate`: the iteration start rate follows stages. */
export interface RampingArrivalRateScenario extends ScenarioBase {
  /** The executor type. */
  readonly executor: "ramping-arrival-rate";
  /** Iterations per `timeUnit` at the start (default 0). */
  readonly startRate: number;
  /** The period of the rates, ms (default 1 s). */
  readonly timeUnit: number;
  /** The stages; targets are rates (required, at least one). */
  readonly stages: readonly Stage[];
  /** VUs initialised before the test (required). */
  readonly preAllocatedVUs?: number;
  /** The most VUs the scenario may use (default `preAllocatedVUs`). */
  readonly maxVUs?: number;
}

/** Any scenario configuration. */
export type ScenarioConfig =
  | SharedIterationsScenario
  | PerVUIterationsScenario
  | ConstantVUsScenario
  | RampingVUsScenario
  | ConstantArrivalRateScenario
  | RampingArrivalRateScenario;

/** Scenarios by name, in the order they were defined. */
export type ScenarioConfigs = Readonly<Record<string, ScenarioConfig>>;

const BASE_FIELDS = [
  "executor",
  "startTime",
  "gracefulStop",
  "env",
  "exec",
  "tags",
  "options",
] as const;

const EXECUTOR_FIELDS: Readonly<Record<ExecutorType, readonly string[]>> = {
  "shared-iterations": ["vus", "iterations", "maxDuration"],
  "per-vu-iterations": ["vus", "iterations", "maxDuration"],
  "constant-vus": ["vus", "duration"],
  "ramping-vus": ["startVUs", "stages", "gracefulRampDown"],
  "constant-arrival-rate": [
    "rate",
    "timeUnit",
    "duration",
    "preAllocatedVUs",
    "maxVUs",
  ],
  "ramping-arrival-rate": [
    "startRate",
    "timeUnit",
    "stages",
    "preAllocatedVUs",
    "maxVUs",
  ],
};

/**
 * The exported function a scenario runs.
 *
 * @param config The scenario.
 * @returns Its `exec`, or `default` when unset or empty.
 *
 * @example Default function
 * ```ts
 * import { parseScenario, scenarioExec } from "./scenario.ts";
 * import assert from "node:assert/strict";
 *
 * const config = parseScenario("a", { executor: "shared-iterations" });
 * assert.equal(scenarioExec(config), "default");
 * ```
 */
export function scenarioExec(config: ScenarioConfig): string {
  return config.exec || DEFAULT_EXEC;
}

/**
 * Reads one scenario with k6's defaults (k6 decodes scenarios strictly:
 * unknown fields are errors).
 *
 * @param name The scenario name.
 * @param raw The scenario object, e.g. `{ executor: "constant-vus", vus: 10, duration: "30s" }`.
 * @returns The configuration (not yet validated: see {@link validateScenario}).
 * @throws {ConfigError} `scenario 'a' doesn't have a specified executor
 * type`, `unknown executor type 'x'`, `json: unknown field "x"`, or a
 * field of the wrong type.
 *
 * @example Read a scenario
 * ```ts
 * import { parseScenario } from "./scenario.ts";
 * import assert from "node:assert/strict";
 *
 * const config = parseScenario("load", {
 *   executor: "constant-vus",
 *   vus: 10,
 *   duration: "30s",
 * });
 * assert.equal(config.executor, "constant-vus");
 * assert.equal(config.gracefulStop, 30_000);
 * ```
 */
export function parseScenario(name: string, raw: unknown): ScenarioConfig {
  if (!isObject(raw)) {
    throw new ConfigError(
      `invalid value for scenario '${name}': expected an object with an executor field`,
    );
  }
  const executorKey = Object.keys(raw).find((key) =>
    key.toLowerCase() === "executor"
  );
  const executor = executorKey === undefined ? undefined : raw[executorKey];
  if (executor === undefined || executor === null || executor === "") {
    throw new ConfigError(
      `scenario '${name}' doesn't have a specified executor type`,
    );
  }
  if (
    typeof executor !== "string" ||
    !EXECUTOR_TYPES.includes(executor as ExecutorType)
  ) {
    throw new ConfigError(`unknown executor type '${executor}'`);
  }
  const type = executor as ExecutorType;
  const { fields, unknown } = matchFields(raw, [
    ...BASE_FIELDS,
    ...EXECUTOR_FIELDS[type],
  ]);
  if (unknown !== undefined) {
    throw new ConfigError(`json: unknown field ${JSON.stringify(unknown)}`);
  }
  const at = (field: string) => `scenario '${name}' field ${field}`;
  const integer = (field: string) => readInteger(fields.get(field), at(field));
  const duration = (field: string) =>
    readDuration(fields.get(field), at(field));
  const base = {
    name,
    startTime: duration("startTime") ?? 0,
    gracefulStop: duration("gracefulStop") ?? DEFAULT_GRACEFUL_STOP_MS,
    exec: readString(fields.get("exec"), at("exec")),
    env: readStringMap(fields.get("env"), at("env")) ?? {},
    tags: readStringMap(fields.get("tags"), at("tags")) ?? {},
    options: fields.get("options") ?? undefined,
  };
  let config: ScenarioConfig;
  switch (type) {
    case "shared-iterations":
    case "per-vu-iterations":
      config = {
        ...base,
        executor: type,
        vus: integer("vus") ?? 1,
        iterations: integer("iterations") ?? 1,
        maxDuration: duration("maxDuration") ?? 600_000,
      };
      break;
    case "constant-vus":
      config = {
        ...base,
        executor: type,
        vus: integer("vus") ?? 1,
        duration: duration("duration"),
      };
      break;
    case "ramping-vus":
      config = {
        ...base,
        executor: type,
        startVUs: integer("startVUs") ?? 1,
        stages: readStages(fields.get("stages"), at("stages"), true) ?? [],
        gracefulRampDown: duration("gracefulRampDown") ?? 30_000,
      };
      break;
    case "constant-arrival-rate":
    case "ramping-arrival-rate": {
      const preAllocatedVUs = integer("preAllocatedVUs");
      const common = {
        ...base,
        timeUnit: duration("timeUnit") ?? 1_000,
        preAllocatedVUs,
        maxVUs: integer("maxVUs") ?? preAllocatedVUs,
      };
      config = type === "constant-arrival-rate"
        ? {
          ...common,
          executor: type,
          rate: integer("rate"),
          duration: duration("duration"),
        }
        : {
          ...common,
          executor: type,
          startRate: integer("startRate") ?? 0,
          stages: readStages(fields.get("stages"), at("stages"), true) ?? [],
        };
      break;
    }
  }
  return Object.freeze(config);
}

/**
 * Reads a `scenarios` object (scenario name → scenario).
 *
 * @param raw The object; `null`/`undefined` mean "not set".
 * @returns The configurations by name, or `undefined` when not set.
 * @throws {ConfigError} When it is not an object or a scenario is invalid
 * (see {@link parseScenario}).
 *
 * @example Read two scenarios
 * ```ts
 * import { parseScenarios } from "./scenario.ts";
 * import assert from "node:assert/strict";
 *
 * const scenarios = parseScenarios({
 *   warmup: { executor: "shared-iterations", iterations: 10 },
 *   load: { executor: "constant-vus", duration: "1m", startTime: "10s" },
 * });
 * assert.deepEqual(Object.keys(scenarios ?? {}), ["warmup", "load"]);
 * ```
 */
export function parseScenarios(raw: unknown): ScenarioConfigs | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (!isObject(raw)) {
    throw new ConfigError(
      "invalid value for scenarios: expected an object of scenario name to scenario",
    );
  }
  const result: Record<string, ScenarioConfig> = {};
  for (const [name, value] of Object.entries(raw as JsonObject)) {
    result[name] = parseScenario(name, value);
  }
  return Object.freeze(result);
}

function validateStages(stages: readonly Stage[]): string[] {
  if (stages.length === 0) return ["at least one stage has to be specified"];
  const errors: string[] = [];
  stages.forEach((stage, index) => {
    const number = index + 1;
    if (stage.duration === undefined) {
      errors.push(`stage ${number} doesn't have a duration`);
    } else if (stage.duration < 0) {
      errors.push(`the duration for stage ${number} can't be negative`);
    }
    if (stage.target === undefined) {
      errors.push(`stage ${number} doesn't have a target`);
    } else if (stage.target < 0) {
      errors.push(`the target for stage ${number} can't be negative`);
    }
  });
  return errors;
}

/**
 * The highest of a start value and the stage targets.
 *
 * @param start The start VUs or rate.
 * @param stages The stages.
 * @returns The maximum.
 */
export function maxStageTarget(
  start: number,
  stages: readonly Stage[],
): number {
  return stages.reduce((max, stage) => Math.max(max, stage.target ?? 0), start);
}

function validatePreAllocated(
  config: ConstantArrivalRateScenario | RampingArrivalRateScenario,
): string[] {
  const errors: string[] = [];
  if (config.preAllocatedVUs === undefined) {
    errors.push("the number of preAllocatedVUs isn't specified");
  } else if (config.preAllocatedVUs < 0) {
    errors.push("the number of preAllocatedVUs can't be negative");
  }
  if ((config.maxVUs ?? 0) < (config.preAllocatedVUs ?? 0)) {
    errors.push("maxVUs can't be less than preAllocatedVUs");
  }
  return errors;
}

function validateDuration(
  duration: number | undefined,
  field: string,
): string[] {
  if (duration === undefined) return [`the ${field} is unspecified`];
  if (duration < MIN_DURATION_MS) {
    return [
      `the ${field} must be at least ${
        formatDuration(MIN_DURATION_MS)
      }, but is ${formatDuration(duration)}`,
    ];
  }
  return [];
}

/**
 * Checks a scenario the way k6 does, with k6's texts.
 *
 * @param config The scenario.
 * @returns The problems, in k6's order; empty when valid.
 *
 * @example Find the problems of a scenario
 * ```ts
 * import { parseScenario, validateScenario } from "./scenario.ts";
 * import assert from "node:assert/strict";
 *
 * const config = parseScenario("a", {
 *   executor: "shared-iterations",
 *   vus: 10,
 *   iterations: 5,
 * });
 * assert.deepEqual(validateScenario(config), [
 *   "the number of iterations (5) can't be less than the number of VUs (10)",
 * ]);
 * ```
 */
export function validateScenario(config: ScenarioConfig): string[] {
  const errors: string[] = [];
  if (config.name === "") errors.push("scenario name can't be empty");
  if (!NAME_PATTERN.test(config.name)) {
    errors.push(
      "the scenario name should contain only numbers, latin letters, underscores, and dashes",
    );
  }
  if (config.exec === "") errors.push("exec value cannot be empty");
  if (config.startTime < 0) errors.push("the startTime can't be negative");
  if (config.gracefulStop < 0) {
    errors.push("the gracefulStop timeout can't be negative");
  }
  switch (config.executor) {
    case "shared-iterations":
    case "per-vu-iterations":
      if (config.vus <= 0) errors.push("the number of VUs must be more than 0");
      if (config.executor === "shared-iterations") {
        if (config.iterations < config.vus) {
          errors.push(
            `the number of iterations (${config.iterations}) can't be less than the number of VUs (${config.vus})`,
          );
        }
      } else if (config.iterations <= 0) {
        errors.push("the number of iterations must be more than 0");
      }
      if (config.maxDuration < MIN_DURATION_MS) {
        errors.push(
          `the maxDuration must be at least ${
            formatDuration(MIN_DURATION_MS)
          }, but is ${formatDuration(config.maxDuration)}`,
        );
      }
      break;
    case "constant-vus":
      if (config.vus <= 0) errors.push("the number of VUs must be more than 0");
      errors.push(...validateDuration(config.duration, "duration"));
      break;
    case "ramping-vus":
      if (config.startVUs < 0) {
        errors.push("the number of start VUs can't be negative");
      }
      if (maxStageTarget(config.startVUs, config.stages) <= 0) {
        errors.push(
          "either startVUs or one of the stages' target values must be greater than 0",
        );
      }
      errors.push(...validateStages(config.stages));
      if (config.startVUs > MAX_CONCURRENT_VUS) {
        errors.push(
          `the startVUs exceed max limit of ${MAX_CONCURRENT_VUS}`,
        );
      }
      config.stages.forEach((stage, index) => {
        if ((stage.target ?? 0) > MAX_CONCURRENT_VUS) {
          errors.push(
            `target for stage ${
              index + 1
            } exceeds max limit of ${MAX_CONCURRENT_VUS}`,
          );
        }
      });
      break;
    case "constant-arrival-rate":
      if (config.rate === undefined) {
        errors.push("the iteration rate isn't specified");
      } else if (config.rate <= 0) {
        errors.push("the iteration rate must be more than 0");
      }
      if (config.timeUnit <= 0) errors.push("the timeUnit must be more than 0");
      errors.push(...validateDuration(config.duration, "duration"));
      errors.push(...validatePreAllocated(config));
      break;
    case "ramping-arrival-rate":
      if (config.startRate < 0) {
        errors.push("the startRate value can't be negative");
      }
      if (config.timeUnit <= 0) errors.push("the timeUnit must be more than 0");
      errors.push(...validateStages(config.stages));
      errors.push(...validatePreAllocated(config));
      break;
  }
  return errors;
}

/**
 * Checks every scenario, giving one k6 line per invalid scenario.
 *
 * @param scenarios The scenarios.
 * @returns Lines like `scenario a has configuration errors: x, y`.
 *
 * @example Report invalid scenarios
 * ```ts
 * import { parseScenarios, validateScenarios } from "./scenario.ts";
 * import assert from "node:assert/strict";
 *
 * const scenarios = parseScenarios({ a: { executor: "constant-vus", vus: 0 } })!;
 * assert.deepEqual(validateScenarios(scenarios), [
 *   "scenario a has configuration errors: the number of VUs must be more than 0, the duration is unspecified",
 * ]);
 * ```
 */
export function validateScenarios(scenarios: ScenarioConfigs): string[] {
  const lines: string[] = [];
  for (const [name, config] of Object.entries(scenarios)) {
    const errors = validateScenario(config);
    if (errors.length > 0) {
      lines.push(
        `scenario ${name} has configuration errors: ${errors.join(", ")}`,
      );
    }
  }
  return lines;
}
