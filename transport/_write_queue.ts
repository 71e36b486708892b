/**
 * A first-in first-out queue of pending writes: a number per write (a size
 * or a byte offset) and the optional callback to run once it is written.
 * Writes complete in the order they were queued, so one queue per connection
 * and one shared completion function replace a closure per message.
 *
 * @module
 */

/** Called once a frame was written, with an error text if it was not. */
export type Written = (error?: string) => void;

/** Pending writes in order; see the module doc. */
export class WriteQueue {
  // The oldest pending write lives in two fields: a connection that waits
  // for each echo (one write in flight) never touches the arrays, whose
  // emptying (`length = 0`) cost a runtime call per write.
  #size = 0;
  #firstAmount = 0;
  #firstWritten: Written | undefined;
  // The writes after the oldest, in order from #head on.
  #amounts: number[] = [];
  #callbacks: (Written | undefined)[] = [];
  #head = 0;

  /** The number of pending writes. */
  get size(): number {
    return this.#size;
  }

  /** The number of the oldest pending write (0 when none). */
  get firstAmount(): number {
    return this.#size === 0 ? 0 : this.#firstAmount;
  }

  /**
   * Queues a write.
   *
   * @param amount Its size or offset.
   * @param written Its callback, if any.
   *
   * @example Queue and complete two writes
   * ```ts
   * import { WriteQueue } from "./_write_queue.ts";
   * import assert from "node:assert/strict";
   *
   * const queue = new WriteQueue();
   * const done: string[] = [];
   * queue.push(5, () => done.push("a"));
   * queue.push(7, undefined);
   * assert.equal(queue.firstAmount, 5);
   * queue.shift()?.();
   * assert.equal(queue.firstAmount, 7);
   * assert.equal(queue.shift(), undefined);
   * assert.deepEqual(done, ["a"]);
   * assert.equal(queue.size, 0);
   * ```
   */
  push(amount: number, written: Written | undefined): void {
    if (this.#size++ === 0) {
      this.#firstAmount = amount;
      this.#firstWritten = written;
      return;
    }
    this.#amounts.push(amount);
    this.#callbacks.push(written);
  }

  /**
   * Removes the oldest pending write.
   *
   * @returns Its callback (`undefined` when it had none or the queue is empty).
   *
   * @example Shifting an empty queue
   * ```ts
   * import { WriteQueue } from "./_write_queue.ts";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new WriteQueue().shift(), undefined);
   * ```
   */
  shift(): Written | undefined {
    if (this.#size === 0) return undefined;
    const written = this.#firstWritten;
    this.#firstWritten = undefined;
    if (--this.#size === 0) return written;
    const head = this.#head;
    this.#firstAmount = this.#amounts[head];
    this.#firstWritten = this.#callbacks[head];
    this.#callbacks[head] = undefined;
    if (head + 1 === this.#amounts.length) {
      this.#amounts.length = 0;
      this.#callbacks.length = 0;
      this.#head = 0;
    } else if (head >= 1024 && head * 2 >= this.#amounts.length) {
      // Compact now and then instead of shifting the arrays on every write.
      this.#amounts.splice(0, head + 1);
      this.#callbacks.splice(0, head + 1);
      this.#head = 0;
    } else {
      this.#head = head + 1;
    }
    return written;
  }
}
