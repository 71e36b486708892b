/**
 * The up-front check of a run's sockets against the process's limit on
 * open files: every VU holds at least one socket while it connects, and a
 * socket is a file descriptor. Without the check, a run over the limit
 * spends its setup initialising VUs whose dials then all fail with
 * "too many open files".
 *
 * @module
 */

/**
 * Descriptors a run needs besides its sockets: stdio, output files, the
 * runtime's own (event loop, timers, worker pipes), with room to spare.
 */
export const RESERVED_DESCRIPTORS = 64;

/**
 * The warning for a run whose VUs may need more sockets than the process
 * may open.
 *
 * @param maxVUs The most VUs the plan runs at once.
 * @param limit The process's open-file limit, when known.
 * @returns The warning, or `undefined` when the VUs fit (or the limit is
 * unknown).
 *
 * @example A run of 50,000 VUs under a limit of 1,024
 * ```ts
 * import { openFilesWarning } from "./_open_files.ts";
 * import assert from "node:assert/strict";
 *
 * assert.match(openFilesWarning(50_000, 1024)!, /^this test runs up to 50000 VUs/);
 * assert.equal(openFilesWarning(900, 1024), undefined);
 * ```
 */
export function openFilesWarning(
  maxVUs: number,
  limit: number | undefined,
): string | undefined {
  if (limit === undefined || maxVUs + RESERVED_DESCRIPTORS <= limit) {
    return undefined;
  }
  return `this test runs up to ${maxVUs} VUs, each with at least one socket, ` +
    `but this process may open only ${limit} files (sockets included; the ` +
    `runtime already raised its soft limit to the hard one): sockets beyond ` +
    `about ${
      Math.max(0, limit - RESERVED_DESCRIPTORS)
    } will fail with "too many open files". ` +
    `Raise the hard limit (ulimit -n as root, LimitNOFILE= for systemd, ` +
    `--ulimit nofile= for Docker) or split the test across processes ` +
    `with --execution-segment`;
}
