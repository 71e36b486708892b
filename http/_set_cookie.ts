/**
 * `Set-Cookie` headers read the way Go's `net/http` reads them, for the
 * cookie jar and for `res.cookies`.
 *
 * @module
 */

/** A cookie as a `Set-Cookie` header or `CookieJar.set()` gives it. */
export interface CookieSpec {
  /** The name. */
  name: string;
  /** The value. */
  value: string;
  /** The `Domain` attribute. */
  domain?: string;
  /** The `Path` attribute. */
  path?: string;
  /** `Max-Age` in seconds; -1 for `Max-Age` ≤ 0. */
  maxAge?: number;
  /** `Expires`, ms since the epoch. */
  expires?: number;
  /** The `Secure` flag. */
  secure?: boolean;
  /** The `HttpOnly` flag. */
  httpOnly?: boolean;
}

/**
 * Parses one `Set-Cookie` header the way Go's `net/http` does.
 *
 * @param header The header value.
 * @returns The cookie, or `undefined` when the header names none.
 */
export function parseSetCookie(header: string): CookieSpec | undefined {
  const [pair, ...attributes] = header.split(";");
  const equals = pair.indexOf("=");
  if (equals <= 0) return undefined;
  const spec: CookieSpec = {
    name: pair.slice(0, equals).trim(),
    value: pair.slice(equals + 1).trim().replace(/^"(.*)"$/, "$1"),
  };
  for (const attribute of attributes) {
    const [rawKey, ...rest] = attribute.split("=");
    const value = rest.join("=").trim();
    switch (rawKey.trim().toLowerCase()) {
      case "domain":
        spec.domain = value;
        break;
      case "path":
        spec.path = value;
        break;
      case "max-age": {
        const seconds = Number.parseInt(value, 10);
        if (!Number.isNaN(seconds)) spec.maxAge = seconds <= 0 ? -1 : seconds;
        break;
      }
      case "expires": {
        const time = Date.parse(value);
        if (!Number.isNaN(time)) spec.expires = time;
        break;
      }
      case "secure":
        spec.secure = true;
        break;
      case "httponly":
        spec.httpOnly = true;
        break;
    }
  }
  return spec;
}
