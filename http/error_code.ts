/**
 * k6's error codes of failed HTTP requests (`res.error_code`, the
 * `error_code` tag) and their texts (`res.error`, the `error` tag).
 *
 * @module
 */
import { classifyNetworkError } from "../transport/network_error.ts";

/** An error that already carries k6's code and text. */
export class K6HttpError extends Error {
  /** k6's error code, e.g. 1050. */
  readonly code: number;

  /**
   * Creates the error.
   *
   * @param code k6's error code.
   * @param message k6's text.
   * @param options The platform error, as `cause`.
   *
   * @example A request timeout
   * ```ts
   * import { K6HttpError, REQUEST_TIMEOUT } from "./error_code.ts";
   * import assert from "node:assert/strict";
   *
   * const error = new K6HttpError(REQUEST_TIMEOUT, "request timeout");
   * assert.equal(error.code, 1050);
   * ```
   */
  constructor(code: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "K6HttpError";
    this.code = code;
  }
}

/** Anything not classified more precisely. */
export const DEFAULT_ERROR = 1000;
/** The URL does not parse. */
export const INVALID_URL = 1020;
/** The request (or its body) took longer than its `timeout`. */
export const REQUEST_TIMEOUT = 1050;
/** A DNS failure other than "no such host". */
export const DNS_ERROR = 1100;
/** The host name does not resolve. */
export const NO_SUCH_HOST = 1101;
/** A TCP failure after the connect. */
export const TCP_ERROR = 1200;
/** Writing to a connection the peer closed. */
export const BROKEN_PIPE = 1201;
/** A TCP connect failure other than the ones below. */
export const DIAL_ERROR = 1210;
/** The TCP connect timed out. */
export const DIAL_TIMEOUT = 1211;
/** The TCP connect was refused. */
export const DIAL_REFUSED = 1212;
/** The peer reset the connection. */
export const RESET_BY_PEER = 1220;
/** The peer does not speak TLS. */
export const TLS_HEADER = 1301;
/** The server's certificate is not signed by a trusted authority. */
export const UNKNOWN_AUTHORITY = 1310;
/** The server's certificate is for another host name. */
export const HOSTNAME_MISMATCH = 1311;
/** The response body could not be decompressed. */
export const DECOMPRESSION = 1701;

/** k6's code and text of a failure. */
export interface K6ErrorInfo {
  /** The code, e.g. 1212. */
  readonly code: number;
  /** The text, e.g. `dial: connection refused`. */
  readonly message: string;
}

/**
 * k6's code and text of a failed round trip.
 *
 * @param error What the client reported: a {@link K6HttpError} or a
 * platform error.
 * @param target Where the request was going.
 * @returns The code and text k6 gives the same failure.
 *
 * @example A refused connection
 * ```ts
 * import { errorCodeFor } from "./error_code.ts";
 * import assert from "node:assert/strict";
 *
 * const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), {
 *   code: "ECONNREFUSED",
 *   syscall: "connect",
 * });
 * assert.deepEqual(errorCodeFor(refused, { host: "127.0.0.1", port: "1" }), {
 *   code: 1212,
 *   message: "dial: connection refused",
 * });
 * ```
 */
export function errorCodeFor(
  error: unknown,
  target: { readonly host: string; readonly port: string },
): K6ErrorInfo {
  if (error instanceof K6HttpError) {
    return { code: error.code, message: error.message };
  }
  const failure = classifyNetworkError(error, target);
  const operation = failure.syscall === "write" ? "write" : "read";
  switch (failure.kind) {
    case "refused":
      return { code: DIAL_REFUSED, message: "dial: connection refused" };
    case "timeout":
      return { code: DIAL_TIMEOUT, message: "dial: i/o timeout" };
    case "no-such-host":
      return { code: NO_SUCH_HOST, message: "lookup: no such host" };
    case "reset":
      return {
        code: RESET_BY_PEER,
        message: `${operation}: connection reset by peer`,
      };
    case "broken-pipe":
      return { code: BROKEN_PIPE, message: "write: broken pipe" };
    case "net-unreachable":
      return {
        code: DIAL_ERROR,
        message:
          `dial tcp ${failure.endpoint}: connect: network is unreachable`,
      };
    case "host-unreachable":
      return {
        code: DIAL_ERROR,
        message: `dial tcp ${failure.endpoint}: connect: no route to host`,
      };
    case "unknown-authority":
      return { code: UNKNOWN_AUTHORITY, message: "x509: unknown authority" };
    case "hostname":
      return {
        code: HOSTNAME_MISMATCH,
        message: "x509: certificate doesn't match hostname",
      };
    case "expired":
      return {
        code: DEFAULT_ERROR,
        message:
          "tls: failed to verify certificate: x509: certificate has expired or is not yet valid",
      };
    case "not-tls":
      return {
        code: TLS_HEADER,
        message: "tls: first record does not look like a TLS handshake",
      };
    case "eof":
      return { code: DEFAULT_ERROR, message: "EOF" };
    default:
      return { code: DEFAULT_ERROR, message: failure.message };
  }
}
