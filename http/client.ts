/**
 * k6's HTTP client: `request()` from its arguments to its `Response` —
 * params, body, cookies, redirects, k6's metrics, error codes and the
 * `throw` option — over the VU's connections.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { type Context, currentContext } from "../context/context.ts";
import { tlsSettings } from "../transport/tls.ts";
import type { CookieJar } from "./cookie_jar.ts";
import { parseSetCookie } from "./_set_cookie.ts";
import { cookieJar } from "./default_jar.ts";
import {
  DEFAULT_EXPECTED_STATUSES,
  type ExpectedStatuses,
} from "./expected_statuses.ts";
import {
  DEFAULT_ERROR,
  errorCodeFor,
  INVALID_URL,
  type K6ErrorInfo,
  K6HttpError,
} from "./error_code.ts";
import {
  NO_OCSP,
  type RequestCookie,
  type RequestInfo,
  Response,
  type ResponseCookie,
} from "./response.ts";
import { cleanURL, HttpURL } from "./url.ts";
import { compressBody, encodeBody } from "./_body.ts";
import { emitRoundTrip, statusErrorCode } from "./_metrics.ts";
import {
  DEFAULT_TIMEOUT_MS,
  parseRequestParams,
  type RequestParams,
} from "./_params.ts";
import { ConnectionPool } from "./_pool.ts";
import {
  keepsSensitiveHeaders,
  redirectStep,
  refererFor,
} from "./_redirect.ts";
import {
  roundTrip,
  type WireRequest,
  type WireResponse,
} from "./_round_trip.ts";
import { NO_TIMINGS } from "./_trace.ts";

/** k6's default of the `maxRedirects` option. */
export const DEFAULT_MAX_REDIRECTS = 10;
/** Go's zero time as k6 prints a cookie's missing `Expires`. */
const GO_ZERO_TIME_MS = -6795364578871;

const decoder = new TextDecoder();
/** The OCSP information of a TLS response (wsload never staples). */
const UNKNOWN_OCSP = Object.freeze({ ...NO_OCSP, status: "unknown" });

/** A VU's HTTP state: its connections and its response callback. */
class VUClient {
  /** The response callback (`setResponseCallback`); `null` for none. */
  responseCallback: ExpectedStatuses | null = DEFAULT_EXPECTED_STATUSES;
  #pool: ConnectionPool | undefined;
  #iteration: Context | undefined;

  /**
   * The VU's connections, created on first use with the context's options.
   * With `noVUConnectionReuse`, a new iteration closes the idle ones first.
   */
  pool(context: Context): ConnectionPool {
    const options = context.options;
    const http = options.http ?? {};
    if (this.#pool === undefined) {
      this.#pool = new ConnectionPool({
        tls: tlsSettings(options),
        hosts: lowerCaseKeys(options.hosts ?? {}),
        keepAlive: http.noConnectionReuse !== true,
        maxIdlePerHost: http.batchPerHost || 2,
      });
    } else if (
      http.noVUConnectionReuse === true && this.#iteration !== context.root
    ) {
      this.#pool.closeIdle();
    }
    this.#iteration = context.root;
    return this.#pool;
  }
}

function lowerCaseKeys(
  record: Readonly<Record<string, string>>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [key.toLowerCase(), value]),
  );
}

const CLIENT_KEY = Symbol("wsload.httpClient");

function vuClient(context: Context): VUClient {
  return context.vuLocal(CLIENT_KEY, () => new VUClient());
}

/**
 * Sets the response callback of the calling VU's requests (k6's
 * `http.setResponseCallback`): which statuses count as expected.
 *
 * @param callback From `expectedStatuses()`, or `null` for none (then no
 * `expected_response` tag and no `http_req_failed` samples).
 * @throws {TypeError} `unsupported argument, expected http.expectedStatuses`.
 *
 * @example Only 2xx are expected
 * ```ts
 * import { setResponseCallback } from "./client.ts";
 * import { expectedStatuses } from "./expected_statuses.ts";
 *
 * setResponseCallback(expectedStatuses({ min: 200, max: 299 }));
 * ```
 */
export function setResponseCallback(callback: unknown): void {
  const client = vuClient(currentContext());
  if (callback === null || callback === undefined) {
    client.responseCallback = null;
    return;
  }
  if (
    typeof callback !== "object" ||
    !("match" in callback) || typeof callback.match !== "function"
  ) {
    throw new TypeError("unsupported argument, expected http.expectedStatuses");
  }
  client.responseCallback = callback as ExpectedStatuses;
}

