/**
 * How many files (sockets included) this process may open: the soft
 * `RLIMIT_NOFILE`, read from Linux's `/proc`. Deno and Node both raise the
 * soft limit to the hard one when they start (neither lets a program call
 * `setrlimit`), so this is the most a run can get without `ulimit -n`.
 *
 * @module
 */
import { readFileSync } from "node:fs";

/**
 * This process's limit on open files (the soft `ulimit -n`, which its
 * children inherit).
 *
 * @returns The limit; `Infinity` for "unlimited"; `undefined` where
 * `/proc` cannot tell (not Linux).
 *
 * @example
 * ```ts
 * import { openFileLimit } from "./open_file_limit.ts";
 *
 * console.log(`ulimit -n: ${openFileLimit() ?? "unknown"}`);
 * ```
 */
export function openFileLimit(): number | undefined {
  try {
    const limits = readFileSync("/proc/self/limits", "utf8");
    const soft = /^Max open files\s+(\S+)/m.exec(limits)?.[1];
    if (soft === undefined) return undefined;
    return soft === "unlimited" ? Infinity : Number(soft);
  } catch {
    return undefined;
  }
}
