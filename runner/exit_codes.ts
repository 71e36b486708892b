/**
 * k6's process exit codes (errext/exitcodes), which CI pipelines check.
 *
 * @module
 */

/** The exit codes by meaning. */
export interface ExitCodes {
  /** Success. */
  readonly ok: 0;
  /** A threshold was crossed (at the end, or abortOnFail). */
  readonly thresholdsFailed: 99;
  /** `setup()` timed out. */
  readonly setupTimeout: 100;
  /** `teardown()` timed out. */
  readonly teardownTimeout: 101;
  /** Invalid configuration, options, thresholds or flags. */
  readonly invalidConfig: 104;
  /** Interrupted by a signal (Ctrl+C, SIGTERM). */
  readonly externalAbort: 105;
  /** A script error in init or setup. */
  readonly scriptException: 107;
  /** `exec.test.abort()`. */
  readonly scriptAborted: 108;
  /** `exec.test.fail()`. */
  readonly markedAsFailed: 110;
  /** Any other error. */
  readonly generic: 255;
}

/** k6's exit codes. */
export const ExitCode: ExitCodes = Object.freeze({
  ok: 0,
  thresholdsFailed: 99,
  setupTimeout: 100,
  teardownTimeout: 101,
  invalidConfig: 104,
  externalAbort: 105,
  scriptException: 107,
  scriptAborted: 108,
  markedAsFailed: 110,
  generic: 255,
});
