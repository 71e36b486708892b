/**
 * Text tables and number formats for the `deno task bench` report.
 *
 * @module
 */

/**
 * Lays out rows as a plain-text table: columns padded to their widest
 * cell, the first `leftColumns` left-aligned (labels) and the others
 * right-aligned (numbers), two spaces apart. The first row is the header.
 *
 * @param rows The header, then the rows; every row has the same length.
 * @param leftColumns How many columns, from the first, hold labels.
 * @returns The table, lines joined with `\n` (no trailing newline).
 * @throws {RangeError} When a row's length differs from the header's.
 *
 * @example
 * ```ts
 * import { renderTable } from "./bench_report.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   renderTable([["run", "rt/s"], ["bare", "51234"], ["facade", "812"]]),
 *   "run      rt/s\nbare    51234\nfacade    812",
 * );
 * ```
 */
export function renderTable(
  rows: readonly (readonly string[])[],
  leftColumns = 1,
): string {
  const columns = rows[0]?.length ?? 0;
  for (const [index, row] of rows.entries()) {
    if (row.length !== columns) {
      throw new RangeError(
        `row ${index} has ${row.length} cells; the header has ${columns}`,
      );
    }
  }
  const widths = Array.from(
    { length: columns },
    (_, column) => Math.max(...rows.map((row) => row[column].length)),
  );
  return rows.map((row) =>
    row.map((cell, column) =>
      column < leftColumns
        ? cell.padEnd(widths[column])
        : cell.padStart(widths[column])
    ).join("  ").trimEnd()
  ).join("\n");
}

/**
 * Formats `value / baseline` as a percentage with one decimal.
 *
 * @param value The measured value.
 * @param baseline What it is compared with.
 * @returns E.g. `"93.4 %"`; `"n/a"` when either is unknown or the
 * baseline is 0.
 *
 * @example
 * ```ts
 * import { percent } from "./bench_report.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(percent(934, 1000), "93.4 %");
 * assert.equal(percent(1, 0), "n/a");
 * ```
 */
export function percent(
  value: number | undefined,
  baseline: number | undefined,
): string {
  if (value === undefined || baseline === undefined || baseline === 0) {
    return "n/a";
  }
  return `${(100 * value / baseline).toFixed(1)} %`;
}

/**
 * Formats a number with a fixed count of decimals, `"n/a"` when unknown.
 *
 * @param value The number.
 * @param decimals Digits after the point (default 0).
 * @returns The text.
 *
 * @example
 * ```ts
 * import { fixed } from "./bench_report.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(fixed(1234.567), "1235");
 * assert.equal(fixed(1.5, 2), "1.50");
 * assert.equal(fixed(undefined), "n/a");
 * ```
 */
export function fixed(value: number | undefined, decimals = 0): string {
  return value === undefined || !Number.isFinite(value)
    ? "n/a"
    : value.toFixed(decimals);
}

/**
 * The closing line of a measurement: whether its target was met.
 *
 * @param name The target, e.g. `"wsload run ≥ 90 % of the bare rate"`.
 * @param met Whether it was met; `undefined` when it could not be measured.
 * @returns E.g. `"target wsload run ≥ 90 % of the bare rate: MET"`.
 *
 * @example
 * ```ts
 * import { verdict } from "./bench_report.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(verdict("≤ 20 KiB per socket", false), "target ≤ 20 KiB per socket: MISSED");
 * ```
 */
export function verdict(name: string, met: boolean | undefined): string {
  const word = met === undefined ? "NOT MEASURED" : met ? "MET" : "MISSED";
  return `target ${name}: ${word}`;
}