/** A request ready to go: the URL, its parts and settings. */
interface PreparedRequest {
  readonly method: string;
  /** The URL as given (a string). */
  readonly urlText: string;
  /** The parsed URL (`undefined` when the scheme is not http/https). */
  readonly url: URL;
  /** `http.url`'s template, when the name tag comes from it. */
  readonly templateName: string | undefined;
  readonly params: RequestParams;
  readonly headers: Map<string, string>;
  readonly body: Uint8Array | undefined;
  readonly bodyText: string;
  readonly jar: CookieJar;
}

/** The parts of a request's URL argument. */
function readURL(value: unknown): { text: string; name: string | undefined } {
  if (value instanceof HttpURL) return { text: value.url, name: value.name };
  if (typeof value === "string") return { text: value, name: undefined };
  throw new K6HttpError(INVALID_URL, `invalid URL: '#${String(value)}'`);
}

// A loop asks for the same few URLs again and again: each is parsed once.
// The URLs are never changed after parsing (every redirect makes a new one).
const parsedURLs = new Map<string, URL>();
const PARSED_URLS_KEPT = 256;

function parseURL(text: string): URL {
  const known = parsedURLs.get(text);
  if (known !== undefined) return known;
  try {
    const url = new URL(text);
    if (parsedURLs.size >= PARSED_URLS_KEPT) parsedURLs.clear();
    parsedURLs.set(text, url);
    return url;
  } catch (error) {
    throw new K6HttpError(
      INVALID_URL,
      `invalid URL: parse ${JSON.stringify(text)}: invalid URL`,
      { cause: error },
    );
  }
}

function prepare(
  context: Context,
  method: string,
  urlArgument: unknown,
  body: unknown,
  paramsArgument: unknown,
): PreparedRequest {
  const { text, name } = readURL(urlArgument);
  const url = parseURL(text);
  const encoded = encodeBody(body);
  const params = parseRequestParams(paramsArgument);
  const headers = new Map<string, string>();
  if (encoded.contentType !== undefined) {
    headers.set("Content-Type", encoded.contentType);
  }
  headers.set("User-Agent", context.options.userAgent);
  for (const [header, value] of params.headers) headers.set(header, value);
  let bytes = encoded.bytes;
  const bodyText = bytes === undefined ? "" : decoder.decode(bytes);
  if (bytes !== undefined && params.compression.length > 0) {
    const compressed = compressBody(bytes, params.compression);
    bytes = compressed.bytes;
    const current = headers.get("Content-Encoding");
    if (current === undefined) {
      headers.set("Content-Encoding", compressed.contentEncoding);
    } else if (current !== compressed.contentEncoding) {
      context.warn(
        `There's a mismatch between the desired \`compression\` the manually set \`Content-Encoding\` header in the ${method} request for '${text}', the custom header has precedence and won't be overwritten. This may result in invalid data being sent to the server.`,
      );
    }
  }
  const contentLength = headers.get("Content-Length");
  if (contentLength !== undefined) {
    // Set from the body as Go does; the script's value only warns.
    headers.delete("Content-Length");
    const length = bytes?.byteLength ?? 0;
    if (String(length) !== contentLength.trim()) {
      context.warn(
        `The specified Content-Length header ${
          JSON.stringify(contentLength)
        } in the ${method} request for ${text} doesn't match the actual request body length of ${length}, so it will be ignored!`,
      );
    }
  }
  return {
    method,
    urlText: text,
    url,
    templateName: name,
    params,
    headers,
    body: bytes,
    bodyText,
    jar: params.jar ?? context.run(cookieJar),
  };
}

/**
 * A cookie value as Go's `http.Cookie` writes it: bytes a cookie value may
 * not hold are dropped, and a value with a space or a comma is quoted.
 */
function cookieValue(value: string): string {
  const valid = value.replace(
    /[^\x20\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e,]/g,
    "",
  );
  return / |,/.test(valid) ? `"${valid}"` : valid;
}

/** The `Cookie` header of one round trip: the params' cookies, then the jar's. */
function cookieHeader(request: PreparedRequest, url: URL): string {
  const parts: string[] = [];
  const replaced = new Set<string>();
  for (const [name, cookie] of request.params.cookies) {
    parts.push(`${name}=${cookieValue(cookie.value)}`);
    if (cookie.replace) replaced.add(name);
  }
  // Most requests go with an empty jar: no URL parsing then.
  if (request.jar.cookieHeader(url) === "") return parts.join("; ");
  const jarCookies = request.jar.cookiesForURL(url.href);
  for (const [name, values] of Object.entries(jarCookies)) {
    if (replaced.has(name)) continue;
    for (const value of values) parts.push(`${name}=${cookieValue(value)}`);
  }
  return parts.join("; ");
}

