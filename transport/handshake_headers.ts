/**
 * Reading the headers of a handshake answer ({@link HandshakeResponse}),
 * which keeps them in wire order with the server's spelling.
 *
 * @module
 */
import type { HandshakeResponse } from "./transport.ts";

/**
 * Every value of one response header, in wire order; names match in any
 * case, as HTTP header names do.
 *
 * @param response The handshake answer.
 * @param name The header name, e.g. `Set-Cookie`.
 * @returns Its values; `[]` when the header is absent.
 *
 * @example The cookies of a 101
 * ```ts
 * import { headerValues } from "./handshake_headers.ts";
 * import assert from "node:assert/strict";
 *
 * const response = {
 *   status: 101,
 *   headers: [["set-cookie", "a=1"], ["Upgrade", "websocket"], ["Set-Cookie", "b=2"]] as const,
 *   body: "",
 * };
 * assert.deepEqual(headerValues(response, "Set-Cookie"), ["a=1", "b=2"]);
 * assert.deepEqual(headerValues(response, "Sec-WebSocket-Protocol"), []);
 * ```
 */
export function headerValues(
  response: HandshakeResponse,
  name: string,
): string[] {
  const lower = name.toLowerCase();
  return response.headers.filter(([key]) => key.toLowerCase() === lower)
    .map(([, value]) => value);
}
