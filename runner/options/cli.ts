/**
 * Options from `wsload run` flags (the highest configuration tier).
 *
 * The CLI parses its arguments (e.g. with `node:util` `parseArgs`) and hands
 * the values over as a {@link CliOverrides} object: a key is present only
 * when the user passed the flag (no defaults: a default would count as
 * "set" and override the script). Values stay text; they are parsed here
 * with k6's rules and error texts.
 *
 * | flag | key | value |
 * |---|---|---|
 * | `-u, --vus` | `vus` | integer text |
 * | `-d, --duration` | `duration` | Go duration (`30s`; a unit is required) |
 * | `-i, --iterations` | `iterations` | integer text |
 * | `-s, --stage` (repeatable) | `stage` | `duration:target`, each may be a comma list |
 * | `--execution-segment` | `executionSegment` | `1/3:2/3`, `25%`, ... |
 * | `--execution-segment-sequence` | `executionSegmentSequence` | `0,1/3,2/3,1` |
 * | `-p, --paused`, `--no-setup`, `--no-teardown`, `--insecure-skip-tls-verify`, `-w, --throw`, `--no-thresholds`, `-l, --linger`, `--discard-response-bodies`, `--no-connection-reuse`, `--no-vu-connection-reuse` | `paused`, `noSetup`, ... | boolean |
 * | `--min-iteration-duration` | `minIterationDuration` | Go duration |
 * | `--user-agent` | `userAgent` | text |
 * | `--summary-trend-stats` | `summaryTrendStats` | comma list |
 * | `--summary-time-unit` | `summaryTimeUnit` | `s`, `ms` or `us` |
 * | `--system-tags` | `systemTags` | comma list |
 * | `--tag` (repeatable) | `tag` | `name=value` |
 * | `--console-output` | `consoleOutput` | file |
 * | `-o, --out` (repeatable) | `out` | `type[=arg]` |
 *
 * @module
 */
import { ConfigError } from "./config_error.ts";
import { parseGoDuration } from "./duration.ts";
import {
  ExecutionSegment,
  ExecutionSegmentSequence,
} from "./execution_segment.ts";
import { dropUndefined, type Options, toSystemTagSet } from "./options.ts";
import { parseInt64, parseStageText, splitList } from "./_text_values.ts";

/** Flag values as the CLI parsed them; absent keys mean "flag not given". */
export interface CliOverrides {
  /** `-u, --vus N`. */
  readonly vus?: string | number;
  /** `-d, --duration D` (Go syntax: `30s`, `1m30s`; a unit is required). */
  readonly duration?: string;
  /** `-i, --iterations N`. */
  readonly iterations?: string | number;
  /** `-s, --stage D:T`, repeatable; each value may hold a comma list. */
  readonly stage?: string | readonly string[];
  /** `--execution-segment`. */
  readonly executionSegment?: string;
  /** `--execution-segment-sequence`. */
  readonly executionSegmentSequence?: string;
  /** `-p, --paused`. */
  readonly paused?: boolean;
  /** `--no-setup`. */
  readonly noSetup?: boolean;
  /** `--no-teardown`. */
  readonly noTeardown?: boolean;
  /** `--user-agent`. */
  readonly userAgent?: string;
  /** `--insecure-skip-tls-verify`. */
  readonly insecureSkipTLSVerify?: boolean;
  /** `-w, --throw`. */
  readonly throw?: boolean;
  /** `--min-iteration-duration D` (Go syntax). */
  readonly minIterationDuration?: string;
  /** `--summary-trend-stats avg,p(95)`. */
  readonly summaryTrendStats?: string;
  /** `--summary-time-unit s|ms|us`. */
  readonly summaryTimeUnit?: string;
  /** `--system-tags a,b` (`""` enables none). */
  readonly systemTags?: string;
  /** `--tag name=value`, repeatable. */
  readonly tag?: string | readonly string[];
  /** `--console-output FILE`. */
  readonly consoleOutput?: string;
  /** `--no-thresholds`. */
  readonly noThresholds?: boolean;
  /** `-o, --out TYPE[=ARG]`, repeatable. */
  readonly out?: string | readonly string[];
  /** `-l, --linger`. */
  readonly linger?: boolean;
  /** `--discard-response-bodies`. */
  readonly discardResponseBodies?: boolean;
  /** `--no-connection-reuse`. */
  readonly noConnectionReuse?: boolean;
  /** `--no-vu-connection-reuse`. */
  readonly noVUConnectionReuse?: boolean;
  /** `--max-redirects N`. */
  readonly maxRedirects?: string | number;
  /** `--batch N`. */
  readonly batch?: string | number;
  /** `--batch-per-host N`. */
  readonly batchPerHost?: string | number;
  /** `--workers N` (wsload's own). */
  readonly workers?: string | number;
}

