/**
 * The Go type a JavaScript value becomes when k6's JS engine (sobek) exports
 * it, as k6's `%T` error texts show it: `unsupported send type int64`,
 * `failed to process [blobParts]: unsupported type: map[string]interface {}`.
 *
 * @module
 */

/**
 * Names the Go type sobek exports a value to.
 *
 * @param value Any value.
 * @returns E.g. `float64`, `int64`, `bool`, `<nil>`, `[]interface {}`,
 * `map[string]interface {}`.
 *
 * @example Numbers, nothing and objects
 * ```ts
 * import { goTypeName } from "./go_type.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(goTypeName(123), "int64");
 * assert.equal(goTypeName(1.5), "float64");
 * assert.equal(goTypeName(null), "<nil>");
 * assert.equal(goTypeName({}), "map[string]interface {}");
 * assert.equal(goTypeName([]), "[]interface {}");
 * ```
 */
export function goTypeName(value: unknown): string {
  switch (typeof value) {
    case "undefined":
      return "<nil>";
    case "string":
      return "string";
    case "boolean":
      return "bool";
    case "number":
      // sobek keeps integral values (but not -0) as integers.
      return Number.isSafeInteger(value) && !Object.is(value, -0)
        ? "int64"
        : "float64";
    case "bigint":
      return "*big.Int";
    case "symbol":
      return "*sobek.Symbol";
    case "function":
      return "func(sobek.FunctionCall) sobek.Value";
  }
  if (value === null) return "<nil>";
  if (Array.isArray(value)) return "[]interface {}";
  if (value instanceof Date) return "time.Time";
  return "map[string]interface {}";
}
