/**
 * Usage errors of the `wsload` commands, and flag parsing that names the
 * closest known flag when one is mistyped.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { didYouMean } from "../runner/suggest.ts";

/** A usage error: unknown flag, missing or bad value (exit 104, as k6). */
export class UsageError extends Error {
  /** The exit code. */
  readonly exitCode: number;

  /**
   * Creates the error.
   *
   * @param message What is wrong.
   * @param exitCode k6's exit code for it (104 unless k6 gives another).
   */
  constructor(message: string, exitCode = 104) {
    super(message);
    this.name = "UsageError";
    this.exitCode = exitCode;
  }
}

type Options = NonNullable<ParseArgsConfig["options"]>;

function flagNames(options: Options): string[] {
  const names: string[] = [];
  for (const [name, option] of Object.entries(options)) {
    names.push(`--${name}`);
    if (option.short !== undefined) names.push(`-${option.short}`);
  }
  return names;
}

/**
 * Parses a command's flags strictly; an unknown flag becomes a one-line
 * {@link UsageError} with the closest known flag (`unknown flag --vu (did
 * you mean --vus?); see 'wsload run --help'`).
 *
 * @param args The arguments after the command.
 * @param options The command's flags (`node:util` parseArgs form).
 * @param command The command's name, for the help hint.
 * @returns parseArgs's result, positionals allowed.
 * @throws {UsageError} For an unknown flag or a flag without its value.
 */
export function parseFlags<T extends Options>(
  args: readonly string[],
  options: T,
  command: string,
): ReturnType<
  typeof parseArgs<{ options: T; allowPositionals: true; strict: true }>
> {
  try {
    return parseArgs({
      args: [...args],
      options,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const hint = `see 'wsload ${command} --help'`;
    const code = (error as { code?: string }).code;
    const unknown = /Unknown option '([^']+)'/.exec((error as Error).message);
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && unknown) {
      const flag = unknown[1].split("=")[0];
      throw new UsageError(
        `unknown flag ${flag}${
          flag.startsWith("--") ? didYouMean(flag, flagNames(options)) : ""
        }; ${hint}`,
      );
    }
    const missing = /Option '([^']+)' argument missing/.exec(
      (error as Error).message,
    );
    if (missing) {
      throw new UsageError(`flag ${missing[1]} needs a value; ${hint}`);
    }
    throw new UsageError(`${(error as Error).message}; ${hint}`);
  }
}
