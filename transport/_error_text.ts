/**
 * The texts both adapters report for network and protocol failures. Platform
 * errors (Node's `ECONNREFUSED`, Deno's `tcp connect error`, rustls and
 * OpenSSL certificate errors …) are rewritten into the texts Go's net, tls
 * and gorilla/websocket packages give for the same failure, because k6
 * scripts and dashboards compare against those; anything not listed keeps
 * the platform's own text.
 *
 * @module
 */
import { UNEXPECTED_EOF } from "./close_text.ts";
import {
  classifyNetworkError,
  type DialTarget,
  type NetworkError,
  type NetworkErrorKind,
} from "./network_error.ts";

/**
 * Reported after `terminate()` on an open connection. Go's text for reading
 * from a connection the program closed itself.
 */
export const CONNECTION_TERMINATED = "use of closed network connection";
/** Gorilla's error for a message larger than the read limit. */
export const READ_LIMIT_EXCEEDED = "websocket: read limit exceeded";
/** Gorilla's error for a text frame that is not valid UTF-8. */
export const INVALID_UTF8 = "websocket: invalid UTF-8 in text frame";
/**
 * Gorilla's error when the server's `permessage-deflate` answer lacks
 * `server_no_context_takeover` or `client_no_context_takeover`.
 */
export const INVALID_COMPRESSION = "websocket: invalid compression negotiation";
/** Reported for a write asked for before the connection opened. */
export const NOT_CONNECTED = "websocket: not connected";

/**
 * The text of a handshake that did not finish in time. Go's dialer would say
 * `dial tcp …: i/o timeout` or `context deadline exceeded` depending on the
 * phase; one text that names the limit is clearer.
 *
 * @param ms The handshake timeout in milliseconds.
 * @returns E.g. `websocket: handshake timed out after 60000 ms`.
 *
 * @example Text of a 60 s timeout
 * ```ts
 * import { handshakeTimeoutText } from "./_error_text.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   handshakeTimeoutText(60000),
 *   "websocket: handshake timed out after 60000 ms",
 * );
 * ```
 */
export function handshakeTimeoutText(ms: number): string {
  return `websocket: handshake timed out after ${ms} ms`;
}

/**
 * How long a closing handshake waits for the peer's close frame before the
 * transport gives up on it (k6's own write deadline is 10 s too).
 */
export const CLOSE_TIMEOUT_MS = 10_000;

/**
 * The text of a closing handshake the peer never answered.
 *
 * @param ms How long the transport waited for the peer's close frame.
 * @returns E.g. `websocket: close handshake timed out after 10000 ms`.
 *
 * @example Text of a 10 s close timeout
 * ```ts
 * import { closeTimeoutText } from "./_error_text.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   closeTimeoutText(10000),
 *   "websocket: close handshake timed out after 10000 ms",
 * );
 * ```
 */
export function closeTimeoutText(ms: number): string {
  return `websocket: close handshake timed out after ${ms} ms`;
}

/**
 * The text of a protocol violation by the peer, by the close code the client
 * fails the connection with (RFC 6455 §7.4.1).
 *
 * @param status 1009 (message too big), 1007 (invalid UTF-8) or 1002
 * (anything else).
 * @param detail The platform's description, used for 1002 only.
 * @returns A gorilla-style `websocket: …` text.
 *
 * @example Texts by close code
 * ```ts
 * import { protocolErrorText } from "./_error_text.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(protocolErrorText(1009, "Frame too large"), "websocket: read limit exceeded");
 * assert.equal(
 *   protocolErrorText(1002, "Invalid WebSocket frame: invalid opcode 3"),
 *   "websocket: protocol error: invalid opcode 3",
 * );
 * ```
 */
export function protocolErrorText(status: number, detail: string): string {
  if (status === 1009) return READ_LIMIT_EXCEEDED;
  if (status === 1007) return INVALID_UTF8;
  const text = detail.replace(/^Invalid WebSocket frame: /, "");
  return `websocket: protocol error: ${
    text.charAt(0).toLowerCase() + text.slice(1)
  }`;
}

export type { DialTarget } from "./network_error.ts";

