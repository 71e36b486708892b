/**
 * The default export of `k6/websockets`: one object holding both
 * constructors, so `import ws from "k6/websockets"; new ws.WebSocket(url)`
 * works as in k6.
 *
 * @module
 */
import { Blob } from "./blob.ts";
import { WebSocket } from "./websocket.ts";

/** The module's constructors, as k6's default export object. */
export interface WebSocketsModule {
  /** The {@link WebSocket} constructor. */
  readonly WebSocket: typeof WebSocket;
  /** The {@link Blob} constructor. */
  readonly Blob: typeof Blob;
}

/**
 * `{ WebSocket, Blob }`.
 *
 * @example Use the default export like k6's
 * ```ts
 * import websockets from "./_default.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new websockets.Blob(["k6"]).size, 2);
 * ```
 */
const websockets: WebSocketsModule = Object.freeze({ WebSocket, Blob });

export default websockets;
