/**
 * {@linkcode startRawServer}: misbehaving WebSocket peers written on
 * `node:net` with no WebSocket library, for the client's failure paths.
 *
 * @module
 */

import { DEFAULT_SERVER_LIMITS } from "./limits.ts";
import type { Socket } from "node:net";
import { encodeFrame, Opcode, utf8 } from "./_frames.ts";
import {
  acceptKey,
  readRequestHead,
  type RequestHead,
  writeSwitchingProtocols,
} from "./_http.ts";
import { listen, type Listener } from "./_listener.ts";
import {
  IGNORED_EVENTS,
  type RawWebSocket,
  upgradeRaw,
} from "./_raw_socket.ts";
import type { TlsOptions } from "./server.ts";

/**
 * How a {@linkcode startRawServer} peer misbehaves. Every behaviour reads
 * the request head first; paths are ignored.
 *
 * - `"garbage"`: valid handshake, then a frame with a reserved opcode (3) —
 *   not a valid frame.
 * - `"drop-mid-frame"`: valid handshake, then half of a text frame, then
 *   TCP FIN.
 * - `"never-complete"`: reads the request and never answers (handshake
 *   timeouts).
 * - `"oversized"`: valid handshake, then one text message of `size` bytes.
 * - `"bad-accept"`: a 101 whose `Sec-WebSocket-Accept` is wrong.
 * - `"bad-compression"`: a valid 101 that negotiates `permessage-deflate`
 *   without the no-context-takeover parameters.
 * - `"no-status-close"`: valid handshake, then a close frame without status
 *   code.
 * - `"drop"`: valid handshake, then TCP FIN without a close frame.
 * - `"reset"`: valid handshake, then TCP RST — as soon as the client sends
 *   anything, or after `delayMs`.
 *
 * After the misbehaviour, the peers that keep the connection answer pings
 * and close frames like a gorilla/websocket server.
 */
export type RawBehaviour =
  | "garbage"
  | "drop-mid-frame"
  | "never-complete"
  | "oversized"
  | "bad-accept"
  | "bad-compression"
  | "no-status-close"
  | "drop"
  | "reset";

const BEHAVIOURS: readonly RawBehaviour[] = [
  "garbage",
  "drop-mid-frame",
  "never-complete",
  "oversized",
  "bad-accept",
  "bad-compression",
  "no-status-close",
  "drop",
  "reset",
];

/** Options of {@linkcode startRawServer}. */
export interface RawServerOptions {
  /** Address to listen on. @default {"127.0.0.1"} */
  readonly hostname?: string;
  /** Port to listen on; 0 picks a free one. @default {0} */
  readonly port?: number;
  /** Serve TLS with this certificate. */
  readonly tls?: TlsOptions;
  /** Message size of `"oversized"`, in bytes. @default {2097152} (2 MiB) */
  readonly size?: number;
  /** Longest wait of `"reset"` for the client's first bytes. @default {50} */
  readonly delayMs?: number;
}

/** A running {@linkcode startRawServer} peer. */
export interface RawServer {
  /** The port it listens on. */
  readonly port: number;
  /** `ws://host:port` (or `wss://`), without trailing slash. */
  readonly url: string;
  /**
   * Stops listening and ends every connection and timer.
   *
   * @returns A promise resolved when everything is down.
   */
  close(): Promise<void>;
}

/**
 * Starts a peer that misbehaves in one chosen way.
 *
 * @example A peer that sends an invalid frame
 * ```ts
 * import { startRawServer } from "./mod.ts";
 * import WebSocket from "ws";
 *
 * const server = await startRawServer("garbage");
 * const ws = new WebSocket(server.url);
 * const error = await new Promise<Error>((resolve) => ws.on("error", resolve));
 * await new Promise((resolve) => ws.on("close", resolve));
 * await server.close();
 * console.log(error.message); // "Invalid WebSocket frame: invalid opcode 3"
 * ```
 *
 * @param behaviour The misbehaviour.
 * @param options Address, port, TLS and behaviour parameters.
 * @returns The running peer.
 * @throws {TypeError} When `behaviour` is unknown or an option has the wrong
 * type.
 * @throws {RangeError} When `port`, `size` or `delayMs` is out of range.
 */
