/**
 * `http.expectedStatuses()`: which response statuses count as expected
 * (`expected_response` tag, `http_req_failed`).
 *
 * @module
 */

/**
 * A set of expected statuses (k6's response callback). Make one with
 * {@link expectedStatuses}; pass it to `setResponseCallback` or as the
 * `responseCallback` param.
 */
export class ExpectedStatuses {
  readonly #exact: readonly number[];
  readonly #ranges: readonly (readonly [number, number])[];

  /**
   * Use {@link expectedStatuses}.
   *
   * @param exact Single statuses.
   * @param ranges Inclusive ranges.
   */
  constructor(
    exact: readonly number[],
    ranges: readonly (readonly [number, number])[],
  ) {
    this.#exact = exact;
    this.#ranges = ranges;
  }

  /**
   * Whether a status is expected.
   *
   * @param status The status (0 for a request that got no response).
   * @returns `true` when listed.
   */
  match(status: number): boolean {
    return this.#exact.includes(status) ||
      this.#ranges.some(([min, max]) => min <= status && status <= max);
  }
}

/** k6's default: every status from 200 to 399 is expected. */
export const DEFAULT_EXPECTED_STATUSES: ExpectedStatuses = new ExpectedStatuses(
  [],
  [[200, 399]],
);

/**
 * Builds a response callback from statuses and ranges (k6's
 * `http.expectedStatuses()`).
 *
 * @param statuses Integers, or `{ min, max }` objects of integers.
 * @returns The callback.
 * @throws {Error} k6's texts: `no arguments`, `argument number N to
 * expectedStatuses was neither an integer nor an object like {min:100,
 * max:329}`, `both min and max need to be integers for argument number N`.
 *
 * @example 2xx and 304
 * ```ts
 * import { expectedStatuses } from "./expected_statuses.ts";
 * import assert from "node:assert/strict";
 *
 * const expected = expectedStatuses({ min: 200, max: 299 }, 304);
 * assert.equal(expected.match(304), true);
 * assert.equal(expected.match(302), false);
 * ```
 */
export function expectedStatuses(...statuses: unknown[]): ExpectedStatuses {
  if (statuses.length === 0) throw new Error("no arguments");
  const exact: number[] = [];
  const ranges: [number, number][] = [];
  statuses.forEach((status, index) => {
    const position = index + 1;
    if (Number.isInteger(status)) {
      exact.push(status as number);
      return;
    }
    if (typeof status !== "object" || status === null) {
      throw new Error(
        `argument number ${position} to expectedStatuses was neither an integer nor an object like {min:100, max:329}`,
      );
    }
    const { min, max } = status as { min?: unknown; max?: unknown };
    if (min === undefined || max === undefined) {
      throw new Error(
        `argument number ${position} to expectedStatuses was neither an integer nor an object like {min:100, max:329}`,
      );
    }
    if (!Number.isInteger(min) || !Number.isInteger(max)) {
      throw new Error(
        `both min and max need to be integers for argument number ${position}`,
      );
    }
    ranges.push([min as number, max as number]);
  });
  return new ExpectedStatuses(exact, ranges);
}
