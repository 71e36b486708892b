/**
 * The error that `exec.test.abort()` throws to stop the calling code.
 *
 * @module
 */

/**
 * Thrown by `exec.test.abort()` after it has asked the runner to stop the
 * test. k6 interrupts the VU's JavaScript uncatchably; wsload cannot, so it
 * throws this error: the runner recognises it (`instanceof`) and neither
 * logs it as a script error nor lets it fail the iteration. A script that
 * catches it only delays its own end: the test is stopping anyway.
 *
 * @example Recognise an abort
 * ```ts
 * import { TestAbortError } from "./test_abort.ts";
 * import assert from "node:assert/strict";
 *
 * const error = new TestAbortError("test aborted: no backend");
 * assert.ok(error instanceof TestAbortError);
 * assert.equal(error.message, "test aborted: no backend");
 * ```
 */
export class TestAbortError extends Error {
  /**
   * Creates the error.
   *
   * @param reason k6's reason text: `test aborted` or `test aborted: <message>`.
   */
  constructor(reason: string) {
    super(reason);
    this.name = "TestAbortError";
  }
}
