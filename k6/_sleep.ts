/**
 * k6's `sleep()`.
 *
 * @module
 */
import { setImmediate } from "node:timers";
import { currentContext } from "../context/context.ts";
import { schedule } from "../internal/long_timer.ts";

/**
 * Waits `seconds` seconds, as k6's `sleep()`; k6 blocks the VU, wsload
 * returns a promise, which `wsload run`'s loader awaits for the script.
 * Meanwhile the VU's events wait, as in k6 (timers do not; see the
 * module's differences from k6). Until it fires, the sleep is pending
 * work of its iteration, so an unawaited `sleep()` still delays the
 * iteration's end. Resolves at once for 0, negative or non-numeric
 * durations, and early when the iteration is interrupted.
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
  const context = currentContext();
  if (!(ms > 0) || context.cancelled) return Promise.resolve();
  const unblock = context.blockVU();
  const release = context.hold();
  return new Promise((resolve) => {
    const wake = (): void => {
      cancel();
      unregister();
      resolve();
      unblock();
      // The code awaiting the sleep runs first (promise jobs), then the
      // iteration may end.
      setImmediate(release);
    };
    const cancel = schedule(wake, ms);
    const unregister = context.onCancel(wake);
  });
}
