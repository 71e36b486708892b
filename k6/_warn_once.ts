/**
 * Warnings that a test shows once, however many VUs trigger them.
 *
 * @module
 */
import { executionState } from "../internal/execution_state.ts";

const warnedWithoutRunner = new Set<string>();

/**
 * Warns once per test under `wsload run` (through the run's
 * `ExecutionState.warnOnce`), once per process outside it (`console.warn`).
 *
 * @param key What makes two warnings the same.
 * @param message The warning text.
 *
 * @example Warn about a deprecated import
 * ```ts
 * import { warnOnce } from "./_warn_once.ts";
 *
 * warnOnce("example", "this feature is deprecated");
 * warnOnce("example", "this feature is deprecated"); // silent
 * ```
 */
export function warnOnce(key: string, message: string): void {
  const state = executionState();
  if (state) {
    state.warnOnce(key, message);
  } else if (!warnedWithoutRunner.has(key)) {
    warnedWithoutRunner.add(key);
    console.warn(message);
  }
}
