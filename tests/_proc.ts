/**
 * What Linux's `/proc` says about a process: resident memory and open file
 * descriptors, for the suites that bound them. Elsewhere the readings are
 * `undefined` and those suites skip, saying why.
 *
 * @module
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";

/** Why `/proc`-based tests cannot run here, or `false` when they can. */
export const NO_PROC: string | false = existsSync("/proc/self/status")
  ? false
  : "needs Linux's /proc to read a process's memory and descriptors";

/**
 * A process's resident set size.
 *
 * @param pid The process.
 * @returns MiB, or `undefined` when it is gone.
 */
export function rssMiB(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
    return match === null ? undefined : Number(match[1]) / 1024;
  } catch {
    return undefined;
  }
}

/**
 * How many file descriptors a process has open.
 *
 * @param pid The process.
 * @returns The count, or `undefined` when it is gone.
 */
export function openFds(pid: number): number | undefined {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return undefined;
  }
}

/**
 * Samples `read` every `everyMs` until `stop` resolves.
 *
 * @returns The largest value seen (`-Infinity` when none).
 */
export async function peakWhile(
  read: () => number | undefined,
  stop: Promise<unknown>,
  everyMs = 50,
): Promise<number> {
  let peak = -Infinity;
  let done = false;
  stop.then(() => done = true, () => done = true);
  while (!done) {
    const value = read();
    if (value !== undefined && value > peak) peak = value;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  const last = read();
  return last !== undefined && last > peak ? last : peak;
}
