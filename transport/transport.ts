/**
 * The one connection interface both k6 modules are built on. A transport
 * dials a WebSocket and reports everything that happens to it through a
 * {@link ConnectionHandler}; the modules map those reports to their own
 * events, error texts and metrics.
 *
 * Two adapters implement it: `native` (the runtime's global WebSocket,
 * Deno's by default) and `ws` (the npm `ws` package). See `select.ts` for
 * which one a socket gets.
 *
 * @module
 */

/**
 * The largest message a socket of either module (`k6/websockets`, `k6/ws`)
 * accepts unless its `maxPayload` param says otherwise: 64 MiB, Deno's own
 * limit. A larger one fails the connection with close code 1009, so a
 * server cannot make a VU buffer without bound (k6 has no limit).
 */
export const DEFAULT_MAX_PAYLOAD: number = 64 * 1024 * 1024;

/** The transports a socket can run on. */
export type TransportName = "native" | "ws";

/** A client certificate (one entry of k6's `tlsAuth` option). */
export interface TlsAuth {
  /** The certificate (chain), PEM. */
  readonly cert: string;
  /** Its private key, PEM. */
  readonly key: string;
  /** The key's password, when it is encrypted. */
  readonly password?: string;
  /** Hosts to present it to (`*.example.com` allowed); all when absent. */
  readonly domains?: readonly string[];
}

/** TLS settings of a `wss://` (or `https://`) dial. */
export interface TlsOptions {
  /** Accept any server certificate (k6's `insecureSkipTLSVerify`). */
  readonly insecureSkipTLSVerify?: boolean;
  /** Extra trusted CA certificates, PEM. */
  readonly ca?: readonly string[];
  /** Client certificates (k6's `tlsAuth`). */
  readonly auth?: readonly TlsAuth[];
  /** Lowest TLS version allowed, k6's name (`tls1.2`). */
  readonly minVersion?: string;
  /** Highest TLS version allowed, k6's name (`tls1.3`). */
  readonly maxVersion?: string;
}

/** Everything a dial needs. Arguments are already validated by the module. */
export interface DialOptions {
  /** The `ws:` or `wss:` URL. */
  readonly url: string;
  /** Requested subprotocols (sent as one `Sec-WebSocket-Protocol` header). */
  readonly protocols: readonly string[];
  /** Request headers in order, names as the user wrote them (canonicalised by the module). */
  readonly headers: readonly (readonly [string, string])[];
  /** Request permessage-deflate with no context takeover in both directions. */
  readonly compression: boolean;
  /** TLS settings for `wss://`. */
  readonly tls: TlsOptions;
  /** Give up the handshake after this many milliseconds. */
  readonly handshakeTimeoutMs: number;
  /** Largest message accepted, in bytes; larger ones fail the connection with 1009. */
  readonly maxPayload: number;
}

/** The HTTP response of a handshake, when the transport can see it. */
export interface HandshakeResponse {
  /** HTTP status, e.g. 101 or 404. */
  readonly status: number;
  /** Response headers in wire order (repeated names repeat). */
  readonly headers: readonly (readonly [string, string])[];
  /** The first 1024 bytes of the body (non-101 responses only), as text. */
  readonly body: string;
}

/** What a successful handshake produced. */
export interface OpenInfo {
  /** The 101 response; `undefined` when the transport hides it (native). */
  readonly response: HandshakeResponse | undefined;
  /** The subprotocol the server chose, `""` when none. */
  readonly protocol: string;
  /** The negotiated extensions, one entry per header line; `[]` when none. */
  readonly extensions: readonly string[];
  /** The remote IP address, when known. */
  readonly remoteAddress: string | undefined;
}

