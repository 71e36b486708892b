/**
 * Embedded WebSocket servers for tests, demos and benchmarks: the fixtures
 * of k6's own test server, an echo server and chat rooms
 * ({@linkcode startServer}), plus deliberately broken peers
 * ({@linkcode startRawServer}). Nothing here imports the rest of wsload, so
 * the server under a client test is never the code under test.
 *
 * ## Engines and carriers
 *
 * One front door (`node:net`, or `node:tls` with the `tls` option) reads
 * each request head, logs it, and picks who speaks WebSocket for the route:
 *
 * - **deno**: `Deno.serve` + `Deno.upgradeWebSocket` (engine `"deno"`, the
 *   default under Deno; the front door pipes the connection to Deno's
 *   server on a private loopback port).
 * - **ws**: the `ws` package's `WebSocketServer` (engine `"node"`, the default
 *   elsewhere; also every route Deno cannot serve, and the only one that
 *   negotiates permessage-deflate).
 * - **raw**: a hand-written RFC 6455 peer, for wire behaviour neither server
 *   has. It acts like a gorilla/websocket server, the kind k6's tests run
 *   against: it answers the client's close frame with the SAME code and an
 *   EMPTY reason (Deno's and ws's servers echo the reason too).
 *
 * Plain HTTP answers are written by the front door itself, one request per
 * connection (`Connection: close`).
 *
 * ## Routes
 *
 * | Path | Behaviour | Carrier (engine deno / node) |
 * | --- | --- | --- |
 * | `/ws-echo` | echo-once: echoes the first data message (same type), ignores later ones, answers pings; answers the client's close with the same code and an empty reason, then closes TCP | raw / raw |
 * | `/ws-echo-invalid`, `/ws-close-invalid` | echoes the first message, then closes TCP without a close frame | ws / ws |
 * | `/ws-echo-multi`, `/ws/echo` | echoes every message (text stays text, binary stays binary) until the client closes; close answered like `/ws-echo` | raw / raw |
 * | `/ws-close` | sends close 1000 with an empty reason right after the upgrade | deno / ws |
 * | `/ws-close-code?code=4000&reason=bye` | sends close with that code (default 1000) and reason (default empty); codes ws refuses to send (e.g. 1005, 999) or reasons over 123 bytes go out raw | deno / ws (raw for those) |
 * | `/ws-remote-close` | close 1001 `"closed by server"` | deno / ws |
 * | `/ws-close-no-status` | a close frame without status code | deno / ws |
 * | `/status/<n>` | plain HTTP status n (200–599), body `"<n>\n"`, header `X-Fixture: status`, even for upgrade requests | front door |
 * | `/ws-echo-useragent`, `/ws-echo-someheader` | 101 carries `Echo-User-Agent` (the request's User-Agent) and `Echo-Someheader` (the `someheader` cookie), each only when present; then close 1000 | deno / ws |
 * | `/ws-compression` | negotiates `permessage-deflate; server_no_context_takeover; client_no_context_takeover` when offered, sends one 250-character text message ({@linkcode COMPRESSION_TEXT}), then close 1000 | ws / ws |
 * | `/ws-compression-disabled` | the same message and close, never compressed | deno / ws |
 * | `/ws-subprotocols`, `/ws/protocols` | server supports `["unsupported", "supported"]`: answers with the first of those (in that order) the client offered, none otherwise; echoes every message | deno / ws |
 * | `/ws/couple/<n>` | relay: 1 is paired with 2, 3 with 4, …; each message goes to the partner (waiting until it connects) | deno / ws |
 * | `/ws-server-ping` | pings once with payload `"server-ping"` after the upgrade (the pong is logged in `pongs`), then echoes every message | ws / ws |
 * | `/ws-ping-then-drop` | sends 20 pings (payload `"p"`), then closes TCP without a close frame | ws / ws |
 * | `/ws-set-cookie` | 101 carries `Set-Cookie: session=abc; Path=/`; echoes every message | deno / ws |
 * | `/echo` | like jmalloc/echo-server: sends `Request served by <hostname>` (an empty message with `X-Send-Server-Hostname: false`), then echoes every message; plain GET gets a text dump of the request | deno / ws |
 * | `/chat/<room>`, `/ws/crocochat/<room>/` | chat rooms (protocol below) | deno / ws |
 * | anything else | 404 `404 page not found` | front door |
 *
 * A WebSocket route asked without `Upgrade: websocket` answers 400 (except
 * `/echo`); an invalid handshake (bad key, version ≠ 13, not GET) also 400.
 *
 * ## Limits
 *
 * No client can exhaust the server ({@linkcode ServerLimits}, defaults in
 * {@linkcode DEFAULT_SERVER_LIMITS}): a message over 16 MiB ends its
 * connection with close 1009; a client with more than 16 MiB waiting to be
 * written to it (it reads too slowly, or not at all) gets close 1008 and is
 * dropped a second later, which frees its queue; a request head not
 * complete within 10 s gets 408 and a disconnect; on `/ws/couple/<n>`, at
 * most 16 MiB wait for a partner not yet connected (the sender gets 1008
 * beyond), dropped when the sender leaves.
 *
 * ## Chat protocol
 *
 * The protocol of test-api.k6.io's crocochat, which the k6/ws and
 * k6/websockets documentation examples use. Every message is a JSON text
 * and every server event is sent to everyone in the room, sender included.
 * A new member is called `"anonymous"`.
 *
 * | Client sends | Server broadcasts |
 * | --- | --- |
 * | (connects) | `{"event":"USER_JOINED","room","user","message":"<user> joined"}` |
 * | `{"event":"SET_NAME","new_name":"Croc 1"}` | `{"event":"NAME_CHANGE","room","user":"Croc 1","message":"User <old> changed name to 'Croc 1'"}` |
 * | `{"event":"SAY","message":"hi"}` | `{"event":"CHAT_MSG","room","user","message":"hi"}` |
 * | `{"event":"LEAVE"}` | `{"event":"USER_LEFT","room","user","message":"<user> leaves now."}`, then closes that socket with code 3000 |
 * | (disconnects without LEAVE) | `{"event":"USER_LEFT","room","user","message":"<user> left"}` to the others |
 * | text that is not a JSON object | `{"event":"ERROR","room","received_json":"<text>","message":"Invalid JSON sent"}` |
 * | an object without `event` | `{"event":"ERROR","room","user","message":"ERROR someone sent an invalid command"}` |
 * | any other `event` | nothing |
 *
 * Differences from test-api.k6.io: `LEAVE` is answered with `USER_LEFT`
 * (the original sends an event named `LEAVE`), a disconnect also announces
 * `USER_LEFT` (the original says nothing), and the Django Channels artefact
 * `"type":"send_message"` is not included.
 *
 * @example Start, use and stop the server
 * ```ts
 * import { startServer } from "./mod.ts";
 * import WebSocket from "ws";
 *
 * const server = await startServer({ engine: "node" });
 * const ws = new WebSocket(`${server.url}/ws-close-code?code=4000&reason=bye`);
 * const [code, reason] = await new Promise<[number, string]>((resolve) =>
 *   ws.on("close", (code, reason) => resolve([code, String(reason)]))
 * );
 * await server.close();
 * console.log(code, reason); // 4000 "bye"
 * ```
 *
 * @module
 */

export {
  type CloseFrameRecord,
  type Engine,
  type MessageRecord,
  type PongRecord,
  type RequestRecord,
  startServer,
  type StartServerOptions,
  type TestServer,
  type TlsOptions,
} from "./server.ts";
export {
  type RawBehaviour,
  type RawServer,
  type RawServerOptions,
  startRawServer,
} from "./raw_server.ts";
export { DEFAULT_SERVER_LIMITS, type ServerLimits } from "./limits.ts";
export { SLOW_READER_REASON } from "./_fixture.ts";
export { COMPRESSION_TEXT } from "./_routes.ts";
export {
  type HttpRequestRecord,
  type HttpServerOptions,
  type HttpServerTls,
  type HttpTestServer,
  startHttpServer,
} from "./http_server.ts";
