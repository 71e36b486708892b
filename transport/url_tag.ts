/**
 * The value of the `url` (and `name`) tag of a socket's samples: the URL
 * with any credentials masked the way k6's HTTP module masks them in its
 * `url` tag (`ws://****:****@host/` with a password, `ws://****@host/`
 * with a user name only), and, when asked, without its query string, where
 * tokens often travel. Tags end up in every output, so neither belongs
 * there.
 *
 * @module
 */

/** Scheme and authority up to the last `@` of the authority (Go's rule). */
const USER_INFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i;

/**
 * The tag value of a socket URL.
 *
 * @param url The URL as the socket uses it.
 * @param dropQuery Leave out the query string (and a fragment).
 * @returns The tag value.
 *
 * @example Mask credentials, drop a token
 * ```ts
 * import { urlTag } from "./url_tag.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(urlTag("ws://alice:s3cret@example.com/chat"), "ws://****:****@example.com/chat");
 * assert.equal(urlTag("ws://alice@example.com/chat"), "ws://****@example.com/chat");
 * assert.equal(urlTag("wss://example.com/chat?token=abc", true), "wss://example.com/chat");
 * assert.equal(urlTag("wss://example.com/chat?token=abc"), "wss://example.com/chat?token=abc");
 * ```
 */
export function urlTag(url: string, dropQuery = false): string {
  // Credentials need an `@`: most URLs have none, and skip the expression.
  let tag = !url.includes("@") ? url : url.replace(
    USER_INFO,
    (_, scheme: string, userInfo: string) =>
      `${scheme}${userInfo.includes(":") ? "****:****" : "****"}@`,
  );
  if (dropQuery) {
    const cut = tag.search(/[?#]/);
    if (cut >= 0) tag = tag.slice(0, cut);
  }
  return tag;
}
