/**
 * `k6/websockets`: k6's standard WebSocket API — `WebSocket` and `Blob` —
 * for Deno and Node, with k6's metrics. A k6 script's WebSocket code runs
 * unchanged; each socket records `ws_sessions`, `ws_connecting`,
 * `ws_session_duration`, `ws_msgs_sent`, `ws_msgs_received` and `ws_ping`
 * into the execution context it was created in (outside `wsload run`: to
 * the listeners of `addSampleListener`), and keeps that context's iteration
 * alive until its `close` event was dispatched.
 *
 * @example Echo, ping and close, with metrics
 * ```ts
 * import { Blob, WebSocket } from "./mod.ts";
 * import { addSampleListener } from "../metrics/mod.ts";
 * import { startServer } from "../server/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const server = await startServer();
 * const counts: Record<string, number> = {};
 * const stop = addSampleListener((sample) => {
 *   counts[sample.metric.name] = (counts[sample.metric.name] ?? 0) + 1;
 * });
 *
 * const received: unknown[] = [];
 * const ws = new WebSocket(`${server.url}/ws-echo-multi`, null, {
 *   tags: { scenario_step: "echo" },
 * });
 * ws.binaryType = "arraybuffer";
 * ws.onopen = () => {
 *   ws.send("hello");
 *   ws.send(new Blob(["bytes"]));
 *   ws.ping();
 * };
 * ws.onmessage = (event) => {
 *   received.push(event.data);
 * };
 * ws.onpong = () => ws.close();
 * const closed = await new Promise<number | undefined>((resolve) => {
 *   ws.onclose = (event) => resolve(event.code);
 * });
 *
 * stop();
 * await server.close();
 * assert.equal(closed, 1000);
 * assert.equal(received[0], "hello");
 * assert.equal(counts.ws_sessions, 1);
 * assert.equal(counts.ws_ping, 1);
 * ```
 *
 * ## Transports
 *
 * Every socket runs on `ws` (the npm package), under Deno and Node alike,
 * unless the `transport` param asks for `"native"`: Deno's own WebSocket,
 * an unstable transport (its behaviour may change with Deno's). Native
 * echoes small messages fastest, but Deno 2.9's client adds about
 * 40 ms to every message larger than about 1 KB (a load test would report
 * that as server latency), and it cannot ping, see pings and pongs,
 * compress, take TLS options, store the 101's `Set-Cookie`, or send its own
 * `User-Agent`/`Host`. Asking for `"native"` where it cannot serve throws a
 * TypeError (from the constructor, or as a dial failure when a ping/pong
 * listener registered after the constructor needs `ws`). `"auto"` (the
 * default) and `"ws"` both mean `ws`.
 *
 * ## Differences from k6
 *
 * Nothing here breaks a k6 script; each difference is either forced by the
 * runtime or an addition.
 *
 * - **Asynchronous, not blocking.** Events are dispatched on the runtime's
 *   event loop, in wire order per socket; there is no `sleep()` that holds
 *   them back. A socket keeps its context's iteration alive (pending work)
 *   until its `close` event was dispatched, which is k6's "the iteration
 *   does not end while a WebSocket is open". An exception escaping a
 *   listener (or a rejection of a promise an async listener returned) is
 *   reported to the context (`wsload run` fails the iteration with it)
 *   instead of unwinding a blocked call; the socket reacts as in k6 (an
 *   `open` or `message` listener's exception drops the connection, then
 *   `error` gets the exception text and `close` runs). The process never
 *   sees an uncaught exception or unhandled rejection from a listener.
 * - **Prototype getters and methods.** `url`, `readyState`,
 *   `bufferedAmount`, `binaryType`, `protocol`, `extensions`, the `onX`
 *   slots and event fields are getters on the prototype, not own
 *   non-enumerable properties, and the methods are prototype methods: k6
 *   defines about twenty closures per socket and per event, which costs
 *   memory with thousands of sockets. `Object.keys()` and `JSON.stringify()`
 *   give the same empty results; call methods on the socket
 *   (`setTimeout(() => ws.close(), 1000)`, not `setTimeout(ws.close, 1000)`).
 * - **The opt-in, unstable native transport** (`transport: "native"`, Deno
 *   only):
 *   `ping()` throws a `NotSupportedError` DOMException that says how to
 *   switch to `ws`; server pings are answered by Deno and not dispatched as
 *   `ping` events; Deno sends its own `User-Agent` (`Deno/<version>`); the
 *   101 response's `Set-Cookie` is not stored into the default cookie jar;
 *   the `ip` tag is known only for IP-literal URLs; messages over ~1 KB
 *   take ~40 ms longer (see "Transports").
 * - **Network error texts.** Protocol-level texts are gorilla's exactly
 *   (`websocket: bad handshake`, `websocket: close 1006 (abnormal closure):
 *   unexpected EOF`, …); platform failures are rewritten to Go's text when
 *   known (`dial tcp 127.0.0.1:1: connect: connection refused`, the x509
 *   texts) and keep the platform's text otherwise.
 * - **Protocol violations** by the server (a garbage frame, invalid UTF-8,
 *   a message over `maxPayload`) give an `error` event (e.g. `websocket:
 *   protocol error: invalid opcode 3`, `websocket: read limit exceeded`)
 *   and a `close` event with 1002, 1007 or 1009; k6 dispatches only a
 *   `close` without code.
 * - **Extension params** `transport`, `handshakeTimeout` (ms, default 60000,
 *   k6's fixed value), `maxPayload` (bytes, default 64 MiB — Deno's own
 *   limit; k6 has none) and `tls` (`insecureSkipTLSVerify`, `ca`; defaults
 *   from the context's options). k6 throws `unknown WebSocket's option` for
 *   them, so scripts that use them are wsload scripts.
 * - **`close()` while connecting** gives up the dial at once, as the
 *   WHATWG algorithm fails the connection: `readyState` 2, no `open`, then
 *   `error` (`websocket: closed while connecting`) and `close` with code
 *   1006 (`wasClean` false); nothing reaches the server if the dial had not
 *   started. k6 (v0.48 to today's `k6/websockets`) blocks the VU in
 *   `close()` until the dial is done, then sends a close frame: against a
 *   server that never answers, the VU hangs for good (its `close()` waits
 *   on a channel only the connection's write loop reads; k6 v0.48.0 was
 *   still hung after 10 minutes and a SIGTERM). A cancelled context also
 *   gives up a dial still under way (`error`, then `close` without code).
 * - **A connection reset** (or another read failure) while open gives
 *   `error` with the failure (`read: connection reset by peer`) and
 *   `close` with 1006, as the WHATWG
 *   algorithm has it; k6 drops the error and dispatches `close` without a
 *   code. A clean end of stream without close frame gives `error`
 *   `websocket: close 1006 (abnormal closure): unexpected EOF` and close
 *   1006 in both.
 * - **The `url` and `name` tags** mask credentials as k6's HTTP module
 *   does (`ws://****:****@host/`: such a URL fails the dial, but its
 *   samples are tagged), and leave the query string out with `wsload run
 *   --strip-url-query` (the context's `stripUrlQuery` option). A `name`
 *   tag of the socket's own still replaces both, as in k6.
 * - **`bufferedAmount`** counts only `send()` payloads (k6 also subtracts
 *   ping and close payloads it never added).
 * - **`send()`** also takes the platform's `Blob`; its bytes are read
 *   asynchronously and later writes (sends, pings, the close frame) wait
 *   behind it, so the order of messages is kept.
 * - **Blob**: a `DataView` part contributes its viewed bytes (k6 copies the
 *   whole underlying buffer); `slice()` takes negative and out-of-range
 *   indices as the File API does (k6 fails on them) and an absent `end` as
 *   the size.
 * - **Pong IDs** are forgotten once matched (k6 keeps every ping's time for
 *   the socket's life), so a repeated pong logs the unknown-ID warning.
 * - **Additions**: `removeEventListener(type, handler)` (removes every
 *   matching added listener; ignores non-functions; warns on unknown types,
 *   as proposed in k6 PR #6237); `wasClean` on `close` events (true when
 *   the server's close frame arrived, see {@link WebSocketCloseEvent});
 *   the `CONNECTING`/`OPEN`/`CLOSING`/`CLOSED` constants (static and on
 *   instances); reading `ws.onX` gives the handler or `null` (k6 gives an
 *   opaque function); `addEventListener` with a value that is not a
 *   function always throws k6's `handler for event type "<type>" isn't a
 *   callable function`.
 *
 * @module
 */
export { WebSocket, type WebSocketData } from "./websocket.ts";
export { Blob, type BlobOptions, type BlobPart } from "./blob.ts";
export type {
  WebSocketCloseEvent,
  WebSocketErrorEvent,
  WebSocketEvent,
  WebSocketEventMap,
  WebSocketEventType,
  WebSocketListener,
  WebSocketMessageEvent,
} from "./events.ts";
export {
  DEFAULT_HANDSHAKE_TIMEOUT_MS,
  DEFAULT_MAX_PAYLOAD,
  type WebSocketParams,
  type WebSocketTlsParams,
} from "./params.ts";
export { default, type WebSocketsModule } from "./_default.ts";
