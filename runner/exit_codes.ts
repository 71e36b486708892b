/**
 * k6's process exit codes (errext/exitcodes), which CI pipelines check.
 *
 * @module
 */

/** k6's exit codes by meaning. */
export const ExitCode = Object.freeze(
  {
    /** Success. */
    ok: 0,
    /** A threshold was crossed (at the end, or abortOnFail). */
    thresholdsFailed: 99,
    /** `setup()` timed out. */
    setupTimeout: 100,
    /** `teardown()` timed out. */
    teardownTimeout: 101,
    /** Invalid configuration, options or thresholds. */
    invalidConfig: 104,
    /** Interrupted by a signal (Ctrl+C, SIGTERM). */
    externalAbort: 105,
    /** A script error in init or setup. */
    scriptException: 107,
    /** `exec.test.abort()`. */
    scriptAborted: 108,
    /** `exec.test.fail()`. */
    markedAsFailed: 110,
    /** Any other error. */
    generic: 255,
  } as const,
);
