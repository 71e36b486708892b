/**
 * Combining the end states of a split test's instances into one engine:
 * counters, rates and gauges exactly, trends exactly while small and
 * through their DDSketches otherwise, checks and groups by path. Before
 * anything is merged the states must be of one test: the same script, the
 * same scenarios and thresholds, segments that do not overlap and (unless
 * a partial result is asked for) cover the whole test.
 *
 * @module
 */
import { MetricRegistry } from "../../metrics/registry.ts";
import type { Logger } from "../../context/context.ts";
import {
  type EngineState,
  type GaugeState,
  MetricsEngine,
  type MetricState,
} from "../engine/mod.ts";
import { ExecutionSegment, segmentCoverage } from "../options/mod.ts";
import type { RunState, StateOptions } from "./state_file.ts";

/** A state and the file it came from. */
export interface SourcedState {
  /** The state. */
  readonly state: RunState;
  /** Its file (and position in it), for messages. */
  readonly source: string;
}

/** The states of one test, checked and in segment order. */
export interface CheckedStates {
  /** The states, by segment. */
  readonly states: readonly SourcedState[];
  /** The options of the test (the same in every state). */
  readonly options: StateOptions;
  /** The longest instance's duration, ms. */
  readonly durationMs: number;
  /** The parts of the test no state covers (`--allow-partial`). */
  readonly missing: readonly string[];
}

// JSON with sorted keys: two option objects compare equal when they say
// the same, in whatever order their keys were written.
function canonical(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, item) =>
      item !== null && typeof item === "object" && !Array.isArray(item)
        ? Object.fromEntries(
          Object.entries(item).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0),
        )
        : item,
  );
}

function segmentOf({ state, source }: SourcedState): ExecutionSegment {
  try {
    return ExecutionSegment.parse(state.executionSegment);
  } catch (error) {
    throw new Error(
      `${source}: invalid execution segment '${state.executionSegment}': ${
        (error as Error).message
      }`,
    );
  }
}

/**
 * Checks that states belong to one test and orders them by segment.
 *
 * @param states The states, as read.
 * @param allowPartial Accept segments that leave parts of the test out.
 * @returns The checked states.
 * @throws {Error} With what differs: `cannot merge the states of different
 * scripts: ...`, `... different scenarios ...`, `... different thresholds
 * ...`, `cannot merge overlapping segments: ...`, or the missing parts of
 * the test.
 *
 * @example Refuse the same instance twice
 * ```ts
 * import { checkStates } from "./merge_states.ts";
 * import assert from "node:assert/strict";
 *
 * const state = {
 *   script: { path: "test.js", sha256: "ab" },
 *   executionSegment: "0:1/2",
 *   options: { scenarios: {}, thresholds: {} },
 * } as never;
 * assert.throws(
 *   () => checkStates([{ state, source: "a.json" }, { state, source: "b.json" }], false),
 *   { message: "cannot merge overlapping segments: a.json ran 0:1/2 and b.json ran 0:1/2 (the same instance twice?)" },
 * );
 * ```
 */
export function checkStates(
  states: readonly SourcedState[],
  allowPartial: boolean,
): CheckedStates {
  if (states.length === 0) throw new Error("no state to merge");
  const [first] = states;
  for (const other of states.slice(1)) {
    const [a, b] = [first.state.script, other.state.script];
    if (a.sha256 !== "" && b.sha256 !== "" && a.sha256 !== b.sha256) {
      throw new Error(
        `cannot merge the states of different scripts: ${first.source} ran ${a.path} (sha256 ${
          a.sha256.slice(0, 12)
        }) and ${other.source} ran ${b.path} (sha256 ${b.sha256.slice(0, 12)})`,
      );
    }
    for (const field of ["scenarios", "thresholds"] as const) {
      if (
        canonical(first.state.options[field]) !==
          canonical(other.state.options[field])
      ) {
        throw new Error(
          `cannot merge the states of different tests: the ${field} of ${first.source} and ${other.source} differ`,
        );
      }
    }
  }
  const segments = states.map(segmentOf);
  const coverage = segmentCoverage(segments);
  if (coverage.overlap) {
    const [a, b] = coverage.overlap.map((i) => states[i]);
    const same = a.state.executionSegment === b.state.executionSegment;
    throw new Error(
      `cannot merge overlapping segments: ${a.source} ran ${
        segments[coverage.overlap[0]]
      } and ${b.source} ran ${segments[coverage.overlap[1]]}${
        same ? " (the same instance twice?)" : ""
      }`,
    );
  }
  if (coverage.missing.length > 0 && !allowPartial) {
    throw new Error(
      `the states do not cover the whole test: no state for ${
        coverage.missing.join(", ")
      }; give every instance's state, or --allow-partial to merge what there is`,
    );
  }
  return {
    states: coverage.order.map((i) => states[i]),
    options: first.state.options,
    durationMs: Math.max(...states.map(({ state }) => state.durationMs)),
    missing: coverage.missing,
  };
}

