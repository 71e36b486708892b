/**
 * The argument of a legacy socket's `error` handlers.
 *
 * @module
 */

/**
 * What an `error` handler receives: k6 hands over the Go error itself, so a
 * script reads its text with `e.error()` (or `String(e)`). A close error (the
 * server closed with a code other than 1000/1001, or dropped the connection)
 * also carries the close `code` and `text`.
 *
 * @example The k6 documentation's idiom
 * ```ts
 * import { SocketError } from "./socket_error.ts";
 * import assert from "node:assert/strict";
 *
 * const e = new SocketError("websocket: close 1006 (abnormal closure): unexpected EOF", {
 *   code: 1006,
 *   text: "unexpected EOF",
 * });
 * assert.notEqual(e.error(), "websocket: close sent");
 * assert.equal(String(e), e.error());
 * assert.equal(e.code, 1006);
 * assert.equal(new SocketError("websocket: close sent").code, undefined);
 * ```
 */
export class SocketError {
  /** The close code, only on close errors (e.g. 1006, 4000). */
  declare readonly code?: number;
  /** The close reason, only on close errors (e.g. `"unexpected EOF"`, `"bye"`). */
  declare readonly text?: string;
  readonly #message: string;

  /**
   * Creates an error event argument.
   *
   * @param message The error text, e.g. `websocket: close sent`.
   * @param close The close code and reason, for close errors.
   */
  constructor(
    message: string,
    close?: { readonly code: number; readonly text: string },
  ) {
    this.#message = message;
    if (close !== undefined) {
      Object.assign(this, { code: close.code, text: close.text });
    }
  }

  /**
   * The error text.
   *
   * @returns E.g. `websocket: close sent`.
   */
  error(): string {
    return this.#message;
  }

  /**
   * The error text, so that `String(e)` and template literals show it.
   *
   * @returns The same text as {@link SocketError.error}.
   */
  toString(): string {
    return this.#message;
  }
}
