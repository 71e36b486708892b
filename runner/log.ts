/**
 * The run's log, formatted the way k6's logrus formatter prints it: on a
 * colour terminal `INFO[0003] message                          source=console`,
 * elsewhere `time="2026-11-23T15:57:03+01:00" level=info msg="message"
 * source=console`. Script `console.*` calls and the runner's own warnings
 * both end up here (stderr by default).
 *
 * @module
 */
import type { Logger } from "../context/context.ts";
import { GoTimeFormatter } from "../internal/go_time.ts";

/** Log levels, least to most severe. */
export type LogLevel = "debug" | "info" | "warning" | "error";

const LEVEL_RANK: Record<LogLevel, number> = {
  debug: 0,
  info: 1,
  warning: 2,
  error: 3,
};
const LEVEL_COLOR: Record<LogLevel, number> = {
  debug: 37,
  info: 36,
  warning: 33,
  error: 31,
};

/** Where and how log lines are written. */
export interface LogOptions {
  /** Writes one formatted line (with its newline). */
  readonly write: (line: string) => void;
  /** Colour output (`INFO[0003]` form) instead of `key=value` form. */
  readonly colors: boolean;
  /** Lowest level written; `info` by default (`debug` with `--verbose`). */
  readonly level?: LogLevel;
  /** Start of the run, ms since the epoch (the `[0003]` counter); now by default. */
  readonly startTime?: number;
}

function quote(value: string): string {
  // logrus quotes values that are empty or contain anything but
  // letters, digits and -._/@^+ ; %q-style escaping.
  return /^[A-Za-z0-9\-._/@^+]+$/.test(value) ? value : JSON.stringify(value);
}

/** A logger with levels and structured fields, plus the {@link Logger} methods. */
export class RunLog implements Logger {
  readonly #options: LogOptions;
  readonly #startTime: number;
  readonly #minRank: number;
  // logrus's default time format is RFC 3339 in the local zone.
  readonly #times = new GoTimeFormatter("RFC3339");

  /**
   * Creates a log.
   *
   * @param options Output and format.
   *
   * @example Log in k6's colourless format
   * ```ts
   * import { RunLog } from "./log.ts";
   * import assert from "node:assert/strict";
   *
   * const lines: string[] = [];
   * const log = new RunLog({ write: (l) => lines.push(l), colors: false });
   * log.log("warning", "slow", { source: "console" });
   * assert.match(lines[0], /^time=".+" level=warning msg=slow source=console\n$/);
   * ```
   */
  constructor(options: LogOptions) {
    this.#options = options;
    this.#startTime = options.startTime ?? Date.now();
    this.#minRank = LEVEL_RANK[options.level ?? "info"];
  }

  /** The run's start (the `[0003]` counter), ms since the epoch. */
  get startTime(): number {
    return this.#startTime;
  }

  /**
   * Writes one entry.
   *
   * @param level The level.
   * @param message The message.
   * @param fields Extra `key=value` fields, e.g. `{ source: "console" }`.
   */
  log(
    level: LogLevel,
    message: string,
    fields: Readonly<Record<string, string>> = {},
  ): void {
    if (LEVEL_RANK[level] < this.#minRank) return;
    const now = Date.now();
    const keys = Object.keys(fields).sort();
    let line: string;
    if (this.#options.colors) {
      const color = LEVEL_COLOR[level];
      const label = level.toUpperCase().slice(0, 4);
      const seconds = String(Math.trunc((now - this.#startTime) / 1000))
        .padStart(4, "0");
      line = `\x1b[${color}m${label}\x1b[0m[${seconds}] ${message.padEnd(44)} ${
        keys.map((k) => `\x1b[${color}m${k}\x1b[0m=${fields[k]}`).join(" ")
      }`.trimEnd();
    } else {
      line = `time="${this.#times.format(now)}" level=${level} msg=${
        quote(message)
      }${keys.map((k) => ` ${k}=${quote(fields[k])}`).join("")}`;
    }
    this.#options.write(`${line}\n`);
  }

  /**
   * Logs a warning (the {@link Logger} interface).
   *
   * @param message The warning.
   * @param fields Extra `key=value` fields, e.g. `{ error: "…" }`.
   */
  warn(message: string, fields?: Readonly<Record<string, string>>): void {
    this.log("warning", message, fields);
  }

  /**
   * Logs an error (the {@link Logger} interface).
   *
   * @param message The error.
   */
  error(message: string): void {
    this.log("error", message);
  }

  /**
   * Logs at info level.
   *
   * @param message The message.
   */
  info(message: string): void {
    this.log("info", message);
  }
}
