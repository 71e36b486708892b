/**
 * The connection layer under both k6 modules: the {@link Transport}
 * interface, the rule that picks an adapter for a socket, and gorilla's
 * error texts.
 *
 * @example Pick and load a transport
 * ```ts
 * import { loadTransport, selectTransport } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const name = selectTransport({
 *   needsControlFrames: true,
 *   compression: false,
 *   tls: false,
 *   needsResponse: false,
 * });
 * assert.equal(name, "ws");
 * assert.equal((await loadTransport(name)).name, "ws");
 * ```
 *
 * @module
 */
export * from "./transport.ts";
export * from "./close_text.ts";
export * from "./select.ts";
