/**
 * "Did you mean …?" for a name that is not there.
 *
 * @module
 */

function distance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(
        previous[j] + 1,
        previous[j - 1] + 1,
        diagonal + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return previous[b.length];
}

/**
 * The candidate closest to a name (case-insensitive edit distance), if
 * close enough to be a likely typo.
 *
 * @param name What was written.
 * @param candidates What exists.
 * @returns The suggestion, or `undefined`.
 *
 * @example
 * ```ts
 * import { closest } from "./_closest.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(closest("slep", ["sleep", "check", "group"]), "sleep");
 * assert.equal(closest("browser", ["sleep", "check"]), undefined);
 * ```
 */
export function closest(
  name: string,
  candidates: Iterable<string>,
): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
