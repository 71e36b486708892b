/**
 * `connect()`: k6's `ws.connect`. k6 blocks until the socket closed; this
 * returns a promise of the response, which `wsload run`'s loader awaits for
 * k6 scripts (library code awaits it itself).
 *
 * @module
 */
import { setImmediate } from "node:timers";
import type { CookieJar } from "../http/cookie_jar.ts";
import { currentContext } from "../context/context.ts";
import { ObservedPromise } from "./_observed_promise.ts";
import { parseConnectParams } from "./_params.ts";
import { type Outcome, Session } from "./_session.ts";
import type { Response } from "./response.ts";
import type { Socket } from "./socket.ts";
import { throwSetting } from "./throw_option.ts";

/** The function `connect` calls with the socket once the handshake succeeded. */
export type SocketCallback = (socket: Socket) => void;

/** TLS settings of a `wss://` connection (a wsload extension). */
export interface ConnectTlsParams {
  /** Accept any server certificate; default: the context's `insecureSkipTLSVerify` (off). */
  insecureSkipTLSVerify?: boolean;
  /** Extra trusted CA certificates (PEM), added to the context's and the system's. */
  ca?: string | readonly string[];
}

/**
 * The params of {@link connect}. k6 reads `headers`, `tags`, `jar` and
 * `compression` and ignores every other key; `throw`, `handshakeTimeout`,
 * `maxPayload` and `tls` are wsload extensions.
 */
export interface ConnectParams {
  /**
   * Request headers; names are sent in Go's canonical form (`x-lorem` →
   * `X-Lorem`), values `String()`-ed. `User-Agent` replaces the default;
   * `Host` replaces the URL's host. `Upgrade`, `Connection`,
   * `Sec-WebSocket-Key`, `Sec-WebSocket-Version` and
   * `Sec-WebSocket-Extensions` make the dial fail with
   * `websocket: duplicate header not allowed: <Name>`.
   */
  headers?: Record<string, unknown> | null;
  /** Tags added to every sample of the connection (strings, numbers, booleans). */
  tags?: Record<string, string | number | boolean | null | undefined> | null;
  /** The cookie jar to use instead of the default `cookieJar()`. */
  jar?: CookieJar | null;
  /** `"deflate"` asks for permessage-deflate; `""` (after trimming) for none. */
  compression?: string;
  /** Reject on dial failures (overrides `setThrow` and the context's `throw` option). */
  throw?: boolean;
  /** Give up the handshake after this many milliseconds (default 60000, as k6). */
  handshakeTimeout?: number;
  /**
   * The largest message accepted, in bytes (default 64 MiB, as in
   * `k6/websockets`; k6 has no limit); a larger one ends the session.
   */
  maxPayload?: number;
  /** TLS settings of `wss://` URLs. */
  tls?: ConnectTlsParams | null;
}

function settleOnce(
  promise: ObservedPromise<Response>,
  resolve: (response: Response) => void,
  reject: (error: unknown) => void,
  release: () => void,
  report: (error: unknown) => void,
): (outcome: Outcome) => void {
  return (outcome) => {
    if ("response" in outcome) {
      resolve(outcome.response);
      // The code awaiting connect() runs first (promise jobs), then the
      // iteration may end.
      setImmediate(release);
      return;
    }
    // Rejected, and marked handled so that the runtime never calls it an
    // unhandled rejection; whoever awaits the promise still gets the error.
    // If nobody did by the next macrotask, the context hears of it instead
    // (k6 scripts rarely keep connect's return value): the runner fails the
    // iteration, the default context prints it.
    promise.markHandled();
    reject(outcome.error);
    setTimeout(() => {
      if (!promise.observed) report(outcome.error);
      release();
    }, 0);
  };
}

