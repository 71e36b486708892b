/**
 * {@linkcode startHttpServer}: an HTTP/1.1 test server with keep-alive, for
 * the HTTP half of WebSocket tests and for k6's HTTP examples.
 *
 * @module
 */

import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { WebSocketServer } from "ws";
import { type Exchange, requestToken, route } from "./_api_routes.ts";

/** TLS settings of {@linkcode startHttpServer}. */
export interface HttpServerTls {
  /** The certificate, leaf first, PEM. */
  readonly cert: string;
  /** The private key, PEM. */
  readonly key: string;
  /**
   * Ask clients for a certificate and accept those signed by this CA (PEM);
   * a client without one is still served, its `clientCert` is `""`.
   */
  readonly clientCA?: string;
}

/** Options of {@linkcode startHttpServer}. */
export interface HttpServerOptions {
  /** Address to listen on. @default {"127.0.0.1"} */
  readonly hostname?: string;
  /** Port to listen on; 0 picks a free one. @default {0} */
  readonly port?: number;
  /** Serve `https://` (and `wss://`) with this certificate. */
  readonly tls?: HttpServerTls;
  /** How long an idle keep-alive connection stays open, ms. @default {5000} */
  readonly keepAliveTimeout?: number;
  /**
   * Keep the request log (`requests`). Turn off for long-running servers
   * and benchmarks, whose log would grow with every request.
   * @default {true}
   */
  readonly record?: boolean;
}

/** One request the server received. */
export interface HttpRequestRecord {
  /** The HTTP method. */
  readonly method: string;
  /** Path and query exactly as requested. */
  readonly target: string;
  /** Header names and values in wire order. */
  readonly headers: readonly (readonly [string, string])[];
  /** The request body. */
  readonly body: Uint8Array;
  /** Which TCP connection carried it: 1 for the first the server accepted. */
  readonly connection: number;
  /** The common name of the client's certificate (`""` when none). */
  readonly clientCert: string;
}

/** A running server from {@linkcode startHttpServer}. */
export interface HttpTestServer {
  /** The port it listens on. */
  readonly port: number;
  /** `http://host:port` (or `https://`), without trailing slash. */
  readonly url: string;
  /** `ws://host:port` (or `wss://`), without trailing slash. */
  readonly wsUrl: string;
  /** Every request seen, in arrival order. */
  readonly requests: ReadonlyArray<HttpRequestRecord>;
  /** TCP connections accepted so far. */
  readonly connections: number;
  /**
   * Stops listening and ends every connection and timer.
   *
   * @returns A promise resolved when everything is down.
   */
  close(): Promise<void>;
}

const CONNECTION_ID = Symbol("connection");

function pairs(raw: readonly string[]): [string, string][] {
  const result: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) result.push([raw[i], raw[i + 1]]);
  return result;
}

function connectionOf(socket: Socket): number {
  return (socket as unknown as Record<symbol, number>)[CONNECTION_ID] ?? 0;
}

function clientCertName(socket: Socket): string {
  const tlsSocket = socket as Partial<TLSSocket>;
  if (typeof tlsSocket.getPeerCertificate !== "function") return "";
  if (tlsSocket.authorized !== true) return "";
  const subject = tlsSocket.getPeerCertificate().subject as
    | { CN?: string | string[] }
    | undefined;
  const name = subject?.CN;
  return Array.isArray(name) ? name[0] ?? "" : name ?? "";
}

