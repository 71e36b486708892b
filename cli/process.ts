/**
 * The process adapter of the CLI: the only place that touches `process`
 * (streams, terminal facts, environment, signals, exit). It works under
 * Node and Deno (through Deno's `node:process`).
 *
 * @module
 */
import process from "node:process";
import { onUnhandledRejection } from "../internal/unhandled_rejections.ts";
import { openFileLimit } from "./open_file_limit.ts";

/** What the CLI needs from the process it runs in. */
export interface CliIO {
  /** Writes to stdout. */
  readonly stdout: (text: string) => void;
  /** Writes to stderr. */
  readonly stderr: (text: string) => void;
  /** Whether stdout is a terminal. */
  readonly stdoutTTY: boolean;
  /** Whether stderr is a terminal. */
  readonly stderrTTY: boolean;
  /** Terminal width, when stdout is one. */
  readonly columns: number | undefined;
  /** The command-line arguments after the program (and script) name. */
  readonly args: readonly string[];
  /** The environment. */
  readonly env: Readonly<Record<string, string>>;
  /**
   * Calls `handler` on SIGINT, SIGTERM and SIGHUP (the terminal was closed)
   * with the count of signals so far.
   *
   * @returns A function that stops listening.
   */
  onSignal(handler: (count: number) => void): () => void;
  /** Ends the process once stdout and stderr are written out. */
  exit(code: number): void;
  /**
   * Calls `handler` for promise rejections nobody handled, instead of the
   * runtime ending the process.
   *
   * @returns A function that stops listening.
   */
  onUnhandledRejection(handler: (reason: unknown) => void): () => void;
  /** The runtime, e.g. `deno 2.9.5` or `node v20.20.2`. */
  readonly runtime: string;
  /**
   * How many files (sockets included) the process may open, when known.
   * The runtimes have already raised the soft limit to the hard one.
   */
  readonly openFileLimit?: number;
}

/**
 * The signals that stop a run gracefully: k6's (SIGINT, SIGTERM) and SIGHUP,
 * which k6 leaves to Go's default (exit at once, no summary, outputs cut).
 */
const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * Writes to a standard stream, ignoring a reader that went away (a closed
 * terminal gives EIO, a closed pipe EPIPE): the run still finishes its
 * files, and nothing is left to read what would have been written.
 */
function streamWriter(stream: NodeJS.WriteStream): (text: string) => void {
  let gone = false;
  stream.on("error", () => gone = true);
  return (text) => {
    if (gone) return;
    try {
      stream.write(text);
    } catch {
      gone = true;
    }
  };
}

/** Calls `then` once what was written to `stream` is out (or cannot be). */
function drained(stream: NodeJS.WriteStream, then: () => void): void {
  if (stream.destroyed || stream.errored) return then();
  stream.write("", () => then());
}

/**
 * The real process.
 *
 * @returns Its IO.
 */
export function processIO(): CliIO {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined) env[key] = value;
  }
  return {
    stdout: streamWriter(process.stdout),
    stderr: streamWriter(process.stderr),
    stdoutTTY: process.stdout.isTTY === true,
    stderrTTY: process.stderr.isTTY === true,
    columns: process.stdout.columns,
    args: process.argv.slice(2),
    env,
    onSignal(handler) {
      let count = 0;
      const listener = () => handler(++count);
      const signals = STOP_SIGNALS.filter((signal) => {
        try {
          process.on(signal, listener);
          return true;
        } catch {
          return false; // e.g. SIGHUP under Deno on Windows
        }
      });
      return () => {
        for (const signal of signals) process.off(signal, listener);
      };
    },
    exit(code) {
      // Under Node a pipe is written asynchronously: exiting before it
      // drained would cut the summary or a `--out json=-` stream short.
      process.exitCode = code;
      drained(process.stdout, () => {
        drained(process.stderr, () => process.exit(code));
      });
    },
    onUnhandledRejection,
    runtime: process.versions.deno
      ? `deno ${process.versions.deno}`
      : `node ${process.version}`,
    openFileLimit: openFileLimit(),
  };
}
