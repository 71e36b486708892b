/**
 * One part of an instance's share of a test: how `wsload run` splits an
 * instance (the whole test, or its `--execution-segment`) among worker
 * processes without changing what the instance runs.
 *
 * The part is taken of the instance's own elements, not of the test's: the
 * instance's VUs, iterations and arrival-rate starts are handed to the parts
 * with k6's striping over a local sequence (`0,1/n,…,1` for `n` workers),
 * so the parts add up exactly to what k6 gives the instance, and each part's
 * elements keep their test-wide numbers (`idInTest`, `iterationInTest`)
 * and get their instance-wide numbers (`__VU`, `iterationInInstance`) from
 * their place among the instance's elements.
 *
 * @module
 */
import type {
  ExecutionSegment,
  ExecutionShare,
  ExecutionTuple,
  StripedOffsets,
} from "./execution_segment.ts";

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * A part of an instance's share: the elements of `outer` (the instance's
 * tuple) that `inner` (a segment of the instance's own elements) picks.
 *
 * @example Two workers split an instance that runs the second half of a test
 * ```ts
 * import { NestedTuple } from "./nested_tuple.ts";
 * import {
 *   ExecutionSegment,
 *   ExecutionSegmentSequence,
 *   ExecutionTuple,
 *   SegmentedIndex,
 * } from "./execution_segment.ts";
 * import assert from "node:assert/strict";
 *
 * const instance = ExecutionTuple.create(
 *   ExecutionSegment.parse("1/2:1"),
 *   ExecutionSegmentSequence.parse("0,1/2,1"),
 * );
 * const halves = ExecutionSegmentSequence.parse("0,1/2,1");
 * const [a, b] = halves.segments.map((part) =>
 *   new NestedTuple(instance, ExecutionTuple.create(part, halves))
 * );
 * assert.equal(a.scale(10) + b.scale(10), instance.scale(10)); // 3 + 2 = 5
 * const vus = new SegmentedIndex(a);
 * const inInstance = new SegmentedIndex(a.instanceOffsets());
 * assert.deepEqual([vus.next()[1], inInstance.next()[1]], [2, 1]);
 * ```
 */
export class NestedTuple implements ExecutionShare {
  /** The instance's tuple. */
  readonly outer: ExecutionShare;
  /** This part of the instance's elements (a tuple of `0:1`). */
  readonly inner: ExecutionTuple;
  /** The range of the test this part stands for (scales rates). */
  readonly segment: ExecutionSegment;
  #offsets: StripedOffsets | undefined;

  /**
   * Creates the part.
   *
   * @param outer The instance's tuple.
   * @param inner Which of the instance's elements: a segment of `0:1` in
   * the local sequence all parts share.
   */
  constructor(outer: ExecutionShare, inner: ExecutionTuple) {
    this.outer = outer;
    this.inner = inner;
    this.segment = outer.segment.part(inner.segment);
  }

  /**
   * This part of a test-wide value: its share of the instance's share.
   *
   * @param value The test-wide value.
   * @returns This part's share.
   */
  scale(value: number): number {
    return this.inner.scale(this.outer.scale(value));
  }

  /**
   * Re-segments both levels by a value (k6's rule, applied to the instance
   * and then to its parts by their share of the instance's part).
   *
   * @param value The test-wide value.
   * @returns The new part.
   * @throws {RangeError} When the instance or this part gets none of it.
   */
  withValue(value: number): NestedTuple {
    const outer = this.outer.withValue(value);
    return new NestedTuple(
      outer,
      this.inner.withValue(this.outer.scale(value)),
    );
  }

  /**
   * The test-wide positions of this part's elements: the instance's
   * elements that the inner tuple picks, over the period after which both
   * patterns repeat.
   *
   * @returns Start, gaps and cycle length.
   */
  stripedOffsets(): StripedOffsets {
    if (this.#offsets !== undefined) return this.#offsets;
    const outer = this.outer.stripedOffsets();
    const picks = this.inner.stripedOffsets();
    const perCycle = outer.offsets.length;
    // Instance elements until both patterns start over together.
    const local = perCycle / gcd(perCycle, picks.lcd) * picks.lcd;
    const period = local / perCycle * outer.lcd;
    const positions: number[] = [];
    let position = outer.start;
    let pick = picks.start;
    let gap = 0;
    for (let i = 0; i < local; i++) {
      if (i === pick) {
        positions.push(position);
        pick += picks.offsets[gap++ % picks.offsets.length];
      }
      position += outer.offsets[i % perCycle];
    }
    const offsets = positions.slice(1).map((p, i) => p - positions[i]);
    if (positions.length > 0) {
      offsets.push(positions[0] + period - positions[positions.length - 1]);
    }
    this.#offsets = { start: positions[0] ?? 0, offsets, lcd: period };
    return this.#offsets;
  }

  /**
   * The instance-wide positions of this part's elements: the inner
   * tuple's.
   *
   * @returns Start, gaps and cycle length.
   */
  instanceOffsets(): StripedOffsets {
    return this.inner.stripedOffsets();
  }

  /**
   * For logs: `<part> in <sequence> of <instance>`.
   *
   * @returns The text.
   */
  toString(): string {
    return `${this.inner} of ${this.outer}`;
  }
}
