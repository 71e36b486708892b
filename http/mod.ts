/**
 * k6's HTTP client (`k6/http`) for Deno and Node: requests with k6's params,
 * `Response`, metrics (`http_reqs`, `http_req_duration` and its phases,
 * `http_req_failed`), error codes and cookie jars. The cookie jars are also
 * what both WebSocket modules' `jar` param takes.
 *
 * Requests return promises (k6 blocks instead): `await http.get(url)`.
 * Outside `wsload run`, samples go to the listeners of
 * `addSampleListener()` (`@wsload/wsload/metrics`) and one connection pool
 * serves the whole process.
 *
 * @example A failed request: k6's error code, no exception
 * ```ts
 * import { get } from "@wsload/wsload/http";
 *
 * const res = await get("http://127.0.0.1:1/"); // nothing listens there
 * console.log(res.status, res.error_code, res.error); // 0 1212 "dial: connection refused"
 * ```
 *
 * @example Log in, then use the token
 * ```ts ignore
 * import { get, post } from "@wsload/wsload/http";
 *
 * const login = await post(
 *   "https://api.example.com/api/users/token/login",
 *   JSON.stringify({ username: "default", password: "12345678" }),
 *   { headers: { "Content-Type": "application/json" } },
 * );
 * const me = await get("https://api.example.com/api/users/me", {
 *   headers: { Authorization: `Token ${login.json("token")}` },
 * });
 * console.log(me.status);
 * ```
 *
 * @module
 */
export * from "./cookie_jar.ts";
export * from "./default_jar.ts";
export * from "./client.ts";
export * from "./methods.ts";
export * from "./batch.ts";
export * from "./response.ts";
export * from "./file.ts";
export * from "./url.ts";
export * from "./expected_statuses.ts";
export * from "./error_code.ts";
