/**
 * GJSON paths (github.com/tidwall/gjson), which k6's `res.json(selector)`
 * takes, over a parsed JSON value. No npm package implements GJSON's
 * syntax (JSONPath packages use `$.a[0]`, another language), so the parts
 * scripts use are here: keys and `\`-escapes, `*`/`?` wildcards, array
 * indexes, `#` (length), `#.key` (each element), queries `#(…)` (first
 * match) and `#(…)#` (all) with `== != < <= > >= % !%`, nested queries and
 * existence, the `|` pipe, and the modifiers `@this`, `@reverse`, `@keys`,
 * `@values`, `@flatten`.
 *
 * @module
 */

/** The outcome of a path: the value, or nothing. */
export type PathResult =
  | { readonly exists: true; readonly value: unknown }
  | { readonly exists: false };

const MISSING: PathResult = Object.freeze({ exists: false });

function found(value: unknown): PathResult {
  return { exists: true, value };
}

/**
 * The index of the first character at which `match` holds, outside quotes
 * and parentheses and not escaped; -1 when there is none.
 */
function topLevelIndex(
  text: string,
  match: (index: number) => boolean,
): number {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === "\\") {
      i++;
      continue;
    }
    if (quoted) {
      if (char === '"') quoted = false;
      continue;
    }
    if (char === '"') quoted = true;
    else if (char === "(") depth++;
    else if (char === ")") depth--;
    else if (depth === 0 && match(i)) return i;
  }
  return -1;
}

/** Splits off the first component: up to an unescaped `.` or `|` outside `(…)` and quotes. */
function splitPath(path: string): [string, string, "." | "|" | ""] {
  const i = topLevelIndex(path, (at) => path[at] === "." || path[at] === "|");
  if (i < 0) return [path, "", ""];
  return [path.slice(0, i), path.slice(i + 1), path[i] as "." | "|"];
}

function unescape(key: string): string {
  return key.replace(/\\(.)/g, "$1");
}

function hasWildcard(key: string): boolean {
  return /(^|[^\\])[*?]/.test(key);
}

/** GJSON's `*`/`?` pattern match (also the `%` operator). */
function matchPattern(text: string, pattern: string): boolean {
  let regex = "^";
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === "\\" && i + 1 < pattern.length) {
      regex += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    } else if (char === "*") regex += "[\\s\\S]*";
    else if (char === "?") regex += "[\\s\\S]";
    else regex += char.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`${regex}$`).test(text);
}

const OPERATORS = ["==", "!=", "<=", ">=", "!%", "<", ">", "%", "="] as const;
type Operator = typeof OPERATORS[number];

interface Condition {
  readonly path: string;
  readonly operator: Operator | undefined;
  readonly value: unknown;
}

function parseCondition(text: string): Condition {
  let operator: Operator | undefined;
  const i = topLevelIndex(text, (at) => {
    operator = OPERATORS.find((op) => text.startsWith(op, at));
    return operator !== undefined;
  });
  if (i < 0 || operator === undefined) {
    return { path: text.trim(), operator: undefined, value: undefined };
  }
  const raw = text.slice(i + (operator as Operator).length).trim();
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // GJSON compares an unquoted word as text.
  }
  return { path: text.slice(0, i).trim(), operator, value };
}

function compare(left: unknown, operator: Operator, right: unknown): boolean {
  if (operator === "%" || operator === "!%") {
    if (typeof left !== "string" || typeof right !== "string") return false;
    return matchPattern(left, right) === (operator === "%");
  }
  const comparable = (typeof left === "number" && typeof right === "number") ||
    (typeof left === "string" && typeof right === "string");
  switch (operator) {
    case "==":
    case "=":
      return left === right;
    case "!=":
      return left !== right;
    case "<":
      return comparable && (left as number) < (right as number);
    case "<=":
      return comparable && (left as number) <= (right as number);
    case ">":
      return comparable && (left as number) > (right as number);
    case ">=":
      return comparable && (left as number) >= (right as number);
  }
}

function truthy(value: unknown): boolean {
  return value !== false && value !== null && value !== undefined;
}

function matches(element: unknown, condition: Condition): boolean {
  const result = condition.path === ""
    ? found(element)
    : getPath(element, condition.path);
  if (!result.exists) return false;
  if (condition.operator === undefined) return truthy(result.value);
  return compare(result.value, condition.operator, condition.value);
}

