/**
 * "Did you mean …?": the known name closest to a mistyped one, for flags,
 * commands, `--out` types and `K6_*` variables.
 *
 * @module
 */

// Optimal string alignment distance: Levenshtein plus the swap of two
// neighbours, the most common typo ("--vsu").
function distance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, () => Array(cols).fill(0));
  for (let i = 0; i < rows; i++) d[i][0] = i;
  for (let j = 0; j < cols; j++) d[0][j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(
        d[i - 1][j] + 1,
        d[i][j - 1] + 1,
        d[i - 1][j - 1] + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/**
 * The candidate closest to `input`, when it is close enough to be a typo:
 * at most a third of its length apart (at least one edit), or a name that
 * starts with the input (`--iter` for `--iterations`).
 *
 * @param input What the user typed.
 * @param candidates The known names.
 * @returns The best candidate, or `undefined` when none is close.
 *
 * @example Suggest a flag
 * ```ts
 * import { closest } from "./suggest.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(closest("vu", ["vus", "duration", "iterations"]), "vus");
 * assert.equal(closest("iter", ["vus", "duration", "iterations"]), "iterations");
 * assert.equal(closest("zzz", ["vus", "duration"]), undefined);
 * ```
 */
export function closest(
  input: string,
  candidates: Iterable<string>,
): string | undefined {
  const folded = input.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    const name = candidate.toLowerCase();
    if (name === folded) return candidate;
    const score = folded.length >= 3 && name.startsWith(folded)
      ? 0.5
      : distance(folded, name);
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  const limit = Math.max(1, Math.floor(folded.length / 3));
  return bestScore <= limit ? best : undefined;
}

/**
 * ` (did you mean X?)` for the closest candidate, or `""`.
 *
 * @param input What the user typed.
 * @param candidates The known names.
 * @param show How to print the suggestion (e.g. with a `--` prefix).
 * @returns The hint, with a leading space, or an empty string.
 */
export function didYouMean(
  input: string,
  candidates: Iterable<string>,
  show: (name: string) => string = (name) => name,
): string {
  const match = closest(input, candidates);
  return match === undefined ? "" : ` (did you mean ${show(match)}?)`;
}
