/**
 * Reading plain JSON-like values into typed option fields the way k6's Go
 * JSON decoding does: field names match case-insensitively, `null` means
 * "not set", integers must be whole numbers, durations are text or
 * milliseconds.
 *
 * @module
 */
import { ConfigError } from "./config_error.ts";
import { parseDuration } from "./duration.ts";
import type { Stage } from "./scenario.ts";

/** A JSON-like object. */
export type JsonObject = Readonly<Record<string, unknown>>;

/**
 * Whether a value is a plain object (not an array, not null).
 *
 * @param value The value.
 * @returns `true` for objects.
 */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (typeof value === "string") return `string ${JSON.stringify(value)}`;
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return `number ${value}`;
  return typeof value;
}

/**
 * Maps an object's keys onto the known field names, matching them
 * case-insensitively like Go's `encoding/json` (exact spelling first).
 *
 * @param object The object.
 * @param known The canonical field names.
 * @returns The values by canonical name, and the first unknown key if any.
 */
export function matchFields(
  object: JsonObject,
  known: readonly string[],
): { fields: Map<string, unknown>; unknown?: string } {
  const byLowerCase = new Map(known.map((name) => [name.toLowerCase(), name]));
  const fields = new Map<string, unknown>();
  let unknown: string | undefined;
  for (const [key, value] of Object.entries(object)) {
    const name = known.includes(key) ? key : byLowerCase.get(key.toLowerCase());
    if (name === undefined) {
      unknown ??= key;
      continue;
    }
    if (value !== undefined) fields.set(name, value);
  }
  return { fields, unknown };
}

/**
 * Reads an integer field.
 *
 * @param value The raw value (`null`/`undefined`: not set).
 * @param where The field's name in messages, e.g. `scenario "a": vus`.
 * @returns The integer or `undefined`.
 * @throws {ConfigError} When the value is not a whole number.
 */
export function readInteger(value: unknown, where: string): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    throw new ConfigError(
      `invalid value for ${where}: expected an integer, got ${describe(value)}`,
    );
  }
  return value;
}

/**
 * Reads a boolean field.
 *
 * @param value The raw value (`null`/`undefined`: not set).
 * @param where The field's name in messages.
 * @returns The boolean or `undefined`.
 * @throws {ConfigError} When the value is not a boolean.
 */
export function readBoolean(
  value: unknown,
  where: string,
): boolean | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== "boolean") {
    throw new ConfigError(
      `invalid value for ${where}: expected true or false, got ${
        describe(value)
      }`,
    );
  }
  return value;
}

/**
 * Reads a string field.
 *
 * @param value The raw value (`null`/`undefined`: not set).
 * @param where The field's name in messages.
 * @returns The string or `undefined`.
 * @throws {ConfigError} When the value is not a string.
 */
export function readString(value: unknown, where: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== "string") {
    throw new ConfigError(
      `invalid value for ${where}: expected a string, got ${describe(value)}`,
    );
  }
  return value;
}

/**
 * Reads a duration field: text in k6's syntax or a number of milliseconds.
 *
 * @param value The raw value (`null`/`undefined`: not set).
 * @param where The field's name in messages.
 * @returns Milliseconds or `undefined`.
 * @throws {ConfigError} When the value is not a valid duration.
 */
export function readDuration(
  value: unknown,
  where: string,
): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== "string" && typeof value !== "number") {
    throw new ConfigError(
      `invalid value for ${where}: expected a duration like "30s" or a number of milliseconds, got ${
        describe(value)
      }`,
    );
  }
  try {
    return parseDuration(value);
  } catch (error) {
    throw new ConfigError(
      `invalid value for ${where}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/**
 * Reads an object of string values (k6's `map[string]string` fields such
 * as `env` and `tags`).
 *
 * @param value The raw value (`null`/`undefined`: not set).
 * @param where The field's name in messages.
 * @returns A frozen copy or `undefined`.
 * @throws {ConfigError} When it is not an object of strings.
 */
export function readStringMap(
  value: unknown,
  where: string,
): Readonly<Record<string, string>> | undefined {
  if (value === null || value === undefined) return undefined;
  if (!isObject(value)) {
    throw new ConfigError(
      `invalid value for ${where}: expected an object of strings, got ${
        describe(value)
      }`,
    );
  }
  const result: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    if (typeof item !== "string") {
      throw new ConfigError(
        `invalid value for ${where}.${key}: expected a string, got ${
          describe(item)
        }`,
      );
    }
    result[key] = item;
  }
  return Object.freeze(result);
}

/**
 * Reads an array of strings.
 *
 * @param value The raw value (`null`/`undefined`: not set).
 * @param where The field's name in messages.
 * @returns A frozen copy or `undefined`.
 * @throws {ConfigError} When it is not an array of strings.
 */
export function readStringArray(
  value: unknown,
  where: string,
): readonly string[] | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    throw new ConfigError(
      `invalid value for ${where}: expected an array of strings, got ${
        describe(value)
      }`,
    );
  }
  return Object.freeze([...value] as string[]);
}

/**
 * Reads stages (`[{ duration, target }]`). k6 decodes scenario stages
 * strictly (other keys are errors) and the `stages` option leniently
 * (other keys are ignored).
 *
 * @param value The raw stages (`null`/`undefined`: not set).
 * @param where The field's name in messages.
 * @param strict Whether unknown keys are errors.
 * @returns A frozen array, or `undefined` when not set.
 * @throws {ConfigError} When malformed.
 */
export function readStages(
  value: unknown,
  where: string,
  strict: boolean,
): readonly Stage[] | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Array.isArray(value)) {
    throw new ConfigError(
      `invalid value for ${where}: expected an array of {duration, target} objects`,
    );
  }
  return Object.freeze(value.map((item, index) => {
    const at = `${where}[${index}]`;
    if (!isObject(item)) {
      throw new ConfigError(
        `invalid value for ${at}: expected a {duration, target} object`,
      );
    }
    const { fields, unknown } = matchFields(item, ["duration", "target"]);
    if (strict && unknown !== undefined) {
      throw new ConfigError(`json: unknown field ${JSON.stringify(unknown)}`);
    }
    return Object.freeze({
      duration: readDuration(fields.get("duration"), `${at}.duration`),
      target: readInteger(fields.get("target"), `${at}.target`),
    });
  }));
}
