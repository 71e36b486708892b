/**
 * The flags of `wsload run`: k6's names, parsed with `node:util` parseArgs
 * and turned into a {@link RunConfig}.
 *
 * @module
 */
import type { ParseArgsConfig } from "node:util";
import {
  type CliOverrides,
  instanceShare,
  parseStartAt,
} from "../runner/options/mod.ts";
import type { RunConfig } from "../runner/run.ts";
import { parseFlags, UsageError } from "./usage.ts";

const RUN_OPTIONS = {
  vus: { type: "string", short: "u" },
  duration: { type: "string", short: "d" },
  iterations: { type: "string", short: "i" },
  stage: { type: "string", short: "s", multiple: true },
  "execution-segment": { type: "string" },
  "execution-segment-sequence": { type: "string" },
  paused: { type: "boolean", short: "p" },
  "no-setup": { type: "boolean" },
  "no-teardown": { type: "boolean" },
  "no-thresholds": { type: "boolean" },
  "no-summary": { type: "boolean" },
  tag: { type: "string", multiple: true },
  "system-tags": { type: "string" },
  "insecure-skip-tls-verify": { type: "boolean" },
  "min-iteration-duration": { type: "string" },
  throw: { type: "boolean", short: "w" },
  "user-agent": { type: "string" },
  "console-output": { type: "string" },
  out: { type: "string", short: "o", multiple: true },
  "summary-mode": { type: "string" },
  "summary-trend-stats": { type: "string" },
  "summary-time-unit": { type: "string" },
  "summary-export": { type: "string" },
  report: { type: "string" },
  "strip-url-query": { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
  verbose: { type: "boolean", short: "v" },
  "no-color": { type: "boolean" },
  linger: { type: "boolean", short: "l" },
  config: { type: "string", short: "c" },
  env: { type: "string", short: "e", multiple: true },
  "include-system-env-vars": { type: "boolean" },
  "no-include-system-env-vars": { type: "boolean" },
  "discard-response-bodies": { type: "boolean" },
  "no-connection-reuse": { type: "boolean" },
  "no-vu-connection-reuse": { type: "boolean" },
  "max-redirects": { type: "string" },
  batch: { type: "string" },
  "batch-per-host": { type: "string" },
  "compatibility-mode": { type: "string" },
  instance: { type: "string" },
  "start-at": { type: "string" },
  workers: { type: "string" },
  "no-sandbox": { type: "boolean" },
  type: { type: "string", short: "t" },
  help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsConfig["options"];

/** `wsload run --help`. */
export const RUN_HELP = `Start a test.

Usage:
  wsload run [flags] <script.js|script.ts>

Execution flags:
  -u, --vus N                    number of virtual users (default 1)
  -d, --duration D               test duration, e.g. 30s, 1m30s
  -i, --iterations N             script total iteration limit (among all VUs)
  -s, --stage D:T                add a stage (repeatable), e.g. 30s:10
      --execution-segment S      limit execution to a segment, e.g. 10%, 1/3, 0.5:1
      --execution-segment-sequence SEQ
      --instance [I/]N           run share I (from 0) of N instances; I defaults to
                                 $JOB_COMPLETION_INDEX (a Kubernetes Indexed Job's pod)
      --start-at TIME            begin at this RFC 3339 time, after the VUs' init
      --no-setup, --no-teardown  don't run setup() / teardown()
      --min-iteration-duration D minimum time an iteration lasts
      --insecure-skip-tls-verify skip verification of TLS certificates (wss://, https://)
  -w, --throw                    throw on failed HTTP requests and k6/ws connections
      --user-agent UA            User-Agent of HTTP requests and WebSocket handshakes
      --max-redirects N          follow at most N HTTP redirects (default 10)
      --batch N                  parallel requests of one http.batch() (default 20)
      --batch-per-host N         parallel requests per host of one http.batch() (default 6)
      --no-connection-reuse      no HTTP keep-alive
      --no-vu-connection-reuse   no HTTP keep-alive across iterations
      --discard-response-bodies  read HTTP response bodies but do not keep them
      --tag NAME=VALUE           add a tag to every sample (repeatable)
      --system-tags LIST         system tags to attach to samples
      --strip-url-query          leave query strings (tokens) out of the url and name tags
  -c, --config FILE              JSON config file
  -e, --env NAME=VALUE           add a variable to __ENV (repeatable)
      --no-include-system-env-vars  don't copy the process environment into __ENV
      --compatibility-mode MODE  extended (default): the script waits where k6
                                 blocks; base: it runs as written (its own awaits)
      --workers N                worker processes that share the VUs (default: one
                                 per core, never more than VUs; also WSLOAD_WORKERS)

Security flags:
      --no-sandbox               run a trusted script with all the rights of the user:
                                 files, subprocesses, the environment, node:/npm:
                                 imports (also WSLOAD_NO_SANDBOX=true). By default
                                 script code may use the network and read its own
                                 folder and what it open()s, nothing else

Results flags:
      --no-thresholds            don't evaluate thresholds
      --summary-mode MODE        compact (default), full, legacy or disabled
      --no-summary               same as --summary-mode=disabled (deprecated)
      --summary-trend-stats LIST trend columns, e.g. avg,min,med,max,p(90),p(95)
      --summary-time-unit UNIT   s, ms or us for every time in the summary
      --summary-export FILE      write the end-of-test summary as JSON
  -o, --out TYPE=FILE            write every sample: json=FILE (NDJSON, .gz ok), csv=FILE;
                                 state=FILE (or - for stdout): the end state for wsload merge;
                                 experimental-prometheus-rw: Prometheus remote write
      --report FILE.html         write a self-contained HTML report with charts

Output flags:
  -q, --quiet                    no banner and no progress
  -v, --verbose                  debug logging
      --no-color                 no colours (also NO_COLOR)
  -h, --help                     this help
`;

type Values = ReturnType<typeof parseRun>["values"];

function parseRun(args: readonly string[]) {
  return parseFlags(args, RUN_OPTIONS, "run");
}

/**
 * Reads `-e NAME=value` flags.
 *
 * @param values The flags' values.
 * @returns The variables.
 * @throws {UsageError} For an invalid name.
 */
export function parseEnv(
  values: readonly string[] | undefined,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of values ?? []) {
    const index = entry.indexOf("=");
    const name = index < 0 ? entry : entry.slice(0, index);
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) {
      throw new UsageError(
        `invalid argument "${entry}" for "-e, --env" flag: invalid environment variable name '${name}': expected NAME=value with NAME matching [a-zA-Z_][a-zA-Z0-9_]*`,
      );
    }
    env[name] = index < 0 ? "" : entry.slice(index + 1);
  }
  return env;
}

