/**
 * Outputs: where a run's samples go besides the summary (`--out json=FILE`,
 * `--out csv=FILE`, `--report FILE.html`). The runner starts every output
 * before the first VU is initialised (so a file that cannot be opened fails
 * the run at once, exit 104), feeds it every sample, and stops it after
 * the summary is known; on a hard exit (a second Ctrl+C) it calls
 * {@link Output.abort} so what was collected is still written.
 *
 * @module
 */
import type { Logger } from "../../context/context.ts";
import type { Sample } from "../../metrics/sample.ts";
import type { EngineSnapshot } from "../engine/snapshot.ts";
import type { SummaryData } from "../summary/data.ts";
import type { FailureCount } from "../failures.ts";

/** What outputs are told about the run when they start. */
export interface OutputContext {
  /** The threshold expressions per metric key (`metric` or `metric{tag:value}`), as configured. */
  readonly thresholds: Readonly<Record<string, readonly string[]>>;
  /** Enabled system tags (CSV columns). */
  readonly systemTags: ReadonlySet<string>;
  /** Environment variables the outputs read (`K6_CSV_TIME_FORMAT`, ...). */
  readonly env: Readonly<Record<string, string>>;
  /** For warnings. */
  readonly logger: Pick<Logger, "warn" | "error">;
  /** Where the script lives (relative output paths resolve against the working directory, like k6). */
  readonly scriptPath: string;
  /** The run's failed connections and script errors so far, by text (the reports list them). */
  readonly failures?: () => readonly FailureCount[];
}

/** What outputs get when the run is over. */
export interface RunEnd {
  /** The engine's final snapshot. */
  readonly snapshot: EngineSnapshot;
  /** k6's handleSummary data of the run. */
  readonly data: SummaryData;
  /** The run's exit code. */
  readonly exitCode: number;
}

/** One output. */
export interface Output {
  /** How the run header names it, e.g. `json (results.json)`. */
  readonly description: string;
  /**
   * Opens files and starts periodic flushing.
   *
   * @throws {Error} When the output cannot be opened (the run then ends with exit 104).
   */
  start(): Promise<void>;
  /** Takes one sample. Must be cheap and must not throw. */
  add(sample: Sample): void;
  /**
   * Flushes everything and closes.
   *
   * @throws {Error} (as a rejection) When the file is incomplete (a write
   * failed, or the file was removed during the run), naming it.
   */
  stop(end: RunEnd): Promise<void>;
  /** Writes what is buffered synchronously, for an exit that cannot wait. */
  abort(): void;
}
