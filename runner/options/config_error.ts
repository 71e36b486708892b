/**
 * The error of an invalid configuration: bad option values, conflicting
 * execution options, invalid scenarios. `wsload run` exits with its
 * {@link ConfigError.exitCode} (k6's 104, `InvalidConfig`).
 *
 * @module
 */

/** k6's exit code for an invalid configuration (`exitcodes.InvalidConfig`). */
export const INVALID_CONFIG_EXIT_CODE = 104;

/**
 * An invalid configuration. The message is k6's text where k6 has one.
 *
 * @example Tell a configuration error from others
 * ```ts
 * import { ConfigError } from "./config_error.ts";
 * import assert from "node:assert/strict";
 *
 * const error = new ConfigError("the number of VUs must be more than 0");
 * assert.equal(error.exitCode, 104);
 * assert.ok(error instanceof Error);
 * ```
 */
export class ConfigError extends Error {
  /** The process exit code for this error: always 104. */
  readonly exitCode: number = INVALID_CONFIG_EXIT_CODE;

  /**
   * Creates the error.
   *
   * @param message What is wrong.
   * @param options The standard error options (`cause`).
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ConfigError";
  }
}
