/**
 * Reads and validates the `params` of `new WebSocket()`, in k6's order and
 * with k6's texts (wsload's own keys get texts of the same form).
 *
 * @module
 */
import { CookieJar } from "../http/cookie_jar.ts";
import { toTagValues } from "../metrics/tags.ts";
import { canonicalHeaderName, parseCompression } from "../transport/request.ts";
import type { TransportName } from "../transport/transport.ts";
import { goTypeName } from "../internal/go_type.ts";
import { DEFAULT_HANDSHAKE_TIMEOUT_MS, DEFAULT_MAX_PAYLOAD } from "./params.ts";

/** The params of one socket, validated. */
export interface SocketParams {
  /** The `headers` param as given (read by `buildRequestHeaders`). */
  readonly headers: unknown;
  /** Whether `headers` sets `Host` or `User-Agent` (Deno's WebSocket cannot). */
  readonly setsHostOrUserAgent: boolean;
  /** The custom tags, stringified. */
  readonly tags: Readonly<Record<string, string>>;
  /** The `jar` param when it is a CookieJar (anything else is ignored, as in k6). */
  readonly jar: CookieJar | undefined;
  /** Whether permessage-deflate is requested. */
  readonly compression: boolean;
  /** The forced transport; `undefined` for `"auto"`. */
  readonly transport: TransportName | undefined;
  /** The handshake timeout in milliseconds. */
  readonly handshakeTimeoutMs: number;
  /** The largest message accepted, in bytes. */
  readonly maxPayload: number;
  /** `tls.insecureSkipTLSVerify`, when given. */
  readonly insecureSkipTLSVerify: boolean | undefined;
  /** `tls.ca`, when given. */
  readonly ca: readonly string[] | undefined;
}

const DEFAULTS: SocketParams = Object.freeze({
  headers: undefined,
  setsHostOrUserAgent: false,
  tags: Object.freeze({}),
  jar: undefined,
  compression: false,
  transport: undefined,
  handshakeTimeoutMs: DEFAULT_HANDSHAKE_TIMEOUT_MS,
  maxPayload: DEFAULT_MAX_PAYLOAD,
  insecureSkipTLSVerify: undefined,
  ca: undefined,
});

function describe(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : goTypeName(value);
}

function setsHostOrUserAgent(headers: unknown): boolean {
  if (typeof headers !== "object" || headers === null) return false;
  return Object.keys(headers).some((name) => {
    const canonical = canonicalHeaderName(name);
    return canonical === "Host" || canonical === "User-Agent";
  });
}

function parseTransport(value: unknown): TransportName | undefined {
  if (value === "auto") return undefined;
  if (value === "native" || value === "ws") return value;
  throw new TypeError(
    `invalid WebSocket's option transport: expected "auto", "native" or "ws", got ${
      describe(value)
    }`,
  );
}

function parseHandshakeTimeout(value: unknown): number {
  if (typeof value !== "number" || !(value > 0)) {
    throw new RangeError(
      `invalid WebSocket's option handshakeTimeout: expected a positive number of milliseconds, got ${
        describe(value)
      }`,
    );
  }
  return value;
}

function parseMaxPayload(value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(
      `invalid WebSocket's option maxPayload: expected a positive integer number of bytes, got ${
        describe(value)
      }`,
    );
  }
  return value;
}

function parseTls(
  value: unknown,
): Pick<SocketParams, "insecureSkipTLSVerify" | "ca"> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(
      `invalid WebSocket's option tls: expected an object, got ${
        describe(value)
      }`,
    );
  }
  let insecureSkipTLSVerify: boolean | undefined;
  let ca: readonly string[] | undefined;
  for (const [key, item] of Object.entries(value)) {
    switch (key) {
      case "insecureSkipTLSVerify":
        if (item === undefined) break;
        if (typeof item !== "boolean") {
          throw new TypeError(
            `invalid WebSocket's option tls.insecureSkipTLSVerify: expected a boolean, got ${
              describe(item)
            }`,
          );
        }
        insecureSkipTLSVerify = item;
        break;
      case "ca":
        if (item === undefined) break;
        if (typeof item === "string") {
          ca = [item];
        } else if (
          Array.isArray(item) && item.every((pem) => typeof pem === "string")
        ) {
          ca = [...item];
        } else {
          throw new TypeError(
            `invalid WebSocket's option tls.ca: expected a PEM string or an array of them, got ${
              describe(item)
            }`,
          );
        }
        break;
      default:
        throw new TypeError(
          `unknown WebSocket's option tls.${key}: the supported ones are insecureSkipTLSVerify and ca`,
        );
    }
  }
  return { insecureSkipTLSVerify, ca };
}

/**
 * Validates the params of `new WebSocket(url, protocols, params)`. Keys are
 * read in their own order, as k6 does, and the first bad one throws.
 *
 * @param raw The `params` argument (`null`/`undefined`: defaults).
 * @returns The validated params.
 * @throws {TypeError} `unknown WebSocket's option <key>`; `unsupported
 * compression algorithm '<value>', supported algorithm is 'deflate'`;
 * `invalid WebSocket tags option: invalid value for metric tag '<key>': …`;
 * an invalid `transport` or `tls`.
 * @throws {RangeError} An invalid `handshakeTimeout` or `maxPayload`.
 *
 * @example Validate params
 * ```ts
 * import { parseParams } from "./_params.ts";
 * import assert from "node:assert/strict";
 *
 * const params = parseParams({ tags: { version: 13 }, compression: "deflate " });
 * assert.deepEqual(params.tags, { version: "13" });
 * assert.equal(params.compression, true);
 * assert.throws(() => parseParams({ foo: 1 }), /^TypeError: unknown WebSocket's option foo$/);
 * ```
 */
export function parseParams(raw: unknown): SocketParams {
  if (raw === null || raw === undefined) return DEFAULTS;
  const params = Object(raw) as Record<string, unknown>;
  const parsed: { -readonly [K in keyof SocketParams]: SocketParams[K] } = {
    ...DEFAULTS,
  };
  for (const key of Object.keys(params)) {
    const value = params[key];
    switch (key) {
      case "headers":
        parsed.headers = value;
        parsed.setsHostOrUserAgent = setsHostOrUserAgent(value);
        break;
      case "tags":
        parsed.tags = toTagValues(value, "invalid WebSocket tags option");
        break;
      case "jar":
        parsed.jar = value instanceof CookieJar ? value : undefined;
        break;
      case "compression":
        parsed.compression = parseCompression(value, false);
        break;
      case "transport":
        if (value === undefined) break;
        parsed.transport = parseTransport(value);
        break;
      case "handshakeTimeout":
        if (value === undefined) break;
        parsed.handshakeTimeoutMs = parseHandshakeTimeout(value);
        break;
      case "maxPayload":
        if (value === undefined) break;
        parsed.maxPayload = parseMaxPayload(value);
        break;
      case "tls":
        if (value === undefined) break;
        Object.assign(parsed, parseTls(value));
        break;
      default:
        throw new TypeError(`unknown WebSocket's option ${key}`);
    }
  }
  return parsed;
}
