/**
 * The `k6/http` module of a script run by `wsload run`: k6's HTTP client,
 * with k6's params, `Response`, metrics, tags, error codes and options
 * (`maxRedirects`, `batch`, `batchPerHost`, `discardResponseBodies`,
 * `noConnectionReuse`, `noVUConnectionReuse`, `hosts`, `userAgent`,
 * `insecureSkipTLSVerify`, `tlsAuth`, `tlsVersion`), each VU with its own
 * kept-alive connections. Named exports and the default export object
 * (`import http from "k6/http"`) hold the same members.
 *
 * Differences from k6:
 * - Requests return promises (k6 blocks): `wsload run`'s loader awaits
 *   them for k6 scripts, and the VU's events wait while one is in flight,
 *   as in k6. `asyncRequest` returns a promise in both and does not block.
 * - HTTP/1.1 only (k6 negotiates HTTP/2 over TLS when the server offers it).
 * - `res.html()`, `res.submitForm()` and `res.clickLink()` throw: wsload
 *   has no `k6/html`. `auth: "digest"` and `"ntlm"` are refused; `"basic"`
 *   (credentials in the URL) works.
 * - `res.json(selector)` reads GJSON paths: keys, escapes, wildcards,
 *   indexes, `#`, `#.key`, queries `#(…)`/`#(…)#`, `|`, and the modifiers
 *   `@this`, `@reverse`, `@keys`, `@values`, `@flatten`.
 * - For `https://`, `data_sent`/`data_received` count the HTTP bytes inside
 *   TLS, not the TLS records (k6 counts those).
 * - `setResponseCallback()` and the connections belong to the VU, as in k6;
 *   the `rps`, `dns`, `httpDebug`, `tlsCipherSuites` and `blacklistIPs`
 *   options are accepted and ignored.
 *
 * @example Log in over HTTP, then open a WebSocket with the token
 * ```ts
 * import http from "./http.ts";
 * import ws from "./ws.ts";
 *
 * export default async function () {
 *   const res = await http.post(
 *     "http://127.0.0.1:10000/api/users/token/login",
 *     JSON.stringify({ username: "default", password: "12345678" }),
 *     { headers: { "Content-Type": "application/json" } },
 *   );
 *   const token = res.json("token");
 *   await ws.connect("ws://127.0.0.1:10000/ws", {
 *     headers: { Authorization: `Token ${token}` },
 *   }, (socket) => socket.on("open", () => socket.close()));
 * }
 * ```
 *
 * @module
 */
import { batch as batchRequests } from "../http/batch.ts";
import {
  request as makeRequest,
  setResponseCallback as setCallback,
} from "../http/client.ts";
import { CookieJar } from "../http/cookie_jar.ts";
import { cookieJar as iterationCookieJar } from "../http/default_jar.ts";
import {
  type ExpectedStatuses,
  expectedStatuses as buildExpectedStatuses,
} from "../http/expected_statuses.ts";
import { file as makeFile, type FileData } from "../http/file.ts";
import type { Response } from "../http/response.ts";
import * as methods from "../http/methods.ts";
import { type HttpURL, url as makeURL } from "../http/url.ts";
import { currentContext } from "../context/context.ts";
import { forbidInInitStage } from "./_init_guard.ts";

export { CookieJar };
export type { CookieOptions } from "../http/cookie_jar.ts";
export type { ExpectedStatuses, FileData, HttpURL, Response };

const INIT_REQUEST =
  "Making http requests in the init context is not supported";

/**
 * The iteration's default cookie jar (k6's `http.cookieJar()`): requests
 * without a `jar` param and WebSocket handshakes send its cookies and store
 * their answers' `Set-Cookie` in it.
 *
 * @returns The jar.
 * @throws {Error} `Making cookie jars in the init context is not supported`.
 *
 * @example Prime the jar before connecting
 * ```ts
 * import { cookieJar } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * const jar = cookieJar();
 * jar.set("http://127.0.0.1:8080/", "token", "t0k3n");
 * assert.deepEqual(jar.cookiesForURL("http://127.0.0.1:8080/"), { token: ["t0k3n"] });
 * ```
 */
export function cookieJar(): CookieJar {
  forbidInInitStage("Making cookie jars in the init context is not supported");
  return iterationCookieJar();
}

/** Wraps a request function with k6's init-stage guard. */
function inVUCode<A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return (...args) => {
    forbidInInitStage(INIT_REQUEST);
    return fn(...args);
  };
}

