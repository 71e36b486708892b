/**
 * k6's options: the typed object, reading it from a script's exported
 * `options` or a JSON config file, and merging two configuration tiers with
 * k6's rules.
 *
 * Every field is optional: `undefined` means "not set in this tier", so a
 * lower tier's value (or the default) shows through. Durations are
 * milliseconds.
 *
 * @module
 */
import type { Logger } from "../../context/context.ts";
import { SYSTEM_TAGS } from "../../metrics/tags.ts";
import type { TlsAuth } from "../../transport/transport.ts";
import { ConfigError } from "./config_error.ts";
import {
  readHosts,
  readTlsAuth,
  readTlsVersion,
  type TlsVersionRange,
} from "./_http_options.ts";
import {
  ExecutionSegment,
  ExecutionSegmentSequence,
} from "./execution_segment.ts";
import {
  isObject,
  type JsonObject,
  matchFields,
  readBoolean,
  readDuration,
  readInteger,
  readStages,
  readString,
  readStringArray,
  readStringMap,
} from "./_json_fields.ts";
import {
  parseScenarios,
  type ScenarioConfigs,
  type Stage,
} from "./scenario.ts";

/** k6's options, as one configuration tier sets them. */
export interface Options {
  /** Start the test paused (`--paused`). */
  readonly paused?: boolean;
  /** VUs of the shortcut scenario (`--vus`). */
  readonly vus?: number;
  /** Duration of the shortcut scenario, ms (`--duration`). */
  readonly duration?: number;
  /** Total iterations of the shortcut scenario (`--iterations`). */
  readonly iterations?: number;
  /** Stages of the shortcut ramping-vus scenario (`--stage`). */
  readonly stages?: readonly Stage[];
  /** Scenarios by name. */
  readonly scenarios?: ScenarioConfigs;
  /** This instance's execution segment. */
  readonly executionSegment?: ExecutionSegment;
  /** The execution segment sequence all instances share. */
  readonly executionSegmentSequence?: ExecutionSegmentSequence;
  /** Skip `setup()`. */
  readonly noSetup?: boolean;
  /** Time limit of `setup()`, ms (default 60 s). */
  readonly setupTimeout?: number;
  /** Skip `teardown()`. */
  readonly noTeardown?: boolean;
  /** Time limit of `teardown()`, ms (default 60 s). */
  readonly teardownTimeout?: number;
  /** Time limit of `handleSummary()`, ms (default 120 s). */
  readonly handleSummaryTimeout?: number;
  /** `User-Agent` of handshakes. */
  readonly userAgent?: string;
  /** Accept any TLS certificate. */
  readonly insecureSkipTLSVerify?: boolean;
  /** Make `k6/ws` throw on errors instead of returning them. */
  readonly throw?: boolean;
  /** Thresholds, as given (metric → expressions); validated by the thresholds module. */
  readonly thresholds?: Readonly<Record<string, unknown>>;
  /** Shortest iteration, ms: VUs wait out the rest after a quicker iteration. */
  readonly minIterationDuration?: number;
  /** Trend columns of the summary, e.g. `["avg", "p(95)"]`. */
  readonly summaryTrendStats?: readonly string[];
  /** Time unit of the summary: `s`, `ms` or `us`. */
  readonly summaryTimeUnit?: string;
  /** Enabled system tags (unknown names are ignored, as in k6). */
  readonly systemTags?: ReadonlySet<string>;
  /** Tags added to every sample of the run. */
  readonly tags?: Readonly<Record<string, string>>;
  /** Redirect `console.*` to this file (CLI and environment only). */
  readonly consoleOutput?: string;
  /** Skip threshold evaluation (CLI and environment only). */
  readonly noThresholds?: boolean;
  /** Outputs (`--out`; config file, environment, CLI). */
  readonly out?: readonly string[];
  /** Keep running after the test until interrupted (`--linger`). */
  readonly linger?: boolean;
  /** `k6/http` reads but does not keep response bodies by default. */
  readonly discardResponseBodies?: boolean;
  /** `k6/http` closes every connection after its request. */
  readonly noConnectionReuse?: boolean;
  /** `k6/http` keeps connections within an iteration only. */
  readonly noVUConnectionReuse?: boolean;
  /** Accepted and ignored (wsload's jars are per iteration). */
  readonly noCookiesReset?: boolean;
  /** Redirects `k6/http` follows (k6's default 10). */
  readonly maxRedirects?: number;
  /** Parallel requests of one `http.batch()` (default 20). */
  readonly batch?: number;
  /** Parallel requests per host of one `http.batch()` (default 6). */
  readonly batchPerHost?: number;
  /** Client certificates (`[{ cert, key, password?, domains? }]`). */
  readonly tlsAuth?: readonly TlsAuth[];
  /** TLS versions allowed: `"tls1.2"` or `{ min, max }`. */
  readonly tlsVersion?: TlsVersionRange;
  /** DNS overrides: `host[:port]` or `*.domain` → `ip[:port]`. */
  readonly hosts?: Readonly<Record<string, string>>;
  /**
   * wsload's own: how many worker processes run the test (default: the
   * available cores); `--workers`, `WSLOAD_WORKERS`.
   */
  readonly workers?: number;
  /**
   * Other k6 options wsload accepts and ignores (DNS, rate limits, cloud),
   * as given: `rps`, `dns`, `tlsCipherSuites`, ...
   */
  readonly ignored?: Readonly<Record<string, unknown>>;
}

