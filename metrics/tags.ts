/**
 * Metric tags: the k6 system tag names and validation of user tags.
 *
 * @module
 */

/** Tag name → value. Tag objects are shared between samples: never mutate. */
export type Tags = Readonly<Record<string, string>>;

/** Every system tag k6 knows (`vu` and `iter` become sample metadata). */
export const SYSTEM_TAGS: readonly string[] = Object.freeze([
  "proto",
  "subproto",
  "status",
  "method",
  "url",
  "name",
  "group",
  "check",
  "error",
  "error_code",
  "tls_version",
  "scenario",
  "service",
  "expected_response",
  "ocsp_status",
  "ip",
  "vu",
  "iter",
]);

/** The system tags k6 enables by default (`ip`, `vu`, `iter`, `ocsp_status` are off). */
export const DEFAULT_SYSTEM_TAGS: ReadonlySet<string> = new Set(
  SYSTEM_TAGS.filter((tag) =>
    !["ocsp_status", "ip", "vu", "iter"].includes(tag)
  ),
);

/** An empty, frozen tag set. */
export const NO_TAGS: Tags = Object.freeze({});

/**
 * Converts a user's tags object to string values the way k6 does: strings
 * stay, numbers and booleans are stringified, `null`/`undefined` values are
 * skipped, anything else throws.
 *
 * @param value The tags object (`null`/`undefined` give no tags).
 * @param errorPrefix What the error names, e.g. `invalid WebSocket tags option`.
 * @returns A new plain object of string values.
 * @throws {TypeError} When a value is not a string, number or boolean:
 * `<errorPrefix>: invalid value for metric tag '<key>': only String, Boolean
 * and Number types are accepted as a metric tag values`.
 *
 * @example Stringify tag values
 * ```ts
 * import { toTagValues } from "./tags.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toTagValues({ a: "x", n: 13, b: true }, "tags"), {
 *   a: "x",
 *   n: "13",
 *   b: "true",
 * });
 * ```
 */
export function toTagValues(
  value: unknown,
  errorPrefix: string,
): Record<string, string> {
  const tags: Record<string, string> = {};
  if (value === null || value === undefined) return tags;
  if (typeof value !== "object") {
    throw new TypeError(
      `${errorPrefix}: tags must be an object of String, Boolean or Number values, got ${typeof value}`,
    );
  }
  for (const [key, item] of Object.entries(value)) {
    if (item === null || item === undefined) continue;
    switch (typeof item) {
      case "string":
        tags[key] = item;
        break;
      case "number":
      case "boolean":
        tags[key] = String(item);
        break;
      default:
        throw new TypeError(
          `${errorPrefix}: invalid value for metric tag '${key}': only String, Boolean and Number types are accepted as a metric tag values`,
        );
    }
  }
  return tags;
}