/**
 * Wraps a request function that blocks in k6 (all but `asyncRequest`):
 * while its request is in flight the VU is busy, so its other events wait,
 * as in k6 (the loader awaits the call for the script).
 */
function blocking<A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return (...args) => {
    const unblock = currentContext().blockVU();
    let pending: Promise<R>;
    try {
      pending = fn(...args);
    } catch (error) {
      unblock();
      throw error;
    }
    pending.then(unblock, unblock);
    return pending;
  };
}

/**
 * Makes an HTTP request (k6's `http.request(method, url, body, params)`);
 * k6 blocks, wsload returns a promise: `await` it. The params are k6's
 * (`headers`, `tags`, `timeout`, `cookies`, `jar`, `redirects`,
 * `responseType`, `responseCallback`, `compression`, `auth`, `throw`).
 * Throws in the init stage: `Making http requests in the init context is
 * not supported`.
 *
 * @example
 * ```ts
 * import { request } from "./http.ts";
 *
 * // const res = await request("POST", "http://127.0.0.1:8080/api/post", "hi");
 * ```
 */
export const request: typeof makeRequest = blocking(inVUCode(makeRequest));

/**
 * Makes an HTTP request and returns a promise (k6's `http.asyncRequest`):
 * the same as {@link request} here.
 *
 * @example Race three requests
 * ```ts
 * import { asyncRequest } from "./http.ts";
 *
 * // const res = await Promise.race([asyncRequest("GET", a), asyncRequest("GET", b)]);
 * ```
 */
export const asyncRequest: typeof makeRequest = inVUCode(makeRequest);

/**
 * Makes a GET request (k6's `http.get(url, params)`); returns a promise.
 *
 * @example
 * ```ts
 * import { get } from "./http.ts";
 *
 * // const res = await get("http://127.0.0.1:8080/");
 * ```
 */
export const get: typeof methods.get = blocking(inVUCode(methods.get));

/**
 * Makes a HEAD request (k6's `http.head(url, params)`); returns a promise.
 *
 * @example
 * ```ts
 * import { head } from "./http.ts";
 *
 * // const res = await head("http://127.0.0.1:8080/");
 * ```
 */
export const head: typeof methods.head = blocking(inVUCode(methods.head));

/**
 * Makes a POST request (k6's `http.post(url, body, params)`); returns a
 * promise.
 *
 * @example
 * ```ts
 * import { post } from "./http.ts";
 *
 * // const res = await post("http://127.0.0.1:8080/api/post", { name: "Bert" });
 * ```
 */
export const post: typeof methods.post = blocking(inVUCode(methods.post));

/**
 * Makes a PUT request (k6's `http.put(url, body, params)`); returns a
 * promise.
 *
 * @example
 * ```ts
 * import { put } from "./http.ts";
 *
 * // const res = await put("http://127.0.0.1:8080/api/put", "data");
 * ```
 */
export const put: typeof methods.put = blocking(inVUCode(methods.put));

/**
 * Makes a PATCH request (k6's `http.patch(url, body, params)`); returns a
 * promise.
 *
 * @example
 * ```ts
 * import { patch } from "./http.ts";
 *
 * // const res = await patch("http://127.0.0.1:8080/api/patch", "data");
 * ```
 */
export const patch: typeof methods.patch = blocking(inVUCode(methods.patch));

/**
 * Makes a DELETE request (k6's `http.del(url, body, params)`); returns a
 * promise.
 *
 * @example
 * ```ts
 * import { del } from "./http.ts";
 *
 * // const res = await del("http://127.0.0.1:8080/api/delete");
 * ```
 */
export const del: typeof methods.del = blocking(inVUCode(methods.del));

/**
 * Makes an OPTIONS request (k6's `http.options(url, body, params)`);
 * returns a promise.
 *
 * @example
 * ```ts
 * import { options } from "./http.ts";
 *
 * // const res = await options("http://127.0.0.1:8080/");
 * ```
 */
export const options: typeof methods.options = blocking(
  inVUCode(methods.options),
);

/**
 * Makes several requests in parallel (k6's `http.batch(requests)`).
 *
 * @param requests An array or an object of requests (URL, `[method, url,
 * body, params]` or `{ method, url, body, params }`).
 * @returns A promise of the responses, in the same shape.
 * @throws {Error} In the init stage: `Using batch in the init context is not supported`.
 *
 * @example
 * ```ts
 * import { batch } from "./http.ts";
 *
 * // const [a, b] = await batch(["http://127.0.0.1:8080/", "http://127.0.0.1:8080/pi.php"]);
 * ```
 */
