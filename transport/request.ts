/**
 * The parts of a handshake request both k6 modules build the same way:
 * Go-style header names, the default User-Agent, the jar's cookies, and the
 * headers gorilla refuses to let a user set.
 *
 * @module
 */

// RFC 7230 token characters; Go leaves names with other bytes unchanged.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Canonicalises a header name the way Go's `textproto.CanonicalMIMEHeaderKey`
 * does: the first letter and every letter after `-` upper-case, the rest
 * lower-case; names that are not HTTP tokens stay as they are.
 *
 * @param name The header name.
 * @returns The canonical name, e.g. `X-Lorem`, `Sec-Websocket-Protocol`.
 *
 * @example
 * ```ts
 * import { canonicalHeaderName } from "./request.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(canonicalHeaderName("x-lorem"), "X-Lorem");
 * assert.equal(canonicalHeaderName("SEC-WEBSOCKET-KEY"), "Sec-Websocket-Key");
 * ```
 */
export function canonicalHeaderName(name: string): string {
  if (!TOKEN.test(name)) return name;
  let upper = true;
  let result = "";
  for (const char of name) {
    result += upper ? char.toUpperCase() : char.toLowerCase();
    upper = char === "-";
  }
  return result;
}

// gorilla's Dialer refuses these in the user's headers (it sets them itself).
const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  "Upgrade",
  "Connection",
  "Sec-Websocket-Key",
  "Sec-Websocket-Version",
  "Sec-Websocket-Extensions",
]);

/** The headers of a handshake request, or why gorilla would refuse them. */
export interface RequestHeaders {
  /** Canonical name → value, in the order first set (later sets replace the value). */
  readonly headers: readonly (readonly [string, string])[];
  /**
   * `websocket: duplicate header not allowed: <Name>` when the user set a
   * header the dialer owns; the dial must then fail with this text.
   */
  readonly error: string | undefined;
}

/** Inputs of {@link buildRequestHeaders}. */
export interface RequestHeaderInput {
  /** The `headers` param: an object whose own keys are header names (`null`/`undefined`: none). */
  readonly userHeaders: unknown;
  /** The default `User-Agent` (the user's header overrides it). */
  readonly userAgent: string;
  /** The `Cookie` header from the jar (`""`: none). */
  readonly cookie: string;
  /** Whether subprotocols were requested (then a user `Sec-WebSocket-Protocol` is a duplicate). */
  readonly protocolsRequested: boolean;
}

/**
 * Builds the request headers as k6 does: `User-Agent` first, then the user's
 * headers (values `String()`-ed, names canonicalised, a later key replacing
 * an earlier one of the same canonical name), then the jar's `Cookie`.
 *
 * @param input The param values.
 * @returns The headers, and the duplicate-header error gorilla would give.
 *
 * @example A reserved header makes the dial fail
 * ```ts
 * import { buildRequestHeaders } from "./request.ts";
 * import assert from "node:assert/strict";
 *
 * const { error } = buildRequestHeaders({
 *   userHeaders: { "sec-websocket-key": "x" },
 *   userAgent: "wsload",
 *   cookie: "",
 *   protocolsRequested: false,
 * });
 * assert.equal(error, "websocket: duplicate header not allowed: Sec-Websocket-Key");
 * ```
 */
export function buildRequestHeaders(input: RequestHeaderInput): RequestHeaders {
  const headers = new Map<string, string>([["User-Agent", input.userAgent]]);
  const { userHeaders } = input;
  if (
    userHeaders !== null && userHeaders !== undefined &&
    typeof userHeaders === "object"
  ) {
    for (const [key, value] of Object.entries(userHeaders)) {
      headers.set(canonicalHeaderName(key), String(value));
    }
  }
  let error: string | undefined;
  for (const name of headers.keys()) {
    if (
      RESERVED_HEADERS.has(name) ||
      (input.protocolsRequested && name === "Sec-Websocket-Protocol")
    ) {
      error = `websocket: duplicate header not allowed: ${name}`;
      break;
    }
  }
  if (input.cookie !== "" && !headers.has("Cookie")) {
    headers.set("Cookie", input.cookie);
  }
  return { headers: [...headers], error };
}

/**
 * Reads the `compression` param. Both modules trim it and accept only
 * `"deflate"`; the legacy module also takes an empty value as "no
 * compression", the standard one refuses it.
 *
 * @param value The param value (converted with `String()`, as k6 does).
 * @param allowEmpty Whether `""` (after trimming) means no compression.
 * @returns Whether to request permessage-deflate.
 * @throws {TypeError} `unsupported compression algorithm '<value>', supported algorithm is 'deflate'`.
 *
 * @example
 * ```ts
 * import { parseCompression } from "./request.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parseCompression("deflate ", false), true);
 * assert.equal(parseCompression("  ", true), false);
 * assert.throws(() => parseCompression("gzip", true), /supported algorithm is 'deflate'/);
 * ```
 */
export function parseCompression(value: unknown, allowEmpty: boolean): boolean {
  const algorithm = String(value).trim();
  if (algorithm === "" && allowEmpty) return false;
  if (algorithm !== "deflate") {
    throw new TypeError(
      `unsupported compression algorithm '${algorithm}', supported algorithm is 'deflate'`,
    );
  }
  return true;
}