function list(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === "string" ? [value] : [...value];
}

function flagError(value: unknown, flag: string, error: unknown): ConfigError {
  return new ConfigError(
    `invalid argument ${JSON.stringify(String(value))} for "${flag}" flag: ${
      (error as Error).message
    }`,
    { cause: error },
  );
}

function parseFlag<T>(
  value: string | number | undefined,
  flag: string,
  parse: (text: string) => T,
): T | undefined {
  if (value === undefined) return undefined;
  try {
    return parse(String(value));
  } catch (error) {
    throw flagError(value, flag, error);
  }
}

function parseTag(text: string): [string, string] {
  if (text === "") throw new Error("invalid tag, empty string");
  const index = text.indexOf("=");
  if (index === 0) throw new Error("invalid tag, empty name");
  if (index < 0 || index === text.length - 1) {
    throw new Error("invalid tag, empty value");
  }
  return [text.slice(0, index), text.slice(index + 1)];
}

/**
 * Reads the options set by CLI flags.
 *
 * @param cli The flag values.
 * @returns The options of the CLI tier.
 * @throws {ConfigError} For a malformed value, with k6's text, e.g.
 * `invalid argument "1000" for "-d, --duration" flag: missing unit in
 * duration "1000"`, `error for stage 0: ...`, `error parsing tag 'x':
 * invalid tag, empty value`.
 *
 * @example Flags to options
 * ```ts
 * import { optionsFromCli } from "./cli.ts";
 * import assert from "node:assert/strict";
 *
 * const options = optionsFromCli({ vus: "10", duration: "30s" });
 * assert.equal(options.vus, 10);
 * assert.equal(options.duration, 30_000);
 * ```
 */
export function optionsFromCli(cli: CliOverrides): Options {
  let stages: Options["stages"];
  if (cli.stage !== undefined) {
    stages = Object.freeze(
      list(cli.stage).flatMap(splitList).map((text, index) => {
        let stage;
        try {
          stage = parseStageText(text);
        } catch (error) {
          throw new ConfigError(
            `error for stage ${index}: ${(error as Error).message}`,
            { cause: error },
          );
        }
        if (stage.duration === undefined) {
          throw new ConfigError(
            `stage ${index} doesn't have a specified duration`,
          );
        }
        return stage;
      }),
    );
  }
  let tags: Record<string, string> | undefined;
  for (const text of list(cli.tag)) {
    let pair: [string, string];
    try {
      pair = parseTag(text);
    } catch (error) {
      throw new ConfigError(
        `error parsing tag '${text}': ${(error as Error).message}`,
        { cause: error },
      );
    }
    tags ??= {};
    tags[pair[0]] = pair[1];
  }
  const out = list(cli.out);
  return dropUndefined({
    vus: parseFlag(cli.vus, "-u, --vus", parseInt64),
    duration: parseFlag(cli.duration, "-d, --duration", parseGoDuration),
    iterations: parseFlag(cli.iterations, "-i, --iterations", parseInt64),
    stages,
    executionSegment: parseFlag(
      cli.executionSegment,
      "--execution-segment",
      ExecutionSegment.parse,
    ),
    executionSegmentSequence: parseFlag(
      cli.executionSegmentSequence,
      "--execution-segment-sequence",
      ExecutionSegmentSequence.parse,
    ),
    paused: cli.paused,
    noSetup: cli.noSetup,
    noTeardown: cli.noTeardown,
    userAgent: cli.userAgent,
    insecureSkipTLSVerify: cli.insecureSkipTLSVerify,
    throw: cli.throw,
    minIterationDuration: parseFlag(
      cli.minIterationDuration,
      "--min-iteration-duration",
      parseGoDuration,
    ),
    summaryTrendStats: cli.summaryTrendStats === undefined
      ? undefined
      : Object.freeze(splitList(cli.summaryTrendStats)),
    summaryTimeUnit: cli.summaryTimeUnit || undefined,
    systemTags: cli.systemTags === undefined
      ? undefined
      : toSystemTagSet(splitList(cli.systemTags)),
    tags: tags && Object.freeze(tags),
    consoleOutput: cli.consoleOutput || undefined,
    noThresholds: cli.noThresholds,
    out: out.length > 0 ? Object.freeze(out) : undefined,
    linger: cli.linger,
    discardResponseBodies: cli.discardResponseBodies,
    noConnectionReuse: cli.noConnectionReuse,
    noVUConnectionReuse: cli.noVUConnectionReuse,
    maxRedirects: parseFlag(cli.maxRedirects, "--max-redirects", parseInt64),
    batch: parseFlag(cli.batch, "--batch", parseInt64),
    batchPerHost: parseFlag(cli.batchPerHost, "--batch-per-host", parseInt64),
    workers: parseFlag(cli.workers, "--workers", parseInt64),
  });
}
