/**
 * The default cookie jar of the running iteration (k6's `http.cookieJar()`).
 *
 * @module
 */
import { currentContext } from "../context/context.ts";
import { CookieJar } from "./cookie_jar.ts";

const JAR_KEY = Symbol("wsload.defaultCookieJar");

/**
 * Returns the current execution context's default cookie jar: under
 * `wsload run` a fresh jar per iteration (as k6 resets the VU's jar); outside
 * it, one jar for the whole process. Both WebSocket modules send its cookies
 * unless a `jar` param is given.
 *
 * @returns The jar.
 *
 * @example Prime the default jar before connecting
 * ```ts
 * import { cookieJar } from "./default_jar.ts";
 *
 * cookieJar().set("http://127.0.0.1:10000/", "token", "t0k3n");
 * ```
 */
export function cookieJar(): CookieJar {
  return currentContext().local(JAR_KEY, () => new CookieJar());
}
