/**
 * One HTTP POST of an output to its server (InfluxDB, Prometheus remote
 * write). `node:http`/`node:https` work in both runtimes and, unlike
 * `fetch`, can skip TLS verification and present a client certificate.
 *
 * @module
 */
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

/** The server's answer. */
export interface Reply {
  /** The HTTP status. */
  readonly status: number;
  /** The body as text. */
  readonly body: string;
}

/** How to send. */
export interface PostOptions {
  /** Request headers. */
  readonly headers: Readonly<Record<string, string>>;
  /** Accept any TLS certificate. */
  readonly insecure?: boolean;
  /** A client certificate and its key (PEM). */
  readonly cert?: string;
  /** The client certificate's private key (PEM). */
  readonly key?: string;
  /** Give up after this many ms (none when absent). */
  readonly timeoutMs?: number;
}

/**
 * `Basic` authorization header value.
 *
 * @param username The user.
 * @param password The password.
 * @returns `Basic base64(user:password)`.
 */
export function basicAuth(username: string, password: string): string {
  return `Basic ${
    btoa(
      String.fromCharCode(
        ...new TextEncoder().encode(`${username}:${password}`),
      ),
    )
  }`;
}

/**
 * Posts a body.
 *
 * @param url Where.
 * @param body What.
 * @param options Headers, TLS and time limit.
 * @returns The reply (any status).
 * @throws {Error} (as a rejection) When there is no reply: a refused
 * connection, a TLS failure, the time limit.
 */
export function httpPost(
  url: URL,
  body: string | Uint8Array,
  options: PostOptions,
): Promise<Reply> {
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: "POST",
      headers: options.headers,
      rejectUnauthorized: !options.insecure,
      cert: options.cert,
      key: options.key,
      timeout: options.timeoutMs,
    }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => text += chunk);
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on("error", reject);
    });
    req.on("timeout", () =>
      req.destroy(
        new Error(`no answer within ${options.timeoutMs} ms`),
      ));
    req.on("error", reject);
    req.end(body);
  });
}
