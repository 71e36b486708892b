/**
 * k6's `sleep()`, without blocking.
 *
 * @module
 */
import { currentContext } from "../metrics/context.ts";
import { schedule } from "./_schedule.ts";

/**
 * Waits `seconds` seconds, as k6's `sleep()`, but returns a promise instead
 * of blocking the VU: `await sleep(1)`. Resolves at once for 0, negative or
 * non-numeric durations, and early when the iteration is interrupted.
 *
 * @param seconds How long to wait, in (fractional) seconds.
 * @returns A promise resolved after that time.
 *
 * @example Pause between two messages
 * ```ts
 * import { sleep } from "./_sleep.ts";
 *
 * await sleep(0.01);
 * ```
 */
export function sleep(seconds: number): Promise<void> {
  const ms = Number(seconds) * 1000;
  const signal = currentContext().signal;
  if (!(ms > 0) || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const wake = (): void => {
      cancel();
      signal.removeEventListener("abort", wake);
      resolve();
    };
    const cancel = schedule(wake, ms);
    signal.addEventListener("abort", wake, { once: true });
  });
}