/** The headers of one round trip, as `node:http` takes them. */
function sentHeaders(
  headers: ReadonlyMap<string, string>,
  cookies: string,
  url: URL,
): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of headers) record[name] = value;
  if (cookies !== "") {
    const existing = record.Cookie;
    record.Cookie = existing ? `${existing}; ${cookies}` : cookies;
  }
  // Go sends a URL's credentials as basic auth (k6's `auth: "basic"`).
  if ((url.username !== "" || url.password !== "") && !record.Authorization) {
    const credentials = `${decodeURIComponent(url.username)}:${
      decodeURIComponent(url.password)
    }`;
    record.Authorization = `Basic ${
      Buffer.from(credentials).toString("base64")
    }`;
  }
  return record;
}

function requestInfo(
  request: PreparedRequest,
  headers: Readonly<Record<string, string>>,
): RequestInfo {
  const cookies: Record<string, RequestCookie[]> = {};
  const cookieHeader = headers.Cookie;
  if (cookieHeader !== undefined) {
    for (const part of cookieHeader.split(";")) {
      const equals = part.indexOf("=");
      if (equals <= 0) continue;
      const name = part.slice(0, equals).trim();
      (cookies[name] ??= []).push({
        name,
        value: part.slice(equals + 1).trim().replace(/^"(.*)"$/, "$1"),
        replace: false,
      });
    }
  }
  const headerRecord: Record<string, string[]> = {};
  for (const name in headers) headerRecord[name] = [headers[name]];
  return {
    method: request.method,
    url: request.urlText,
    headers: headerRecord,
    body: request.bodyText,
    cookies,
  };
}

function responseHeaders(wire: WireResponse): Record<string, string> {
  const headers: Record<string, string> = {};
  const raw = wire.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = canonical(raw[i]);
    const value = raw[i + 1];
    // Go keeps the framing to itself.
    if (name === "Transfer-Encoding") continue;
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  return headers;
}

// Servers repeat the same few header names: canonicalise each once.
const canonicalNames = new Map<string, string>();

function canonical(name: string): string {
  let result = canonicalNames.get(name);
  if (result === undefined) {
    result = name.split("-").map((part) =>
      part.charAt(0).toUpperCase() + part.slice(1).toLowerCase()
    ).join("-");
    if (canonicalNames.size < 1000) canonicalNames.set(name, result);
  }
  return result;
}

/** A response header's values, by lower-case name. */
function headerValues(wire: WireResponse, lowerCaseName: string): string[] {
  const values: string[] = [];
  const raw = wire.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (
      raw[i].length === lowerCaseName.length &&
      raw[i].toLowerCase() === lowerCaseName
    ) {
      values.push(raw[i + 1]);
    }
  }
  return values;
}

function setCookies(wire: WireResponse): string[] {
  return headerValues(wire, "set-cookie");
}

function responseCookies(
  wire: WireResponse,
): Record<string, ResponseCookie[]> {
  const cookies: Record<string, ResponseCookie[]> = {};
  for (const header of setCookies(wire)) {
    const spec = parseSetCookie(header);
    if (spec === undefined) continue;
    (cookies[spec.name] ??= []).push({
      name: spec.name,
      value: spec.value,
      domain: spec.domain ?? "",
      path: spec.path ?? "",
      http_only: spec.httpOnly ?? false,
      secure: spec.secure ?? false,
      max_age: spec.maxAge ?? 0,
      expires: spec.expires ?? GO_ZERO_TIME_MS,
    });
  }
  return cookies;
}

/** Go's `Get "url": …` prefix of a client error. */
function goMethod(method: string): string {
  return method.charAt(0) + method.slice(1).toLowerCase();
}

/** The single place where a request goes on the wire. */
function issue(wire: WireRequest): Promise<WireResponse> {
  return roundTrip(wire);
}

/** A round trip that failed before it began (unsupported scheme). */
function refusedRoundTrip(error: K6HttpError): WireResponse {
  return {
    timings: NO_TIMINGS,
    end: performance.now(),
    status: 0,
    statusMessage: "",
    proto: "",
    rawHeaders: [],
    body: undefined,
    remoteAddress: "",
    remotePort: 0,
    tlsVersion: "",
    tlsCipherSuite: "",
    bytesSent: 0,
    bytesReceived: 0,
    error,
  };
}

interface Outcome {
  readonly response: Response;
  /** The text `throw` rejects with and the warning logs. */
  readonly failure: string | undefined;
}

/** A cancellation flag set when the iteration is interrupted. */
interface Cancellation {
  cancelled: boolean;
}

