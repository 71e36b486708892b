/**
 * The run's outputs: `--out json=FILE`, `--out csv=FILE` and
 * `--report FILE.html`.
 *
 * @module
 */
import { ConfigError } from "../options/config_error.ts";
import type { Output, OutputContext } from "./output.ts";

export type { Output, OutputContext, RunEnd } from "./output.ts";

/** The `--out` types wsload provides. */
export const OUTPUT_TYPES: readonly string[] = Object.freeze([]);

/**
 * Creates the outputs a run asked for (nothing is opened yet).
 *
 * @param specs The `--out` values (`type[=argument]`), in order.
 * @param report The `--report` file, if any.
 * @param context What the outputs need to know about the run.
 * @returns The outputs.
 * @throws {ConfigError} For an unknown output type or a missing argument.
 */
export function createOutputs(
  specs: readonly string[],
  report: string | undefined,
  context: OutputContext,
): Output[] {
  void context;
  void report;
  for (const spec of specs) {
    const type = spec.split("=", 1)[0];
    throw new ConfigError(
      `invalid output type '${type}', available types are: ${
        OUTPUT_TYPES.join(", ")
      }`,
    );
  }
  return [];
}
