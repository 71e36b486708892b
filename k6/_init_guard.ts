/**
 * k6's rule that some calls are not allowed while the init code runs.
 *
 * @module
 */
import { executionState } from "../internal/execution_state.ts";

/**
 * Throws k6's init-context error when called while `wsload run` executes
 * the script's init code (outside `wsload run` nothing is forbidden).
 *
 * @param message k6's text, e.g. `Using check() in the init context is not
 * supported`.
 * @throws {Error} With `message`, in the init stage.
 *
 * @example Guard a VU-only function
 * ```ts
 * import { forbidInInitStage } from "./_init_guard.ts";
 *
 * forbidInInitStage("Using check() in the init context is not supported");
 * ```
 */
export function forbidInInitStage(message: string): void {
  if (executionState()?.stage === "init") throw new Error(message);
}