/**
 * How a connection ended. Exactly one is reported, last, through
 * {@link ConnectionHandler.onClose}.
 *
 * - `dial`: the handshake never completed (refused, DNS, TLS, timeout,
 *   non-101 answer, bad header). `error` is the failure text;
 *   `response` is the server's HTTP answer when there was one.
 * - `frame`: a close frame arrived from the peer (its own close or the reply
 *   to ours). `code` is 1005 when the frame had no status code. After a
 *   protocol violation by the peer (reported just before through
 *   `onError`), `code` is the one the client failed the connection with:
 *   1002, 1007 (invalid UTF-8) or 1009 (message over `maxPayload`).
 * - `abnormal`: the TCP connection ended without a close frame. `eof` is
 *   true for a clean end of stream (gorilla's `unexpected EOF`), false for
 *   a reset or another read/write failure described by `error`.
 */
export type CloseInfo =
  | {
    readonly kind: "dial";
    readonly error: string;
    readonly response: HandshakeResponse | undefined;
  }
  | { readonly kind: "frame"; readonly code: number; readonly reason: string }
  | {
    readonly kind: "abnormal";
    readonly eof: boolean;
    readonly error: string;
  };

/**
 * Receives a connection's reports. Calls happen on the event loop, one at a
 * time, in wire order; `onOpen` (if any) comes first and `onClose` exactly
 * once, last. A handler must not throw.
 */
export interface ConnectionHandler {
  /** The handshake succeeded. */
  onOpen(info: OpenInfo): void;
  /**
   * A data message arrived: a string for text frames, bytes for binary ones
   * (possibly a view into a larger buffer: respect `byteOffset`).
   */
  onMessage(data: string | Uint8Array): void;
  /** A ping arrived (the transport has already answered it with a pong). */
  onPing(payload: Uint8Array): void;
  /** A pong arrived. */
  onPong(payload: Uint8Array): void;
  /**
   * A protocol or write error that does not by itself end the report
   * sequence (e.g. a garbage frame, an oversized message); `onClose` follows.
   */
  onError(message: string): void;
  /** The connection is over; nothing else will be reported. */
  onClose(info: CloseInfo): void;
}

/** An established (or establishing) connection. */
export interface Connection {
  /** Which adapter runs it. */
  readonly transport: TransportName;
  /** Bytes queued by `send` and not yet written. */
  readonly bufferedAmount: number;
  /** Bytes written so far, handshake included (computed from frame sizes where hidden). */
  readonly bytesSent: number;
  /** Bytes read so far, handshake included (computed from frame sizes where hidden). */
  readonly bytesReceived: number;
  /**
   * Sends a data frame: text for a string, binary for bytes or a Blob
   * (read first; later writes wait for it, so messages keep their order).
   * Only while open.
   *
   * @param data The payload.
   * @param written Called once the frame was written (with an error text if
   * the write failed).
   */
  send(
    data: string | Uint8Array | Blob,
    written?: (error?: string) => void,
  ): void;
  /**
   * Sends a ping. Only while open.
   *
   * @param payload The ping payload (≤ 125 bytes).
   * @param written Called once the frame was written (with an error text on failure).
   * @throws {DOMException} `NotSupportedError` on a transport that cannot ping.
   */
  ping(payload: Uint8Array, written?: (error?: string) => void): void;
  /**
   * Starts the closing handshake: sends a close frame and waits for the
   * peer's (its arrival is reported as `onClose` `frame`). While connecting,
   * gives up the dial instead; the report is then `dial`.
   *
   * @param code The close code; `undefined` sends a frame without code.
   * @param reason The reason (≤ 123 UTF-8 bytes).
   * @param written Called once the close frame was written (with an error text on failure).
   */
  close(
    code?: number,
    reason?: string,
    written?: (error?: string) => void,
  ): void;
  /** Drops the TCP connection at once; `onClose` still follows. */
  terminate(): void;
}

/** A transport adapter: dials connections. */
export interface Transport {
  /** The adapter's name. */
  readonly name: TransportName;
  /**
   * Starts a dial. Never throws for network reasons: failures are reported
   * as `onClose` with kind `dial`.
   *
   * @param options What to dial.
   * @param handler Receives the reports.
   * @returns The connection, immediately (the handshake runs in the background).
   */
  dial(options: DialOptions, handler: ConnectionHandler): Connection;
}
