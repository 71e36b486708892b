/**
 * A run's exit code and its stop signal, with k6's rules for which reason
 * wins: the first abort sets the code (unless an earlier failure did), a
 * failed file write or `exec.test.fail()` only when nothing else failed.
 *
 * @module
 */
import { ExitCode } from "./exit_codes.ts";

/**
 * The exit code and abort of one run.
 *
 * @example The first abort wins
 * ```ts
 * import { RunStatus } from "./run_status.ts";
 * import { ExitCode } from "./exit_codes.ts";
 * import assert from "node:assert/strict";
 *
 * const status = new RunStatus();
 * status.abort(ExitCode.externalAbort, "interrupted");
 * status.abort(ExitCode.thresholdsFailed, "thresholds crossed");
 * assert.equal(status.exitCode, ExitCode.externalAbort);
 * assert.ok(status.signal.aborted);
 * ```
 */
export class RunStatus {
  #exitCode: number = ExitCode.ok;
  readonly #abort = new AbortController();

  /** The exit code so far. */
  get exitCode(): number {
    return this.#exitCode;
  }

  /** Aborted when the test must stop (Ctrl+C, an abort, a crash). */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /**
   * Stops the test with a code (the first stop wins; it replaces only
   * `ok` and `exec.test.fail()`'s code).
   *
   * @param code The exit code.
   * @param reason Why.
   */
  abort(code: number, reason: string): void {
    if (this.#abort.signal.aborted) return;
    if (
      this.#exitCode === ExitCode.ok ||
      this.#exitCode === ExitCode.markedAsFailed
    ) {
      this.#exitCode = code;
    }
    this.#abort.abort(new Error(reason));
  }

  /**
   * Sets the code, whatever it was (a failed `setup()` or VU init).
   *
   * @param code The exit code.
   */
  set(code: number): void {
    this.#exitCode = code;
  }

  /**
   * Sets the code when nothing failed the run yet.
   *
   * @param code The exit code.
   */
  failWith(code: number): void {
    if (this.#exitCode === ExitCode.ok) this.#exitCode = code;
  }
}
