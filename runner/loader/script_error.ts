/**
 * The error of a script that cannot load.
 *
 * @module
 */

/**
 * A script that failed to load: a syntax error, a missing file, an import
 * wsload cannot resolve. Its message is what the user sees, with the user's
 * file, line and column; `wsload run` exits with k6's code for script
 * errors.
 *
 * @example Recognise a load failure
 * ```ts
 * import { ScriptError } from "./script_error.ts";
 * import assert from "node:assert/strict";
 *
 * const error = new ScriptError("cannot read script 'x.js'");
 * assert.equal(error.exitCode, 107);
 * ```
 */
export class ScriptError extends Error {
  /** k6's exit code for script errors. */
  readonly exitCode = 107;

  /**
   * Creates the error.
   *
   * @param message What went wrong.
   * @param options The cause.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ScriptError";
  }
}
