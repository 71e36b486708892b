/**
 * One-shot native timers of any length, immune to scripts' globals.
 *
 * @module
 */

// Captured at load: the loader may shadow or replace the global timers with
// k6/timers' own functions, which must not call themselves.
const nativeSetTimeout = globalThis.setTimeout;
const nativeClearTimeout = globalThis.clearTimeout;

// Runtimes fire longer delays at once (32-bit overflow); chain instead.
const MAX_NATIVE_DELAY = 2 ** 31 - 1;

/**
 * Calls `callback` once after `ms` milliseconds, however long that is.
 *
 * @param callback What to call.
 * @param ms The delay in milliseconds (≤ 0 means as soon as possible).
 * @returns A function that cancels the call (idempotent).
 *
 * @example Cancel a scheduled call
 * ```ts
 * import { schedule } from "./_schedule.ts";
 *
 * const cancel = schedule(() => console.log("never printed"), 10);
 * cancel();
 * ```
 */
export function schedule(callback: () => void, ms: number): () => void {
  let handle: ReturnType<typeof setTimeout>;
  const arm = (remaining: number): void => {
    handle = remaining > MAX_NATIVE_DELAY
      ? nativeSetTimeout(
        () => arm(remaining - MAX_NATIVE_DELAY),
        MAX_NATIVE_DELAY,
      )
      : nativeSetTimeout(callback, Math.max(0, remaining));
  };
  arm(ms);
  return () => nativeClearTimeout(handle);
}
