/**
 * k6's rule for one value assigned to `exec.vu.tags` or
 * `exec.vu.metrics.metadata`.
 *
 * @module
 */

/**
 * Converts a value a script assigns to a VU tag or metadata entry: strings
 * stay, numbers and booleans become strings, anything else (including
 * `null` and `undefined`) is refused with k6's message.
 *
 * @param kind `"tag"` or `"metadata"` (named in the message).
 * @param key The tag or metadata name.
 * @param value The assigned value.
 * @returns The string value.
 * @throws {TypeError} `invalid value for metric tag '<key>': only String,
 * Boolean and Number types are accepted as a metric tag values` (or the
 * metadata variant).
 *
 * @example Stringify a number
 * ```ts
 * import { vuTagValue } from "./_tag_value.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(vuTagValue("tag", "stage", 2), "2");
 * ```
 */
export function vuTagValue(
  kind: "tag" | "metadata",
  key: string,
  value: unknown,
): string {
  switch (typeof value) {
    case "string":
      return value;
    case "number":
    case "boolean":
      return String(value);
  }
  throw new TypeError(
    kind === "tag"
      ? `invalid value for metric tag '${key}': only String, Boolean and Number types are accepted as a metric tag values`
      : `invalid value for metric metadata '${key}': only String, Boolean and Number types are accepted as a metric metadata value`,
  );
}
