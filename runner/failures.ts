/**
 * What went wrong during a run, for the terminal and the reports: failed
 * WebSocket connections and uncaught script errors. Each is counted by its
 * text (bounded: the first {@link MAX_TEXTS} distinct texts of a kind, the
 * rest under "other"), and logged rate-limited: the first
 * {@link FIRST_LOGGED} of each kind in full, then one line per
 * {@link COUNT_INTERVAL_MS} with how many more there were, and a last count
 * when the run ends. A run whose every connection was refused thus says so
 * at once, without thousands of identical lines.
 *
 * k6 logs every uncaught script error, and no failed WebSocket connection
 * at all (k6/http logs each failed request); wsload logs both, rate-limited.
 *
 * @module
 */
import type { LogLevel } from "./log.ts";

/** The kinds of failures counted. */
export type FailureKind = "connection" | "script";

/** One failure text and how often it happened. */
export interface FailureCount {
  /** What failed. */
  readonly kind: FailureKind;
  /** The text: the connection error, or the script error's first line. */
  readonly text: string;
  /** How many times. */
  readonly count: number;
}

/** Where the failure log writes. */
export interface FailureLogTarget {
  /** Writes one log entry. */
  log(
    level: LogLevel,
    message: string,
    fields?: Readonly<Record<string, string>>,
  ): void;
}

/** Where the code that runs VUs reports failures (a {@link FailureLog}, or a worker's forwarder). */
export interface FailureSink {
  /**
   * A WebSocket connection failed to open.
   *
   * @param url The URL dialled.
   * @param error Why.
   */
  connection(url: string, error: string): void;
  /**
   * An iteration ended with an uncaught error.
   *
   * @param text The error as logged (stack trace included).
   * @param fields Extra log fields (`scenario`, `executor`, `source`).
   */
  script(text: string, fields?: Readonly<Record<string, string>>): void;
}

/** Failures of a kind logged in full before they are only counted. */
export const FIRST_LOGGED = 5;
/** How often the count of unlogged failures is written while they go on. */
export const COUNT_INTERVAL_MS = 10_000;
/** Distinct texts kept per kind; later ones are counted as "other". */
export const MAX_TEXTS = 50;

const OTHER = "(other errors)";

const NOUNS: Record<FailureKind, [string, string]> = {
  connection: ["WebSocket connection failure", "WebSocket connection failures"],
  script: ["script error", "script errors"],
};

interface KindState {
  logged: number;
  unlogged: number;
  readonly counts: Map<string, number>;
}

/**
 * Counts and logs a run's failures.
 *
 * @example Five failures logged, the rest counted
 * ```ts
 * import { FailureLog } from "./failures.ts";
 * import assert from "node:assert/strict";
 *
 * const lines: string[] = [];
 * const failures = new FailureLog({ log: (_level, message) => lines.push(message) }, () => 0);
 * for (let i = 0; i < 8; i++) {
 *   failures.connection("ws://127.0.0.1:1/", "dial tcp 127.0.0.1:1: connect: connection refused");
 * }
 * failures.end();
 * assert.equal(lines.length, 6);
 * assert.equal(lines[5], "3 more WebSocket connection failures were not logged: 3 × dial tcp 127.0.0.1:1: connect: connection refused");
 * assert.deepEqual(failures.counts(), [
 *   { kind: "connection", text: "dial tcp 127.0.0.1:1: connect: connection refused", count: 8 },
 * ]);
 * ```
 */
export class FailureLog implements FailureSink {
  readonly #target: FailureLogTarget;
  readonly #clock: () => number;
  readonly #kinds: Record<FailureKind, KindState> = {
    connection: { logged: 0, unlogged: 0, counts: new Map() },
    script: { logged: 0, unlogged: 0, counts: new Map() },
  };
  #lastCountAt = -Infinity;

  /**
   * Creates an empty log.
   *
   * @param target Where lines go (the run's log).
   * @param clock Milliseconds now, for the count interval.
   */
  constructor(target: FailureLogTarget, clock: () => number = Date.now) {
    this.#target = target;
    this.#clock = clock;
  }

  /**
   * A WebSocket connection failed to open.
   *
   * @param url The URL dialled.
   * @param error Why.
   */
  connection(url: string, error: string): void {
    if (this.#count("connection", error)) {
      this.#target.log("warning", "WebSocket connection failed", {
        error,
        url,
      });
    }
  }

  /**
   * An iteration ended with an uncaught error.
   *
   * @param text The error as logged (stack trace included).
   * @param fields Extra log fields (`scenario`, `executor`, `source`).
   */
  script(text: string, fields: Readonly<Record<string, string>> = {}): void {
    const firstLine = text.split("\n", 1)[0];
    if (this.#count("script", firstLine)) {
      this.#target.log("error", text, fields);
    }
  }

  // Counts one failure; true when it should be logged in full.
  #count(kind: FailureKind, text: string): boolean {
    const state = this.#kinds[kind];
    const counts = state.counts;
    const key = counts.has(text) || counts.size < MAX_TEXTS ? text : OTHER;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (state.logged < FIRST_LOGGED) {
      state.logged++;
      return true;
    }
    state.unlogged++;
    const now = this.#clock();
    if (now - this.#lastCountAt >= COUNT_INTERVAL_MS) {
      this.#lastCountAt = now;
      this.#flush();
    }
    return false;
  }

  #flush(): void {
    for (const kind of ["connection", "script"] as const) {
      const state = this.#kinds[kind];
      if (state.unlogged === 0) continue;
      const [one, many] = NOUNS[kind];
      const top = [...state.counts].sort((a, b) => b[1] - a[1]).slice(0, 3);
      this.#target.log(
        kind === "script" ? "error" : "warning",
        `${state.unlogged} more ${
          state.unlogged === 1 ? `${one} was` : `${many} were`
        } not logged: ${
          top.map(([text, count]) => `${count} × ${text}`).join("; ")
        }`,
      );
      state.unlogged = 0;
    }
  }

  /** Writes the count of what was not logged yet (the run is over). */
  end(): void {
    this.#flush();
  }

  /**
   * Every failure text counted so far, most frequent first.
   *
   * @returns The counts.
   */
  counts(): FailureCount[] {
    const all: FailureCount[] = [];
    for (const kind of ["connection", "script"] as const) {
      for (const [text, count] of this.#kinds[kind].counts) {
        all.push({ kind, text, count });
      }
    }
    return all.sort((a, b) => b.count - a.count);
  }
}
