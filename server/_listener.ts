/**
 * A TCP or TLS listener that knows every connection and timer it started, so
 * closing it leaves nothing running.
 *
 * @module
 */

import { createServer as createTcpServer, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import type { Duplex } from "node:stream";

/** Where and how to listen. */
export interface ListenOptions {
  readonly hostname: string;
  readonly port: number;
  /** PEM certificate chain and key: serve TLS. */
  readonly tls?: { readonly cert: string; readonly key: string } | undefined;
  /** How long a TLS handshake may take (Node's default: 120 s). */
  readonly handshakeTimeoutMs?: number;
}

/** A running listener. */
export interface Listener {
  /** The port actually bound. */
  readonly port: number;
  /**
   * Adds a connection this listener did not accept (e.g. a proxy's upstream
   * socket) so that {@linkcode Listener.close} ends it too.
   */
  track(socket: Duplex): void;
  /** A timer cleared by {@linkcode Listener.close}. */
  later(ms: number, callback: () => void): void;
  /** Stops listening, destroys every connection, clears every timer. */
  close(): Promise<void>;
}

/**
 * Starts listening.
 *
 * @param options Address, port and optional TLS material.
 * @param onConnection Called with every new (decrypted) connection and the
 * listener itself.
 * @returns The running listener.
 */
export async function listen(
  options: ListenOptions,
  onConnection: (socket: Socket, listener: Listener) => void,
): Promise<Listener> {
  const sockets = new Set<Duplex>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let port = options.port;
  let closing: Promise<void> | undefined;
  const listener: Listener = {
    get port() {
      return port;
    },
    track(socket) {
      sockets.add(socket);
      socket.on("error", () => {});
      socket.once("close", () => sockets.delete(socket));
    },
    later(ms, callback) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        callback();
      }, ms);
      timers.add(timer);
    },
    close() {
      closing ??= (async () => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        const stopped = new Promise<void>((resolve) =>
          server.close(() => resolve())
        );
        const ended = [...sockets].map(whenClosed);
        for (const socket of sockets) socket.destroy();
        await Promise.all([stopped, ...ended]);
      })();
      return closing;
    },
  };
  const accept = (socket: Socket) => {
    listener.track(socket);
    socket.setNoDelay(true);
    onConnection(socket, listener);
  };
  const server = options.tls === undefined
    ? createTcpServer(accept)
    : createTlsServer({
      cert: options.tls.cert,
      key: options.tls.key,
      handshakeTimeout: options.handshakeTimeoutMs,
    }, accept);
  if (options.tls !== undefined) {
    // The TCP sockets under TLS: tracked too, so that connections stuck in
    // (or failing) the TLS handshake are also ended by close().
    server.on("connection", listener.track);
    server.on("tlsClientError", () => {});
  }
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (typeof address === "object" && address !== null) port = address.port;
  return listener;
}

function whenClosed(socket: Duplex): Promise<void> {
  if (socket.closed) return Promise.resolve();
  return new Promise((resolve) => socket.once("close", () => resolve()));
}
