/**
 * How one `wsload run` splits its share of a test (the whole test, or its
 * `--execution-segment`) among its worker processes: worker `i` of `n`
 * runs part `i/n:(i+1)/n` of the instance's own VUs, iterations and
 * arrival-rate starts (a {@link NestedTuple}), so the parts add up exactly
 * to the instance's plan, test-wide numbers stay the instance's, and
 * `__VU` and `iterationInInstance` are unique across the workers.
 *
 * @module
 */
import {
  ExecutionSegment,
  ExecutionSegmentSequence,
  type ExecutionShare,
  ExecutionTuple,
  NestedTuple,
} from "../options/mod.ts";

/**
 * The shares of an instance's `count` workers.
 *
 * @param instance The instance's tuple (from its options).
 * @param count How many workers (at least 1).
 * @returns One share per worker, in order; the instance's own tuple for one.
 * @throws {RangeError} When `count` is not an integer of at least 1.
 *
 * @example Two workers share five VUs
 * ```ts
 * import { workerShares } from "./segments.ts";
 * import { ExecutionTuple } from "../options/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const [a, b] = workerShares(ExecutionTuple.create(), 2);
 * assert.deepEqual([a.scale(5), b.scale(5)], [3, 2]);
 * ```
 */
export function workerShares(
  instance: ExecutionTuple,
  count: number,
): ExecutionShare[] {
  const parts = ExecutionSegment.FULL.split(count);
  if (count === 1) return [instance];
  const sequence = new ExecutionSegmentSequence(parts);
  return parts.map((part) =>
    new NestedTuple(instance, ExecutionTuple.create(part, sequence))
  );
}
