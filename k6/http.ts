/**
 * The `k6/http` module of a script run by `wsload run`. wsload is a
 * WebSocket tool: of k6's HTTP module it provides the cookie jars that the
 * WebSocket handshakes use (`cookieJar()`, `CookieJar`) and k6's constants.
 * Every request function (`get`, `post`, `request`, `batch`, …) exists, so
 * that scripts importing it load, but throws an `Error` saying so when
 * called. Named exports and the default export object (`import http from
 * "k6/http"`) hold the same members.
 *
 * @example Send a cookie with every handshake of the iteration
 * ```ts
 * import http from "./http.ts";
 *
 * http.cookieJar().set("http://127.0.0.1:8080/", "session", "abc");
 * ```
 *
 * @module
 */
import { CookieJar } from "../http/cookie_jar.ts";
import { cookieJar as iterationCookieJar } from "../http/default_jar.ts";
import { forbidInInitStage } from "./_init_guard.ts";

export { CookieJar };
export type { CookieOptions } from "../http/cookie_jar.ts";

function unsupported(name: string): never {
  throw new Error(
    `http.${name}() is not available: wsload's k6/http only provides cookie jars (http.cookieJar() and http.CookieJar); use k6/ws or k6/websockets for WebSocket traffic`,
  );
}

/**
 * The iteration's default cookie jar (k6's `http.cookieJar()`): its cookies
 * go with every WebSocket handshake of the iteration that has no `jar`
 * param, and the handshake's `Set-Cookie` headers land in it.
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

/**
 * Makes an HTTP request (k6's `http.request(method, url, body, params)`): not available in wsload.
 *
 * @param _args Ignored.
 * @returns Never.
 * @throws {Error} Always: wsload's k6/http only provides cookie jars.
 *
 * @example It throws
 * ```ts
 * import { request } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => request("GET", "http://127.0.0.1/"), /only provides cookie jars/);
 * ```
 */
export function request(..._args: unknown[]): never {
  return unsupported("request");
}

/**
 * Makes an HTTP request returning a promise (k6's `http.asyncRequest`): not available in wsload.
 *
 * @param _args Ignored.
 * @returns Never.
 * @throws {Error} Always: wsload's k6/http only provides cookie jars.
 *
 * @example It throws
 * ```ts
 * import { asyncRequest } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => asyncRequest("GET", "http://127.0.0.1/"), /only provides cookie jars/);
 * ```
 */
export function asyncRequest(..._args: unknown[]): never {
  return unsupported("asyncRequest");
}

/**
 * Makes a GET request (k6's `http.get(url, params)`): not available in wsload.
 *
 * @param _args Ignored.
 * @returns Never.
 * @throws {Error} Always: wsload's k6/http only provides cookie jars.
 *
 * @example It throws
 * ```ts
 * import { get } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => get("http://127.0.0.1/"), /only provides cookie jars/);
 * ```
 */
export function get(..._args: unknown[]): never {
  return unsupported("get");
}

/**
 * Makes a HEAD request (k6's `http.head(url, params)`): not available in wsload.
 *
 * @param _args Ignored.
 * @returns Never.
 * @throws {Error} Always: wsload's k6/http only provides cookie jars.
 *
 * @example It throws
 * ```ts
 * import { head } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => head("http://127.0.0.1/"), /only provides cookie jars/);
 * ```
 */
export function head(..._args: unknown[]): never {
  return unsupported("head");
}

/**
 * Makes a POST request (k6's `http.post(url, body, params)`): not available in wsload.
 *
 * @param _args Ignored.
 * @returns Never.
 * @throws {Error} Always: wsload's k6/http only provides cookie jars.
 *
 * @example It throws
 * ```ts
 * import { post } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => post("http://127.0.0.1/", "body"), /only provides cookie jars/);
 * ```
 */
export function post(..._args: unknown[]): never {
  return unsupported("post");
}

