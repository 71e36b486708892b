/**
 * A VU's event loop, as k6 has one per VU, for a runtime where thousands
 * of VUs share one thread.
 *
 * In k6 a VU's JavaScript runs one thing at a time: while it is blocked
 * in `sleep()`, `http.get()` or `ws.connect()`, none of its other events
 * run; `ws.connect()` runs a loop of its own in which only that socket's
 * events run. wsload's blocking calls return promises instead (the loader
 * awaits them), so the order must be kept here: every event of a VU goes
 * through an {@link EventQueue}, which runs it at once when the VU is
 * free, and otherwise keeps it, in order, until the VU is.
 *
 * - {@link VUEventLoop.block} marks the VU busy in a blocking call (a
 *   `sleep()`, an HTTP request): no queue of the VU runs until it ends.
 * - {@link EventQueue.child} opens the loop of a `ws.connect()`: its
 *   parent queue (the code that called connect) waits until it closes.
 *
 * Queued events resume on a macrotask after the VU became free, so the
 * code that continues after an awaited blocking call (promise jobs) runs
 * first, as it does in k6 before the event loop goes on.
 *
 * @module
 */
import { setImmediate } from "node:timers";

type Task = () => void;

/** The event loop of one VU (one iteration, or a setup/teardown stage). */
export class VUEventLoop {
  /** The VU's own queue: its WebSocket events (k6/websockets). */
  readonly root: EventQueue;
  #blocked = 0;
  #drainScheduled = false;
  readonly #waiting = new Set<EventQueue>();

  /** Creates the loop of a VU. */
  constructor() {
    this.root = new EventQueue(this, undefined);
  }

  /** Whether the VU is in a blocking call. */
  get blocked(): boolean {
    return this.#blocked > 0;
  }

  /**
   * Marks the VU busy in a blocking call until the returned function is
   * called: its queues hold their events meanwhile.
   *
   * @returns Ends the block (idempotent).
   *
   * @example Hold events during a blocking call
   * ```ts
   * import { VUEventLoop } from "./event_queue.ts";
   * import { setImmediate } from "node:timers";
   * import assert from "node:assert/strict";
   *
   * const loop = new VUEventLoop();
   * const order: string[] = [];
   * const unblock = loop.block();
   * loop.root.run(() => order.push("event"));
   * order.push("blocked");
   * unblock();
   * await new Promise((resolve) => setImmediate(resolve));
   * assert.deepEqual(order, ["blocked", "event"]);
   * ```
   */
  block(): () => void {
    this.#blocked++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (--this.#blocked === 0) this.wake();
    };
  }

  /** @internal A queue has tasks it could not run. */
  wait(queue: EventQueue): void {
    this.#waiting.add(queue);
  }

  /** @internal Something changed that may let waiting queues run. */
  wake(): void {
    if (this.#drainScheduled || this.#waiting.size === 0) return;
    this.#drainScheduled = true;
    setImmediate(this.#drain);
  }

  readonly #drain = (): void => {
    this.#drainScheduled = false;
    for (const queue of this.#waiting) {
      if (this.#blocked > 0) return;
      if (queue.drain()) this.#waiting.delete(queue);
    }
  };
}

/**
 * The events of one loop of a VU, run one at a time and in order: the
 * VU's own loop, or the loop of one `ws.connect()` call.
 */
export class EventQueue {
  readonly #vu: VUEventLoop;
  readonly #parent: EventQueue | undefined;
  #children = 0;
  #tasks: Task[] = [];
  #closed = false;

  /**
   * @internal Use {@link VUEventLoop.root} and {@link EventQueue.child}.
   *
   * @param vu The VU's loop.
   * @param parent The queue whose code opened this one.
   */
  constructor(vu: VUEventLoop, parent: EventQueue | undefined) {
    this.#vu = vu;
    this.#parent = parent;
  }

  /**
   * Whether a task given now would run at once: the VU is free, no child
   * loop runs, and nothing waits before it.
   */
  get free(): boolean {
    return this.#tasks.length === 0 && this.#runnable;
  }

  get #runnable(): boolean {
    return !this.#vu.blocked && this.#children === 0;
  }

  /**
   * Runs a task now if the queue is {@link EventQueue.free}, or keeps it
   * until it is.
   *
   * @param task The event's work.
   */
  run(task: Task): void {
    if (this.free) {
      task();
      return;
    }
    this.#tasks.push(task);
    this.#vu.wait(this);
    if (this.#runnable) this.#vu.wake();
  }

  /**
   * Keeps a task ahead of every waiting one: the rest of an event whose
   * dispatch a blocking listener interrupted.
   *
   * @param task The rest of the event's work.
   */
  resume(task: Task): void {
    this.#tasks.unshift(task);
    this.#vu.wait(this);
    if (this.#runnable) this.#vu.wake();
  }

  /**
   * Opens the loop of a `ws.connect()` called from this queue's code:
   * this queue holds its events until the child is closed.
   *
   * @returns The child queue.
   */
  child(): EventQueue {
    this.#children++;
    return new EventQueue(this.#vu, this);
  }

  /** Closes a child loop: its parent's events may run again. */
  close(): void {
    if (this.#closed || this.#parent === undefined) return;
    this.#closed = true;
    this.#parent.#children--;
    this.#vu.wake();
  }

  /** @internal Runs what can run; `true` when nothing is left. */
  drain(): boolean {
    while (this.#tasks.length > 0 && this.#runnable) {
      this.#tasks.shift()!();
    }
    return this.#tasks.length === 0;
  }
}
