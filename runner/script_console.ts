/**
 * The `console` a script sees under `wsload run`: k6's console, writing to
 * the run log with `source=console` (so `console.log("x")` prints
 * `INFO[0001] x  source=console`, as in k6).
 *
 * @module
 */
import type { LogLevel, RunLog } from "./log.ts";

/** The console methods scripts use. */
export interface ScriptConsole {
  /** Logs at info level. */
  log(...args: unknown[]): void;
  /** Logs at info level. */
  info(...args: unknown[]): void;
  /** Logs at debug level (shown with `--verbose`). */
  debug(...args: unknown[]): void;
  /** Logs at warning level. */
  warn(...args: unknown[]): void;
  /** Logs at error level. */
  error(...args: unknown[]): void;
}

/** Writes an `Error` argument: its stack, as the run shows the script's. */
export type ErrorFormatter = (error: Error) => string;

const stackOf: ErrorFormatter = (error) => error.stack ?? String(error);

function formatArgument(value: unknown, formatError: ErrorFormatter): string {
  if (typeof value === "string") return value;
  if (value instanceof Error) return formatError(value);
  if (typeof value === "object" && value !== null) {
    try {
      return JSON.stringify(value) ?? String(value);
    } catch {
      return String(value);
    }
  }
  return String(value);
}

/**
 * Creates a script console writing to a run log.
 *
 * @param log The run log.
 * @param formatError Writes an `Error` argument; its stack by default. The
 * runner passes the formatter of script exceptions, so that
 * `console.error(e)` shows the script's paths and frames, not wsload's.
 * @returns The console.
 *
 * @example
 * ```ts
 * import { RunLog } from "./log.ts";
 * import { createScriptConsole } from "./script_console.ts";
 * import assert from "node:assert/strict";
 *
 * const lines: string[] = [];
 * const console = createScriptConsole(new RunLog({ write: (l) => lines.push(l), colors: false }));
 * console.log("value", { a: 1 });
 * assert.match(lines[0], /msg="value \{\\"a\\":1\}" source=console/);
 * ```
 */
export function createScriptConsole(
  log: RunLog,
  formatError: ErrorFormatter = stackOf,
): ScriptConsole {
  const format = (value: unknown) => formatArgument(value, formatError);
  const at = (level: LogLevel) => (...args: unknown[]) =>
    log.log(level, args.map(format).join(" "), { source: "console" });
  return {
    log: at("info"),
    info: at("info"),
    debug: at("debug"),
    warn: at("warning"),
    error: at("error"),
  };
}
