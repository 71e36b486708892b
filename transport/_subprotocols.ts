/**
 * Which subprotocols a dial asks for. `k6/ws` has no `protocols` argument:
 * scripts ask through a `Sec-WebSocket-Protocol` header. Both client
 * libraries refuse a server's subprotocol they were not told about, so such
 * a header is turned into the protocol list before dialling.
 *
 * @module
 */
import type { DialOptions } from "./transport.ts";

/** The subprotocols to request and the headers left to send. */
export interface RequestedProtocols {
  /** Subprotocols, in order. */
  readonly protocols: readonly string[];
  /** The other request headers, in order. */
  readonly headers: readonly (readonly [string, string])[];
}

/**
 * Moves `Sec-WebSocket-Protocol` headers into the protocol list when the
 * dial has no protocols of its own.
 *
 * @param options The dial options.
 * @returns The protocols and headers to dial with (the options' own arrays
 * when there is nothing to move).
 *
 * @example A protocol header becomes the protocol list
 * ```ts
 * import { requestedProtocols } from "./_subprotocols.ts";
 * import assert from "node:assert/strict";
 *
 * const requested = requestedProtocols({
 *   url: "ws://127.0.0.1:1",
 *   protocols: [],
 *   headers: [["Sec-Websocket-Protocol", "chat, superchat"], ["X-A", "1"]],
 *   compression: false,
 *   tls: {},
 *   handshakeTimeoutMs: 60000,
 *   maxPayload: 1024,
 * });
 * assert.deepEqual(requested.protocols, ["chat", "superchat"]);
 * assert.deepEqual(requested.headers, [["X-A", "1"]]);
 * ```
 */
export function requestedProtocols(options: DialOptions): RequestedProtocols {
  const { protocols, headers } = options;
  if (
    protocols.length > 0 ||
    !headers.some(([name]) => name.toLowerCase() === "sec-websocket-protocol")
  ) {
    return { protocols, headers };
  }
  const fromHeaders: string[] = [];
  const others: (readonly [string, string])[] = [];
  for (const header of headers) {
    if (header[0].toLowerCase() !== "sec-websocket-protocol") {
      others.push(header);
      continue;
    }
    for (const protocol of header[1].split(",")) {
      const trimmed = protocol.trim();
      if (trimmed !== "") fromHeaders.push(trimmed);
    }
  }
  return { protocols: fromHeaders, headers: others };
}
