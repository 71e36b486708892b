/**
 * Threshold expressions: k6's `<aggregation> <operator> <number>` grammar
 * (`p(95)<500`, `rate >= 0.99`), and which aggregations each metric type
 * supports.
 *
 * @module
 */
import type { MetricType } from "../../metrics/metric.ts";
import { goParseFloat } from "../../internal/go_float.ts";
import { goQuote } from "../../internal/go_quote.ts";

/** An aggregation method a threshold can test; `p` is a percentile. */
export type Aggregation =
  | "value"
  | "count"
  | "rate"
  | "avg"
  | "min"
  | "med"
  | "max"
  | "p";

/** A comparison operator of a threshold expression. */
export type ThresholdOperator = "<=" | "<" | ">=" | ">" | "===" | "==" | "!=";

/** A parsed threshold expression. */
export interface ThresholdExpression {
  /** The aggregation method. */
  readonly aggregation: Aggregation;
  /** For `p(N)`: N, between 0 and 100. */
  readonly percentile?: number;
  /** The operator. */
  readonly operator: ThresholdOperator;
  /** The number the aggregated value is compared with. */
  readonly value: number;
}

// Longer operators first: scanning takes the first operator found.
const OPERATORS: readonly ThresholdOperator[] = [
  "<=",
  "<",
  ">=",
  ">",
  "===",
  "==",
  "!=",
];
const METHODS: readonly Aggregation[] = [
  "value",
  "count",
  "rate",
  "avg",
  "min",
  "med",
  "max",
  "p",
];

/** The aggregations each metric type supports, in k6's order. */
export const AGGREGATIONS: Readonly<
  Record<MetricType, readonly Aggregation[]>
> = Object.freeze({
  counter: Object.freeze(["count", "rate"] as Aggregation[]),
  gauge: Object.freeze(["value"] as Aggregation[]),
  rate: Object.freeze(["rate"] as Aggregation[]),
  trend: Object.freeze(["avg", "min", "max", "med", "p"] as Aggregation[]),
});

/**
 * Parses a threshold expression with k6's grammar and error texts.
 * Spaces around the operator are optional; the number uses Go's float
 * syntax.
 *
 * @param source The expression, e.g. `p(99.9) < 250`.
 * @returns The parsed expression.
 * @throws {SyntaxError} With k6's text, e.g. `failed parsing threshold
 * expression "p95<1"; reason: ...`.
 * @throws {RangeError} When a percentile is outside 0–100: `failed parsing
 * threshold expression's "p(101)<1" left hand side; reason: malformed
 * percentile value, provide a number between 0 and 100`.
 *
 * @example Parse a percentile threshold
 * ```ts
 * import { parseThresholdExpression } from "./threshold_expression.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseThresholdExpression("p(99.9) < 250"), {
 *   aggregation: "p",
 *   percentile: 99.9,
 *   operator: "<",
 *   value: 250,
 * });
 * ```
 */
export function parseThresholdExpression(source: string): ThresholdExpression {
  const quoted = goQuote(source);
  let scanned: [string, ThresholdOperator, string] | undefined;
  for (const operator of OPERATORS) {
    const at = source.indexOf(operator);
    const right = at === -1 ? "" : source.slice(at + operator.length);
    if (right !== "") {
      scanned = [source.slice(0, at).trim(), operator, right.trim()];
      break;
    }
  }
  if (scanned === undefined) {
    throw new SyntaxError(
      `failed parsing threshold expression ${quoted}; reason: malformed threshold expression`,
    );
  }
  const [method, operator, number] = scanned;
  const leftError = (reason: string) =>
    `failed parsing threshold expression's ${quoted} left hand side; reason: ${reason}`;

  let aggregation: Aggregation;
  let percentile: number | undefined;
  if ((METHODS as readonly string[]).includes(method) && method !== "p") {
    aggregation = method as Aggregation;
  } else if (method.startsWith("p(") && method.endsWith(")")) {
    const inner = method.slice(2, method.length - 1);
    const parsed = goParseFloat(inner);
    if (!parsed.ok) {
      throw new SyntaxError(
        leftError(`malformed percentile value; reason: ${parsed.error}`),
      );
    }
    if (Number.isNaN(parsed.value) || parsed.value < 0 || parsed.value > 100) {
      throw new RangeError(
        leftError(
          "malformed percentile value, provide a number between 0 and 100",
        ),
      );
    }
    aggregation = "p";
    percentile = parsed.value;
  } else {
    throw new SyntaxError(leftError("failed parsing method from expression"));
  }

  const parsedValue = goParseFloat(number);
  if (!parsedValue.ok) {
    // k6's text has the typo "expresion's"; kept so error output matches.
    throw new SyntaxError(
      `failed parsing threshold expresion's ${quoted} right hand side; reason: ${parsedValue.error}`,
    );
  }
  return percentile === undefined
    ? { aggregation, operator, value: parsedValue.value }
    : { aggregation, percentile, operator, value: parsedValue.value };
}

/**
 * Applies an expression's operator (`===` is the same as `==`).
 *
 * @param expression The parsed expression.
 * @param actual The aggregated value.
 * @returns Whether the threshold passes.
 *
 * @example Compare a value
 * ```ts
 * import {
 *   compareThreshold,
 *   parseThresholdExpression,
 * } from "./threshold_expression.ts";
 * import assert from "node:assert/strict";
 *
 * const expression = parseThresholdExpression("rate>=0.99");
 * assert.equal(compareThreshold(expression, 0.99), true);
 * assert.equal(compareThreshold(expression, 0.98), false);
 * ```
 */
export function compareThreshold(
  expression: ThresholdExpression,
  actual: number,
): boolean {
  const expected = expression.value;
  switch (expression.operator) {
    case ">":
      return actual > expected;
    case ">=":
      return actual >= expected;
    case "<":
      return actual < expected;
    case "<=":
      return actual <= expected;
    case "==":
    case "===":
      return actual === expected;
    case "!=":
      return actual !== expected;
  }
}