/**
 * Starts an HTTP test server. It speaks HTTP/1.1 with keep-alive and
 * answers every response with an `X-Connection` header (which TCP
 * connection carried it), so a client test can see connection reuse.
 *
 * Routes: QuickPizza's HTTP testing API (`/api/status/<n>`,
 * `/api/bytes/<n>`, `/api/delay/<d>`, `/api/get`, `/api/delete`,
 * `/api/post|put|patch` echo the body, `GET /api/cookies` lists the
 * request's cookies, `POST /api/cookies?k=v` sets them, `/api/headers`,
 * `/api/basic-auth/<user>/<password>`, `/api/json?k=v`, `/api/doughs`), a login
 * (`POST /api/users/token/login` with `{"username":"default","password":"12345678"}`
 * answers `{"token"}`; `GET /api/users/me` wants it as
 * `Authorization: Token <t>`), the test.k6.io pages (`/`, `/style.css`,
 * `/images/logo.png`, `/pi.php?decimals=n`, `/features`), and wsload's own:
 * `/anything` (echoes method, target, raw headers and body as JSON),
 * `/redirect/<n>`, `/redirect-to?url=&status=`, `/set-cookie-redirect`,
 * `/gzip`, `/deflate`, `/br`, `/bad-gzip`, `/slow-body?ms=`, `/large?n=`,
 * `/fault/reset` (TCP reset), `/fault/eof` (closes without answering),
 * `/fault/hang` (never answers). `/ws` upgrades to a WebSocket when the
 * request carries a token from the login (`Authorization: Token <t>` or
 * `?token=`): it sends `{"event":"welcome","user":<name>}` and echoes every
 * message; without a valid token it answers 401.
 *
 * @example Log in and read the user back
 * ```ts
 * import { startHttpServer } from "./http_server.ts";
 *
 * const server = await startHttpServer();
 * const login = await fetch(`${server.url}/api/users/token/login`, {
 *   method: "POST",
 *   body: JSON.stringify({ username: "default", password: "12345678" }),
 * });
 * const { token } = await login.json();
 * const me = await fetch(`${server.url}/api/users/me`, {
 *   headers: { Authorization: `Token ${token}` },
 * });
 * console.log(await me.json()); // { username: "default" }
 * await server.close();
 * ```
 *
 * @param options Address, port, TLS and keep-alive timeout.
 * @returns The running server.
 */
export async function startHttpServer(
  options: HttpServerOptions = {},
): Promise<HttpTestServer> {
  const requests: HttpRequestRecord[] = [];
  const record = options.record ?? true;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const tokens = new Map<string, string>();
  const sockets = new Set<Socket>();
  let connections = 0;
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks);
      const connection = connectionOf(request.socket);
      if (record) {
        requests.push({
          method: request.method ?? "",
          target: request.url ?? "",
          headers: pairs(request.rawHeaders),
          body,
          connection,
          clientCert: clientCertName(request.socket),
        });
      }
      response.setHeader("X-Connection", String(connection));
      const url = new URL(request.url ?? "/", "http://localhost");
      const exchange: Exchange = {
        request,
        response,
        url,
        body,
        timers,
        tokens,
      };
      route(exchange);
    });
  };
  const tls = options.tls;
  const server: Server = tls === undefined
    ? createHttpServer(handle)
    : createHttpsServer({
      cert: tls.cert,
      key: tls.key,
      ...(tls.clientCA === undefined
        ? {}
        : { ca: tls.clientCA, requestCert: true, rejectUnauthorized: false }),
    }, handle);
  server.keepAliveTimeout = options.keepAliveTimeout ?? 5000;
  const onConnection = (socket: Socket) => {
    (socket as unknown as Record<symbol, number>)[CONNECTION_ID] =
      ++connections;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  };
  server.on(
    tls === undefined ? "connection" : "secureConnection",
    onConnection,
  );
  if (tls !== undefined) {
    // Count plain TCP connections too, so a failed handshake is seen.
    server.on("connection", (socket: Socket) => sockets.add(socket));
  }

  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (request: IncomingMessage, socket: Socket, head) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const user = tokens.get(requestToken(request, url));
    if (url.pathname !== "/ws" || user === undefined) {
      const status = url.pathname === "/ws"
        ? "401 Unauthorized"
        : "404 Not Found";
      socket.end(
        `HTTP/1.1 ${status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
      );
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      ws.send(JSON.stringify({ event: "welcome", user }));
      ws.on("message", (data, isBinary) => ws.send(data, { binary: isBinary }));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.hostname ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null
    ? address.port
    : 0;
  const host = options.hostname ?? "127.0.0.1";
  const authority = host.includes(":")
    ? `[${host}]:${port}`
    : `${host}:${port}`;
  return {
    port,
    url: `${tls === undefined ? "http" : "https"}://${authority}`,
    wsUrl: `${tls === undefined ? "ws" : "wss"}://${authority}`,
    requests,
    get connections() {
      return connections;
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const client of wss.clients) client.terminate();
      const closed = new Promise<void>((resolve) =>
        server.close(() => resolve())
      );
      for (const socket of sockets) socket.destroy();
      return closed;
    },
  };
}
