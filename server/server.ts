/**
 * {@linkcode startServer}: the embedded test and demo server.
 *
 * @module
 */

import { FrontDoor } from "./_front_door.ts";
import { listen, type Listener } from "./_listener.ts";
import { type ServerLimits, validateLimits } from "./limits.ts";

/**
 * Who speaks WebSocket for the routes that can run on either server:
 * `"deno"` (Deno.serve + Deno.upgradeWebSocket, Deno only) or `"node"` (the
 * `ws` package). Routes that need what only one of them (or neither) can do
 * use that one (or the hand-written RFC 6455 peer) whatever the engine.
 */
export type Engine = "deno" | "node";

/** PEM-encoded certificate (chain) and private key. */
export interface TlsOptions {
  /** The certificate, leaf first, PEM. */
  readonly cert: string;
  /** The private key, PEM. */
  readonly key: string;
}

/** Options of {@linkcode startServer}. */
export interface StartServerOptions {
  /** Address to listen on. @default {"127.0.0.1"} */
  readonly hostname?: string;
  /** Port to listen on; 0 picks a free one. @default {0} */
  readonly port?: number;
  /**
   * Which server carries the routes both can serve.
   * @default {"deno" under Deno, "node" elsewhere}
   */
  readonly engine?: Engine;
  /** Serve `wss://` and `https://` with this certificate. */
  readonly tls?: TlsOptions;
  /**
   * Keep the logs (`requests`, `messages`, …). Turn off for long-running
   * servers, whose logs would grow with every message.
   * @default {true}
   */
  readonly record?: boolean;
  /**
   * What one client may cost the server (see {@linkcode ServerLimits}).
   * Every limit has a default; pass only those to change.
   */
  readonly limits?: ServerLimits;
}

/** One HTTP request the server received. */
export interface RequestRecord {
  /** The path, without query. */
  readonly path: string;
  /** Path and query exactly as requested. */
  readonly target: string;
  /** The HTTP method. */
  readonly method: string;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  /** Cookies sent in `Cookie` headers. */
  readonly cookies: Readonly<Record<string, string>>;
}

/** A close frame a client sent. */
export interface CloseFrameRecord {
  /** The path of the connection's request. */
  readonly path: string;
  /** The close code; `undefined` for a close frame without status code. */
  readonly code: number | undefined;
  /** The close reason (`""` when none). */
  readonly reason: string;
}

/** A pong a client sent. */
export interface PongRecord {
  /** The path of the connection's request. */
  readonly path: string;
  /** The pong's payload, decoded as UTF-8. */
  readonly payload: string;
}

/** A data message a client sent: text as a string, binary as bytes. */
export interface MessageRecord {
  /** The path of the connection's request. */
  readonly path: string;
  /** A string for a text message, bytes for a binary one. */
  readonly data: string | Uint8Array;
}

/** A running server from {@linkcode startServer}. */
export interface TestServer {
  /** The port it listens on. */
  readonly port: number;
  /** `ws://host:port` (or `wss://`), without trailing slash. */
  readonly url: string;
  /** `http://host:port` (or `https://`), without trailing slash. */
  readonly httpUrl: string;
  /** Every HTTP request seen, in arrival order. */
  readonly requests: ReadonlyArray<RequestRecord>;
  /** Close frames received from clients, in arrival order. */
  readonly closeFrames: ReadonlyArray<CloseFrameRecord>;
  /** Pongs received from clients (not visible on the "deno" carrier). */
  readonly pongs: ReadonlyArray<PongRecord>;
  /** Data messages received from clients, in arrival order. */
  readonly messages: ReadonlyArray<MessageRecord>;
  /** The limits in force, defaults filled in. */
  readonly limits: Required<ServerLimits>;
  /**
   * Stops listening and ends every connection and timer.
   *
   * @returns A promise resolved when everything is down.
   */
  close(): Promise<void>;
}

/**
 * Starts the test/demo server: k6's test-server routes, an echo server and
 * chat rooms (see the module documentation for the route list).
 *
 * @example Echo a message
 * ```ts
 * import { startServer } from "./mod.ts";
 * import WebSocket from "ws";
 *
 * const server = await startServer();
 * const ws = new WebSocket(`${server.url}/ws-echo-multi`);
 * ws.on("open", () => ws.send("hello"));
 * const echo = await new Promise((resolve) => ws.on("message", resolve));
 * ws.close();
 * await new Promise((resolve) => ws.on("close", resolve));
 * await server.close();
 * console.log(String(echo)); // "hello"
 * ```
 *
 * @param options Address, port, engine, TLS, logging and limits.
 * @returns The running server.
 * @throws {TypeError} When an option has the wrong type.
 * @throws {RangeError} When `port` is not an integer 0–65535, `engine` is
 * unknown or `"deno"` outside Deno, or a limit is not a positive integer.
 */
export function startServer(
  options: StartServerOptions = {},
): Promise<TestServer> {
  const config = validateOptions(options);
  return start(config);
}

interface ServerConfig {
  readonly hostname: string;
  readonly port: number;
  readonly engine: Engine;
  readonly tls: TlsOptions | undefined;
  readonly record: boolean;
  readonly limits: Required<ServerLimits>;
}

function validateOptions(options: StartServerOptions): ServerConfig {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("Server options must be an object");
  }
  const { hostname = "127.0.0.1", port = 0, tls, record = true } = options;
  const engine = options.engine ??
    (typeof Deno !== "undefined" ? "deno" : "node");
  if (typeof hostname !== "string" || hostname === "") {
    throw new TypeError("Option hostname must be a non-empty string");
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(
      `Option port must be an integer from 0 to 65535, got ${String(port)}`,
    );
  }
  if (engine !== "deno" && engine !== "node") {
    throw new RangeError(
      `Option engine must be "deno" or "node", got ${JSON.stringify(engine)}`,
    );
  }
  if (engine === "deno" && typeof Deno === "undefined") {
    throw new RangeError(
      'Option engine "deno" needs the Deno runtime; use "node" here',
    );
  }
  if (
    tls !== undefined &&
    (typeof tls !== "object" || tls === null ||
      typeof tls.cert !== "string" || typeof tls.key !== "string")
  ) {
    throw new TypeError(
      "Option tls must be an object with PEM strings cert and key",
    );
  }
  if (typeof record !== "boolean") {
    throw new TypeError("Option record must be a boolean");
  }
  return {
    hostname,
    port,
    engine,
    tls,
    record,
    limits: validateLimits(options.limits),
  };
}

async function start(config: ServerConfig): Promise<TestServer> {
  const door = await FrontDoor.open(
    config.engine,
    config.record,
    config.limits,
  );
  let listener: Listener;
  try {
    listener = await listen({
      ...config,
      handshakeTimeoutMs: config.limits.headerTimeoutMs,
    }, (socket, listener) => {
      door.serve(socket, listener).catch(() => socket.destroy());
    });
  } catch (error) {
    await door.close();
    throw error;
  }
  const scheme = config.tls === undefined ? "" : "s";
  const host = config.hostname.includes(":")
    ? `[${config.hostname}]`
    : config.hostname;
  const { records } = door;
  let closing: Promise<void> | undefined;
  return {
    port: listener.port,
    url: `ws${scheme}://${host}:${listener.port}`,
    httpUrl: `http${scheme}://${host}:${listener.port}`,
    requests: records.requests,
    closeFrames: records.closeFrames,
    pongs: records.pongs,
    messages: records.messages,
    limits: config.limits,
    close() {
      closing ??= (async () => {
        await listener.close();
        await door.close();
      })();
      return closing;
    },
  };
}
