/**
 * Go's `net/http` client rules for following a redirect, which k6's
 * requests follow.
 *
 * @module
 */

/** The statuses that redirect. */
const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** How the next request of a redirect looks. */
export interface RedirectStep {
  /** The URL to request. */
  readonly url: URL;
  /** Its method. */
  readonly method: string;
  /** Whether the body goes along (307 and 308 keep it). */
  readonly keepBody: boolean;
}

/**
 * The next request of a redirect, or `undefined` when the response does not
 * redirect (not a redirect status, or no usable `Location`).
 *
 * @param status The response's status.
 * @param location Its `Location` header.
 * @param current The URL that answered.
 * @param method The method that was used.
 * @returns The next request.
 *
 * @example A POST answered with 303 becomes a GET
 * ```ts
 * import { redirectStep } from "./_redirect.ts";
 * import assert from "node:assert/strict";
 *
 * const step = redirectStep(303, "/done", new URL("http://h/form"), "POST")!;
 * assert.equal(step.url.href, "http://h/done");
 * assert.equal(step.method, "GET");
 * assert.equal(step.keepBody, false);
 * ```
 */
export function redirectStep(
  status: number,
  location: string | undefined,
  current: URL,
  method: string,
): RedirectStep | undefined {
  if (!REDIRECTS.has(status) || location === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(location, current);
  } catch {
    return undefined;
  }
  url.hash = "";
  if (status === 307 || status === 308) return { url, method, keepBody: true };
  // 301, 302 and 303 turn everything but GET and HEAD into a GET.
  const next = method === "GET" || method === "HEAD" ? method : "GET";
  return { url, method: next, keepBody: false };
}

/**
 * Whether headers that carry credentials may follow a redirect from one
 * host to another (Go's rule: the same domain or a subdomain of it).
 *
 * @param from The URL that redirected.
 * @param to The URL redirected to.
 * @returns `true` when `Authorization` and `Cookie` may be copied.
 */
export function keepsSensitiveHeaders(from: URL, to: URL): boolean {
  const origin = from.hostname.toLowerCase();
  const target = to.hostname.toLowerCase();
  return target === origin || target.endsWith(`.${origin}`);
}

/**
 * The `Referer` Go sets on a redirect: the previous URL without
 * credentials or fragment, none when going from https to http.
 *
 * @param from The URL that redirected.
 * @param to The URL redirected to.
 * @returns The header value, or `""` for none.
 */
export function refererFor(from: URL, to: URL): string {
  if (from.protocol === "https:" && to.protocol === "http:") return "";
  const referer = new URL(from.href);
  referer.username = "";
  referer.password = "";
  referer.hash = "";
  return referer.href;
}
