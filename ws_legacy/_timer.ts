/**
 * Socket timers: a delay of any length, once or repeatedly, with one cancel
 * function. JavaScript timers cannot wait longer than 2^31 − 1 ms (longer
 * delays fire after 1 ms, with a warning in Node), so longer waits are
 * chained.
 *
 * @module
 */

/** The longest delay `setTimeout` honours. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `fire` after `delayMs`, and again every `delayMs` when `repeat`.
 *
 * @param delayMs The delay in milliseconds (> 0; fractions are allowed).
 * @param repeat Whether to fire repeatedly.
 * @param fire What to call.
 * @returns A function that cancels the timer (idempotent).
 *
 * @example Fire once
 * ```ts
 * import { startTimer } from "./_timer.ts";
 * import assert from "node:assert/strict";
 *
 * let fired = 0;
 * startTimer(1, false, () => fired++);
 * await new Promise((resolve) => setTimeout(resolve, 20));
 * assert.equal(fired, 1);
 * ```
 */
export function startTimer(
  delayMs: number,
  repeat: boolean,
  fire: () => void,
): () => void {
  if (delayMs <= MAX_TIMER_MS) {
    if (repeat) {
      const interval = setInterval(fire, delayMs);
      return () => clearInterval(interval);
    }
    const timeout = setTimeout(fire, delayMs);
    return () => clearTimeout(timeout);
  }
  let timeout: ReturnType<typeof setTimeout> | undefined;
  let cancelled = false;
  let remaining = delayMs;
  const step = (): void => {
    const wait = Math.min(remaining, MAX_TIMER_MS);
    timeout = setTimeout(() => {
      remaining -= wait;
      if (remaining > 0) {
        step();
        return;
      }
      fire();
      if (repeat && !cancelled) {
        remaining = delayMs;
        step();
      }
    }, wait);
  };
  step();
  return () => {
    cancelled = true;
    clearTimeout(timeout);
  };
}
