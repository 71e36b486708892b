/**
 * `--start-at TIME`: instances of a split test initialise their VUs, then
 * wait for a shared wall-clock time, so N processes or pods begin their
 * scenarios together without a controller (k6-operator starts its paused
 * runners through their REST API instead).
 *
 * @module
 */
import { schedule } from "../internal/long_timer.ts";
import type { RunLog } from "./log.ts";

/**
 * Waits until `startAt` (or until `signal` aborts). A time already past
 * is warned about and the test starts at once.
 *
 * @param startAt The start time, ms since the epoch.
 * @param signal Ends the wait early (Ctrl+C).
 * @param log Where the wait is announced.
 * @param clock The wall clock (ms since the epoch); `Date.now` by default.
 * @returns A promise settled at the start time.
 *
 * @example Start at once when the time is past
 * ```ts
 * import { waitForStart } from "./start_at.ts";
 * import { RunLog } from "./log.ts";
 * import assert from "node:assert/strict";
 *
 * const lines: string[] = [];
 * const log = new RunLog({ write: (line) => lines.push(line), colors: false });
 * await waitForStart(Date.now() - 5000, new AbortController().signal, log);
 * assert.match(lines[0], /passed 5\.\d s ago; starting now/);
 * ```
 */
export function waitForStart(
  startAt: number,
  signal: AbortSignal,
  log: Pick<RunLog, "log" | "warn">,
  clock: () => number = Date.now,
): Promise<void> {
  const wait = startAt - clock();
  const time = new Date(startAt).toISOString();
  if (wait <= 0) {
    log.warn(
      `the start time ${time} passed ${
        (-wait / 1000).toFixed(1)
      } s ago; starting now`,
    );
    return Promise.resolve();
  }
  log.log(
    "info",
    `waiting until ${time} to start (${(wait / 1000).toFixed(1)} s)`,
  );
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      cancel();
      signal.removeEventListener("abort", done);
      resolve();
    };
    const cancel = schedule(done, wait);
    signal.addEventListener("abort", done, { once: true });
  });
}