/** Where an options object comes from; decides which keys are known. */
export type OptionsSource = "script" | "config";

// k6's lib.Options fields that wsload has no use for; they are accepted and
// kept (key by key) in `ignored`.
const IGNORED_KEYS = [
  "rps",
  "dns",
  "httpDebug",
  "tlsCipherSuites",
  "blacklistIPs",
  "blockHostnames",
  "metricSamplesBufferSize",
  "cloud",
  "ext",
  "features",
] as const;

const SCRIPT_KEYS = [
  "paused",
  "vus",
  "duration",
  "iterations",
  "stages",
  "scenarios",
  "executionSegment",
  "executionSegmentSequence",
  "noSetup",
  "setupTimeout",
  "noTeardown",
  "teardownTimeout",
  "handleSummaryTimeout",
  "userAgent",
  "insecureSkipTLSVerify",
  "throw",
  "thresholds",
  "minIterationDuration",
  "summaryTrendStats",
  "summaryTimeUnit",
  "systemTags",
  "tags",
  "discardResponseBodies",
  "noConnectionReuse",
  "noVUConnectionReuse",
  "noCookiesReset",
  "maxRedirects",
  "batch",
  "batchPerHost",
  "tlsAuth",
  "tlsVersion",
  "hosts",
  "workers",
  ...IGNORED_KEYS,
] as const;

// The config file is k6's Config: the options plus a few CLI settings.
const CONFIG_KEYS = [...SCRIPT_KEYS, "out", "linger"] as const;

const SYSTEM_TAG_NAMES: ReadonlySet<string> = new Set(SYSTEM_TAGS);

/**
 * Keeps the known system tag names (k6 silently drops unknown ones).
 *
 * @param names Tag names.
 * @returns The set of known ones.
 */
export function toSystemTagSet(names: Iterable<string>): ReadonlySet<string> {
  const set = new Set<string>();
  for (const name of names) {
    const trimmed = name.trim();
    if (SYSTEM_TAG_NAMES.has(trimmed)) set.add(trimmed);
  }
  return set;
}