/**
 * Makes a PUT request (k6's `http.put(url, body, params)`): not available in wsload.
 *
 * @param _args Ignored.
 * @returns Never.
 * @throws {Error} Always: wsload's k6/http only provides cookie jars.
 *
 * @example It throws
 * ```ts
 * import { put } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => put("http://127.0.0.1/", "body"), /only provides cookie jars/);
 * ```
 */
export function put(..._args: unknown[]): never {
  return unsupported("put");
}

/**
 * Makes a PATCH request (k6's `http.patch(url, body, params)`): not available in wsload.
 *
 * @param _args Ignored.
 * @returns Never.
 * @throws {Error} Always: wsload's k6/http only provides cookie jars.
 *
 * @example It throws
 * ```ts
 * import { patch } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => patch("http://127.0.0.1/", "body"), /only provides cookie jars/);
 * ```
 */
export function patch(..._args: unknown[]): never {
  return unsupported("patch");
}

/**
 * Makes a DELETE request (k6's `http.del(url, body, params)`): not available in wsload.
 *
 * @param _args Ignored.
 * @returns Never.
 * @throws {Error} Always: wsload's k6/http only provides cookie jars.
 *
 * @example It throws
 * ```ts
 * import { del } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => del("http://127.0.0.1/"), /only provides cookie jars/);
 * ```
 */
export function del(..._args: unknown[]): never {
  return unsupported("del");
}

/**
 * Makes an OPTIONS request (k6's `http.options(url, body, params)`): not available in wsload.
 *
 * @param _args Ignored.
 * @returns Never.
 * @throws {Error} Always: wsload's k6/http only provides cookie jars.
 *
 * @example It throws
 * ```ts
 * import { options } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => options("http://127.0.0.1/"), /only provides cookie jars/);
 * ```
 */
export function options(..._args: unknown[]): never {
  return unsupported("options");
}

/**
 * Makes several requests in parallel (k6's `http.batch(requests)`): not available in wsload.
 *
 * @param _args Ignored.
 * @returns Never.
 * @throws {Error} Always: wsload's k6/http only provides cookie jars.
 *
 * @example It throws
 * ```ts
 * import { batch } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => batch([]), /only provides cookie jars/);
 * ```
 */
export function batch(..._args: unknown[]): never {
  return unsupported("batch");
}

/**
 * Sets which responses count as expected (k6's `http.setResponseCallback`): not available in wsload.
 *
 * @param _args Ignored.
 * @returns Never.
 * @throws {Error} Always: wsload's k6/http only provides cookie jars.
 *
 * @example It throws
 * ```ts
 * import { setResponseCallback } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => setResponseCallback(null), /only provides cookie jars/);
 * ```
 */
export function setResponseCallback(..._args: unknown[]): never {
  return unsupported("setResponseCallback");
}

/**
 * Builds a response callback from statuses (k6's `http.expectedStatuses`): not available in wsload.
 *
 * @param _args Ignored.
 * @returns Never.
 * @throws {Error} Always: wsload's k6/http only provides cookie jars.
 *
 * @example It throws
 * ```ts
 * import { expectedStatuses } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => expectedStatuses(200), /only provides cookie jars/);
 * ```
 */
export function expectedStatuses(..._args: unknown[]): never {
  return unsupported("expectedStatuses");
}

/**
 * Wraps data as a multipart file (k6's `http.file(data, filename, contentType)`): not available in wsload.
 *
 * @param _args Ignored.
 * @returns Never.
 * @throws {Error} Always: wsload's k6/http only provides cookie jars.
 *
 * @example It throws
 * ```ts
 * import { file } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => file("data"), /only provides cookie jars/);
 * ```
 */
export function file(..._args: unknown[]): never {
  return unsupported("file");
}

/**
 * Names a URL by its template (k6's tagged template `` http.url`…` ``): not available in wsload.
 *
 * @param _args Ignored.
 * @returns Never.
 * @throws {Error} Always: wsload's k6/http only provides cookie jars.
 *
 * @example It throws
 * ```ts
 * import { url } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => url(["http://127.0.0.1/"]), /only provides cookie jars/);
 * ```
 */
export function url(..._args: unknown[]): never {
  return unsupported("url");
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