/**
 * Opens a WebSocket connection, calls `callback` with its socket once the
 * handshake succeeded, runs the socket's handlers and timers while it is
 * open, and resolves when it closed and every `close` handler ran.
 *
 * Life cycle (k6's order): the dial; `ws_sessions` and `ws_connecting`
 * (also after a failed dial); `callback(socket)`; the `open` event (after
 * the callback returned, even if the callback closed the socket); events
 * and timers until the socket closes (a client `close()`, the server's close
 * frame or a dropped connection, the context's cancellation); then
 * `ws_session_duration` and the outcome.
 *
 * A failed dial never calls the callback. It resolves to a Response with
 * `status` 0 and the `error` text (bad URL, refused connection, DNS or TLS
 * failure, duplicate reserved header), or, when the server answered with
 * something other than a valid 101, that answer's `status`, `headers` and
 * `body` (with `url` and `error` empty, as k6). With the `throw` option on
 * (the `throw` param, else `setThrow()`, else the context's `throw`),
 * it rejects with an `Error` carrying the text instead
 * (`websocket: bad handshake` for a non-101 answer).
 *
 * An exception in the callback, a handler or a socket timer closes the
 * socket with 1001 (close handlers run) and rejects with that exception. A
 * rejection nobody awaits (no `then`/`catch`/`await` by the next
 * macrotask) goes to the context's `reportError` (`wsload run` fails the
 * iteration) and never becomes an unhandled rejection.
 *
 * The connection keeps the context's iteration alive until the promise
 * settles. Always runs on the `ws` transport.
 *
 * @param url A `ws://` or `wss://` URL (converted with `String()`).
 * @param callback Called with the socket once connected.
 * @returns The Response, when the socket is closed.
 * @throws {TypeError} Synchronously: `invalid number of arguments to
 * ws.connect`, `last argument to ws.connect must be a function`.
 *
 * @example Send, receive, close
 * ```ts
 * import { connect } from "./connect.ts";
 * import { WebSocketServer } from "ws";
 * import assert from "node:assert/strict";
 *
 * const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
 * server.on("connection", (peer) => peer.on("message", (data) => peer.send(String(data))));
 * await new Promise((resolve) => server.once("listening", resolve));
 * const { port } = server.address() as { port: number };
 *
 * let echoed = "";
 * const res = await connect(`ws://127.0.0.1:${port}/`, (socket) => {
 *   socket.on("open", () => socket.send("hello"));
 *   socket.on("message", (data) => {
 *     echoed = data;
 *     socket.close();
 *   });
 * });
 * assert.equal(res.status, 101);
 * assert.equal(echoed, "hello");
 * await new Promise((resolve) => server.close(resolve));
 * ```
 */
export function connect(
  url: string,
  callback: SocketCallback,
): Promise<Response>;
/**
 * Opens a WebSocket connection with params; see the two-argument form.
 *
 * @param url A `ws://` or `wss://` URL (converted with `String()`).
 * @param params Headers, tags, cookie jar, compression, and the wsload
 * extensions `throw`, `handshakeTimeout`, `tls`; `null`/`undefined` for
 * the defaults.
 * @param callback Called with the socket once connected.
 * @returns The Response, when the socket is closed.
 * @throws {TypeError} Synchronously: k6's argument texts, `invalid
 * ws.connect() metric tags: …`, `unsupported compression algorithm '…',
 * supported algorithm is 'deflate'`, or an invalid extension param.
 * @throws {RangeError} Synchronously: a `handshakeTimeout` that is not a
 * positive finite number.
 *
 * @example Custom header and tags, failures as values
 * ```ts
 * import { connect } from "./connect.ts";
 * import assert from "node:assert/strict";
 *
 * const res = await connect("ws://user:secret@127.0.0.1:1/", {
 *   headers: { "x-trace": "42" },
 *   tags: { scenario_step: "login" },
 *   throw: false,
 * }, () => {});
 * assert.equal(res.status, 0);
 * assert.equal(res.error, "malformed ws or wss URL");
 * ```
 */
export function connect(
  url: string,
  params: ConnectParams | null | undefined,
  callback: SocketCallback,
): Promise<Response>;
export function connect(url: string, ...args: unknown[]): Promise<Response> {
  if (args.length !== 1 && args.length !== 2) {
    throw new TypeError("invalid number of arguments to ws.connect");
  }
  const callback = args[args.length - 1];
  if (typeof callback !== "function") {
    throw new TypeError("last argument to ws.connect must be a function");
  }
  const context = currentContext();
  const urlText = String(url);
  const settings = parseConnectParams(
    args.length === 2 ? args[0] : undefined,
    urlText,
    context,
  );
  let resolve!: (response: Response) => void;
  let reject!: (error: unknown) => void;
  const promise = new ObservedPromise<Response>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const release = context.hold();
  const session = new Session({
    context,
    url: urlText,
    settings,
    throwOnDialFailure: settings.throw ?? throwSetting() ??
      context.options.throw,
    callback: callback as SocketCallback,
    settle: settleOnce(
      promise,
      resolve,
      reject,
      release,
      (error) => context.reportError(error),
    ),
  });
  context.run(() => session.start());
  return promise;
}

/**
 * The module object, as `import ws from "k6/ws"` gives it.
 *
 * @example
 * ```ts
 * import ws from "./connect.ts";
 *
 * const res = await ws.connect("not a url", () => {});
 * console.log(res.error); // "malformed ws or wss URL"
 * ```
 */
const ws: { readonly connect: typeof connect } = { connect };
export default ws;
