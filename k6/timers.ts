/**
 * The `k6/timers` module of a script run by `wsload run`, which the loader
 * also injects as the script's global `setTimeout`, `clearTimeout`,
 * `setInterval` and `clearInterval`.
 *
 * As in k6, timers belong to the iteration that starts them: the iteration
 * does not end while a timeout is pending or an interval is not cleared;
 * callbacks run in the context (VU, group, tags) that started them; an
 * exception in a callback fails the iteration; when the iteration is
 * interrupted, its timers are cancelled with k6's warning. Ids are
 * numbers, counted per VU from 1 across its iterations, as k6 counts them.
 * A timeout of 0 ms (or a negative or missing delay) runs as soon as the
 * event loop turns, as in k6: Node and Deno would wait at least 1 ms, so
 * k6's own `examples/experimental/timers.js` (eleven chained zero
 * timeouts) took 15–26 ms instead of k6's 0.3 ms.
 *
 * Where wsload differs on purpose:
 * - callbacks come due during a blocking call (`sleep()`) run on time;
 *   k6 holds them until it returns (docs/differences.md);
 * - an interval of 0 ms ticks every millisecond, the runtime's minimum;
 *   k6 v0.48 crashes (`panic: non-positive interval for NewTicker`).
 *
 * @example Send a message every 10 ms, three times
 * ```ts
 * import { clearInterval, setInterval } from "./timers.ts";
 *
 * let sent = 0;
 * const id = setInterval(() => {
 *   if (++sent === 3) clearInterval(id);
 * }, 10);
 * ```
 *
 * @module
 */
import { clearImmediate, setImmediate } from "node:timers";
import { type Context, currentContext } from "../context/context.ts";
import { schedule } from "../internal/long_timer.ts";
import { isThenable, keepAlive } from "./_settle.ts";

type TimerKind = "setTimeout" | "setInterval";

interface ActiveTimer {
  readonly kind: TimerKind;
  cancel: () => void;
  readonly release: () => void;
}

/** A timer callback: called with the extra arguments given when it was set. */
// deno-lint-ignore no-explicit-any
export type TimerCallback = (...args: any[]) => unknown;

const REGISTRY_KEY = Symbol("wsload.k6Timers");
const IDS_KEY = Symbol("wsload.k6TimerIds");

/** The VU's last timer id: k6 counts them per VU, not per iteration. */
interface TimerIds {
  last: number;
}

function nextId(context: Context): number {
  return ++context.vuLocal<TimerIds>(IDS_KEY, () => ({ last: 0 })).last;
}

// Runs `fire` after `ms`; at the next turn of the event loop when `ms` is 0,
// where the runtime's own timers would wait at least 1 ms.
function arm(fire: () => void, ms: number): () => void {
  if (ms > 0) return schedule(fire, ms);
  const immediate = setImmediate(fire);
  return () => clearImmediate(immediate);
}

// One registry, and one abort listener, per iteration context.
function timersOf(context: Context): Map<number, ActiveTimer> {
  return context.local(REGISTRY_KEY, () => {
    const timers = new Map<number, ActiveTimer>();
    context.onCancel(() => {
      for (const [id, timer] of timers) {
        context.warn(
          `${timer.kind} ${id} was stopped because the VU iteration was interrupted`,
        );
        timer.cancel();
        timer.release();
      }
      timers.clear();
    });
    return timers;
  });
}

function invoke(
  context: Context,
  callback: TimerCallback,
  args: unknown[],
): void {
  context.run(() => {
    try {
      const result = callback.apply(globalThis, args);
      // An async callback's rejection fails the iteration as a throw would.
      if (isThenable(result)) {
        keepAlive(context, result).catch((error) => context.reportError(error));
      }
    } catch (error) {
      context.reportError(error);
    }
  });
}