function overrides(values: Values): CliOverrides {
  const cli: Record<string, unknown> = {
    vus: values.vus,
    duration: values.duration,
    iterations: values.iterations,
    stage: values.stage,
    executionSegment: values["execution-segment"],
    executionSegmentSequence: values["execution-segment-sequence"],
    paused: values.paused,
    noSetup: values["no-setup"],
    noTeardown: values["no-teardown"],
    userAgent: values["user-agent"],
    insecureSkipTLSVerify: values["insecure-skip-tls-verify"],
    throw: values.throw,
    minIterationDuration: values["min-iteration-duration"],
    summaryTrendStats: values["summary-trend-stats"],
    summaryTimeUnit: values["summary-time-unit"],
    systemTags: values["system-tags"],
    tag: values.tag,
    consoleOutput: values["console-output"],
    noThresholds: values["no-thresholds"],
    out: values.out,
    linger: values.linger,
    discardResponseBodies: values["discard-response-bodies"],
    noConnectionReuse: values["no-connection-reuse"],
    noVUConnectionReuse: values["no-vu-connection-reuse"],
    maxRedirects: values["max-redirects"],
    batch: values.batch,
    batchPerHost: values["batch-per-host"],
    workers: values.workers,
  };
  // Only flags the user passed: a default would override the script's options.
  for (const key of Object.keys(cli)) {
    if (cli[key] === undefined) delete cli[key];
  }
  return cli as CliOverrides;
}

const SUMMARY_MODES = ["compact", "full", "legacy", "disabled"] as const;

/** What `wsload run` was asked, before any file is read. */
export interface RunRequest {
  /** The run configuration (without the config file's content). */
  readonly config: Omit<RunConfig, "configFile" | "env">;
  /** `--config FILE`, to be read by the caller. */
  readonly configPath: string | undefined;
  /** `--help` was given. */
  readonly help: boolean;
  /** Warnings to log (deprecated flags). */
  readonly warnings: readonly string[];
}

const TRUE_TEXTS = ["1", "t", "T", "TRUE", "true", "True"];
const FALSE_TEXTS = ["0", "f", "F", "FALSE", "false", "False"];

// A boolean environment variable, read as Go's strconv.ParseBool reads it.
function envBoolean(
  env: Readonly<Record<string, string>>,
  name: string,
): boolean | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  if (TRUE_TEXTS.includes(value)) return true;
  if (FALSE_TEXTS.includes(value)) return false;
  throw new UsageError(
    `env var '${name}' is not a valid boolean value: "${value}", expected true or false`,
  );
}

