/**
 * gorilla/websocket's error texts, which k6 scripts compare against
 * (e.g. `e.error() != 'websocket: close sent'`). Both modules use these.
 *
 * @module
 */

const CLOSE_CODE_NAMES: Readonly<Record<number, string>> = {
  1000: "normal",
  1001: "going away",
  1002: "protocol error",
  1003: "unsupported data",
  1005: "no status",
  1006: "abnormal closure",
  1007: "invalid payload data",
  1008: "policy violation",
  1009: "message too big",
  1010: "mandatory extension missing",
  1011: "internal server error",
  1015: "TLS handshake error",
};

/** Written after the client sent its close frame: `websocket: close sent`. */
export const CLOSE_SENT = "websocket: close sent";
/** A non-101 handshake answer: `websocket: bad handshake`. */
export const BAD_HANDSHAKE = "websocket: bad handshake";
/** A URL that is not ws/wss or carries user-info: `malformed ws or wss URL`. */
export const MALFORMED_URL = "malformed ws or wss URL";
/**
 * A dial given up because the socket was closed (or its VU stopped) while
 * it was under way: `websocket: closed while connecting`.
 */
export const CLOSED_WHILE_CONNECTING = "websocket: closed while connecting";
/** The reason of an abnormal closure: `unexpected EOF`. */
export const UNEXPECTED_EOF = "unexpected EOF";

/**
 * The text of gorilla's close error for a close code and reason.
 *
 * @param code The close code.
 * @param reason The close reason (`""` for none).
 * @returns E.g. `websocket: close 1011 (internal server error)`,
 * `websocket: close 4000: bye`.
 *
 * @example
 * ```ts
 * import { closeErrorText } from "./close_text.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   closeErrorText(1006, "unexpected EOF"),
 *   "websocket: close 1006 (abnormal closure): unexpected EOF",
 * );
 * assert.equal(closeErrorText(4000, "bye"), "websocket: close 4000: bye");
 * ```
 */
export function closeErrorText(code: number, reason: string): string {
  const name = CLOSE_CODE_NAMES[code];
  let text = `websocket: close ${code}`;
  if (name !== undefined) text += ` (${name})`;
  if (reason !== "") text += `: ${reason}`;
  return text;
}