/**
 * The host and port a `ws:`/`wss:` URL dials.
 *
 * @param url The URL.
 * @returns Its target.
 * @throws {TypeError} If `url` does not parse.
 *
 * @example Default ports
 * ```ts
 * import { dialTarget } from "./_error_text.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(dialTarget("wss://[::1]/x"), { host: "::1", port: "443" });
 * assert.deepEqual(dialTarget("ws://example.com:8080"), {
 *   host: "example.com",
 *   port: "8080",
 * });
 * ```
 */
export function dialTarget(url: string): DialTarget {
  const parsed = new URL(url);
  const host = parsed.hostname.startsWith("[")
    ? parsed.hostname.slice(1, -1)
    : parsed.hostname;
  const port = parsed.port || (parsed.protocol === "wss:" ? "443" : "80");
  return { host, port };
}

const UNKNOWN_AUTHORITY =
  "tls: failed to verify certificate: x509: certificate signed by unknown authority";
const EXPIRED =
  "tls: failed to verify certificate: x509: certificate has expired or is not yet valid";
const NOT_TLS = "tls: first record does not look like a TLS handshake";

/** Go's texts by kind of failure; other kinds keep the platform's text. */
const GO_TEXTS: Partial<
  Record<NetworkErrorKind, (error: NetworkError) => string>
> = {
  refused: (e) => `dial tcp ${e.endpoint}: connect: connection refused`,
  timeout: (e) => `dial tcp ${e.endpoint}: i/o timeout`,
  "net-unreachable": (e) =>
    `dial tcp ${e.endpoint}: connect: network is unreachable`,
  "host-unreachable": (e) =>
    `dial tcp ${e.endpoint}: connect: no route to host`,
  "no-such-host": (e) => `dial tcp: lookup ${e.hostname}: no such host`,
  "too-many-files": (e) =>
    `dial tcp ${e.endpoint}: socket: too many open files`,
  "too-many-files-in-system": (e) =>
    `dial tcp ${e.endpoint}: socket: too many open files in system`,
  reset: () => "read: connection reset by peer",
  "broken-pipe": () => "write: broken pipe",
  "unknown-authority": () => UNKNOWN_AUTHORITY,
  expired: () => EXPIRED,
  hostname: (e) =>
    `tls: failed to verify certificate: x509: certificate is not valid for ${e.hostname}`,
  "not-tls": () => NOT_TLS,
  eof: () => UNEXPECTED_EOF,
};

/**
 * The Go-style text of a network failure (dial, TLS or a later read/write).
 *
 * @param error A platform error (Node-style, with `code`, `address`, …, or an
 * `AggregateError` of them), or a message string (Deno's WebSocket).
 * @param target Where the dial was going, for messages that do not say.
 * @returns The Go text when the failure is known, else the platform text.
 *
 * @example Node and Deno texts of a refused connection
 * ```ts
 * import { networkErrorText } from "./_error_text.ts";
 * import assert from "node:assert/strict";
 *
 * const target = { host: "127.0.0.1", port: "1" };
 * const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), {
 *   code: "ECONNREFUSED",
 *   address: "127.0.0.1",
 *   port: 1,
 * });
 * const expected = "dial tcp 127.0.0.1:1: connect: connection refused";
 * assert.equal(networkErrorText(refused, target), expected);
 * assert.equal(
 *   networkErrorText("NetworkError: failed to connect to WebSocket: tcp connect error", target),
 *   expected,
 * );
 * assert.equal(networkErrorText("something new", target), "something new");
 * ```
 */
export function networkErrorText(error: unknown, target: DialTarget): string {
  const classified = classifyNetworkError(error, target);
  return GO_TEXTS[classified.kind]?.(classified) ?? classified.message;
}

/**
 * The HTTP status of a refused upgrade, read from Deno's error text
 * (`… failed to connect to WebSocket: Invalid status code: 404`).
 *
 * @param message The error text.
 * @returns The status, or `undefined` when the text names none.
 *
 * @example Reading the status
 * ```ts
 * import { refusedUpgradeStatus } from "./_error_text.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   refusedUpgradeStatus("NetworkError: failed to connect to WebSocket: Invalid status code: 404"),
 *   404,
 * );
 * assert.equal(refusedUpgradeStatus("dns error"), undefined);
 * ```
 */
export function refusedUpgradeStatus(message: string): number | undefined {
  const match = /Invalid status code:? (\d{3})\b/.exec(message);
  return match === null ? undefined : Number(match[1]);
}