/**
 * Makes a prepared request: its round trips, redirects followed, and its
 * Response. Holds the iteration while it runs, and reports a failure as k6
 * does (a warning, or a rejection with `throw`).
 */
async function perform(
  context: Context,
  request: PreparedRequest,
): Promise<Response> {
  const release = context.hold();
  try {
    const cancellation: Cancellation = { cancelled: false };
    const outcome = await exchange(context, request, cancellation);
    if (outcome.failure !== undefined && !cancellation.cancelled) {
      if (request.params.throw ?? context.options.throw) {
        throw new Error(outcome.failure);
      }
      context.warn("Request Failed", { error: outcome.failure });
    }
    return outcome.response;
  } finally {
    // Released after the callbacks on the returned promise (`.then(…)` of
    // an unawaited request) ran: they are the iteration's work too. The
    // first hop runs before the promise settles, the second after them.
    queueMicrotask(() => queueMicrotask(release));
  }
}

/** The round trips of a request, redirects followed, and its Response. */
async function exchange(
  context: Context,
  request: PreparedRequest,
  cancellation: Cancellation,
): Promise<Outcome> {
  const client = vuClient(context);
  const options = context.options;
  const httpOptions = options.http ?? {};
  const params = request.params;
  const expected = params.responseCallback === undefined
    ? client.responseCallback
    : params.responseCallback;
  const templateName = request.templateName !== undefined &&
      !("name" in params.tags) && !("name" in context.tags) &&
      options.systemTags.has("name") &&
      request.templateName !== cleanURL(request.urlText)
    ? request.templateName
    : undefined;
  // The context's own tags object when the request adds none: the samples'
  // tags are then cached per context (see emitRoundTrip).
  let tags = context.tags;
  if (Object.keys(params.tags).length > 0 || templateName !== undefined) {
    const merged: Record<string, string> = { ...context.tags, ...params.tags };
    if (templateName !== undefined) merged.name = templateName;
    tags = Object.freeze(merged);
  }
  const maxRedirects = params.redirects ?? httpOptions.maxRedirects ??
    DEFAULT_MAX_REDIRECTS;
  const deadline = performance.now() +
    (params.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const keepBody = (params.responseType ??
    (httpOptions.discardResponseBodies ? "none" : "text")) !== "none";
  const pool = client.pool(context);

  let url = request.url;
  let method = request.method;
  let body = request.body;
  // Copied only when a redirect changes them.
  let headers: ReadonlyMap<string, string> = request.headers;
  let firstHeaders: Record<string, string> | undefined;
  let hops = 0;
  let wire: WireResponse;
  let failure: K6ErrorInfo | undefined;
  for (;;) {
    hops++;
    const sent = sentHeaders(headers, cookieHeader(request, url), url);
    firstHeaders ??= sent;
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      wire = refusedRoundTrip(
        new K6HttpError(
          DEFAULT_ERROR,
          `unsupported protocol scheme ${
            JSON.stringify(url.protocol.slice(0, -1))
          }`,
        ),
      );
    } else {
      wire = await issue({
        method,
        url,
        headers: sent,
        body,
        keepBody,
        pool,
        deadline,
        onCancel: (cancel) =>
          context.onCancel(() => {
            cancellation.cancelled = true;
            cancel();
          }),
      });
    }
    context.countBytes(wire.bytesSent, wire.bytesReceived);
    failure = wire.error === undefined
      ? undefined
      : errorCodeFor(wire.error, { host: url.hostname, port: url.port });
    if (cancellation.cancelled) break;
    emitRoundTrip(context, {
      tags,
      url: cleanURL(url.href),
      method,
      status: wire.status,
      proto: wire.proto,
      tlsVersion: wire.tlsVersion,
      remoteIP: wire.remoteAddress,
      failure,
      expected,
      timings: wire.timings,
      time: performance.timeOrigin + wire.end,
    });
    if (failure !== undefined) break;
    const location = headerValues(wire, "location")[0];
    const step = redirectStep(wire.status, location, url, method);
    if (step === undefined) break;
    const cookies = setCookies(wire);
    if (cookies.length > 0) request.jar.storeSetCookies(url, cookies);
    if (hops > maxRedirects) {
      if (
        params.redirects === undefined && httpOptions.maxRedirects === undefined
      ) {
        context.warn(
          `Stopped after ${hops} redirects and returned the redirection; pass { redirects: n } in request params or set global maxRedirects to silence this`,
          { url: cleanURL(request.urlText) },
        );
      }
      break;
    }
    const next = new Map(headers);
    next.delete("Cookie");
    if (!keepsSensitiveHeaders(url, step.url)) {
      for (const name of ["Authorization", "Www-Authenticate", "Cookie2"]) {
        next.delete(name);
      }
    }
    const referer = refererFor(url, step.url);
    if (referer !== "") next.set("Referer", referer);
    if (!step.keepBody) body = undefined;
    headers = next;
    url = step.url;
    method = step.method;
  }

  if (wire.status === 101 && failure === undefined) {
    throw new Error(
      `unsupported response status: 101 ${wire.statusMessage}`.trimEnd(),
    );
  }
  const answered = failure === undefined;
  if (answered) {
    const cookies = setCookies(wire);
    if (cookies.length > 0) request.jar.storeSetCookies(url, cookies);
  }
  let responseBody: string | ArrayBuffer | null = null;
  if (answered && wire.body !== undefined) {
    responseBody = params.responseType === "binary"
      ? wire.body.buffer.slice(
        wire.body.byteOffset,
        wire.body.byteOffset + wire.body.byteLength,
      ) as ArrayBuffer
      : decoder.decode(wire.body);
  } else if (answered && keepBody) {
    responseBody = params.responseType === "binary" ? new ArrayBuffer(0) : "";
  }
  const response = new Response({
    remote_ip: wire.remoteAddress,
    remote_port: wire.remotePort,
    url: answered ? url.href : request.urlText,
    status: wire.status,
    status_text: answered ? `${wire.status} ${wire.statusMessage}` : "",
    proto: wire.proto,
    headers: answered ? responseHeaders(wire) : {},
    cookies: answered ? responseCookies(wire) : {},
    body: responseBody,
    timings: wire.timings,
    tls_version: wire.tlsVersion,
    tls_cipher_suite: wire.tlsCipherSuite,
    ocsp: wire.tlsVersion === "" ? NO_OCSP : UNKNOWN_OCSP,
    error: failure?.message ?? "",
    error_code: failure?.code ?? statusErrorCode(wire.status),
    request: requestInfo(request, firstHeaders),
  });
  let failureText: string | undefined;
  if (failure !== undefined) {
    failureText = failure.code === 1701 || cancellation.cancelled
      ? failure.message
      : `${goMethod(request.method)} ${
        JSON.stringify(cleanURL(url.href))
      }: ${failure.message}`;
  }
  return { response, failure: failureText };
}

