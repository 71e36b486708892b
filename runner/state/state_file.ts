/**
 * The end state of one instance of a split test, as `--out state` writes
 * it and `wsload merge` reads it: the engine's mergeable aggregates
 * (counters, rates, gauges, trend sketches, checks, groups), the metric
 * definitions, the options that decide the verdict (thresholds, scenarios,
 * summary columns), the instance's execution segment, duration and exit
 * code, and which script ran.
 *
 * Two encodings of the same JSON: a file (`.json`, or gzip-compressed
 * when the name ends in `.gz`), and one line for a log (a pod's stdout),
 * `wsload-state:v1:` followed by the gzip-compressed JSON in base64, which
 * `wsload merge` finds among any other lines.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { gunzipSync, gzipSync } from "node:zlib";
import type { EngineState, MetricInfo } from "../engine/state.ts";

/** The options of a run that a merged result needs. */
export interface StateOptions {
  /** k6's scenarios, in full (not scaled to the segment); ms durations. */
  readonly scenarios: Readonly<Record<string, unknown>>;
  /** k6's `thresholds` as configured. */
  readonly thresholds: Readonly<Record<string, unknown>>;
  /** `--no-thresholds`. */
  readonly noThresholds: boolean;
  /** k6's `summaryTrendStats`. */
  readonly summaryTrendStats: readonly string[];
  /** k6's `summaryTimeUnit` (`""` when unset). */
  readonly summaryTimeUnit: string;
  /** k6's `handleSummaryTimeout`, ms. */
  readonly handleSummaryTimeout: number;
  /** Enabled system tags. */
  readonly systemTags: readonly string[];
}

/** One instance's end state (format `wsload-state`, version 1). */
export interface RunState {
  /** Always `wsload-state`. */
  readonly format: "wsload-state";
  /** Always 1. */
  readonly version: 1;
  /** The wsload version that wrote it. */
  readonly wsload: string;
  /** The script: its path as given, and the SHA-256 of its text. */
  readonly script: { readonly path: string; readonly sha256: string };
  /** The instance's execution segment (`0:1` when not split). */
  readonly executionSegment: string;
  /** The segment sequence of the split (`""` when none was given). */
  readonly executionSegmentSequence: string;
  /** The instance's test run duration, ms. */
  readonly durationMs: number;
  /** The instance's exit code. */
  readonly exitCode: number;
  /** What `setup()` returned in this instance (absent when nothing). */
  readonly setupData?: unknown;
  /** The options that decide the verdict. */
  readonly options: StateOptions;
  /** Every metric the instance defined (thresholds may name unused ones). */
  readonly metrics: readonly MetricInfo[];
  /** The aggregated samples, groups and checks. */
  readonly engine: EngineState;
}

/** The prefix of a state written as a log line. */
export const STATE_LINE_PREFIX = "wsload-state:v1:";

/**
 * A state as one log line (with its newline).
 *
 * @param state The state.
 * @returns `wsload-state:v1:<base64 of gzip of JSON>\n`.
 *
 * @example Round trip through a log
 * ```ts
 * import { parseStates, stateLine } from "./state_file.ts";
 * import assert from "node:assert/strict";
 *
 * const state = { format: "wsload-state", version: 1 } as never;
 * const log = `some output\n${stateLine(state)}more output\n`;
 * assert.throws(() => parseStates(new TextEncoder().encode(log), "pod.log"), {
 *   message: /pod\.log: state 1: missing "wsload"/,
 * });
 * ```
 */
export function stateLine(state: RunState): string {
  const packed = gzipSync(new TextEncoder().encode(JSON.stringify(state)));
  return `${STATE_LINE_PREFIX}${Buffer.from(packed).toString("base64")}\n`;
}

