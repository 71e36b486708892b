/**
 * The deprecation warning of `k6/experimental/websockets`.
 *
 * @module
 */
import { warnOnce } from "./_warn_once.ts";

/** k6's warning text for the deprecated import path. */
export const EXPERIMENTAL_WEBSOCKETS_WARNING: string =
  "k6/experimental/websockets is deprecated and will be removed in a future release. Please use k6/websockets instead.";

/**
 * Warns, once per test, that `k6/experimental/websockets` is deprecated.
 *
 * @example Warn
 * ```ts
 * import { warnExperimentalWebsockets } from "./_experimental_warning.ts";
 *
 * warnExperimentalWebsockets();
 * ```
 */
export function warnExperimentalWebsockets(): void {
  warnOnce("k6/experimental/websockets", EXPERIMENTAL_WEBSOCKETS_WARNING);
}
