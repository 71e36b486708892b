/**
 * What `wsload run` is asked to run ({@link RunConfig}, from the command
 * line) and the process around it ({@link RunIO}): streams, terminal
 * facts, signals, and how worker processes start.
 *
 * @module
 */
import type { CliOverrides } from "./options/mod.ts";
import type { SummaryMode } from "./summary/mod.ts";
import type { SpawnWorker } from "./workers/spawn.ts";

/** The process around a run: streams, terminal facts, signals. */
export interface RunIO {
  /** Writes to stdout. */
  readonly stdout: (text: string) => void;
  /** Writes to stderr. */
  readonly stderr: (text: string) => void;
  /** Whether stdout is a terminal. */
  readonly stdoutTTY: boolean;
  /** Whether stderr is a terminal. */
  readonly stderrTTY: boolean;
  /** Terminal width, when known. */
  readonly columns?: number;
  /**
   * How many files (sockets included) a process may open, when known: a
   * plan with more VUs per worker than that is warned about before any VU
   * starts.
   */
  readonly openFileLimit?: number;
  /** Aborted on the first Ctrl+C / SIGTERM / SIGHUP: stop gracefully (exit 105). */
  readonly interrupt: AbortSignal;
  /**
   * Registers a function to call synchronously if the process must exit
   * at once (a second Ctrl+C), so outputs can write what they buffered.
   *
   * @returns A function that unregisters it.
   */
  readonly onHardExit?: (hook: () => void) => () => void;
  /**
   * Starts a worker process (default: this runtime, sandboxed as the
   * config says; see `runner/workers/spawn.ts`).
   */
  readonly spawnWorker?: SpawnWorker;
}

/** What to run and how, from the command line. */
export interface RunConfig {
  /** The script path as the user typed it. */
  readonly script: string;
  /** Option flags the user passed. */
  readonly cli: CliOverrides;
  /** The parsed `--config` file, if any. */
  readonly configFile?: unknown;
  /** The process environment (K6_* options; and `__ENV` unless excluded). */
  readonly env: Readonly<Record<string, string>>;
  /** `-e NAME=value` values for `__ENV`. */
  readonly scriptEnv: Readonly<Record<string, string>>;
  /** Whether the process environment is part of `__ENV` (k6 default: yes). */
  readonly includeSystemEnvVars: boolean;
  /** `--summary-mode` (`disabled` skips summary, handleSummary and export). */
  readonly summaryMode: SummaryMode | "disabled";
  /** `--summary-export FILE`. */
  readonly summaryExport?: string;
  /** `--report FILE.html`: a self-contained HTML report. */
  readonly report?: string;
  /** `--quiet`: no header, no progress. */
  readonly quiet: boolean;
  /** Colours allowed (`--no-color`/`NO_COLOR` turn them off). */
  readonly colors: boolean;
  /** `--verbose`: debug log lines. */
  readonly verbose?: boolean;
  /** `--strip-url-query`: no query strings in the `url` and `name` tags. */
  readonly stripUrlQuery?: boolean;
  /**
   * k6's `--compatibility-mode`: `extended` (default) makes scripts wait
   * where k6 blocks; `base` runs them as written, for scripts that await
   * themselves (no transform, events never held).
   */
  readonly compatibilityMode?: "extended" | "base";
  /** `--start-at`: begin (after the VUs' init) at this time, ms since the epoch. */
  readonly startAt?: number;
  /**
   * Run script code sandboxed (default): the network and reading its own
   * files only. `false` is `--no-sandbox`, for trusted scripts.
   */
  readonly sandbox?: boolean;
}
