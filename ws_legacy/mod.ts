/**
 * k6's legacy WebSocket module, `k6/ws`: `connect(url, params?, callback)`
 * opens a connection, hands its {@link Socket} to the callback, runs the
 * socket's handlers and timers while it is open, and records k6's metrics
 * (`ws_sessions`, `ws_connecting`, `ws_session_duration`, `ws_msgs_sent`,
 * `ws_msgs_received`, `ws_ping`) into the current execution context.
 *
 * The module always runs on the `ws` npm package's client, in Deno as in
 * Node: its Response shows the handshake answer's status and headers, and
 * its socket pings and sees pongs, which the runtime's own WebSocket cannot.
 *
 * @example A session with handlers and timers
 * ```ts
 * import ws from "./mod.ts";
 * import { WebSocketServer } from "ws";
 * import assert from "node:assert/strict";
 *
 * // A local echo server to talk to.
 * const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
 * server.on("connection", (peer) => peer.on("message", (data) => peer.send(String(data))));
 * await new Promise((resolve) => server.once("listening", resolve));
 * const { port } = server.address() as { port: number };
 *
 * const log: string[] = [];
 * const res = await ws.connect(`ws://127.0.0.1:${port}/`, { tags: { my_tag: "hello" } }, (socket) => {
 *   socket.on("open", () => {
 *     log.push("connected");
 *     socket.send("hi");
 *     socket.setInterval(() => socket.ping(), 20);
 *   });
 *   socket.on("message", (data) => log.push(`message: ${data}`));
 *   socket.on("pong", () => log.push("pong"));
 *   socket.on("error", (e) => {
 *     if (e.error() !== "websocket: close sent") log.push(`error: ${e.error()}`);
 *   });
 *   socket.on("close", (code) => log.push(`disconnected (${code})`));
 *   socket.setTimeout(() => socket.close(), 100);
 * });
 *
 * assert.equal(res.status, 101);
 * assert.equal(log[0], "connected");
 * assert.ok(log.includes("message: hi"));
 * assert.ok(log.includes("pong"));
 * assert.equal(log.at(-1), "disconnected (1001)");
 * await new Promise((resolve) => server.close(resolve));
 * ```
 *
 * ## Differences from k6
 *
 * - **`connect` returns a promise** of the Response, settled after the
 *   socket closed and every `close` handler ran; k6's call blocks instead.
 *   JavaScript cannot block, so code that needs the Response (or the state
 *   the handlers left) `await`s it.
 * - **The event loop keeps running** while a socket is open: other sockets,
 *   the global timers and promise continuations of the same script run
 *   between this socket's events. k6 freezes everything else of the VU
 *   during `connect`.
 * - **Failures that nobody awaits** (an exception in the callback, a
 *   handler or a socket timer; a dial failure with `throw` on) are handed
 *   to the execution context (`wsload run` fails the iteration; outside it
 *   they are printed), because a k6 script usually drops the return value.
 *   An awaited failure is only delivered through the promise.
 * - **Network error texts** are Go's for the failures Node and Deno report
 *   recognisably (`dial tcp 127.0.0.1:1: connect: connection refused`,
 *   `dial tcp: lookup nosuchhost.invalid: no such host`,
 *   `tls: failed to verify certificate: x509: certificate signed by unknown
 *   authority`); other platform failures keep the platform's text, and a
 *   handshake timeout reads `websocket: handshake timed out after <ms> ms`.
 *   An unparseable `ws://` URL gives `parse "<url>": invalid URL`. The
 *   gorilla/websocket texts of the protocol (`websocket: close sent`,
 *   `websocket: bad handshake`, `websocket: close 1006 (abnormal closure):
 *   unexpected EOF` …) are k6's exactly.
 * - **Extension params**: `throw` (this call's k6 `throw` option),
 *   `handshakeTimeout` (ms; k6 always waits 60 s), `maxPayload` (bytes,
 *   default 64 MiB as in `k6/websockets`; k6 has no limit, so a server
 *   could make a VU buffer any size) and `tls`
 *   (`insecureSkipTLSVerify`, extra `ca` certificates; k6 takes them from
 *   test-wide options only). k6 ignores these keys. {@link setThrow} sets
 *   the `throw` option for the whole module.
 * - **The `url` tag** masks credentials as k6's HTTP module does
 *   (`ws://****:****@host/`; k6/ws keeps `user:password@` in every
 *   output), and leaves the query string out with `wsload run
 *   --strip-url-query` (the context's `stripUrlQuery` option).
 * - **Close-frame write failures** are not reported: k6's blocking write
 *   tells at once, before the `close` handlers run; here the failure is only
 *   known after the socket closed, when no events are delivered any more.
 * - **`close(undefined)`** passes code 0 to the `close` handlers as in k6,
 *   but the frame on the wire carries no status code (0 is not a valid
 *   code, and the `ws` package refuses to send it).
 * - **Protocol violations by the server** (an invalid frame, invalid UTF-8
 *   in a text message) end the session like any read failure, with
 *   `close(1001)` and no `error` event, as in k6 — but gorilla would
 *   deliver invalid UTF-8 text, where `ws` rejects it.
 * - **No init-context check**: `connect` works anywhere (k6 throws
 *   `using websockets in the init context is not supported` outside a VU).
 * - Proxies from the environment, and k6's `hosts`, `blacklistIPs`,
 *   `blockHostnames`, `tlsAuth`, `tlsVersion` and `tlsCipherSuites`
 *   options, do not apply.
 *
 * @module
 */
export { connect, default } from "./connect.ts";
export type {
  ConnectParams,
  ConnectTlsParams,
  SocketCallback,
} from "./connect.ts";
export type { Response } from "./response.ts";
export type { Socket, SocketEventHandler } from "./socket.ts";
export { SocketError } from "./socket_error.ts";
export { setThrow } from "./throw_option.ts";