export function batch(
  ...requests: unknown[]
): Promise<Response[] | Record<string, Response>> {
  forbidInInitStage("Using batch in the init context is not supported");
  return blockingBatch(...requests);
}

const blockingBatch = blocking(batchRequests);

/**
 * Sets which responses the calling VU's requests expect (k6's
 * `http.setResponseCallback`).
 *
 * @param callback From `expectedStatuses()`, or `null` for none.
 * @throws {TypeError} `unsupported argument, expected http.expectedStatuses`.
 *
 * @example Only 2xx are expected
 * ```ts
 * import { expectedStatuses, setResponseCallback } from "./http.ts";
 *
 * setResponseCallback(expectedStatuses({ min: 200, max: 299 }));
 * ```
 */
export function setResponseCallback(callback: unknown): void {
  setCallback(callback);
}

/**
 * Builds a response callback from statuses (k6's `http.expectedStatuses`).
 *
 * @param statuses Integers, or `{ min, max }` ranges.
 * @returns The callback.
 * @throws {Error} k6's texts for arguments that are neither.
 *
 * @example
 * ```ts
 * import { expectedStatuses } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(expectedStatuses(200, { min: 300, max: 304 }).match(302), true);
 * ```
 */
export function expectedStatuses(...statuses: unknown[]): ExpectedStatuses {
  return buildExpectedStatuses(...statuses);
}

/**
 * Wraps data as a multipart file (k6's `http.file(data, filename, contentType)`).
 *
 * @param data A string, an `ArrayBuffer` (`open(path, "b")`) or a typed array.
 * @param filename The file name.
 * @param contentType The content type (default `application/octet-stream`).
 * @returns The file.
 *
 * @example
 * ```ts
 * import { file } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(file("hi", "hi.txt").content_type, "application/octet-stream");
 * ```
 */
export function file(
  data: unknown,
  filename?: string,
  contentType?: string,
): FileData {
  return makeFile(data, filename, contentType);
}

/**
 * Names a URL by its template (k6's tagged template `` http.url`…` ``).
 *
 * @param strings The literal parts.
 * @param values The values.
 * @returns The URL with its `name`.
 *
 * @example
 * ```ts
 * import { url } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(url`http://127.0.0.1/posts/${1}`.name, "http://127.0.0.1/posts/${}");
 * ```
 */
export function url(
  strings: TemplateStringsArray | readonly string[],
  ...values: unknown[]
): HttpURL {
  return makeURL(strings, ...values);
}

/**
 * TLS version name `tls1.0` (k6's `http.TLS_1_0`).
 *
 * @example Its value
 * ```ts
 * import { TLS_1_0 } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(TLS_1_0, "tls1.0");
 * ```
 */
export const TLS_1_0 = "tls1.0";

/**
 * TLS version name `tls1.1` (k6's `http.TLS_1_1`).
 *
 * @example Its value
 * ```ts
 * import { TLS_1_1 } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(TLS_1_1, "tls1.1");
 * ```
 */
export const TLS_1_1 = "tls1.1";

/**
 * TLS version name `tls1.2` (k6's `http.TLS_1_2`).
 *
 * @example Its value
 * ```ts
 * import { TLS_1_2 } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(TLS_1_2, "tls1.2");
 * ```
 */
export const TLS_1_2 = "tls1.2";

/**
 * TLS version name `tls1.3` (k6's `http.TLS_1_3`).
 *
 * @example Its value
 * ```ts
 * import { TLS_1_3 } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(TLS_1_3, "tls1.3");
 * ```
 */
export const TLS_1_3 = "tls1.3";

/**
 * OCSP status `good` (k6's `http.OCSP_STATUS_GOOD`).
 *
 * @example Its value
 * ```ts
 * import { OCSP_STATUS_GOOD } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(OCSP_STATUS_GOOD, "good");
 * ```
 */
export const OCSP_STATUS_GOOD = "good";

/**
 * OCSP status `revoked` (k6's `http.OCSP_STATUS_REVOKED`).
 *
 * @example Its value
 * ```ts
 * import { OCSP_STATUS_REVOKED } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(OCSP_STATUS_REVOKED, "revoked");
 * ```
 */
export const OCSP_STATUS_REVOKED = "revoked";

