/**
 * `--out state=FILE`: the run's mergeable end state (see
 * `runner/state/state_file.ts`), written when the run ends, for `wsload
 * merge` to combine the instances of a split test into one result.
 * `state=FILE.gz` compresses it; `state=-` (or `state`) writes it to
 * stdout as one `wsload-state:v1:...` line, for a pod whose log is
 * collected with `kubectl logs`.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { registry } from "../../metrics/registry.ts";
import type { Sample } from "../../metrics/sample.ts";
import type { EngineState } from "../engine/state.ts";
import type { ConsolidatedOptions } from "../options/consolidate.ts";
import {
  type RunState,
  stateFileBytes,
  stateLine,
  type StateOptions,
} from "../state/state_file.ts";
import { VERSION } from "../../version.ts";
import type { Output, OutputContext, RunEnd } from "./output.ts";

/** What the state output needs from the run besides {@link OutputContext}. */
export interface StateSource {
  /** The run's consolidated options. */
  readonly options: ConsolidatedOptions;
  /** The engine's aggregates at the end. */
  readonly engineState: () => EngineState;
  /** Where `state=-` writes. */
  readonly stdout?: (text: string) => void;
}

// Sets as arrays: the options as JSON.
function plain(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(
      value,
      (_key, item) => item instanceof Set ? [...item] : item,
    ) ?? "null",
  );
}

/**
 * The options of a run as a state carries them.
 *
 * @param options The consolidated options.
 * @returns The verdict-deciding options, as JSON.
 *
 * @example
 * ```ts
 * import { stateOptions } from "./state.ts";
 * import { consolidateOptions } from "../options/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const options = stateOptions(consolidateOptions({
 *   script: { vus: 2, iterations: 10, thresholds: { checks: ["rate>0.9"] } },
 * }));
 * assert.deepEqual(options.thresholds, { checks: ["rate>0.9"] });
 * assert.equal((options.scenarios.default as { iterations: number }).iterations, 10);
 * assert.ok(options.systemTags.includes("scenario"));
 * ```
 */
export function stateOptions(options: ConsolidatedOptions): StateOptions {
  return {
    scenarios: plain(options.scenarios) as Record<string, unknown>,
    thresholds: plain(options.thresholds ?? {}) as Record<string, unknown>,
    noThresholds: options.noThresholds ?? false,
    summaryTrendStats: [...options.summaryTrendStats],
    summaryTimeUnit: options.summaryTimeUnit ?? "",
    handleSummaryTimeout: options.handleSummaryTimeout,
    systemTags: [...options.systemTags],
  };
}

/**
 * The state output.
 *
 * @example Describe the output (nothing is written before the run ends)
 * ```ts
 * import { StateOutput } from "./state.ts";
 * import { consolidateOptions } from "../options/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const output = new StateOutput("state-0.json", {
 *   scriptPath: "test.js",
 *   options: consolidateOptions({}),
 *   engineState: () => ({ metrics: [], rootGroup: { name: "", groups: [], checks: [], metrics: [] }, scenarios: {} }),
 * });
 * assert.equal(output.description, "state (state-0.json)");
 * ```
 */
export class StateOutput implements Output {
  /** `state (FILE)` or `state (stdout)`. */
  readonly description: string;
  readonly #file: string | undefined;
  readonly #context: Pick<OutputContext, "scriptPath"> & StateSource;
  #sha256 = "";

  /**
   * Creates the output.
   *
   * @param argument What follows `state=`: a file, or `-`/empty for stdout.
   * @param context The script's path and the run's options and engine.
   * @throws {Error} When stdout is asked for but not available.
   */
  constructor(
    argument: string,
    context: Pick<OutputContext, "scriptPath"> & StateSource,
  ) {
    this.#file = argument === "" || argument === "-" ? undefined : argument;
    if (this.#file === undefined && context.stdout === undefined) {
      throw new Error(
        "writing to stdout is not available here; give a file name (state=FILE)",
      );
    }
    this.#context = context;
    this.description = `state (${this.#file ?? "stdout"})`;
  }

  /**
   * Reads the script to fingerprint it, and checks the file can be written.
   *
   * @returns A promise settled once ready.
   * @throws {Error} When the file cannot be created.
   */
  async start(): Promise<void> {
    try {
      const text = await readFile(this.#context.scriptPath);
      this.#sha256 = createHash("sha256").update(text).digest("hex");
    } catch {
      // A script from stdin or a URL: merged states are then not told
      // apart by their script.
    }
    if (this.#file !== undefined) await writeFile(this.#file, "");
  }

  /** Nothing to do per sample: the engine aggregates them. */
  add(_sample: Sample): void {}

  /**
   * Writes the state.
   *
   * @param end The run's end (duration, exit code, setup data).
   * @returns A promise settled once written.
   * @throws {Error} When the file cannot be written, naming it.
   */
  async stop(end: RunEnd): Promise<void> {
    const state = this.#state(end);
    if (this.#file === undefined) {
      this.#context.stdout!(stateLine(state));
      return;
    }
    try {
      await writeFile(
        this.#file,
        stateFileBytes(state, this.#file.endsWith(".gz")),
      );
    } catch (error) {
      throw new Error(
        `could not write the state to '${this.#file}': ${
          (error as Error).message
        }`,
      );
    }
  }

  /** A run that must exit at once leaves no state: its end is unknown. */
  abort(): void {}

  #state(end: RunEnd): RunState {
    const { options } = this.#context;
    return {
      format: "wsload-state",
      version: 1,
      wsload: VERSION,
      script: { path: this.#context.scriptPath, sha256: this.#sha256 },
      executionSegment: options.executionSegment?.toString() ?? "0:1",
      executionSegmentSequence: options.executionSegmentSequence?.toString() ??
        "",
      durationMs: end.snapshot.durationMs,
      exitCode: end.exitCode,
      ...(end.data.setup_data === undefined
        ? {}
        : { setupData: end.data.setup_data }),
      options: stateOptions(options),
      metrics: registry.all().map(({ name, type, contains }) => ({
        name,
        type,
        contains,
      })),
      engine: this.#context.engineState(),
    };
  }
}