function wrap<T>(where: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(
      `invalid value for ${where}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/**
 * Reads an options object: a script's exported `options`, or the parsed
 * JSON of a config file (`--config`). Keys match case-insensitively, as in
 * k6. Unknown keys in a script's options are reported with k6's warning;
 * in a config file they are ignored, as k6 does.
 *
 * @param raw The object; `null`/`undefined` give empty options.
 * @param source Where it comes from.
 * @param logger Receives the unknown-keys warning.
 * @returns The options.
 * @throws {ConfigError} When it is not an object or a value has the wrong
 * type or format (exit code 104).
 *
 * @example Read a script's options
 * ```ts
 * import { parseOptions } from "./options.ts";
 * import assert from "node:assert/strict";
 *
 * const options = parseOptions({ vus: 10, duration: "30s" }, "script");
 * assert.equal(options.vus, 10);
 * assert.equal(options.duration, 30_000);
 * ```
 */
export function parseOptions(
  raw: unknown,
  source: OptionsSource,
  logger?: Pick<Logger, "warn">,
): Options {
  if (raw === null || raw === undefined) return {};
  if (!isObject(raw)) {
    throw new ConfigError(
      `invalid ${
        source === "script" ? "script options" : "configuration"
      }: expected an object, got ${Array.isArray(raw) ? "array" : typeof raw}`,
    );
  }
  const known = source === "script" ? SCRIPT_KEYS : CONFIG_KEYS;
  const { fields, unknown } = matchFields(raw as JsonObject, known);
  if (unknown !== undefined && source === "script") {
    logger?.warn(
      `There were unknown fields in the options exported in the script: json: unknown field ${
        JSON.stringify(unknown)
      }`,
    );
  }
  const get = (key: string) => fields.get(key);
  const ignored: Record<string, unknown> = {};
  for (const key of IGNORED_KEYS) {
    const value = get(key);
    if (value !== undefined && value !== null) ignored[key] = value;
  }
  const segment = readString(get("executionSegment"), "executionSegment");
  const sequence = readString(
    get("executionSegmentSequence"),
    "executionSegmentSequence",
  );
  const thresholds = get("thresholds");
  if (
    thresholds !== undefined && thresholds !== null && !isObject(thresholds)
  ) {
    throw new ConfigError(
      "invalid value for thresholds: expected an object of metric name to threshold expressions",
    );
  }
  const systemTags = readStringArray(get("systemTags"), "systemTags");
  return dropUndefined({
    paused: readBoolean(get("paused"), "paused"),
    vus: readInteger(get("vus"), "vus"),
    duration: readDuration(get("duration"), "duration"),
    iterations: readInteger(get("iterations"), "iterations"),
    stages: readStages(get("stages"), "stages", false),
    scenarios: parseScenarios(get("scenarios")),
    executionSegment: segment === undefined
      ? undefined
      : wrap("executionSegment", () => ExecutionSegment.parse(segment)),
    executionSegmentSequence: sequence === undefined ? undefined : wrap(
      "executionSegmentSequence",
      () => ExecutionSegmentSequence.parse(sequence),
    ),
    noSetup: readBoolean(get("noSetup"), "noSetup"),
    setupTimeout: readDuration(get("setupTimeout"), "setupTimeout"),
    noTeardown: readBoolean(get("noTeardown"), "noTeardown"),
    teardownTimeout: readDuration(get("teardownTimeout"), "teardownTimeout"),
    handleSummaryTimeout: readDuration(
      get("handleSummaryTimeout"),
      "handleSummaryTimeout",
    ),
    userAgent: readString(get("userAgent"), "userAgent"),
    insecureSkipTLSVerify: readBoolean(
      get("insecureSkipTLSVerify"),
      "insecureSkipTLSVerify",
    ),
    throw: readBoolean(get("throw"), "throw"),
    thresholds: thresholds === null
      ? undefined
      : thresholds as Readonly<Record<string, unknown>> | undefined,
    minIterationDuration: readDuration(
      get("minIterationDuration"),
      "minIterationDuration",
    ),
    summaryTrendStats: readStringArray(
      get("summaryTrendStats"),
      "summaryTrendStats",
    ),
    summaryTimeUnit: readString(get("summaryTimeUnit"), "summaryTimeUnit"),
    systemTags: systemTags && toSystemTagSet(systemTags),
    tags: readStringMap(get("tags"), "tags"),
    discardResponseBodies: readBoolean(
      get("discardResponseBodies"),
      "discardResponseBodies",
    ),
    noConnectionReuse: readBoolean(
      get("noConnectionReuse"),
      "noConnectionReuse",
    ),
    noVUConnectionReuse: readBoolean(
      get("noVUConnectionReuse"),
      "noVUConnectionReuse",
    ),
    noCookiesReset: readBoolean(get("noCookiesReset"), "noCookiesReset"),
    maxRedirects: readInteger(get("maxRedirects"), "maxRedirects"),
    batch: readInteger(get("batch"), "batch"),
    batchPerHost: readInteger(get("batchPerHost"), "batchPerHost"),
    tlsAuth: readTlsAuth(get("tlsAuth")),
    tlsVersion: readTlsVersion(get("tlsVersion")),
    hosts: readHosts(get("hosts")),
    workers: readInteger(get("workers"), "workers"),
    out: readStringArray(get("out"), "out"),
    linger: readBoolean(get("linger"), "linger"),
    ignored: Object.keys(ignored).length > 0
      ? Object.freeze(ignored)
      : undefined,
  });
}

/**
 * Removes `undefined` fields and freezes the result.
 *
 * @param options Options with possibly undefined fields.
 * @returns The cleaned, frozen options.
 */
export function dropUndefined(options: Options): Options {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) result[key] = value;
  }
  return Object.freeze(result) as Options;
}

/**
 * Whether a tier sets any execution option: `duration`, `iterations`,
 * `stages` or `scenarios` (setting one replaces all of a lower tier's).
 *
 * @param options The tier.
 * @returns `true` when it does.
 */
export function setsExecution(options: Options): boolean {
  return options.duration !== undefined || options.iterations !== undefined ||
    options.stages !== undefined || options.scenarios !== undefined;
}

/**
 * Puts a higher configuration tier over a lower one (k6's
 * `Options.Apply`): every option the higher tier sets wins, except that
 * when it sets any of `duration`, `iterations`, `stages` or `scenarios`,
 * the lower tier's values of all four are dropped first. Stages without a
 * duration are dropped. `tags` only override when non-empty.
 *
 * @param lower The lower tier.
 * @param higher The higher tier.
 * @returns The merged options.
 *
 * @example A script's `duration` replaces a config file's `iterations`
 * ```ts
 * import { applyOptions } from "./options.ts";
 * import assert from "node:assert/strict";
 *
 * const merged = applyOptions({ iterations: 10, vus: 5 }, { duration: 30_000 });
 * assert.deepEqual(merged, { vus: 5, duration: 30_000 });
 * ```
 */
export function applyOptions(lower: Options, higher: Options): Options {
  const result: Record<string, unknown> = { ...lower };
  if (setsExecution(higher)) {
    delete result.duration;
    delete result.iterations;
    delete result.stages;
    delete result.scenarios;
  }
  for (const [key, value] of Object.entries(higher)) {
    if (value === undefined) continue;
    switch (key) {
      case "stages":
        result.stages = Object.freeze(
          (value as readonly Stage[]).filter((s) => s.duration !== undefined),
        );
        break;
      case "tags":
        if (Object.keys(value as object).length > 0) result.tags = value;
        break;
      case "out":
        if ((value as readonly string[]).length > 0) result.out = value;
        break;
      case "ignored":
        result.ignored = Object.freeze({
          ...(lower.ignored ?? {}),
          ...(value as object),
        });
        break;
      default:
        result[key] = value;
    }
  }
  return Object.freeze(result) as Options;
}
