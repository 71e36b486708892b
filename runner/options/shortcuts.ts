/**
 * Turning the shortcut options (`vus`, `duration`, `iterations`, `stages`)
 * into a `default` scenario, with k6's rules, in this order:
 *
 * 1. `iterations` → `shared-iterations` (`vus`, `iterations`; `duration`
 *    becomes `maxDuration`);
 * 2. `duration` → `constant-vus` (`vus` for `duration`; it must be > 0);
 * 3. non-empty `stages` → `ramping-vus` (`startVUs` = `vus`);
 * 4. only `vus` → `shared-iterations` with `vus` VUs and `vus` iterations
 *    (this overrides `scenarios`, with a warning; k6 v2.1);
 * 5. `scenarios` → used as they are;
 * 6. nothing → `per-vu-iterations`, 1 VU, 1 iteration.
 *
 * Two execution options from the same tier conflict (k6 keeps both when
 * merging tiers so that this step can report it).
 *
 * @module
 */
import type { Logger } from "../../context/context.ts";
import { ConfigError } from "./config_error.ts";
import type { Options } from "./options.ts";
import { DEFAULT_SCENARIO_NAME, parseScenario } from "./scenario.ts";

/** Options whose `scenarios` are settled. */
export type OptionsWithScenarios = Options & {
  readonly scenarios: NonNullable<Options["scenarios"]>;
};

function only(raw: Record<string, unknown>): NonNullable<Options["scenarios"]> {
  return Object.freeze({
    [DEFAULT_SCENARIO_NAME]: parseScenario(DEFAULT_SCENARIO_NAME, raw),
  });
}

/**
 * Derives the scenarios from the shortcut options (k6's
 * `DeriveScenariosFromShortcuts`).
 *
 * @param options The consolidated options of all tiers.
 * @param logger Receives k6's warnings (`vus=N` overriding scenarios,
 * explicitly empty `stages` or `scenarios`).
 * @returns The options with `scenarios` set.
 * @throws {ConfigError} For conflicting execution options, with k6's
 * texts: ``using `iterations` and `stages` options simultaneously is not
 * allowed`` (also `iterations`+`scenarios`, `duration`+`stages`,
 * `duration`+`scenarios`, `stages`+`scenarios`), and ``\`duration\` option
 * should be more than 0, for infinite duration use the
 * externally-controlled executor``.
 *
 * @example `--vus 10 --duration 30s` makes a constant-vus scenario
 * ```ts
 * import { deriveScenariosFromShortcuts } from "./shortcuts.ts";
 * import assert from "node:assert/strict";
 *
 * const options = deriveScenariosFromShortcuts({ vus: 10, duration: 30_000 });
 * assert.equal(options.scenarios.default.executor, "constant-vus");
 * ```
 */
export function deriveScenariosFromShortcuts(
  options: Options,
  logger?: Pick<Logger, "warn">,
): OptionsWithScenarios {
  const { vus, duration, iterations, stages, scenarios } = options;
  const conflict = (a: string, b: string) =>
    new ConfigError(
      `using \`${a}\` and \`${b}\` options simultaneously is not allowed`,
    );
  if (iterations !== undefined) {
    if (stages && stages.length > 0) throw conflict("iterations", "stages");
    if (scenarios) throw conflict("iterations", "scenarios");
    return {
      ...options,
      scenarios: only({
        executor: "shared-iterations",
        vus,
        iterations,
        maxDuration: duration,
      }),
    };
  }
  if (duration !== undefined) {
    if (stages && stages.length > 0) throw conflict("duration", "stages");
    if (scenarios) throw conflict("duration", "scenarios");
    if (duration <= 0) {
      throw new ConfigError(
        "`duration` option should be more than 0, for infinite duration use the externally-controlled executor",
      );
    }
    return {
      ...options,
      scenarios: only({ executor: "constant-vus", vus, duration }),
    };
  }
  if (stages && stages.length > 0) {
    if (scenarios) throw conflict("stages", "scenarios");
    return {
      ...options,
      scenarios: only({
        executor: "ramping-vus",
        startVUs: vus,
        stages: stages.filter((stage) => stage.duration !== undefined),
      }),
    };
  }
  if (vus !== undefined && stages === undefined) {
    if (scenarios) {
      logger?.warn(`\`vus=${vus}\` overrides scenarios configuration`);
    }
    return {
      ...options,
      iterations: vus,
      scenarios: only({ executor: "shared-iterations", vus, iterations: vus }),
    };
  }
  if (scenarios && Object.keys(scenarios).length > 0) {
    return options as OptionsWithScenarios;
  }
  if (stages) {
    logger?.warn(
      "`stages` was explicitly set to an empty value, running the script with 1 iteration in 1 VU",
    );
  }
  if (scenarios) {
    logger?.warn(
      "`scenarios` was explicitly set to an empty value, running the script with 1 iteration in 1 VU",
    );
  }
  return { ...options, scenarios: only({ executor: "per-vu-iterations" }) };
}
