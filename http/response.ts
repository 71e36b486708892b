/**
 * k6's HTTP `Response`: what a request returns.
 *
 * @module
 */
import { getPath } from "./_gjson.ts";
import { NO_TIMINGS, type Timings } from "./_trace.ts";

export type { Timings } from "./_trace.ts";

/** A cookie the response set (`res.cookies[name][i]`). */
export interface ResponseCookie {
  /** The name. */
  readonly name: string;
  /** The value. */
  readonly value: string;
  /** The `Domain` attribute (`""` when absent). */
  readonly domain: string;
  /** The `Path` attribute (`""` when absent). */
  readonly path: string;
  /** The `HttpOnly` flag. */
  readonly http_only: boolean;
  /** The `Secure` flag. */
  readonly secure: boolean;
  /** `Max-Age` in seconds (0 when absent, -1 when ≤ 0). */
  readonly max_age: number;
  /** `Expires` in ms since the epoch (Go's zero time, -6795364578871, when absent). */
  readonly expires: number;
}

/** A cookie the request sent (`res.request.cookies[name][i]`). */
export interface RequestCookie {
  /** The name. */
  readonly name: string;
  /** The value. */
  readonly value: string;
  /** Always `false` here, as k6 shows it. */
  readonly replace: boolean;
}

/** The request as it was sent (`res.request`). */
export interface RequestInfo {
  /** The method. */
  readonly method: string;
  /** The URL asked for (before any redirect). */
  readonly url: string;
  /** Headers by canonical name, each with its values. */
  readonly headers: Readonly<Record<string, string[]>>;
  /** The body as text (before compression). */
  readonly body: string;
  /** The cookies sent, by name. */
  readonly cookies: Readonly<Record<string, RequestCookie[]>>;
}

/** OCSP stapling information (k6 fills it for TLS only; wsload never staples). */
export interface OcspInfo {
  /** When the response was produced. */
  readonly produced_at: number;
  /** Start of its validity. */
  readonly this_update: number;
  /** End of its validity. */
  readonly next_update: number;
  /** When the certificate was revoked. */
  readonly revoked_at: number;
  /** Why it was revoked. */
  readonly revocation_reason: string;
  /** `unknown` over TLS (no stapled response), `""` otherwise. */
  readonly status: string;
}

/** Everything a {@link Response} is made of. */
export interface ResponseInit {
  /** The peer's IP. */
  readonly remote_ip: string;
  /** The peer's port. */
  readonly remote_port: number;
  /** The final URL (after redirects). */
  readonly url: string;
  /** The status; 0 when the request failed. */
  readonly status: number;
  /** E.g. `200 OK`. */
  readonly status_text: string;
  /** E.g. `HTTP/1.1`. */
  readonly proto: string;
  /** Header values by canonical name, repeated ones joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  /** The cookies the response set. */
  readonly cookies: Readonly<Record<string, ResponseCookie[]>>;
  /** Text, an `ArrayBuffer` (`responseType: "binary"`) or `null`. */
  readonly body: string | ArrayBuffer | null;
  /** The phases of the last round trip. */
  readonly timings: Timings;
  /** `tls1.3` …, `""` for plain HTTP. */
  readonly tls_version: string;
  /** The cipher suite's IANA name, `""` for plain HTTP. */
  readonly tls_cipher_suite: string;
  /** OCSP stapling information. */
  readonly ocsp: OcspInfo;
  /** k6's error text, `""` when none. */
  readonly error: string;
  /** k6's error code (HTTP errors: 1000 + status), 0 when none. */
  readonly error_code: number;
  /** The request. */
  readonly request: RequestInfo;
}

/** The OCSP information of a plain HTTP response. */
export const NO_OCSP: OcspInfo = Object.freeze({
  produced_at: 0,
  this_update: 0,
  next_update: 0,
  revoked_at: 0,
  revocation_reason: "",
  status: "",
});

const decoder = new TextDecoder();

/** Go's `encoding/json` wording where JavaScript's parser names the cause. */
function jsonErrorText(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Go reports the offset after the offending byte; V8 names the position
  // (older versions) or only the token.
  const position = /position (\d+)/.exec(message);
  let offset = position === null
    ? text.length - text.trimStart().length
    : Number(position[1]);
  if (position === null && /Unexpected end/.test(message)) offset = text.length;
  offset++;
  let line = 1;
  let character = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      character = 0;
    }
    character++;
    if (i === offset) break;
  }
  const char = text[offset - 1];
  const cause = char === undefined
    ? "unexpected end of JSON input"
    : `invalid character '${char}' looking for beginning of value`;
  return `cannot parse json due to an error at line ${line}, character ${character} , error: ${cause}`;
}

/**
 * An HTTP response, as k6 shows it to scripts: the fields of k6's Response
 * (snake_case, as in k6) and `json()`.
 *
 * @example Read a JSON answer
 * ```ts
 * import { Response } from "./response.ts";
 * import assert from "node:assert/strict";
 *
 * const res = Response.failed("http://127.0.0.1/", "GET", "", 0);
 * assert.equal(res.status, 0);
 * assert.throws(() => res.json(), /the body is null/);
 * ```
 */
