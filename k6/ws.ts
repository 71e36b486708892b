/**
 * The `k6/ws` module of a script run by `wsload run`: wsload's legacy
 * WebSocket module (`connect()`), as named exports and as the default
 * export object (`import ws from "k6/ws"`).
 *
 * @example Connect, then close once open
 * ```ts
 * import ws from "./ws.ts";
 * import { WebSocketServer } from "ws";
 * import assert from "node:assert/strict";
 *
 * const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
 * await new Promise((resolve) => server.once("listening", resolve));
 * const { port } = server.address() as { port: number };
 *
 * const response = await ws.connect(`ws://127.0.0.1:${port}/`, (socket) => {
 *   socket.on("open", () => socket.close());
 * });
 * assert.equal(response.status, 101);
 * await new Promise((resolve) => server.close(resolve));
 * ```
 *
 * @module
 */
export * from "../ws_legacy/mod.ts";
export { default } from "../ws_legacy/mod.ts";