/**
 * OCSP status `server_failed` (k6's `http.OCSP_STATUS_SERVER_FAILED`).
 *
 * @example Its value
 * ```ts
 * import { OCSP_STATUS_SERVER_FAILED } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(OCSP_STATUS_SERVER_FAILED, "server_failed");
 * ```
 */
export const OCSP_STATUS_SERVER_FAILED = "server_failed";

/**
 * OCSP status `unknown` (k6's `http.OCSP_STATUS_UNKNOWN`).
 *
 * @example Its value
 * ```ts
 * import { OCSP_STATUS_UNKNOWN } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(OCSP_STATUS_UNKNOWN, "unknown");
 * ```
 */
export const OCSP_STATUS_UNKNOWN = "unknown";

/**
 * OCSP revocation reason `unspecified` (k6's `http.OCSP_REASON_UNSPECIFIED`).
 *
 * @example Its value
 * ```ts
 * import { OCSP_REASON_UNSPECIFIED } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(OCSP_REASON_UNSPECIFIED, "unspecified");
 * ```
 */
export const OCSP_REASON_UNSPECIFIED = "unspecified";

/**
 * OCSP revocation reason `key_compromise` (k6's `http.OCSP_REASON_KEY_COMPROMISE`).
 *
 * @example Its value
 * ```ts
 * import { OCSP_REASON_KEY_COMPROMISE } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(OCSP_REASON_KEY_COMPROMISE, "key_compromise");
 * ```
 */
export const OCSP_REASON_KEY_COMPROMISE = "key_compromise";

/**
 * OCSP revocation reason `ca_compromise` (k6's `http.OCSP_REASON_CA_COMPROMISE`).
 *
 * @example Its value
 * ```ts
 * import { OCSP_REASON_CA_COMPROMISE } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(OCSP_REASON_CA_COMPROMISE, "ca_compromise");
 * ```
 */
export const OCSP_REASON_CA_COMPROMISE = "ca_compromise";

/**
 * OCSP revocation reason `affiliation_changed` (k6's `http.OCSP_REASON_AFFILIATION_CHANGED`).
 *
 * @example Its value
 * ```ts
 * import { OCSP_REASON_AFFILIATION_CHANGED } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(OCSP_REASON_AFFILIATION_CHANGED, "affiliation_changed");
 * ```
 */
export const OCSP_REASON_AFFILIATION_CHANGED = "affiliation_changed";

/**
 * OCSP revocation reason `superseded` (k6's `http.OCSP_REASON_SUPERSEDED`).
 *
 * @example Its value
 * ```ts
 * import { OCSP_REASON_SUPERSEDED } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(OCSP_REASON_SUPERSEDED, "superseded");
 * ```
 */
export const OCSP_REASON_SUPERSEDED = "superseded";

/**
 * OCSP revocation reason `cessation_of_operation` (k6's `http.OCSP_REASON_CESSATION_OF_OPERATION`).
 *
 * @example Its value
 * ```ts
 * import { OCSP_REASON_CESSATION_OF_OPERATION } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(OCSP_REASON_CESSATION_OF_OPERATION, "cessation_of_operation");
 * ```
 */
export const OCSP_REASON_CESSATION_OF_OPERATION = "cessation_of_operation";

/**
 * OCSP revocation reason `certificate_hold` (k6's `http.OCSP_REASON_CERTIFICATE_HOLD`).
 *
 * @example Its value
 * ```ts
 * import { OCSP_REASON_CERTIFICATE_HOLD } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(OCSP_REASON_CERTIFICATE_HOLD, "certificate_hold");
 * ```
 */
export const OCSP_REASON_CERTIFICATE_HOLD = "certificate_hold";

/**
 * OCSP revocation reason `remove_from_crl` (k6's `http.OCSP_REASON_REMOVE_FROM_CRL`).
 *
 * @example Its value
 * ```ts
 * import { OCSP_REASON_REMOVE_FROM_CRL } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(OCSP_REASON_REMOVE_FROM_CRL, "remove_from_crl");
 * ```
 */
export const OCSP_REASON_REMOVE_FROM_CRL = "remove_from_crl";

/**
 * OCSP revocation reason `privilege_withdrawn` (k6's `http.OCSP_REASON_PRIVILEGE_WITHDRAWN`).
 *
 * @example Its value
 * ```ts
 * import { OCSP_REASON_PRIVILEGE_WITHDRAWN } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(OCSP_REASON_PRIVILEGE_WITHDRAWN, "privilege_withdrawn");
 * ```
 */