function startTimer(
  kind: TimerKind,
  callback: TimerCallback,
  delay: unknown,
  args: unknown[],
): number {
  if (typeof callback !== "function") {
    throw new TypeError(`${kind}'s callback isn't a callable function`);
  }
  const context = currentContext();
  const id = nextId(context);
  if (context.cancelled) return id;
  const ms = Math.max(0, Number(delay) || 0);
  const timers = timersOf(context);
  const timer: ActiveTimer = {
    kind,
    cancel: () => {},
    release: context.hold(),
  };
  const fire = (): void => {
    invoke(context, callback, args);
    if (timers.get(id) !== timer) return; // cleared by its own callback
    if (kind === "setInterval") {
      // As in k6, the next run is due `delay` after this one finished.
      timer.cancel = schedule(fire, ms);
    } else {
      timers.delete(id);
      timer.release();
    }
  };
  timers.set(id, timer);
  // An interval of 0 keeps the runtime's 1 ms (see the module doc).
  timer.cancel = kind === "setTimeout" ? arm(fire, ms) : schedule(fire, ms);
  return id;
}

function stopTimer(id: unknown): void {
  const timers = timersOf(currentContext());
  const key = Number(id);
  const timer = timers.get(key);
  if (!timer) return;
  timers.delete(key);
  timer.cancel();
  timer.release();
}

/**
 * Calls `callback` once after `delay` milliseconds, in the context that set
 * it; the iteration waits for it.
 *
 * @param callback The function to call.
 * @param delay Milliseconds to wait (negative or missing: 0).
 * @param args Arguments for `callback`.
 * @returns The timer id, for {@link clearTimeout}.
 * @throws {TypeError} `setTimeout's callback isn't a callable function`.
 *
 * @example Close a socket after a while
 * ```ts
 * import { setTimeout } from "./timers.ts";
 *
 * setTimeout((reason) => console.log(reason), 10, "time is up");
 * ```
 */
export function setTimeout(
  callback: TimerCallback,
  delay?: number,
  ...args: unknown[]
): number {
  return startTimer("setTimeout", callback, delay, args);
}

/**
 * Cancels a timeout of the current iteration; unknown ids are ignored.
 *
 * @param id What {@link setTimeout} returned.
 *
 * @example Cancel a timeout
 * ```ts
 * import { clearTimeout, setTimeout } from "./timers.ts";
 *
 * const id = setTimeout(() => console.log("never"), 1000);
 * clearTimeout(id);
 * ```
 */
export function clearTimeout(id?: number): void {
  stopTimer(id);
}

/**
 * Calls `callback` every `delay` milliseconds (measured from the end of
 * the previous call), in the context that set it, until cleared; the
 * iteration does not end while it runs.
 *
 * @param callback The function to call.
 * @param delay Milliseconds between calls (negative or missing: 0).
 * @param args Arguments for `callback`.
 * @returns The timer id, for {@link clearInterval}.
 * @throws {TypeError} `setInterval's callback isn't a callable function`.
 *
 * @example Stop after three ticks
 * ```ts
 * import { clearInterval, setInterval } from "./timers.ts";
 *
 * let ticks = 0;
 * const id = setInterval(() => {
 *   if (++ticks === 3) clearInterval(id);
 * }, 5);
 * ```
 */
export function setInterval(
  callback: TimerCallback,
  delay?: number,
  ...args: unknown[]
): number {
  return startTimer("setInterval", callback, delay, args);
}

/**
 * Stops an interval of the current iteration (k6 treats it like
 * {@link clearTimeout}: either clears either kind); unknown ids are
 * ignored.
 *
 * @param id What {@link setInterval} returned.
 *
 * @example Stop an interval
 * ```ts
 * import { clearInterval, setInterval } from "./timers.ts";
 *
 * const id = setInterval(() => {}, 1000);
 * clearInterval(id);
 * ```
 */
export function clearInterval(id?: number): void {
  stopTimer(id);
}

/** The `k6/timers` default export: the four functions in one object. */
const timers: {
  readonly setTimeout: typeof setTimeout;
  readonly clearTimeout: typeof clearTimeout;
  readonly setInterval: typeof setInterval;
  readonly clearInterval: typeof clearInterval;
} = Object.freeze({ setTimeout, clearTimeout, setInterval, clearInterval });

export default timers;