/** How {@link mergeStates} builds the engine. */
export interface MergeOptions {
  /** Keep per-group and per-scenario metrics (`--summary-mode full`). */
  readonly breakdown: boolean;
  /** `--no-thresholds`: keep the thresholds' sub-metrics, skip the verdict. */
  readonly noThresholds: boolean;
  /** Receives warnings. */
  readonly logger: Pick<Logger, "warn">;
}

/**
 * One engine with every state's samples, thresholds set up as in the run.
 *
 * @param checked States checked by {@link checkStates}.
 * @param options Modes.
 * @returns The engine, ready for the end of the test.
 * @throws {TypeError} When a metric has different types in two states, or
 * a threshold is invalid (k6's texts).
 *
 * @example Two halves of a test, one verdict
 * ```ts
 * import { checkStates, mergeStates } from "./merge_states.ts";
 * import { MetricsEngine } from "../engine/mod.ts";
 * import { Context } from "../../context/context.ts";
 * import { WS_SESSIONS } from "../../metrics/builtin.ts";
 * import assert from "node:assert/strict";
 *
 * const half = (segment: string) => {
 *   const engine = new MetricsEngine();
 *   new Context({ sink: engine.ingest }).emit(WS_SESSIONS, 3);
 *   return {
 *     source: `${segment}.json`,
 *     state: {
 *       script: { path: "test.js", sha256: "" },
 *       executionSegment: segment,
 *       durationMs: 1000,
 *       options: {
 *         scenarios: {},
 *         thresholds: { ws_sessions: ["count>=6"] },
 *         noThresholds: false,
 *         systemTags: [],
 *       },
 *       metrics: [WS_SESSIONS],
 *       engine: engine.state(),
 *     } as never,
 *   };
 * };
 * const checked = checkStates([half("1/2:1"), half("0:1/2")], false);
 * const engine = mergeStates(checked, { breakdown: false, noThresholds: false, logger: console });
 * assert.deepEqual(engine.evaluate(1000, { final: true }).failed, []);
 * ```
 */
export function mergeStates(
  checked: CheckedStates,
  options: MergeOptions,
): MetricsEngine {
  // The instances' metric definitions: thresholds may name a custom
  // metric no instance emitted.
  const registry = new MetricRegistry();
  for (const { state } of checked.states) {
    for (const { name, type, contains } of state.metrics) {
      registry.define(name, type, contains);
    }
  }
  const engine = new MetricsEngine({
    registry,
    thresholds: checked.options.thresholds as never,
    noThresholds: options.noThresholds || checked.options.noThresholds,
    breakdown: options.breakdown,
    logger: options.logger,
  });
  // k6's implicit sub-metric, as a run has it.
  if (
    checked.options.systemTags.includes("expected_response") &&
    registry.get("http_req_duration") !== undefined
  ) {
    engine.addSubmetric("http_req_duration{expected_response:true}");
  }
  const engines = checked.states.map(({ state }) => state.engine);
  for (const state of withSummedGauges(engines)) engine.merge(state);
  return engine;
}

// Gauges of the instance as a whole: each instance runs its own VUs, so
// the test's are the instances' added up (the last values, the minimums
// and the maximums), not the last instance's.
const SUMMED_GAUGES: ReadonlySet<string> = new Set(["vus", "vus_max"]);

function withSummedGauges(engines: readonly EngineState[]): EngineState[] {
  const sums = new Map<string, MetricState>();
  const rest = engines.map((engine) => ({
    ...engine,
    metrics: engine.metrics.filter((metric) => {
      if (!SUMMED_GAUGES.has(metric.name) || metric.sink.type !== "gauge") {
        return true;
      }
      const known = sums.get(metric.name);
      const sink = known?.sink as GaugeState | undefined;
      sums.set(
        metric.name,
        sink === undefined ? metric : {
          ...metric,
          sink: {
            type: "gauge",
            samples: sink.samples + metric.sink.samples,
            value: sink.value + metric.sink.value,
            time: Math.max(sink.time, metric.sink.time),
            min: sink.min + metric.sink.min,
            max: sink.max + metric.sink.max,
          },
          submetrics: [...known!.submetrics, ...metric.submetrics],
        },
      );
      return false;
    }),
  }));
  const [first, ...others] = rest;
  return [
    { ...first, metrics: [...first.metrics, ...sums.values()] },
    ...others,
  ];
}
