/**
 * `wsload merge`: its flags (parsed with `node:util` parseArgs, k6's names
 * where k6 has the setting) and its help.
 *
 * @module
 */
import type { ParseArgsConfig } from "node:util";
import { type MergeConfig, mergeRun } from "../runner/state/merge_run.ts";
import type { CliIO } from "./process.ts";
import { parseTrendStats } from "../runner/engine/mod.ts";
import { parseEnv } from "./run_flags.ts";
import { parseFlags, UsageError } from "./usage.ts";

const MERGE_OPTIONS = {
  script: { type: "string" },
  "summary-mode": { type: "string" },
  "summary-export": { type: "string" },
  "summary-trend-stats": { type: "string" },
  "summary-time-unit": { type: "string" },
  "no-thresholds": { type: "boolean" },
  "allow-partial": { type: "boolean" },
  env: { type: "string", short: "e", multiple: true },
  quiet: { type: "boolean", short: "q" },
  "no-color": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsConfig["options"];

/** `wsload merge --help`. */
export const MERGE_HELP =
  `Merge the end states of a split test's instances into one result.

Each instance (a pod of a Kubernetes Indexed Job, a process on another
machine) runs its share with --instance I/N (or --execution-segment) and
writes its state with --out state=FILE, or --out state=- to its log. merge
checks the states are of one test, combines them (counts and rates exactly,
percentiles within the trend sketches' 1%), evaluates the thresholds on the
merged data, prints k6's end-of-test summary (or the script's
handleSummary()), and exits with k6's code: 99 when a threshold fails.

Usage:
  wsload merge [flags] <state-or-log>...      (- reads stdin)

Examples:
  wsload merge state-0.json state-1.json state-2.json state-3.json
  kubectl logs -l job-name=wsload --tail=-1 | wsload merge --script test.js -

Flags:
      --script FILE              call this script's handleSummary(data) with the merged data
      --summary-mode MODE        compact (default), full (instances run with full), legacy or disabled
      --summary-export FILE      write the end-of-test summary as JSON
      --summary-trend-stats LIST trend columns (default: the instances')
      --summary-time-unit UNIT   s, ms or us (default: the instances')
      --no-thresholds            don't evaluate thresholds
      --allow-partial            merge states that do not cover the whole test
  -e, --env NAME=VALUE           add a variable to __ENV of handleSummary (repeatable)
  -q, --quiet                    no line about what was merged
      --no-color                 no colours (also NO_COLOR)
  -h, --help                     this help
`;

const SUMMARY_MODES = ["compact", "full", "legacy", "disabled"];
const TIME_UNITS = ["s", "ms", "us"];

/**
 * Parses `wsload merge`'s arguments (with `K6_SUMMARY_MODE`,
 * `K6_SUMMARY_EXPORT`, `NO_COLOR`, `K6_NO_COLOR` as `wsload run` reads them).
 *
 * @param args The arguments after `merge`.
 * @param env The process environment.
 * @returns The merge configuration, or `undefined` for `--help`.
 * @throws {UsageError} For an unknown flag, no state file, or a bad value.
 */
export function parseMergeArgs(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): MergeConfig | undefined {
  const { values, positionals } = parseFlags(args, MERGE_OPTIONS, "merge");
  if (values.help) return undefined;
  if (positionals.length === 0) {
    throw new UsageError(
      "the merge command needs the instances' states: wsload merge [flags] <state-or-log>... (- reads stdin)",
    );
  }
  const summaryMode = values["summary-mode"] ?? env.K6_SUMMARY_MODE ??
    "compact";
  if (!SUMMARY_MODES.includes(summaryMode)) {
    throw new UsageError(
      `invalid argument "${summaryMode}" for "--summary-mode" flag: expected one of ${
        SUMMARY_MODES.join(", ")
      }`,
    );
  }
  const trendStats = values["summary-trend-stats"]?.split(",").map((stat) =>
    stat.trim()
  );
  try {
    if (trendStats !== undefined) parseTrendStats(trendStats);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const timeUnit = values["summary-time-unit"];
  if (timeUnit !== undefined && !TIME_UNITS.includes(timeUnit)) {
    throw new UsageError(
      `invalid argument "${timeUnit}" for "--summary-time-unit" flag: expected one of ${
        TIME_UNITS.join(", ")
      }`,
    );
  }
  return {
    files: positionals,
    script: values.script,
    summaryMode: summaryMode as MergeConfig["summaryMode"],
    summaryExport: values["summary-export"] ?? env.K6_SUMMARY_EXPORT,
    summaryTrendStats: trendStats,
    summaryTimeUnit: timeUnit,
    noThresholds: values["no-thresholds"] ?? false,
    allowPartial: values["allow-partial"] ?? false,
    colors: !(values["no-color"] ?? false) && env.NO_COLOR === undefined &&
      (env.K6_NO_COLOR ?? "") === "",
    quiet: values.quiet ?? false,
    env,
    scriptEnv: parseEnv(values.env),
  };
}

/**
 * Runs `wsload merge`.
 *
 * @param args The arguments after `merge`.
 * @param io The process.
 * @returns The exit code.
 */
export async function runMerge(
  args: readonly string[],
  io: CliIO,
): Promise<number> {
  const config = parseMergeArgs(args, io.env);
  if (config === undefined) {
    io.stdout(MERGE_HELP);
    return 0;
  }
  return await mergeRun(config, io);
}
