/**
 * The `k6/experimental/websockets` module of a script run by `wsload run`:
 * the same as `k6/websockets`; importing it warns once per test, with
 * k6's text, that the path is deprecated.
 *
 * @example The same constructors as k6/websockets
 * ```ts
 * import experimental from "./experimental_websockets.ts";
 * import websockets from "./websockets.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(experimental.WebSocket, websockets.WebSocket);
 * ```
 *
 * @module
 */
import websockets from "./websockets.ts";
import { warnExperimentalWebsockets } from "./_experimental_warning.ts";

export * from "./websockets.ts";
export default websockets;

warnExperimentalWebsockets();
