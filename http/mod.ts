/**
 * The part of k6's `k6/http` module that the WebSocket modules use: cookie
 * jars. `CookieJar` is what the `jar` param of both modules takes;
 * `cookieJar()` is the iteration's default jar.
 *
 * @example A custom jar for one socket
 * ```ts
 * import { CookieJar } from "@wsload/wsload/http";
 *
 * const jar = new CookieJar();
 * jar.set("http://127.0.0.1:10000/", "someheader", "customjar");
 * ```
 *
 * @module
 */
export * from "./cookie_jar.ts";
export * from "./default_jar.ts";
