/**
 * Reading `connect()`'s params the way k6 does: own keys in order, unknown
 * keys ignored, k6's error texts; plus wsload's extension keys.
 *
 * @module
 */
import { CookieJar } from "../http/cookie_jar.ts";
import { cookieJar } from "../http/default_jar.ts";
import type { Context } from "../context/context.ts";
import { toTagValues } from "../metrics/tags.ts";
import {
  buildRequestHeaders,
  parseCompression,
  type RequestHeaders,
} from "../transport/request.ts";
import { tlsSettings } from "../transport/tls.ts";
import {
  DEFAULT_MAX_PAYLOAD,
  type TlsOptions,
} from "../transport/transport.ts";

/** k6's handshake timeout (not configurable in k6). */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 60_000;

/** The params of one `connect()` call, validated. */
export interface ConnectSettings {
  /** Request headers (User-Agent, user headers, cookies), or gorilla's duplicate-header error. */
  readonly headers: RequestHeaders;
  /** Custom tags of every sample of the connection. */
  readonly tags: Readonly<Record<string, string>>;
  /** The jar that sent the cookies and stores the answer's `Set-Cookie`. */
  readonly jar: CookieJar;
  /** Whether to ask for permessage-deflate. */
  readonly compression: boolean;
  /** The call's `throw` param, when given. */
  readonly throw: boolean | undefined;
  /** Give up the handshake after this many milliseconds. */
  readonly handshakeTimeoutMs: number;
  /** The largest message accepted, in bytes. */
  readonly maxPayload: number;
  /** TLS settings: the context's, overridden by the `tls` param. */
  readonly tls: TlsOptions;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return `string ${JSON.stringify(value)}`;
  if (typeof value === "number" || typeof value === "boolean") {
    return `${typeof value} ${String(value)}`;
  }
  return typeof value;
}

function paramError(key: string, expected: string, value: unknown): TypeError {
  return new TypeError(
    `Invalid ws.connect() param "${key}": expected ${expected}, got ${
      describe(value)
    }`,
  );
}

function readThrow(value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "boolean") {
    throw paramError("throw", "a boolean", value);
  }
  return value;
}

function readHandshakeTimeout(value: unknown): number {
  if (value === undefined) return DEFAULT_HANDSHAKE_TIMEOUT_MS;
  if (typeof value !== "number") {
    throw paramError("handshakeTimeout", "a number of milliseconds", value);
  }
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(
      `Invalid ws.connect() param "handshakeTimeout": expected a positive, finite number of milliseconds, got ${value}`,
    );
  }
  return value;
}

function readMaxPayload(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_PAYLOAD;
  if (typeof value !== "number") {
    throw paramError("maxPayload", "a number of bytes", value);
  }
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(
      `Invalid ws.connect() param "maxPayload": expected a positive integer number of bytes, got ${value}`,
    );
  }
  return value;
}

function readTls(value: unknown, context: Context): TlsOptions {
  if (value === undefined || value === null) {
    return tlsSettings(context.options);
  }
  if (typeof value !== "object") {
    throw paramError(
      "tls",
      "an object with insecureSkipTLSVerify and/or ca",
      value,
    );
  }
  const { insecureSkipTLSVerify, ca } = value as Record<string, unknown>;
  if (
    insecureSkipTLSVerify !== undefined &&
    typeof insecureSkipTLSVerify !== "boolean"
  ) {
    throw paramError(
      "tls.insecureSkipTLSVerify",
      "a boolean",
      insecureSkipTLSVerify,
    );
  }
  let extraCA: readonly string[] = [];
  if (typeof ca === "string") extraCA = [ca];
  else if (Array.isArray(ca) && ca.every((pem) => typeof pem === "string")) {
    extraCA = ca;
  } else if (ca !== undefined) {
    throw paramError(
      "tls.ca",
      "a PEM string or an array of PEM strings",
      ca,
    );
  }
  return tlsSettings(context.options, { insecureSkipTLSVerify, ca: extraCA });
}

/**
 * Validates the params of a `connect()` call.
 *
 * @param params The params argument (`null`/`undefined`: defaults).
 * @param url The URL (for the jar's cookies).
 * @param context The calling context (User-Agent, TLS defaults, default jar).
 * @returns The settings of the dial.
 * @throws {TypeError} k6's texts for invalid tags and compression; wsload's
 * for invalid extension params.
 * @throws {RangeError} For a `handshakeTimeout` that is not positive and
 * finite, or a `maxPayload` that is not a positive integer.
 */
export function parseConnectParams(
  params: unknown,
  url: string,
  context: Context,
): ConnectSettings {
  let userHeaders: unknown;
  let tags: Record<string, string> = {};
  let jar: CookieJar | undefined;
  let compression = false;
  let throwParam: boolean | undefined;
  let handshakeTimeoutMs = DEFAULT_HANDSHAKE_TIMEOUT_MS;
  let maxPayload = DEFAULT_MAX_PAYLOAD;
  let tlsParam: unknown;
  if (params !== null && params !== undefined) {
    const object = Object(params) as Record<string, unknown>;
    for (const key of Object.keys(object)) {
      const value = object[key];
      switch (key) {
        case "headers":
          userHeaders = value;
          break;
        case "tags":
          tags = toTagValues(value, "invalid ws.connect() metric tags");
          break;
        case "jar":
          // k6 ignores anything that is not one of its cookie jars.
          if (value instanceof CookieJar) jar = value;
          break;
        case "compression":
          compression = parseCompression(value, true);
          break;
        case "throw":
          throwParam = readThrow(value);
          break;
        case "handshakeTimeout":
          handshakeTimeoutMs = readHandshakeTimeout(value);
          break;
        case "maxPayload":
          maxPayload = readMaxPayload(value);
          break;
        case "tls":
          tlsParam = value;
          break;
      }
    }
  }
  const tls = readTls(tlsParam, context);
  jar ??= context.run(cookieJar);
  const headers = buildRequestHeaders({
    userHeaders,
    userAgent: context.options.userAgent,
    cookie: jar.cookieHeader(url),
    protocolsRequested: false,
  });
  return {
    headers,
    tags,
    jar,
    compression,
    throw: throwParam,
    handshakeTimeoutMs,
    maxPayload,
    tls,
  };
}
