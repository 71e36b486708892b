/**
 * Options from `K6_*` environment variables (k6's `envconfig` tier): a
 * variable that is present is parsed, one that is absent leaves the option
 * unset. Only the real process environment counts: `-e NAME=value` only
 * fills `__ENV` and never sets options.
 *
 * | variable | option |
 * |---|---|
 * | `K6_VUS`, `K6_ITERATIONS`, `K6_MAX_REDIRECTS`, `K6_BATCH`, `K6_BATCH_PER_HOST` | `vus`, `iterations`, `maxRedirects`, `batch`, `batchPerHost` (integers) |
 * | `K6_DURATION`, `K6_SETUP_TIMEOUT`, `K6_TEARDOWN_TIMEOUT`, `K6_HANDLE_SUMMARY_TIMEOUT`, `K6_MIN_ITERATION_DURATION` | durations (`30s`, or milliseconds) |
 * | `K6_STAGES` | `stages`: `5s:10,5m:20` |
 * | `K6_PAUSED`, `K6_NO_SETUP`, `K6_NO_TEARDOWN`, `K6_THROW`, `K6_INSECURE_SKIP_TLS_VERIFY`, `K6_NO_THRESHOLDS`, `K6_LINGER`, `K6_DISCARD_RESPONSE_BODIES`, `K6_NO_CONNECTION_REUSE`, `K6_NO_VU_CONNECTION_REUSE`, `K6_NO_COOKIES_RESET` | booleans (`true`/`false`) |
 * | `K6_SYSTEM_TAGS`, `K6_SUMMARY_TREND_STATS`, `K6_OUT` | comma lists |
 * | `K6_TAGS` | `name:value,name:value` |
 * | `K6_USER_AGENT`, `K6_SUMMARY_TIME_UNIT`, `K6_CONSOLE_OUTPUT` | text |
 * | `WSLOAD_WORKERS` | `workers` (wsload's own; an integer) |
 *
 * @module
 */
import { ConfigError } from "./config_error.ts";
import { parseDuration } from "./duration.ts";
import { dropUndefined, type Options, toSystemTagSet } from "./options.ts";
import { parseInt64, parseStageText, splitList } from "./_text_values.ts";

type Kind =
  | "int"
  | "bool"
  | "duration"
  | "string"
  | "stages"
  | "list"
  | "systemTags"
  | "tags";

// variable, option key, kind of value.
const VARIABLES: readonly (readonly [string, keyof Options, Kind])[] = [
  ["K6_PAUSED", "paused", "bool"],
  ["K6_VUS", "vus", "int"],
  ["K6_DURATION", "duration", "duration"],
  ["K6_ITERATIONS", "iterations", "int"],
  ["K6_MAX_REDIRECTS", "maxRedirects", "int"],
  ["K6_BATCH", "batch", "int"],
  ["K6_BATCH_PER_HOST", "batchPerHost", "int"],
  ["K6_STAGES", "stages", "stages"],
  ["K6_NO_SETUP", "noSetup", "bool"],
  ["K6_SETUP_TIMEOUT", "setupTimeout", "duration"],
  ["K6_NO_TEARDOWN", "noTeardown", "bool"],
  ["K6_TEARDOWN_TIMEOUT", "teardownTimeout", "duration"],
  ["K6_HANDLE_SUMMARY_TIMEOUT", "handleSummaryTimeout", "duration"],
  ["K6_USER_AGENT", "userAgent", "string"],
  ["K6_INSECURE_SKIP_TLS_VERIFY", "insecureSkipTLSVerify", "bool"],
  ["K6_THROW", "throw", "bool"],
  ["K6_MIN_ITERATION_DURATION", "minIterationDuration", "duration"],
  ["K6_SUMMARY_TREND_STATS", "summaryTrendStats", "list"],
  ["K6_SUMMARY_TIME_UNIT", "summaryTimeUnit", "string"],
  ["K6_SYSTEM_TAGS", "systemTags", "systemTags"],
  ["K6_TAGS", "tags", "tags"],
  ["K6_DISCARD_RESPONSE_BODIES", "discardResponseBodies", "bool"],
  ["K6_NO_CONNECTION_REUSE", "noConnectionReuse", "bool"],
  ["K6_NO_VU_CONNECTION_REUSE", "noVUConnectionReuse", "bool"],
  ["K6_NO_COOKIES_RESET", "noCookiesReset", "bool"],
  ["K6_CONSOLE_OUTPUT", "consoleOutput", "string"],
  ["K6_OUT", "out", "list"],
  ["K6_LINGER", "linger", "bool"],
  ["K6_NO_THRESHOLDS", "noThresholds", "bool"],
  // wsload's own options carry its prefix: k6 reads every K6_ variable as
  // one of its options, and a name of ours could collide with a future one.
  ["WSLOAD_WORKERS", "workers", "int"],
];

/** The `K6_*` variables that set options (the table above). */
export const OPTION_VARIABLES: readonly string[] = Object.freeze(
  VARIABLES.map(([variable]) => variable),
);

function parseValue(kind: Kind, text: string): unknown {
  switch (kind) {
    case "int":
      return text === "" ? undefined : parseInt64(text);
    case "bool":
      if (text === "") return undefined;
      if (text === "true") return true;
      if (text === "false") return false;
      throw new SyntaxError(
        `invalid boolean ${JSON.stringify(text)}, use true or false`,
      );
    case "duration":
      return text === "" ? undefined : parseDuration(text);
    case "string":
      return text === "" ? undefined : text;
    case "stages":
      return Object.freeze(splitList(text).map(parseStageText));
    case "list":
      return Object.freeze(splitList(text));
    case "systemTags":
      return toSystemTagSet(text.split(","));
    case "tags": {
      const tags: Record<string, string> = {};
      for (const pair of splitList(text)) {
        const parts = pair.split(":");
        if (parts.length !== 2) {
          throw new SyntaxError(`invalid map item: ${JSON.stringify(pair)}`);
        }
        tags[parts[0]] = parts[1];
      }
      return Object.freeze(tags);
    }
  }
}

/**
 * Reads the options set by `K6_*` variables.
 *
 * @param env The process environment (only `K6_*` names are read).
 * @returns The options of the environment tier.
 * @throws {ConfigError} When a variable's value is malformed, naming the
 * variable and what it expects: `invalid value 'abc' for K6_VUS: "abc" is
 * not an integer`.
 *
 * @example Read execution options from the environment
 * ```ts
 * import { optionsFromEnv } from "./env.ts";
 * import assert from "node:assert/strict";
 *
 * const options = optionsFromEnv({ K6_VUS: "5", K6_STAGES: "5s:10,1m:0" });
 * assert.equal(options.vus, 5);
 * assert.deepEqual(options.stages, [
 *   { duration: 5_000, target: 10 },
 *   { duration: 60_000, target: 0 },
 * ]);
 * ```
 */
export function optionsFromEnv(env: Readonly<Record<string, string>>): Options {
  const result: Record<string, unknown> = {};
  for (const [variable, key, kind] of VARIABLES) {
    const text = env[variable];
    if (text === undefined) continue;
    try {
      result[key] = parseValue(kind, text);
    } catch (error) {
      throw new ConfigError(
        `invalid value '${text}' for ${variable}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  return dropUndefined(result as Options);
}