/**
 * Parses `wsload run`'s arguments, with the environment variables k6 reads
 * for the same settings (a flag wins over its variable): `K6_CONFIG`,
 * `K6_SUMMARY_MODE`, `K6_SUMMARY_EXPORT`, `K6_INCLUDE_SYSTEM_ENV_VARS`,
 * `K6_COMPATIBILITY_MODE`, `WSLOAD_NO_SANDBOX`,
 * `NO_COLOR` (set at all) and `K6_NO_COLOR` (not empty).
 *
 * @param args The arguments after `run`.
 * @param env The process environment.
 * @returns The request.
 * @throws {UsageError} For an unknown flag, a missing value, no script or
 * more than one, an invalid `--summary-mode`/`--env`, or an invalid value
 * of one of those variables.
 */
export function parseRunArgs(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): RunRequest {
  const { values, positionals } = parseRun(args);
  const warnings: string[] = [];
  if (values.help) {
    return {
      config: emptyConfig(),
      configPath: undefined,
      help: true,
      warnings,
    };
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? "the run command needs a script: wsload run [flags] <script.js|script.ts>"
        : `the run command takes one script, got ${positionals.length}: ${
          positionals.join(" ")
        }`,
    );
  }
  let summaryMode = values["summary-mode"] ?? env.K6_SUMMARY_MODE ??
    "compact";
  if (!(SUMMARY_MODES as readonly string[]).includes(summaryMode)) {
    throw new UsageError(
      `invalid argument "${summaryMode}" for ${
        values["summary-mode"] === undefined
          ? "K6_SUMMARY_MODE"
          : '"--summary-mode" flag'
      }: expected one of ${SUMMARY_MODES.join(", ")}`,
    );
  }
  if (values["no-summary"]) {
    warnings.push(
      '"--no-summary" is deprecated; use "--summary-mode=disabled"',
    );
    summaryMode = "disabled";
  }
  const compatibilityMode = values["compatibility-mode"] ??
    env.K6_COMPATIBILITY_MODE ?? "extended";
  if (compatibilityMode !== "extended" && compatibilityMode !== "base") {
    throw new UsageError(
      `invalid compatibility mode "${compatibilityMode}". Use: "extended", "base"`,
      255,
    );
  }
  if (values.type !== undefined && values.type !== "js") {
    throw new UsageError(
      `invalid argument "${values.type}" for "-t, --type" flag: wsload runs js scripts only`,
    );
  }
  return {
    config: {
      script: positionals[0],
      cli: { ...overrides(values), ...instanceOverrides(values, env) },
      startAt: startAtOf(values["start-at"]),
      scriptEnv: parseEnv(values.env),
      includeSystemEnvVars: values["no-include-system-env-vars"]
        ? false
        : values["include-system-env-vars"] ??
          envBoolean(env, "K6_INCLUDE_SYSTEM_ENV_VARS") ?? true,
      summaryMode: summaryMode as RunConfig["summaryMode"],
      summaryExport: values["summary-export"] ?? env.K6_SUMMARY_EXPORT,
      report: values.report,
      quiet: values.quiet ?? false,
      colors: !(values["no-color"] ?? false) && env.NO_COLOR === undefined &&
        (env.K6_NO_COLOR ?? "") === "",
      verbose: values.verbose ?? false,
      stripUrlQuery: values["strip-url-query"] ?? false,
      compatibilityMode,
      sandbox: !(values["no-sandbox"] ??
        envBoolean(env, "WSLOAD_NO_SANDBOX") ?? false),
    },
    configPath: values.config ?? env.K6_CONFIG,
    help: false,
    warnings,
  };
}

function emptyConfig(): RunRequest["config"] {
  return {
    script: "",
    cli: {},
    scriptEnv: {},
    includeSystemEnvVars: true,
    summaryMode: "compact",
    quiet: false,
    colors: false,
    compatibilityMode: "extended",
  };
}

// --instance [I/]N and --start-at TIME (issue 11: split runs on Kubernetes).
function instanceOverrides(
  values: Values,
  env: Readonly<Record<string, string>>,
): CliOverrides {
  if (values.instance === undefined) return {};
  if (
    values["execution-segment"] !== undefined ||
    values["execution-segment-sequence"] !== undefined
  ) {
    throw new UsageError(
      "--instance sets the execution segment and its sequence: give either --instance or --execution-segment(-sequence), not both",
    );
  }
  try {
    const share = instanceShare(values.instance, env);
    return {
      executionSegment: share.executionSegment,
      executionSegmentSequence: share.executionSegmentSequence,
    };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function startAtOf(text: string | undefined): number | undefined {
  try {
    return text === undefined ? undefined : parseStartAt(text);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