/**
 * Makes an HTTP request (k6's `http.request(method, url, body, params)`),
 * in the calling code's context: its tags, options and VU's connections.
 * The request keeps the iteration alive until it is done.
 *
 * A request that fails (network, timeout, bad params) resolves with a
 * response whose `error` and `error_code` say why, and logs a `Request
 * Failed` warning; with the `throw` param or option it rejects instead.
 *
 * @param method The method (upper-cased as given, e.g. `GET`).
 * @param url The URL: a string or an `http.url` result.
 * @param body `null`/`undefined`, a string, an `ArrayBuffer`, a typed
 * array, or an object (a form; multipart when a value is `http.file()`).
 * @param params k6's params: `headers`, `tags`, `timeout`, `cookies`,
 * `jar`, `redirects`, `responseType`, `responseCallback`, `compression`,
 * `auth` (`"basic"` with credentials in the URL), `throw`.
 * @returns The response.
 *
 * @example A GET against the embedded test server
 * ```ts
 * import { request } from "./client.ts";
 * import { startHttpServer } from "../server/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const server = await startHttpServer();
 * const res = await request("GET", `${server.url}/api/json?hello=world`);
 * assert.equal(res.status, 200);
 * assert.deepEqual(res.json(), { hello: "world" });
 * await server.close();
 * ```
 */
export function request(
  method: string,
  url: unknown,
  body?: unknown,
  params?: unknown,
): Promise<Response> {
  const context = currentContext();
  let prepared: PreparedRequest;
  try {
    prepared = prepare(context, String(method), url, body, params);
  } catch (error) {
    try {
      return Promise.resolve(
        failedToPrepare(context, method, url, params, error),
      );
    } catch (thrown) {
      return Promise.reject(thrown);
    }
  }
  return perform(context, prepared);
}

function failedToPrepare(
  context: Context,
  method: unknown,
  url: unknown,
  params: unknown,
  error: unknown,
): Response {
  const message = error instanceof Error ? error.message : String(error);
  const throwParam = params !== null && typeof params === "object" &&
      "throw" in params
    ? Boolean((params as { throw: unknown }).throw)
    : undefined;
  if (throwParam ?? context.options.throw) throw error;
  context.warn("Request Failed", { error: message });
  const code = error instanceof K6HttpError ? error.code : 0;
  const text = url instanceof HttpURL ? url.url : String(url);
  return Response.failed(text, String(method), message, code);
}
