/**
 * Building a {@link Response} from what the transport saw, and reading
 * headers of a handshake answer the way Go's `http.Header` does.
 *
 * @module
 */
import { canonicalHeaderName } from "../transport/request.ts";
import type { HandshakeResponse } from "../transport/transport.ts";
import type { Response } from "./response.ts";

/**
 * Response headers as k6 shows them: Go-canonical names, repeated values
 * joined with `", "`.
 *
 * @param response The handshake answer.
 * @returns Name → value.
 */
export function headersObject(
  response: HandshakeResponse,
): Record<string, string> {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of response.headers) {
    const key = canonicalHeaderName(name);
    const values = grouped.get(key);
    if (values === undefined) grouped.set(key, [value]);
    else values.push(value);
  }
  return Object.fromEntries(
    [...grouped].map(([key, values]) => [key, values.join(", ")]),
  );
}

/**
 * The Response of an upgraded connection.
 *
 * @param url The URL as passed to `connect`.
 * @param response The 101 answer (`undefined` when the transport hid it).
 * @returns Status 101, the URL, the headers.
 */
export function upgradedResponse(
  url: string,
  response: HandshakeResponse | undefined,
): Response {
  return {
    url,
    status: response?.status ?? 101,
    headers: response === undefined ? {} : headersObject(response),
    body: "",
    error: "",
  };
}

/**
 * The Response of a failed dial (k6 with `throw` off): a refused upgrade
 * shows the server's answer with `url` and `error` empty (a k6 quirk); any
 * other failure shows status 0 and the error text.
 *
 * @param error The failure text.
 * @param response The server's answer, when there was one.
 * @returns The Response.
 */
export function failedResponse(
  error: string,
  response: HandshakeResponse | undefined,
): Response {
  if (response === undefined) {
    return { url: "", status: 0, headers: {}, body: "", error };
  }
  return {
    url: "",
    status: response.status,
    headers: headersObject(response),
    body: response.body,
    error: "",
  };
}
