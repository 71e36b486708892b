/**
 * Request deadlines on one timer: a timer per request costs more than the
 * rest of a kept-alive round trip once execution contexts propagate through
 * async hooks, and almost every deadline is cancelled long before it is
 * due. The timer is armed for the earliest deadline and re-armed only when
 * it fires (or an earlier deadline arrives).
 *
 * @module
 */

interface Entry {
  readonly at: number;
  readonly fire: () => void;
  done: boolean;
}

/** A binary min-heap of deadlines, by time. */
const heap: Entry[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;
let armedFor = Infinity;
/** Cancelled entries still in the heap. */
let cancelled = 0;

function up(index: number): void {
  const entry = heap[index];
  while (index > 0) {
    const parent = (index - 1) >> 1;
    if (heap[parent].at <= entry.at) break;
    heap[index] = heap[parent];
    index = parent;
  }
  heap[index] = entry;
}

function down(index: number): void {
  const entry = heap[index];
  const size = heap.length;
  for (;;) {
    let child = 2 * index + 1;
    if (child >= size) break;
    if (child + 1 < size && heap[child + 1].at < heap[child].at) child++;
    if (heap[child].at >= entry.at) break;
    heap[index] = heap[child];
    index = child;
  }
  heap[index] = entry;
}

function pop(): void {
  const last = heap.pop()!;
  if (heap.length > 0) {
    heap[0] = last;
    down(0);
  }
}

/** Drops the cancelled entries once they are half the heap. */
function compact(): void {
  if (cancelled < 64 || cancelled * 2 < heap.length) return;
  const live = heap.filter((entry) => !entry.done);
  heap.length = 0;
  cancelled = 0;
  for (const entry of live) {
    heap.push(entry);
    up(heap.length - 1);
  }
}

function arm(): void {
  while (heap.length > 0 && heap[0].done) {
    pop();
    cancelled--;
  }
  if (heap.length === 0) {
    armedFor = Infinity;
    return;
  }
  const at = heap[0].at;
  armedFor = at;
  timer = setTimeout(expire, Math.max(0, at - performance.now()));
  // A pending deadline alone does not keep the process alive; its request does.
  (timer as { unref?: () => void }).unref?.();
}

function expire(): void {
  timer = undefined;
  const now = performance.now();
  while (heap.length > 0 && (heap[0].done || heap[0].at <= now)) {
    const entry = heap[0];
    pop();
    if (entry.done) cancelled--;
    else {
      entry.done = true;
      entry.fire();
    }
  }
  arm();
}

/**
 * Calls `fire` at `at` unless cancelled first.
 *
 * @param at When (`performance.now()` milliseconds).
 * @param fire What to call.
 * @returns Cancels the deadline (idempotent).
 *
 * @example
 * ```ts
 * import { deadline } from "./_deadlines.ts";
 *
 * let fired = false;
 * const cancel = deadline(performance.now() + 10, () => fired = true);
 * cancel();
 * ```
 */
export function deadline(at: number, fire: () => void): () => void {
  const entry: Entry = { at, fire, done: false };
  heap.push(entry);
  up(heap.length - 1);
  if (at < armedFor) {
    if (timer !== undefined) clearTimeout(timer);
    arm();
  }
  return () => {
    if (entry.done) return;
    entry.done = true;
    cancelled++;
    compact();
  };
}
