/**
 * Consolidation: the final options of a run from k6's five tiers, lowest to
 * highest — defaults, the JSON config file (`--config`), the script's
 * exported `options`, `K6_*` environment variables, CLI flags — followed by
 * the shortcut → scenario derivation and validation.
 *
 * A tier that sets any of `duration`, `iterations`, `stages` or `scenarios`
 * replaces all four from lower tiers; when the lower tiers had `scenarios`,
 * k6 warns `"cli" level configuration overrode scenarios configuration
 * entirely` (`"script"`, `"env"`, `"cli"`). Every problem is a
 * {@link ConfigError} (exit code 104).
 *
 * @module
 */
import type { Logger } from "../../context/context.ts";
import { DEFAULT_SYSTEM_TAGS } from "../../metrics/tags.ts";
import { DEFAULT_TREND_STATS, parseTrendStats } from "../engine/trend_stats.ts";
import { type CliOverrides, optionsFromCli } from "./cli.ts";
import { ConfigError } from "./config_error.ts";
import { optionsFromEnv } from "./env.ts";
import { ExecutionSegment, ExecutionTuple } from "./execution_segment.ts";
import {
  applyOptions,
  type Options,
  parseOptions,
  setsExecution,
} from "./options.ts";
import { scenarioExec, validateScenarios } from "./scenario.ts";
import { deriveScenariosFromShortcuts } from "./shortcuts.ts";
import { validateSummaryTimeUnit } from "./_text_values.ts";

/** k6's default summary trend columns. */
export const DEFAULT_SUMMARY_TREND_STATS: readonly string[] =
  DEFAULT_TREND_STATS;

/** The sources of a run's options. Every field is optional. */
export interface ConsolidationInput {
  /** The parsed JSON of the config file (`--config`), if any. */
  readonly config?: unknown;
  /** The script's exported `options` object, if any. */
  readonly script?: unknown;
  /** The process environment (only `K6_*` variables are read). */
  readonly env?: Readonly<Record<string, string>>;
  /** The CLI flags the user passed. */
  readonly cli?: CliOverrides;
  /**
   * The names of the script's exported functions; when given, every
   * scenario's `exec` must be one of them.
   */
  readonly exports?: readonly string[];
  /** Receives k6's warnings. */
  readonly logger?: Pick<Logger, "warn">;
}

/** The options of a run, with defaults applied and scenarios derived and valid. */
export interface ConsolidatedOptions extends Options {
  /** The scenarios to run (never empty). */
  readonly scenarios: NonNullable<Options["scenarios"]>;
  /** Enabled system tags (default: k6's default set). */
  readonly systemTags: ReadonlySet<string>;
  /** Summary trend columns (default `avg,min,med,max,p(90),p(95)`). */
  readonly summaryTrendStats: readonly string[];
  /** Time limit of `setup()`, ms (default 60 s). */
  readonly setupTimeout: number;
  /** Time limit of `teardown()`, ms (default 60 s). */
  readonly teardownTimeout: number;
  /** Time limit of `handleSummary()`, ms (default 120 s). */
  readonly handleSummaryTimeout: number;
  /** This instance's segment with its sequence: scales the scenarios. */
  readonly executionTuple: ExecutionTuple;
}

function warnOnShortcutOverride(
  lower: Options,
  higher: Options,
  tier: string,
  logger: Pick<Logger, "warn"> | undefined,
): void {
  if (lower.scenarios !== undefined && setsExecution(higher)) {
    logger?.warn(
      `${
        JSON.stringify(tier)
      } level configuration overrode scenarios configuration entirely`,
    );
  }
}

function check(validate: () => void): void {
  try {
    validate();
  } catch (error) {
    throw new ConfigError((error as Error).message, { cause: error });
  }
}

/**
 * Consolidates the options of a run (k6's `getConsolidatedConfig` +
 * `deriveAndValidateConfig`).
 *
 * @param input The config file, script options, environment, CLI flags,
 * the script's exported function names and a logger for warnings.
 * @returns The final options.
 * @throws {ConfigError} For any invalid value, conflicting execution
 * options (k6's texts, see {@link deriveScenariosFromShortcuts}), or
 * validation problems, reported together as `There were problems with the
 * specified script configuration:` followed by one `\t- <problem>` line
 * each, e.g. `\t- scenario a has configuration errors: the number of VUs
 * must be more than 0` or `\t- executor a: function 'x' not found in
 * exports`.
 *
 * @example Env beats script, CLI beats env
 * ```ts
 * import { consolidateOptions } from "./consolidate.ts";
 * import assert from "node:assert/strict";
 *
 * const options = consolidateOptions({
 *   script: { vus: 5, duration: "1m" },
 *   env: { K6_VUS: "10" },
 *   cli: { duration: "30s" },
 * });
 * const scenario = options.scenarios.default;
 * assert.equal(scenario.executor, "constant-vus");
 * assert.equal(options.vus, 10);
 * assert.equal(options.duration, 30_000);
 * ```
 */
export function consolidateOptions(
  input: ConsolidationInput = {},
): ConsolidatedOptions {
  const { logger } = input;
  const cli = optionsFromCli(input.cli ?? {});
  const script = parseOptions(input.script, "script", logger);
  const file = parseOptions(input.config, "config");
  const env = optionsFromEnv(input.env ?? {});

  let merged = applyOptions(cli, file);
  warnOnShortcutOverride(merged, script, "script", logger);
  merged = applyOptions(merged, script);
  warnOnShortcutOverride(merged, env, "env", logger);
  merged = applyOptions(merged, env);
  warnOnShortcutOverride(merged, cli, "cli", logger);
  merged = applyOptions(merged, cli);

  const summaryTrendStats = merged.summaryTrendStats ??
    DEFAULT_SUMMARY_TREND_STATS;
  check(() => parseTrendStats(summaryTrendStats));
  if (merged.summaryTimeUnit !== undefined) {
    const unit = merged.summaryTimeUnit;
    check(() => validateSummaryTimeUnit(unit));
  }

  const derived = deriveScenariosFromShortcuts(merged, logger);

  const problems: string[] = [];
  const segment = derived.executionSegment ?? ExecutionSegment.FULL;
  const sequence = derived.executionSegmentSequence;
  if (sequence && !sequence.segments.some((s) => s.equals(segment))) {
    problems.push(
      `provided segment ${segment} can't be found in sequence ${sequence}`,
    );
  }
  problems.push(...validateScenarios(derived.scenarios));
  if (derived.setupTimeout !== undefined && derived.setupTimeout <= 0) {
    problems.push("setupTimeout must be positive");
  }
  if (derived.workers !== undefined && derived.workers < 1) {
    problems.push(
      `workers must be at least 1 (worker processes), got ${derived.workers}`,
    );
  }
  if (input.exports) {
    for (const config of Object.values(derived.scenarios)) {
      const exec = scenarioExec(config);
      if (!input.exports.includes(exec)) {
        problems.push(
          `executor ${config.name}: function '${exec}' not found in exports`,
        );
      }
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(
      [
        "There were problems with the specified script configuration:",
        ...problems.map((problem) => `\t- ${problem}`),
      ].join("\n"),
    );
  }

  return Object.freeze({
    ...derived,
    systemTags: derived.systemTags ?? DEFAULT_SYSTEM_TAGS,
    summaryTrendStats,
    setupTimeout: derived.setupTimeout ?? 60_000,
    teardownTimeout: derived.teardownTimeout ?? 60_000,
    handleSummaryTimeout: derived.handleSummaryTimeout ?? 120_000,
    executionTuple: ExecutionTuple.create(derived.executionSegment, sequence),
  });
}
