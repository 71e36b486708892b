/**
 * k6's `randomSeed()`: a reproducible `Math.random`.
 *
 * @module
 */

function splitMix32(state: number): () => number {
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let mixed = Math.imul(state ^ (state >>> 16), 0x85ebca6b);
    mixed = Math.imul(mixed ^ (mixed >>> 13), 0xc2b2ae35);
    return (mixed ^ (mixed >>> 16)) >>> 0;
  };
}

function rotateLeft(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

/** xoshiro128** seeded from a 64-bit integer; doubles with 53 random bits. */
function seededRandom(seed: bigint): () => number {
  const low = splitMix32(Number(BigInt.asUintN(32, seed)));
  let a = low();
  let b = low();
  const high = splitMix32(Number(BigInt.asUintN(32, seed >> 32n)) ^ a);
  let c = high();
  let d = high();
  const next32 = (): number => {
    const result = Math.imul(rotateLeft(Math.imul(b, 5), 7), 9) >>> 0;
    const shifted = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= shifted;
    d = rotateLeft(d, 11);
    return result;
  };
  return () => ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 2 ** 53;
}

/**
 * Makes `Math.random` reproducible from a seed, as k6's `randomSeed()`.
 *
 * Differences from k6: k6 seeds the calling VU's own JavaScript runtime
 * with Go's `math/rand`; wsload's VUs share one runtime per process, so
 * this replaces the process-wide `Math.random` (every VU, and the k6-utils
 * helpers, draw from one sequence), and the numbers differ from k6's for
 * the same seed. A run is reproducible when the draws happen in the same
 * order, e.g. with one VU.
 *
 * @param seed The seed (converted to a 64-bit integer; non-numbers give 0).
 *
 * @example Repeat a sequence
 * ```ts
 * import { randomSeed } from "./_random.ts";
 * import assert from "node:assert/strict";
 *
 * randomSeed(42);
 * const first = [Math.random(), Math.random()];
 * randomSeed(42);
 * assert.deepEqual([Math.random(), Math.random()], first);
 * ```
 */
export function randomSeed(seed: number): void {
  const integer = Math.trunc(Number(seed));
  Math.random = seededRandom(
    Number.isFinite(integer) ? BigInt.asIntN(64, BigInt(integer)) : 0n,
  );
}
