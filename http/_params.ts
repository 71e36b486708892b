/**
 * Reading a request's `params` the way k6 does (`http.Client.parseRequest`):
 * own keys in order, unknown keys ignored, k6's error texts.
 *
 * @module
 */
import { parseDuration } from "../internal/go_duration.ts";
import { toTagValues } from "../metrics/tags.ts";
import { canonicalHeaderName } from "../transport/request.ts";
import { CookieJar } from "./cookie_jar.ts";
import { ExpectedStatuses } from "./expected_statuses.ts";
import { parseCompression } from "./_body.ts";
import type { ResponseType } from "./_round_trip.ts";

/** k6's default request timeout. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** A cookie of the `cookies` param. */
export interface ParamCookie {
  /** Its value. */
  readonly value: string;
  /** Whether it replaces a jar cookie of the same name. */
  readonly replace: boolean;
}

/** What the params change from the defaults; `undefined` = not given. */
export interface RequestParams {
  /** Headers by canonical name (later keys replace earlier ones). */
  readonly headers: ReadonlyMap<string, string>;
  /** The `cookies` param. */
  readonly cookies: ReadonlyMap<string, ParamCookie>;
  /** The `jar` param. */
  readonly jar: CookieJar | undefined;
  /** The `compression` param's algorithms. */
  readonly compression: readonly string[];
  /** The `redirects` param. */
  readonly redirects: number | undefined;
  /** The `tags` param. */
  readonly tags: Readonly<Record<string, string>>;
  /** The `auth` param. */
  readonly auth: string | undefined;
  /** The `timeout` param, ms. */
  readonly timeoutMs: number | undefined;
  /** The `throw` param. */
  readonly throw: boolean | undefined;
  /** The `responseType` param. */
  readonly responseType: ResponseType | undefined;
  /**
   * The `responseCallback` param: a callback, `null` (none) or `undefined`
   * (the client's).
   */
  readonly responseCallback: ExpectedStatuses | null | undefined;
}

const RESPONSE_TYPES: readonly ResponseType[] = ["text", "binary", "none"];

/** k6's ToInteger of a JS value. */
function toInteger(value: unknown): number {
  const number = Number(value);
  if (Number.isNaN(number)) return 0;
  return Math.trunc(number);
}

function readCookies(value: unknown): Map<string, ParamCookie> {
  const cookies = new Map<string, ParamCookie>();
  if (value === null || value === undefined || typeof value !== "object") {
    return cookies;
  }
  for (const [name, cookie] of Object.entries(value)) {
    if (cookie === null || cookie === undefined) continue;
    if (typeof cookie === "object" && !Array.isArray(cookie)) {
      let text = "";
      let replace = false;
      for (const [attribute, item] of Object.entries(cookie)) {
        switch (attribute.toLowerCase()) {
          case "replace":
            replace = Boolean(item);
            break;
          case "value":
            text = String(item);
            break;
        }
      }
      cookies.set(name, { value: text, replace });
    } else {
      cookies.set(name, { value: String(cookie), replace: false });
    }
  }
  return cookies;
}

function readHeaders(value: unknown): Map<string, string> {
  const headers = new Map<string, string>();
  if (value === null || value === undefined || typeof value !== "object") {
    return headers;
  }
  for (const [name, item] of Object.entries(value)) {
    headers.set(canonicalHeaderName(name), String(item));
  }
  return headers;
}

function readTimeout(value: unknown): number {
  try {
    if (typeof value === "number" || typeof value === "string") {
      return parseDuration(value);
    }
    if (typeof value === "bigint") return Number(value);
    throw new TypeError(
      `unable to use type ${typeof value} as a duration value`,
    );
  } catch (error) {
    throw new TypeError(
      `invalid timeout value: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** The params of a request that gives none. */
const NO_PARAMS: RequestParams = Object.freeze({
  headers: new Map<string, string>(),
  cookies: new Map<string, ParamCookie>(),
  jar: undefined,
  compression: Object.freeze([]) as readonly string[],
  redirects: undefined,
  tags: Object.freeze({}),
  auth: undefined,
  timeoutMs: undefined,
  throw: undefined,
  responseType: undefined,
  responseCallback: undefined,
});

/**
 * Reads the params of a request.
 *
 * @param params The params argument (`null`/`undefined`: none).
 * @returns What they set.
 * @throws {TypeError} k6's texts: `invalid HTTP request metric tags: …`,
 * `invalid timeout value: …`, `<x> does not belong to ResponseType values`,
 * `unsupported responseCallback`, `unknown compression algorithm …`.
 */
export function parseRequestParams(params: unknown): RequestParams {
  if (params === null || params === undefined) return NO_PARAMS;
  let headers = new Map<string, string>();
  let cookies = new Map<string, ParamCookie>();
  let jar: CookieJar | undefined;
  let compression: string[] = [];
  let redirects: number | undefined;
  let tags: Record<string, string> = {};
  let auth: string | undefined;
  let timeoutMs: number | undefined;
  let throwParam: boolean | undefined;
  let responseType: ResponseType | undefined;
  let responseCallback: ExpectedStatuses | null | undefined;
  if (params !== null && params !== undefined) {
    const object = Object(params) as Record<string, unknown>;
    for (const key of Object.keys(object)) {
      const value = object[key];
      switch (key) {
        case "cookies":
          cookies = readCookies(value);
          break;
        case "headers":
          headers = readHeaders(value);
          break;
        case "jar":
          if (value instanceof CookieJar) jar = value;
          break;
        case "compression":
          compression = parseCompression(value);
          break;
        case "redirects":
          redirects = toInteger(value);
          break;
        case "tags":
          tags = toTagValues(value, "invalid HTTP request metric tags");
          break;
        case "auth":
          auth = String(value);
          if (auth === "digest" || auth === "ntlm") {
            throw new TypeError(
              `auth "${auth}" is not supported by wsload: use "basic" (credentials in the URL) or set the Authorization header`,
            );
          }
          break;
        case "timeout":
          timeoutMs = readTimeout(value);
          break;
        case "throw":
          throwParam = Boolean(value);
          break;
        case "responseType": {
          const text = String(value);
          if (!(RESPONSE_TYPES as readonly string[]).includes(text)) {
            throw new TypeError(
              `${text} does not belong to ResponseType values`,
            );
          }
          responseType = text as ResponseType;
          break;
        }
        case "responseCallback":
          if (value === null || value === undefined) responseCallback = null;
          else if (value instanceof ExpectedStatuses) responseCallback = value;
          else throw new TypeError("unsupported responseCallback");
          break;
      }
    }
  }
  return {
    headers,
    cookies,
    jar,
    compression,
    redirects,
    tags,
    auth,
    timeoutMs,
    throw: throwParam,
    responseType,
    responseCallback,
  };
}