export class Response {
  /** The peer's IP address. */
  remote_ip: string;
  /** The peer's port. */
  remote_port: number;
  /** The final URL (after redirects). */
  url: string;
  /** The status; 0 when the request failed. */
  status: number;
  /** E.g. `200 OK`. */
  status_text: string;
  /** E.g. `HTTP/1.1`. */
  proto: string;
  /** Header values by canonical name, repeated ones joined with `, `. */
  headers: Record<string, string>;
  /** The cookies the response set, by name. */
  cookies: Record<string, ResponseCookie[]>;
  /** Text, an `ArrayBuffer` (`responseType: "binary"`) or `null`. */
  body: string | ArrayBuffer | null;
  /** The phases of the request (of its last round trip). */
  timings: Timings;
  /** `tls1.3` …, `""` for plain HTTP. */
  tls_version: string;
  /** The cipher suite's IANA name. */
  tls_cipher_suite: string;
  /** OCSP stapling information. */
  ocsp: OcspInfo;
  /** k6's error text, `""` when none. */
  error: string;
  /** k6's error code, 0 when none. */
  error_code: number;
  /** The request as sent. */
  request: RequestInfo;
  #json: { value: unknown } | undefined;

  /**
   * Creates a response from its parts.
   *
   * @param init The fields.
   */
  constructor(init: ResponseInit) {
    this.remote_ip = init.remote_ip;
    this.remote_port = init.remote_port;
    this.url = init.url;
    this.status = init.status;
    this.status_text = init.status_text;
    this.proto = init.proto;
    this.headers = init.headers as Record<string, string>;
    this.cookies = init.cookies as Record<string, ResponseCookie[]>;
    this.body = init.body;
    this.timings = init.timings;
    this.tls_version = init.tls_version;
    this.tls_cipher_suite = init.tls_cipher_suite;
    this.ocsp = init.ocsp;
    this.error = init.error;
    this.error_code = init.error_code;
    this.request = init.request;
  }

  /**
   * The response of a request that could not even be made (bad params).
   *
   * @param url The URL asked for.
   * @param method The method.
   * @param error k6's error text.
   * @param errorCode k6's code (0 when it has none).
   * @returns The response: status 0, body `null`.
   */
  static failed(
    url: string,
    method: string,
    error: string,
    errorCode: number,
  ): Response {
    return new Response({
      remote_ip: "",
      remote_port: 0,
      url,
      status: 0,
      status_text: "",
      proto: "",
      headers: {},
      cookies: {},
      body: null,
      timings: NO_TIMINGS,
      tls_version: "",
      tls_cipher_suite: "",
      ocsp: NO_OCSP,
      error,
      error_code: errorCode,
      request: { method, url, headers: {}, body: "", cookies: {} },
    });
  }

  /**
   * Parses the body as JSON, or reads a GJSON path from it (k6's
   * `res.json(selector)`).
   *
   * @param selector A GJSON path, e.g. `data.items.#.id`.
   * @returns The parsed body (cached: the same object every call), or the
   * value at the path (`undefined` when absent or the body is not JSON).
   * @throws {Error} When the body is `null` (k6's text), or, without a
   * selector, when it is not valid JSON (`cannot parse json due to an
   * error at line L, character C , error: …`).
   */
  json(selector?: string): unknown {
    if (this.body === null || this.body === undefined) {
      throw new Error(
        "the body is null so we can't transform it to JSON - this likely was because of a request error getting the response",
      );
    }
    const text = typeof this.body === "string"
      ? this.body
      : decoder.decode(this.body);
    if (selector !== undefined) {
      let parsed: unknown;
      if (this.#json !== undefined) parsed = this.#json.value;
      else {
        try {
          parsed = JSON.parse(text);
        } catch {
          return undefined;
        }
      }
      const result = getPath(parsed, String(selector));
      return result.exists ? result.value : undefined;
    }
    if (this.#json === undefined) {
      try {
        this.#json = { value: JSON.parse(text) };
      } catch (error) {
        throw new Error(jsonErrorText(text, error));
      }
    }
    return this.#json.value;
  }

  /**
   * Parses the body as HTML (k6's `res.html()`): not available in wsload,
   * which has no `k6/html`.
   *
   * @returns Never.
   * @throws {Error} Always, saying so.
   */
  html(): never {
    throw new Error(
      "res.html() is not available: wsload has no k6/html; parse res.body yourself",
    );
  }

  /**
   * Submits a form of an HTML body (k6's `res.submitForm()`): not available
   * in wsload, which has no `k6/html`.
   *
   * @returns Never.
   * @throws {Error} Always, saying so.
   */
  submitForm(): never {
    throw new Error(
      "res.submitForm() is not available: wsload has no k6/html; post the form with http.post()",
    );
  }

  /**
   * Follows a link of an HTML body (k6's `res.clickLink()`): not available
   * in wsload, which has no `k6/html`.
   *
   * @returns Never.
   * @throws {Error} Always, saying so.
   */
  clickLink(): never {
    throw new Error(
      "res.clickLink() is not available: wsload has no k6/html; request the link with http.get()",
    );
  }
}
