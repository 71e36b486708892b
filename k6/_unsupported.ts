/**
 * How a k6 function that wsload does not provide stops a test.
 *
 * @module
 */
import { TestAbortError } from "./_abort.ts";
import { executionState } from "./_state.ts";

/**
 * Stops the test with a script error (k6's exit code 107) saying which
 * function is missing, then throws to unwind the calling code. Outside
 * `wsload run` it just throws.
 *
 * @param message What is not supported.
 * @returns Never.
 * @throws {TestAbortError} Under `wsload run`, after stopping the test.
 * @throws {Error} Elsewhere, with the message.
 *
 * @example Outside a run it throws the message
 * ```ts
 * import { stopForUnsupported } from "./_unsupported.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => stopForUnsupported("k6/x's 'y' is not supported by wsload"), /'y' is not supported/);
 * ```
 */
export function stopForUnsupported(message: string): never {
  const state = executionState();
  if (state === undefined) throw new Error(message);
  state.test.stopWithScriptError(message);
  throw new TestAbortError(message);
}
