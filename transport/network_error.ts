/**
 * What went wrong on the network, read from the platform's error: Node's
 * error codes (which Deno's `node:` modules report too) or, for Deno's
 * WebSocket and its rustls errors, the message text. Both WebSocket
 * transports turn the kind into Go's error texts; `k6/http` into k6's
 * error codes.
 *
 * @module
 */

/** The kinds of network failure the clients tell apart. */
export type NetworkErrorKind =
  | "refused"
  | "timeout"
  | "net-unreachable"
  | "host-unreachable"
  | "no-such-host"
  | "too-many-files"
  | "too-many-files-in-system"
  | "reset"
  | "broken-pipe"
  | "unknown-authority"
  | "expired"
  | "hostname"
  | "not-tls"
  | "eof"
  | "unknown";

/** Where a dial was going: host and port. */
export interface DialTarget {
  /** The host name or IP address, without IPv6 brackets. */
  readonly host: string;
  /** The port. */
  readonly port: string;
}

/** A classified network failure. */
export interface NetworkError {
  /** What kind of failure it is. */
  readonly kind: NetworkErrorKind;
  /** `ip:port` (`[ip]:port` for IPv6) of the failed connect. */
  readonly endpoint: string;
  /** The host name looked up. */
  readonly hostname: string;
  /** The platform's message. */
  readonly message: string;
  /** The system call that failed (`read`, `write`, `connect`), when known. */
  readonly syscall: string | undefined;
}

const NODE_CODES: Readonly<Record<string, NetworkErrorKind>> = {
  ECONNREFUSED: "refused",
  ETIMEDOUT: "timeout",
  ENETUNREACH: "net-unreachable",
  EHOSTUNREACH: "host-unreachable",
  ENOTFOUND: "no-such-host",
  EAI_AGAIN: "no-such-host",
  EAI_NONAME: "no-such-host",
  EMFILE: "too-many-files",
  ENFILE: "too-many-files-in-system",
  ECONNRESET: "reset",
  EPIPE: "broken-pipe",
  DEPTH_ZERO_SELF_SIGNED_CERT: "unknown-authority",
  SELF_SIGNED_CERT_IN_CHAIN: "unknown-authority",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "unknown-authority",
  UNABLE_TO_GET_ISSUER_CERT: "unknown-authority",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "unknown-authority",
  CERT_HAS_EXPIRED: "expired",
  CERT_NOT_YET_VALID: "expired",
  ERR_TLS_CERT_ALTNAME_INVALID: "hostname",
  ERR_SSL_WRONG_VERSION_NUMBER: "not-tls",
};

// Deno's WebSocket says only `tcp connect error` for every failed TCP
// connect; on a reachable host that is a refused connection.
const MESSAGE_PATTERNS: readonly (readonly [RegExp, NetworkErrorKind])[] = [
  [/tcp connect error|connection refused/i, "refused"],
  [
    /dns error|failed to lookup address|name or service not known/i,
    "no-such-host",
  ],
  [
    /UnknownIssuer|CaUsedAsEndEntity|self[- ]signed certificate|unable to (get|verify)/i,
    "unknown-authority",
  ],
  [/Expired|NotValidYet|certificate has expired/i, "expired"],
  [/NotValidForName/, "hostname"],
  [/InvalidContentType|corrupt message|wrong version number/i, "not-tls"],
  [/too many open files in system|os error 23\b/i, "too-many-files-in-system"],
  [/too many open files|os error 24\b/i, "too-many-files"],
  [/connection reset/i, "reset"],
  [/broken pipe/i, "broken-pipe"],
  [/connection closed before message completed/i, "eof"],
];

interface PlatformError {
  readonly message?: unknown;
  readonly code?: unknown;
  readonly address?: unknown;
  readonly port?: unknown;
  readonly hostname?: unknown;
  readonly host?: unknown;
  readonly syscall?: unknown;
  readonly errors?: unknown;
}

/**
 * Classifies a network failure.
 *
 * @param error A platform error (Node-style, with `code`, `address`, …, or
 * an `AggregateError` of them), or a message string (Deno's WebSocket).
 * @param target Where the dial was going, for errors that do not say.
 * @returns The kind, with the details the error texts need.
 *
 * @example Node's refused connect
 * ```ts
 * import { classifyNetworkError } from "./network_error.ts";
 * import assert from "node:assert/strict";
 *
 * const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), {
 *   code: "ECONNREFUSED",
 *   address: "127.0.0.1",
 *   port: 1,
 * });
 * const error = classifyNetworkError(refused, { host: "127.0.0.1", port: "1" });
 * assert.equal(error.kind, "refused");
 * assert.equal(error.endpoint, "127.0.0.1:1");
 * ```
 */
export function classifyNetworkError(
  error: unknown,
  target: DialTarget,
): NetworkError {
  let detailed: PlatformError = typeof error === "object" && error !== null
    ? error
    : { message: String(error) };
  if (Array.isArray(detailed.errors) && detailed.errors.length > 0) {
    // Happy Eyeballs tried several addresses; the first attempt names the cause.
    const first: unknown = detailed.errors[0];
    if (typeof first === "object" && first !== null) {
      detailed = {
        ...(first as PlatformError),
        code: detailed.code ?? (first as PlatformError).code,
      };
    }
  }
  const message = typeof detailed.message === "string"
    ? detailed.message
    : String(error);
  const address = typeof detailed.address === "string"
    ? detailed.address
    : target.host;
  const port =
    typeof detailed.port === "number" || typeof detailed.port === "string"
      ? String(detailed.port)
      : target.port;
  const hostname = typeof detailed.hostname === "string"
    ? detailed.hostname
    : typeof detailed.host === "string"
    ? detailed.host
    : target.host;
  const ip = address.includes(":") ? `[${address}]` : address;
  const syscall = typeof detailed.syscall === "string"
    ? detailed.syscall
    : undefined;
  let kind: NetworkErrorKind = "unknown";
  // Node calls a peer that hung up mid-request ECONNRESET, even on a FIN.
  if (message === "socket hang up") kind = "eof";
  else if (typeof detailed.code === "string" && detailed.code in NODE_CODES) {
    kind = NODE_CODES[detailed.code];
  } else {
    kind = MESSAGE_PATTERNS.find(([pattern]) => pattern.test(message))?.[1] ??
      "unknown";
  }
  return { kind, endpoint: `${ip}:${port}`, hostname, message, syscall };
}
