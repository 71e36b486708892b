/**
 * A cookie jar with the surface of k6's `http.CookieJar`: the handshake of
 * both WebSocket modules sends its cookies and stores the `Set-Cookie`
 * headers of the server's 101 response back into it.
 *
 * @module
 */

/** Options of {@link CookieJar.set}, as in k6 (names are case-insensitive). */
export interface CookieOptions {
  /** Domain the cookie applies to (and its subdomains); host-only when absent. */
  domain?: string;
  /** Path prefix the cookie applies to; the URL's directory when absent. */
  path?: string;
  /** Expiry as an RFC 1123 date, e.g. `Mon, 02 Jan 2026 15:04:05 GMT`. */
  expires?: string;
  /** Lifetime in seconds; negative deletes the cookie. */
  max_age?: number;
  /** Only send over https/wss. */
  secure?: boolean;
  /** Kept for k6 compatibility; no effect on WebSocket handshakes. */
  http_only?: boolean;
}

interface StoredCookie {
  name: string;
  value: string;
  domain: string;
  hostOnly: boolean;
  path: string;
  secure: boolean;
  httpOnly: boolean;
  /** Milliseconds since the epoch; `Infinity` for session cookies. */
  expires: number;
  created: number;
  sequence: number;
}

import { type CookieSpec, parseSetCookie } from "./_set_cookie.ts";

let sequence = 0;

// Cookies are matched on http(s) URLs; a WebSocket URL counts as its HTTP
// twin (gorilla does the same before asking the jar).
function httpURL(url: string | URL): URL | undefined {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return undefined;
  }
  if (parsed.protocol === "ws:") parsed.protocol = "http:";
  else if (parsed.protocol === "wss:") parsed.protocol = "https:";
  return parsed.protocol === "http:" || parsed.protocol === "https:"
    ? parsed
    : undefined;
}

function parseURL(url: unknown, method: string): URL {
  try {
    return new URL(String(url));
  } catch {
    throw new TypeError(`CookieJar.${method}: invalid URL "${String(url)}"`);
  }
}

function isIPAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith("[");
}

function domainMatches(host: string, domain: string): boolean {
  return host === domain || (host.endsWith(`.${domain}`) && !isIPAddress(host));
}

function defaultPath(url: URL): string {
  const path = url.pathname;
  if (!path.startsWith("/")) return "/";
  const slash = path.lastIndexOf("/");
  return slash <= 0 ? "/" : path.slice(0, slash);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith("/") || requestPath[cookiePath.length] === "/";
}

/**
 * Stores cookies per domain and path, following RFC 6265 the way Go's
 * `net/http/cookiejar` does (without a public-suffix list, as in k6).
 *
 * @example Send a cookie with a WebSocket handshake
 * ```ts
 * import { CookieJar } from "./cookie_jar.ts";
 * import assert from "node:assert/strict";
 *
 * const jar = new CookieJar();
 * jar.set("http://127.0.0.1:8080/", "session", "abc");
 * assert.deepEqual(jar.cookiesForURL("http://127.0.0.1:8080/chat"), {
 *   session: ["abc"],
 * });
 * assert.equal(jar.cookieHeader("ws://127.0.0.1:8080/chat"), "session=abc");
 * ```
 */
export class CookieJar {
  #cookies: StoredCookie[] = [];

  /**
   * Sets a cookie for a URL, as if the server at that URL had sent it.
   *
   * @param url The URL the cookie comes from (http, https, ws or wss).
   * @param name The cookie name.
   * @param value The cookie value.
   * @param options Domain, path, expiry and flags.
   * @returns `true` (k6 returns `true` when the cookie was accepted).
   * @throws {TypeError} When the URL is invalid or `expires` is not an
   * RFC 1123 date.
   */
  set(
    url: string,
    name: string,
    value: string,
    options?: CookieOptions | null,
  ): boolean {
    const target = parseURL(url, "set");
    const spec: CookieSpec = { name: String(name), value: String(value) };
    if (options !== null && options !== undefined) {
      for (const [key, item] of Object.entries(options)) {
        switch (key.toLowerCase()) {
          case "domain":
            spec.domain = String(item);
            break;
          case "path":
            spec.path = String(item);
            break;
          case "expires": {
            const text = String(item);
            if (text === "") break;
            const time = Date.parse(text);
            if (Number.isNaN(time)) {
              throw new TypeError(
                `unable to parse "expires" date string "${text}": expected an RFC 1123 date such as "Mon, 02 Jan 2006 15:04:05 MST"`,
              );
            }
            spec.expires = time;
            break;
          }
          case "max_age":
            spec.maxAge = Math.trunc(Number(item));
            break;
          case "secure":
            spec.secure = Boolean(item);
            break;
          case "http_only":
            spec.httpOnly = Boolean(item);
            break;
        }
      }
    }
    this.#store(target, spec);
    return true;
  }

