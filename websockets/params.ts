/**
 * The `params` argument of `new WebSocket(url, protocols, params)`: k6's
 * keys plus wsload's own.
 *
 * @module
 */
import type { CookieJar } from "../http/cookie_jar.ts";

export { DEFAULT_MAX_PAYLOAD } from "../transport/transport.ts";

/** How long a handshake may take unless `handshakeTimeout` says otherwise: 60 s, as in k6. */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS: number = 60_000;

/** TLS settings of a `wss:` socket (wsload's `tls` param). */
export interface WebSocketTlsParams {
  /**
   * Accept any server certificate. Default: the context's
   * `insecureSkipTLSVerify` option (false outside `wsload run`).
   */
  insecureSkipTLSVerify?: boolean;
  /**
   * CA certificates (PEM) to trust besides the system's and the
   * context's `tlsCA` option (added to them, as in k6/ws).
   */
  ca?: string | readonly string[];
}

/**
 * Params of a {@link WebSocket}. k6's keys are `headers`, `tags`, `jar` and
 * `compression`; `transport`, `handshakeTimeout`, `maxPayload` and `tls` are
 * wsload's. Any other key throws `unknown WebSocket's option <key>`.
 */
export interface WebSocketParams {
  /**
   * Request headers: each own key is a header name (canonicalised Go-style,
   * `x-lorem` → `X-Lorem`), each value is `String()`-ed. `Upgrade`,
   * `Connection`, `Sec-WebSocket-Key`, `Sec-WebSocket-Version` and
   * `Sec-WebSocket-Extensions` (and `Sec-WebSocket-Protocol` together with
   * `protocols`) make the dial fail.
   */
  headers?: Readonly<Record<string, unknown>> | null;
  /** Metric tags added to every sample of the socket (strings, numbers, booleans). */
  tags?:
    | Readonly<Record<string, string | number | boolean | null | undefined>>
    | null;
  /** The cookie jar of the handshake (default: the context's `cookieJar()`). */
  jar?: CookieJar | null;
  /** `"deflate"` (surrounding spaces allowed) requests permessage-deflate. */
  compression?: string;
  /**
   * Which transport carries the socket: `"ws"` (the `ws` package; `"auto"`,
   * the default, means the same) or `"native"` (Deno's own WebSocket, Deno
   * only: no ping/pong, compression or TLS options, and ~40 ms extra per
   * message above ~1 KB — see the module doc).
   */
  transport?: "auto" | "native" | "ws";
  /** Milliseconds the handshake may take (default 60000). */
  handshakeTimeout?: number;
  /** The largest message accepted, in bytes (default 64 MiB); a larger one fails the connection with 1009. */
  maxPayload?: number;
  /** TLS settings of a `wss:` URL. */
  tls?: WebSocketTlsParams;
}
