/**
 * k6's rule for group and check names.
 *
 * @module
 */

/** k6's separator of group paths (`::outer::inner`). */
export const GROUP_SEPARATOR = "::";

/**
 * Rejects a group or check name that contains the group separator.
 *
 * @param name The name.
 * @throws {TypeError} `group and check names may not contain '::'` (k6's text).
 *
 * @example A valid name passes
 * ```ts
 * import { assertNoGroupSeparator } from "./_names.ts";
 *
 * assertNoGroupSeparator("login");
 * ```
 */
export function assertNoGroupSeparator(name: string): void {
  if (name.includes(GROUP_SEPARATOR)) {
    throw new TypeError(
      `group and check names may not contain '${GROUP_SEPARATOR}'`,
    );
  }
}