export const OCSP_REASON_PRIVILEGE_WITHDRAWN = "privilege_withdrawn";

/**
 * OCSP revocation reason `aa_compromise` (k6's `http.OCSP_REASON_AA_COMPROMISE`).
 *
 * @example Its value
 * ```ts
 * import { OCSP_REASON_AA_COMPROMISE } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(OCSP_REASON_AA_COMPROMISE, "aa_compromise");
 * ```
 */
export const OCSP_REASON_AA_COMPROMISE = "aa_compromise";

/** The `k6/http` default export: every member of the module in one object. */
const http: {
  readonly CookieJar: typeof CookieJar;
  readonly cookieJar: typeof cookieJar;
  readonly request: typeof request;
  readonly asyncRequest: typeof asyncRequest;
  readonly get: typeof get;
  readonly head: typeof head;
  readonly post: typeof post;
  readonly put: typeof put;
  readonly patch: typeof patch;
  readonly del: typeof del;
  readonly options: typeof options;
  readonly batch: typeof batch;
  readonly setResponseCallback: typeof setResponseCallback;
  readonly expectedStatuses: typeof expectedStatuses;
  readonly file: typeof file;
  readonly url: typeof url;
  readonly TLS_1_0: typeof TLS_1_0;
  readonly TLS_1_1: typeof TLS_1_1;
  readonly TLS_1_2: typeof TLS_1_2;
  readonly TLS_1_3: typeof TLS_1_3;
  readonly OCSP_STATUS_GOOD: typeof OCSP_STATUS_GOOD;
  readonly OCSP_STATUS_REVOKED: typeof OCSP_STATUS_REVOKED;
  readonly OCSP_STATUS_SERVER_FAILED: typeof OCSP_STATUS_SERVER_FAILED;
  readonly OCSP_STATUS_UNKNOWN: typeof OCSP_STATUS_UNKNOWN;
  readonly OCSP_REASON_UNSPECIFIED: typeof OCSP_REASON_UNSPECIFIED;
  readonly OCSP_REASON_KEY_COMPROMISE: typeof OCSP_REASON_KEY_COMPROMISE;
  readonly OCSP_REASON_CA_COMPROMISE: typeof OCSP_REASON_CA_COMPROMISE;
  readonly OCSP_REASON_AFFILIATION_CHANGED:
    typeof OCSP_REASON_AFFILIATION_CHANGED;
  readonly OCSP_REASON_SUPERSEDED: typeof OCSP_REASON_SUPERSEDED;
  readonly OCSP_REASON_CESSATION_OF_OPERATION:
    typeof OCSP_REASON_CESSATION_OF_OPERATION;
  readonly OCSP_REASON_CERTIFICATE_HOLD: typeof OCSP_REASON_CERTIFICATE_HOLD;
  readonly OCSP_REASON_REMOVE_FROM_CRL: typeof OCSP_REASON_REMOVE_FROM_CRL;
  readonly OCSP_REASON_PRIVILEGE_WITHDRAWN:
    typeof OCSP_REASON_PRIVILEGE_WITHDRAWN;
  readonly OCSP_REASON_AA_COMPROMISE: typeof OCSP_REASON_AA_COMPROMISE;
} = Object.freeze({
  CookieJar,
  cookieJar,
  request,
  asyncRequest,
  get,
  head,
  post,
  put,
  patch,
  del,
  options,
  batch,
  setResponseCallback,
  expectedStatuses,
  file,
  url,
  TLS_1_0,
  TLS_1_1,
  TLS_1_2,
  TLS_1_3,
  OCSP_STATUS_GOOD,
  OCSP_STATUS_REVOKED,
  OCSP_STATUS_SERVER_FAILED,
  OCSP_STATUS_UNKNOWN,
  OCSP_REASON_UNSPECIFIED,
  OCSP_REASON_KEY_COMPROMISE,
  OCSP_REASON_CA_COMPROMISE,
  OCSP_REASON_AFFILIATION_CHANGED,
  OCSP_REASON_SUPERSEDED,
  OCSP_REASON_CESSATION_OF_OPERATION,
  OCSP_REASON_CERTIFICATE_HOLD,
  OCSP_REASON_REMOVE_FROM_CRL,
  OCSP_REASON_PRIVILEGE_WITHDRAWN,
  OCSP_REASON_AA_COMPROMISE,
});

export default http;
