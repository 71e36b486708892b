/**
 * Timers and cancellation for executors: abortable waits, controllers that
 * follow a parent signal, and k6's two executor deadlines (regular end and
 * graceful-stop end).
 *
 * @module
 */
import { setMaxListeners } from "node:events";
import { setImmediate } from "node:timers";

/**
 * Waits, unless the signal aborts first.
 *
 * @param ms How long.
 * @param signal Ends the wait early.
 * @returns `true` when the time passed, `false` when aborted.
 */
export function delay(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** A controller that also aborts when its parent does. */
export class ChildController extends AbortController {
  readonly #parent: AbortSignal;
  readonly #onParentAbort = () => this.abort();

  /**
   * Creates it, already aborted if the parent is.
   *
   * @param parent The parent signal.
   */
  constructor(parent: AbortSignal) {
    super();
    // Every running iteration listens to its scenario's signal: thousands of
    // listeners are expected, not a leak (Node warns past 10).
    setMaxListeners(0, this.signal);
    this.#parent = parent;
    if (parent.aborted) this.abort();
    else parent.addEventListener("abort", this.#onParentAbort, { once: true });
  }

  /** Stops following the parent (call when done, to release the listener). */
  detach(): void {
    this.#parent.removeEventListener("abort", this.#onParentAbort);
  }
}

/**
 * k6's `getDurationContexts`: `regular` aborts at the executor's regular
 * end (no new iterations after it), `max` aborts `gracefulStop` later
 * (in-flight iterations are interrupted). Both abort with the parent, and
 * `regular` with `max`.
 */
export class DurationControl {
  /** Aborts at the regular end, or with `max`. */
  readonly regular: ChildController;
  /** Aborts at the regular end plus the graceful stop, or with the parent. */
  readonly max: ChildController;
  /** When it started, `performance.now()` ms. */
  readonly start: number = performance.now();
  readonly #timers: ReturnType<typeof setTimeout>[] = [];

  /**
   * Starts both deadlines.
   *
   * @param parent The executor's parent signal (the test run).
   * @param regularMs The regular duration.
   * @param gracefulStopMs The extra time for in-flight iterations.
   */
  constructor(parent: AbortSignal, regularMs: number, gracefulStopMs: number) {
    this.max = new ChildController(parent);
    this.regular = new ChildController(this.max.signal);
    this.#timers.push(
      setTimeout(() => this.regular.abort(), regularMs),
      setTimeout(() => this.max.abort(), regularMs + gracefulStopMs),
    );
  }

  /** Time since the start, ms. */
  get elapsed(): number {
    return performance.now() - this.start;
  }

  /** Ends both deadlines (aborting them) and releases timers and listeners. */
  dispose(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.max.abort();
    this.regular.detach();
    this.max.detach();
  }
}

const YIELD_EVERY_MS = 5;
let lastYield = performance.now();
let pendingYield: Promise<void> | undefined;

/**
 * Lets timers and I/O run when the callers have been looping on microtasks
 * for a few milliseconds: iterations that settle at once must not starve
 * the deadlines that end their loops. Every caller waits for the same
 * macrotask, so no loop keeps the microtask queue busy meanwhile.
 *
 * @returns A promise to await (resolved at once most of the time).
 */
export function yieldSometimes(): Promise<void> {
  if (pendingYield) return pendingYield;
  if (performance.now() - lastYield < YIELD_EVERY_MS) return Promise.resolve();
  pendingYield = new Promise((resolve) =>
    setImmediate(() => {
      pendingYield = undefined;
      lastYield = performance.now();
      resolve();
    })
  );
  return pendingYield;
}