export function startRawServer(
  behaviour: RawBehaviour,
  options: RawServerOptions = {},
): Promise<RawServer> {
  if (!BEHAVIOURS.includes(behaviour)) {
    throw new TypeError(
      `Unknown raw behaviour ${JSON.stringify(behaviour)}; use one of ${
        BEHAVIOURS.join(", ")
      }`,
    );
  }
  const {
    hostname = "127.0.0.1",
    port = 0,
    tls,
    size = 2 * 1024 * 1024,
    delayMs = 50,
  } = options;
  if (typeof hostname !== "string" || hostname === "") {
    throw new TypeError("Option hostname must be a non-empty string");
  }
  checkInteger("port", port, 0, 65535);
  checkInteger("size", size, 0, 2 ** 31 - 1);
  checkInteger("delayMs", delayMs, 0, 2 ** 31 - 1);
  if (
    tls !== undefined &&
    (typeof tls !== "object" || tls === null ||
      typeof tls.cert !== "string" || typeof tls.key !== "string")
  ) {
    throw new TypeError(
      "Option tls must be an object with PEM strings cert and key",
    );
  }
  return start(behaviour, { hostname, port, tls }, size, delayMs);
}

function checkInteger(name: string, value: number, min: number, max: number) {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `Option ${name} must be an integer from ${min} to ${max}, got ${
        String(value)
      }`,
    );
  }
}

async function start(
  behaviour: RawBehaviour,
  address: {
    hostname: string;
    port: number;
    tls: TlsOptions | undefined;
  },
  size: number,
  delayMs: number,
): Promise<RawServer> {
  const misbehave = async (socket: Socket, listener: Listener) => {
    const read = await readRequestHead(
      socket,
      DEFAULT_SERVER_LIMITS.headerTimeoutMs,
    );
    if (read === undefined) return;
    const { head, rest } = read;
    switch (behaviour) {
      case "never-complete":
        return;
      case "bad-accept":
        writeSwitchingProtocols(socket, acceptKey(`not-${key(head)}`), {});
        return;
      case "bad-compression":
        return upgradeAndRun(socket, head, rest, () => {}, {
          "Sec-WebSocket-Extensions": "permessage-deflate",
        });
      case "garbage":
        return upgradeAndRun(socket, head, rest, () => {
          socket.write(
            encodeFrame({ opcode: 0x3, payload: utf8("not a frame") }),
          );
        });
      case "drop-mid-frame": {
        writeSwitchingProtocols(socket, acceptKey(key(head)), {});
        const frame = encodeFrame({
          opcode: Opcode.text,
          payload: utf8("x".repeat(100)),
        });
        socket.end(frame.subarray(0, 50), () => socket.destroy());
        return;
      }
      case "oversized":
        return upgradeAndRun(socket, head, rest, (raw) => {
          raw.send("x".repeat(size));
        });
      case "no-status-close":
        return upgradeAndRun(socket, head, rest, (raw) => raw.close());
      case "drop":
        return upgradeAndRun(socket, head, rest, (raw) => raw.drop());
      case "reset": {
        const raw = upgradeRaw(socket, head, {});
        if (rest.byteLength > 0) return raw.reset();
        socket.once("data", () => raw.reset());
        socket.resume();
        listener.later(delayMs, () => raw.reset());
        return;
      }
    }
  };
  const listener = await listen(address, (socket, listener) => {
    misbehave(socket, listener).catch(() => socket.destroy());
  });
  const scheme = address.tls === undefined ? "ws" : "wss";
  const host = address.hostname.includes(":")
    ? `[${address.hostname}]`
    : address.hostname;
  return {
    port: listener.port,
    url: `${scheme}://${host}:${listener.port}`,
    close: () => listener.close(),
  };
}

function key(head: RequestHead): string {
  return head.headers["sec-websocket-key"] ?? "";
}

function upgradeAndRun(
  socket: Socket,
  head: RequestHead,
  rest: Uint8Array,
  then: (raw: RawWebSocket) => void,
  headers: Readonly<Record<string, string>> = {},
): void {
  const raw = upgradeRaw(socket, head, headers);
  raw.start(IGNORED_EVENTS, rest);
  then(raw);
}