function applyModifier(value: unknown, name: string): PathResult {
  switch (name) {
    case "this":
      return found(value);
    case "reverse":
      if (Array.isArray(value)) return found([...value].reverse());
      if (isObject(value)) {
        return found(Object.fromEntries(Object.entries(value).reverse()));
      }
      return found(value);
    case "keys":
      return isObject(value) ? found(Object.keys(value)) : MISSING;
    case "values":
      return isObject(value) ? found(Object.values(value)) : MISSING;
    case "flatten":
      return Array.isArray(value) ? found(value.flat()) : found(value);
    default:
      return MISSING;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function continueWith(value: unknown, rest: string): PathResult {
  return rest === "" ? found(value) : getPath(value, rest);
}

/** Splits a path at its first top-level `|`. */
function splitPipe(path: string): [string, string] {
  let rest = path;
  let consumed = "";
  while (rest !== "") {
    const [component, after, separator] = splitPath(rest);
    consumed += component;
    if (separator === "|") return [consumed, after];
    if (separator === "") break;
    consumed += separator;
    rest = after;
  }
  return [path, ""];
}

/** Applies a path to each element; a `|` part applies to the whole result. */
function eachElement(values: readonly unknown[], rest: string): PathResult {
  const [elementPath, after] = splitPipe(rest);
  const results: unknown[] = [];
  for (const element of values) {
    const result = getPath(element, elementPath);
    if (result.exists) results.push(result.value);
  }
  return continueWith(results, after);
}

function getArray(
  array: readonly unknown[],
  component: string,
  rest: string,
  separator: string,
): PathResult {
  if (component === "#") {
    if (rest === "" || separator === "|") {
      return continueWith(array.length, rest);
    }
    return eachElement(array, rest);
  }
  if (component.startsWith("#(")) {
    const all = component.endsWith(")#");
    const inner = component.slice(2, all ? -2 : -1);
    const condition = parseCondition(inner);
    if (!all) {
      const index = array.findIndex((element) => matches(element, condition));
      return index < 0 ? MISSING : continueWith(array[index], rest);
    }
    const selected = array.filter((element) => matches(element, condition));
    if (rest === "" || separator === "|") return continueWith(selected, rest);
    return eachElement(selected, rest);
  }
  if (!/^\d+$/.test(component)) return MISSING;
  const index = Number(component);
  return index < array.length ? continueWith(array[index], rest) : MISSING;
}

function getObject(
  object: Record<string, unknown>,
  component: string,
  rest: string,
): PathResult {
  if (hasWildcard(component)) {
    const key = Object.keys(object).find((name) =>
      matchPattern(name, component)
    );
    return key === undefined ? MISSING : continueWith(object[key], rest);
  }
  const key = unescape(component);
  return Object.hasOwn(object, key) ? continueWith(object[key], rest) : MISSING;
}

/**
 * Reads a GJSON path from a parsed JSON value.
 *
 * @param value The parsed JSON.
 * @param path The path, e.g. `friends.#(last=="Murphy").first`.
 * @returns The value found, or `{ exists: false }`.
 *
 * @example Paths over a document
 * ```ts
 * import { getPath } from "./_gjson.ts";
 * import assert from "node:assert/strict";
 *
 * const doc = {
 *   name: { first: "Tom", last: "Anderson" },
 *   friends: [
 *     { first: "Dale", last: "Murphy", age: 44 },
 *     { first: "Roger", last: "Craig", age: 68 },
 *   ],
 * };
 * assert.deepEqual(getPath(doc, "name.last"), { exists: true, value: "Anderson" });
 * assert.deepEqual(getPath(doc, "friends.#"), { exists: true, value: 2 });
 * assert.deepEqual(getPath(doc, "friends.#.first"), {
 *   exists: true,
 *   value: ["Dale", "Roger"],
 * });
 * assert.deepEqual(getPath(doc, 'friends.#(last=="Craig").age'), {
 *   exists: true,
 *   value: 68,
 * });
 * assert.deepEqual(getPath(doc, "friends.#(age>50)#.first"), {
 *   exists: true,
 *   value: ["Roger"],
 * });
 * assert.equal(getPath(doc, "name.middle").exists, false);
 * ```
 */
export function getPath(value: unknown, path: string): PathResult {
  if (path === "") return MISSING;
  const [component, rest, separator] = splitPath(path);
  if (component.startsWith("@")) {
    const modified = applyModifier(value, component.slice(1));
    return modified.exists ? continueWith(modified.value, rest) : MISSING;
  }
  if (Array.isArray(value)) {
    return getArray(value, component, rest, separator);
  }
  if (isObject(value)) return getObject(value, component, rest);
  return MISSING;
}
