/**
 * The process adapter of the CLI: the only place that touches `process`
 * (streams, terminal facts, environment, signals, exit). It works under
 * Node and Deno (through Deno's `node:process`).
 *
 * @module
 */
import process from "node:process";

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
   * Calls `handler` on SIGINT/SIGTERM with the count of signals so far.
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
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stdoutTTY: process.stdout.isTTY === true,
    stderrTTY: process.stderr.isTTY === true,
    columns: process.stdout.columns,
    args: process.argv.slice(2),
    env,
    onSignal(handler) {
      let count = 0;
      const listener = () => handler(++count);
      process.on("SIGINT", listener);
      process.on("SIGTERM", listener);
      return () => {
        process.off("SIGINT", listener);
        process.off("SIGTERM", listener);
      };
    },
    exit(code) {
      // Under Node a pipe is written asynchronously: exiting before it
      // drained would cut the summary or a `--out json=-` stream short.
      process.exitCode = code;
      process.stdout.write("", () => {
        process.stderr.write("", () => process.exit(code));
      });
    },
    onUnhandledRejection(handler) {
      // Deno ends the process on an unhandled rejection unless the web
      // event is cancelled; Node does unless a process listener exists.
      const target = globalThis as unknown as Partial<EventTarget>;
      if ("Deno" in globalThis && target.addEventListener) {
        const listener = (event: Event) => {
          event.preventDefault();
          handler((event as PromiseRejectionEvent).reason);
        };
        target.addEventListener("unhandledrejection", listener);
        return () =>
          target.removeEventListener?.("unhandledrejection", listener);
      }
      const listener = (reason: unknown) => handler(reason);
      process.on("unhandledRejection", listener);
      return () => void process.off("unhandledRejection", listener);
    },
    runtime: process.versions.deno
      ? `deno ${process.versions.deno}`
      : `node ${process.version}`,
  };
}
