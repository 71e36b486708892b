/**
 * `k6/http` under wsload: cookie jars only (for the WebSocket handshakes);
 * requests are not supported.
 *
 * @module
 */
/** A cookie jar. */
export class CookieJar {
  cookiesForURL(url: string): CookieJarCookies;
  set(
    url: string,
    name: string,
    value: string,
    options?: CookieOptions | null,
  ): void;
  delete(url: string, name: string): void;
  clear(url: string): void;
}
/** Cookies by name. */
export interface CookieJarCookies {
  [name: string]: string[];
}
/** Options of `CookieJar.set()`. */
export interface CookieOptions {
  domain?: string;
  path?: string;
  expires?: string;
  max_age?: number;
  secure?: boolean;
  http_only?: boolean;
}
/** The VU's cookie jar. */
export function cookieJar(): CookieJar;
declare const http: {
  CookieJar: typeof CookieJar;
  cookieJar: typeof cookieJar;
};
export default http;
