/**
 * The `k6/websockets` module of a script run by `wsload run`: wsload's
 * standard WebSocket module (`WebSocket`, `Blob`), as named exports and as
 * the default export object (`import ws from "k6/websockets"`).
 *
 * @example Open a socket, then close it once open
 * ```ts
 * import { WebSocket } from "./websockets.ts";
 * import { WebSocketServer } from "ws";
 * import assert from "node:assert/strict";
 *
 * const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
 * await new Promise((resolve) => server.once("listening", resolve));
 * const { port } = server.address() as { port: number };
 *
 * const socket = new WebSocket(`ws://127.0.0.1:${port}/`);
 * socket.onopen = () => socket.close();
 * const code = await new Promise((resolve) => {
 *   socket.onclose = (event) => resolve(event.code);
 * });
 * assert.equal(code, 1000);
 * await new Promise((resolve) => server.close(resolve));
 * ```
 *
 * @module
 */
export * from "../websockets/mod.ts";
export { default } from "../websockets/mod.ts";