  /**
   * Lists the cookies that would be sent to a URL.
   *
   * @param url The URL (http, https, ws or wss).
   * @returns Cookie name → values, most specific path first.
   * @throws {TypeError} When the URL is invalid.
   */
  cookiesForURL(url: string): Record<string, string[]> {
    parseURL(url, "cookiesForURL");
    const result: Record<string, string[]> = {};
    for (const cookie of this.#matching(url)) {
      (result[cookie.name] ??= []).push(cookie.value);
    }
    return result;
  }

  /**
   * Deletes every cookie that would be sent to a URL.
   *
   * @param url The URL.
   * @throws {TypeError} When the URL is invalid.
   */
  clear(url: string): void {
    parseURL(url, "clear");
    const doomed = new Set(this.#matching(url));
    this.#cookies = this.#cookies.filter((cookie) => !doomed.has(cookie));
  }

  /**
   * Deletes the cookie of that name set for a URL's host and default path.
   *
   * @param url The URL.
   * @param name The cookie name.
   * @throws {TypeError} When the name is empty (`cookie: is null`, as k6) or
   * the URL is invalid.
   */
  delete(url: string, name: string): void {
    if (name === "" || name === null || name === undefined) {
      throw new TypeError("cookie: is null");
    }
    this.#store(parseURL(url, "delete"), {
      name: String(name),
      value: "",
      maxAge: -1,
    });
  }

  /**
   * The `Cookie` request header for a URL.
   *
   * @param url The URL (a WebSocket URL counts as its http(s) twin).
   * @returns `a=1; b=2`, or `""` when no cookie applies.
   */
  cookieHeader(url: string | URL): string {
    // Every socket asks, and the jar is usually empty: skip the URL parse.
    if (this.#cookies.length === 0) return "";
    return this.#matching(url).map((c) => `${c.name}=${c.value}`).join("; ");
  }

  /**
   * Stores the `Set-Cookie` headers of a response from a URL.
   *
   * @param url The URL that answered.
   * @param setCookies The raw `Set-Cookie` header values.
   */
  storeSetCookies(url: string | URL, setCookies: readonly string[]): void {
    const target = httpURL(url);
    if (!target) return;
    for (const header of setCookies) {
      const spec = parseSetCookie(header);
      if (spec) this.#store(target, spec);
    }
  }

  #store(url: URL, spec: CookieSpec): void {
    const target = httpURL(url);
    if (!target) return;
    const host = target.hostname.toLowerCase();
    let domain = host;
    let hostOnly = true;
    if (spec.domain !== undefined && spec.domain !== "") {
      const wanted = spec.domain.replace(/^\./, "").toLowerCase();
      if (wanted !== host) {
        // A foreign domain, or a parent domain of an IP address, is refused.
        if (isIPAddress(host) || !domainMatches(host, wanted)) return;
        domain = wanted;
        hostOnly = false;
      }
    }
    const path = spec.path?.startsWith("/") ? spec.path : defaultPath(target);
    const now = Date.now();
    let expires = Infinity;
    if (spec.maxAge !== undefined && spec.maxAge !== 0) {
      expires = spec.maxAge < 0 ? -Infinity : now + spec.maxAge * 1000;
    } else if (spec.expires !== undefined) {
      expires = spec.expires;
    }
    const index = this.#cookies.findIndex((c) =>
      c.name === spec.name && c.domain === domain && c.path === path
    );
    const previous = index >= 0 ? this.#cookies[index] : undefined;
    if (index >= 0) this.#cookies.splice(index, 1);
    if (expires <= now) return;
    this.#cookies.push({
      name: spec.name,
      value: spec.value,
      domain,
      hostOnly,
      path,
      secure: spec.secure ?? false,
      httpOnly: spec.httpOnly ?? false,
      expires,
      created: previous?.created ?? now,
      sequence: previous?.sequence ?? sequence++,
    });
  }

  #matching(url: string | URL): StoredCookie[] {
    const target = httpURL(url);
    if (!target) return [];
    const now = Date.now();
    this.#cookies = this.#cookies.filter((c) => c.expires > now);
    const host = target.hostname.toLowerCase();
    const https = target.protocol === "https:";
    return this.#cookies
      .filter((c) =>
        (c.hostOnly ? c.domain === host : domainMatches(host, c.domain)) &&
        pathMatches(target.pathname || "/", c.path) && (!c.secure || https)
      )
      .sort((a, b) => b.path.length - a.path.length || a.sequence - b.sequence);
  }
}
