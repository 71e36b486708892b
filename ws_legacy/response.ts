/**
 * What `connect()` resolves to.
 *
 * @module
 */

/**
 * The outcome of a `connect()` call (k6's `ws.connect` return value).
 *
 * | Field | Connected | Refused upgrade (404, 429 …) | Network or URL error |
 * | --- | --- | --- | --- |
 * | `status` | `101` | the HTTP status | `0` |
 * | `url` | the URL as passed | `""` | `""` |
 * | `headers` | the 101's headers | the answer's headers | `{}` |
 * | `body` | `""` | the first ≤ 1024 bytes of the body | `""` |
 * | `error` | `""` | `""` | the error text |
 *
 * Header names are in Go's canonical form (`Sec-Websocket-Accept`,
 * `Echo-User-Agent`); repeated headers are joined with `", "`. With the
 * `throw` option on, failures reject instead (see `connect`).
 *
 * @example Read a refused upgrade
 * ```ts
 * import type { Response } from "./response.ts";
 *
 * function describe(res: Response): string {
 *   if (res.status === 101) return "connected";
 *   return res.status === 0 ? `failed: ${res.error}` : `refused: ${res.status} ${res.body}`;
 * }
 * console.log(describe({ status: 0, url: "", headers: {}, body: "", error: "malformed ws or wss URL" }));
 * ```
 */
export interface Response {
  /** The URL as passed to `connect` on success, `""` otherwise. */
  url: string;
  /** The HTTP status of the handshake answer, `0` when there was none. */
  status: number;
  /** Response headers, Go-canonical names, repeated values joined with `", "`. */
  headers: Record<string, string>;
  /** The first ≤ 1024 bytes of a refused upgrade's body, else `""`. */
  body: string;
  /** The text of a network or URL failure, else `""`. */
  error: string;
}