/**
 * A state as a file's bytes: JSON, gzip-compressed when `gzip` is set.
 *
 * @param state The state.
 * @param gzip Compress it.
 * @returns The bytes.
 *
 * @example A damaged file is named in the error
 * ```ts
 * import { parseStates, stateFileBytes } from "./state_file.ts";
 * import assert from "node:assert/strict";
 *
 * const bytes = stateFileBytes({ format: "wsload-state", version: 2 } as never, true);
 * assert.throws(() => parseStates(bytes, "state-0.json.gz"), {
 *   message: "state-0.json.gz: state version 2 is not supported; this wsload reads version 1",
 * });
 * ```
 */
export function stateFileBytes(state: RunState, gzip: boolean): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(state));
  return gzip ? gzipSync(json) : json;
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Reads the states in a file: a state file (JSON, gzip or not), or any
 * text (a log) with state lines in it, as many as it holds.
 *
 * @param bytes The file's content.
 * @param source The file's name, for errors.
 * @returns The states, in the order found.
 * @throws {Error} Naming the file: when it holds no state, a state is
 * malformed, or is of another format or version.
 *
 * @example A log without a state
 * ```ts
 * import { parseStates } from "./state_file.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => parseStates(new TextEncoder().encode("done\n"), "pod-0.log"), {
 *   message: /^pod-0\.log: no wsload state in it/,
 * });
 * ```
 */
export function parseStates(bytes: Uint8Array, source: string): RunState[] {
  let data = bytes;
  if (isGzip(data)) {
    try {
      data = gunzipSync(data);
    } catch (error) {
      throw new Error(
        `${source}: not a wsload state: gzip data that cannot be read (${
          (error as Error).message
        })`,
      );
    }
  }
  const text = new TextDecoder().decode(data);
  if (text.trimStart().startsWith("{")) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new Error(
        `${source}: not a wsload state: invalid JSON (${
          (error as Error).message
        })`,
      );
    }
    return [checkState(value, source)];
  }
  const states: RunState[] = [];
  for (const line of text.split("\n")) {
    const at = line.indexOf(STATE_LINE_PREFIX);
    if (at < 0) continue;
    const where = `${source}: state ${states.length + 1}`;
    const encoded = line.slice(at + STATE_LINE_PREFIX.length).trim();
    let value: unknown;
    try {
      value = JSON.parse(
        new TextDecoder().decode(gunzipSync(Buffer.from(encoded, "base64"))),
      );
    } catch (error) {
      throw new Error(
        `${where}: the line is cut short or damaged (${
          (error as Error).message
        })`,
      );
    }
    states.push(checkState(value, where));
  }
  if (states.length === 0) {
    throw new Error(
      `${source}: no wsload state in it: expected a file written by --out state=FILE, or output with '${STATE_LINE_PREFIX}' lines from --out state=-`,
    );
  }
  return states;
}

const FIELDS: readonly (readonly [string, string])[] = [
  ["wsload", "string"],
  ["script", "object"],
  ["executionSegment", "string"],
  ["executionSegmentSequence", "string"],
  ["durationMs", "number"],
  ["exitCode", "number"],
  ["options", "object"],
  ["metrics", "object"],
  ["engine", "object"],
];

function checkState(value: unknown, where: string): RunState {
  const record = value as Record<string, unknown>;
  if (
    typeof value !== "object" || value === null ||
    record.format !== "wsload-state"
  ) {
    throw new Error(
      `${where}: not a wsload state (no "format": "wsload-state")`,
    );
  }
  if (record.version !== 1) {
    throw new Error(
      `${where}: state version ${
        JSON.stringify(record.version)
      } is not supported; this wsload reads version 1`,
    );
  }
  for (const [field, type] of FIELDS) {
    if (typeof record[field] !== type || record[field] === null) {
      throw new Error(
        `${where}: missing "${field}" (a ${type}); the state is damaged`,
      );
    }
  }
  const engine = record.engine as Record<string, unknown>;
  if (!Array.isArray(engine.metrics) || typeof engine.rootGroup !== "object") {
    throw new Error(
      `${where}: "engine" has no metrics or groups; the state is damaged`,
    );
  }
  return value as RunState;
}
