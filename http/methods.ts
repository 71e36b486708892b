/**
 * The method shorthands of k6's HTTP client: `get`, `head`, `post`, `put`,
 * `patch`, `del`, `options`.
 *
 * @module
 */
import { request } from "./client.ts";
import type { Response } from "./response.ts";

/**
 * Makes a GET request (k6's `http.get(url, params)`).
 *
 * @param url The URL: a string or an `http.url` result.
 * @param params k6's request params.
 * @returns The response.
 *
 * @example Read a JSON answer
 * ```ts
 * import { get } from "./methods.ts";
 * import { startHttpServer } from "../server/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const server = await startHttpServer();
 * const res = await get(`${server.url}/api/json?id=7`);
 * assert.equal(res.json("id"), "7");
 * await server.close();
 * ```
 */
export function get(url: unknown, params?: unknown): Promise<Response> {
  return request("GET", url, undefined, params);
}

/**
 * Makes a HEAD request (k6's `http.head(url, params)`).
 *
 * @param url The URL.
 * @param params k6's request params.
 * @returns The response (no body).
 *
 * @example
 * ```ts
 * import { head } from "./methods.ts";
 *
 * // const res = await head("http://127.0.0.1:8080/");
 * ```
 */
export function head(url: unknown, params?: unknown): Promise<Response> {
  return request("HEAD", url, undefined, params);
}

/**
 * Makes a POST request (k6's `http.post(url, body, params)`).
 *
 * @param url The URL.
 * @param body A string, binary data, or an object (form; multipart with `http.file()`).
 * @param params k6's request params.
 * @returns The response.
 *
 * @example Post JSON
 * ```ts
 * import { post } from "./methods.ts";
 * import { startHttpServer } from "../server/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const server = await startHttpServer();
 * const res = await post(`${server.url}/api/post`, JSON.stringify({ name: "Bert" }), {
 *   headers: { "Content-Type": "application/json" },
 * });
 * assert.equal(res.json("name"), "Bert");
 * await server.close();
 * ```
 */
export function post(
  url: unknown,
  body?: unknown,
  params?: unknown,
): Promise<Response> {
  return request("POST", url, body, params);
}

/**
 * Makes a PUT request (k6's `http.put(url, body, params)`).
 *
 * @param url The URL.
 * @param body The body.
 * @param params k6's request params.
 * @returns The response.
 *
 * @example
 * ```ts
 * import { put } from "./methods.ts";
 *
 * // const res = await put("http://127.0.0.1:8080/api/put", "data");
 * ```
 */
export function put(
  url: unknown,
  body?: unknown,
  params?: unknown,
): Promise<Response> {
  return request("PUT", url, body, params);
}

/**
 * Makes a PATCH request (k6's `http.patch(url, body, params)`).
 *
 * @param url The URL.
 * @param body The body.
 * @param params k6's request params.
 * @returns The response.
 *
 * @example
 * ```ts
 * import { patch } from "./methods.ts";
 *
 * // const res = await patch("http://127.0.0.1:8080/api/patch", "data");
 * ```
 */
export function patch(
  url: unknown,
  body?: unknown,
  params?: unknown,
): Promise<Response> {
  return request("PATCH", url, body, params);
}

/**
 * Makes a DELETE request (k6's `http.del(url, body, params)`).
 *
 * @param url The URL.
 * @param body The body (usually `null`).
 * @param params k6's request params.
 * @returns The response.
 *
 * @example
 * ```ts
 * import { del } from "./methods.ts";
 *
 * // const res = await del("http://127.0.0.1:8080/api/delete");
 * ```
 */
export function del(
  url: unknown,
  body?: unknown,
  params?: unknown,
): Promise<Response> {
  return request("DELETE", url, body, params);
}

/**
 * Makes an OPTIONS request (k6's `http.options(url, body, params)`).
 *
 * @param url The URL.
 * @param body The body (usually `null`).
 * @param params k6's request params.
 * @returns The response.
 *
 * @example
 * ```ts
 * import { options } from "./methods.ts";
 *
 * // const res = await options("http://127.0.0.1:8080/");
 * ```
 */
export function options(
  url: unknown,
  body?: unknown,
  params?: unknown,
): Promise<Response> {
  return request("OPTIONS", url, body, params);
}
