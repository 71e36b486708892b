/**
 * Timers of any length (runtimes fire delays above 2³¹−1 ms at once, a
 * 32-bit overflow: longer ones are chained), on the runtime's own timers
 * captured at load (the loader gives scripts k6/timers' functions, which
 * must not call themselves).
 *
 * @module
 */

const nativeSetTimeout = globalThis.setTimeout;
const nativeClearTimeout = globalThis.clearTimeout;
const nativeSetInterval = globalThis.setInterval;
const nativeClearInterval = globalThis.clearInterval;

/** The longest delay a runtime timer takes, in ms. */
export const MAX_TIMER_MS: number = 2 ** 31 - 1;

/**
 * Calls `callback` once after `ms` milliseconds, however long that is.
 *
 * @param callback What to call.
 * @param ms The delay in milliseconds (≤ 0 means as soon as possible).
 * @returns A function that cancels the call (idempotent).
 *
 * @example Cancel a scheduled call
 * ```ts
 * import { schedule } from "./long_timer.ts";
 *
 * const cancel = schedule(() => console.log("never printed"), 10);
 * cancel();
 * ```
 */
export function schedule(callback: () => void, ms: number): () => void {
  let handle: ReturnType<typeof setTimeout>;
  const arm = (remaining: number): void => {
    handle = remaining > MAX_TIMER_MS
      ? nativeSetTimeout(() => arm(remaining - MAX_TIMER_MS), MAX_TIMER_MS)
      : nativeSetTimeout(callback, Math.max(0, remaining));
  };
  arm(ms);
  return () => nativeClearTimeout(handle);
}

/**
 * Calls `callback` every `ms` milliseconds, however long that is, until
 * cancelled.
 *
 * @param callback What to call.
 * @param ms The period in milliseconds (> 0).
 * @returns A function that stops it (idempotent).
 *
 * @example Three ticks
 * ```ts
 * import { every } from "./long_timer.ts";
 *
 * let ticks = 0;
 * const stop = every(() => {
 *   if (++ticks === 3) stop();
 * }, 5);
 * ```
 */
export function every(callback: () => void, ms: number): () => void {
  if (ms <= MAX_TIMER_MS) {
    const interval = nativeSetInterval(callback, ms);
    return () => nativeClearInterval(interval);
  }
  let stopped = false;
  let cancel = (): void => {};
  const tick = (): void => {
    callback();
    if (!stopped) cancel = schedule(tick, ms);
  };
  cancel = schedule(tick, ms);
  return () => {
    stopped = true;
    cancel();
  };
}
