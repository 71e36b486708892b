/**
 * The `ws` carrier: accepts upgrades with the `ws` package's WebSocketServer
 * in `noServer` mode (our own front door reads the request head). It is the
 * only carrier that negotiates permessage-deflate.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import type { FixtureSocket, SessionEvents, UpgradePlan } from "./_fixture.ts";
import type { RequestHead } from "./_http.ts";

/**
 * The part of a Node request that `WebSocketServer.handleUpgrade` reads; our
 * front door parsed the head itself, so it hands over this stand-in.
 */
interface UpgradeRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly socket: Socket;
}

/** Accepts WebSocket upgrades with `ws`. */
export class WsCarrier {
  #plans = new WeakMap<object, UpgradePlan>();
  #plain: WebSocketServer;
  #deflate: WebSocketServer;

  readonly #maxPayload: number;

  /**
   * @param maxPayload The largest message accepted from a client, in bytes.
   */
  constructor(maxPayload: number) {
    this.#maxPayload = maxPayload;
    this.#plain = this.#server(false);
    // gorilla's "EnableCompression" answers with both no-context-takeover
    // parameters; threshold 0 compresses even the short fixture messages.
    this.#deflate = this.#server({
      serverNoContextTakeover: true,
      clientNoContextTakeover: true,
      threshold: 0,
    });
  }

  #server(
    perMessageDeflate: false | {
      serverNoContextTakeover: boolean;
      clientNoContextTakeover: boolean;
      threshold: number;
    },
  ): WebSocketServer {
    const server = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload: this.#maxPayload,
      perMessageDeflate,
      // Without this, ws would echo the client's first subprotocol back.
      handleProtocols: (_offered, request) =>
        this.#plans.get(request)?.protocol ?? false,
    });
    server.on("headers", (headers, request) => {
      const plan = this.#plans.get(request);
      for (const [name, value] of Object.entries(plan?.headers ?? {})) {
        headers.push(`${name}: ${value}`);
      }
    });
    return server;
  }

  /**
   * Completes an upgrade and starts the plan's fixture.
   *
   * @param socket The connection, paused after its request head.
   * @param head The (validated) request head.
   * @param rest Bytes received after the head.
   * @param plan What to answer and run.
   */
  accept(
    socket: Socket,
    head: RequestHead,
    rest: Uint8Array,
    plan: UpgradePlan,
  ): void {
    const request: UpgradeRequest = {
      method: head.method,
      url: head.target,
      headers: head.headers,
      socket,
    };
    this.#plans.set(request, plan);
    const server = plan.compression ? this.#deflate : this.#plain;
    server.handleUpgrade(
      request as unknown as IncomingMessage,
      socket,
      Buffer.from(rest),
      (ws) => wire(ws, plan.open(new WsFixtureSocket(ws))),
    );
    socket.resume();
  }

  /** Releases the servers (connections are ended by the listener). */
  close(): void {
    this.#plain.close();
    this.#deflate.close();
  }
}

function wire(ws: WebSocket, events: SessionEvents): void {
  ws.on("message", (data: Buffer, isBinary: boolean) => {
    events.message(isBinary ? new Uint8Array(data) : data.toString("utf8"));
  });
  ws.on("pong", (payload: Buffer) => events.pong(payload));
  ws.on("close", (code: number, reason: Buffer) => {
    // ws reports 1006 when no close frame arrived, 1005 for an empty one.
    if (code !== 1006) {
      events.closeFrame(code === 1005 ? undefined : code, reason.toString());
    }
    events.end();
  });
  ws.on("error", () => {});
}

class WsFixtureSocket implements FixtureSocket {
  #ws: WebSocket;
  #pendingWrites = 0;
  #dropRequested = false;

  constructor(ws: WebSocket) {
    this.#ws = ws;
  }

  send(data: string | Uint8Array): void {
    if (!this.#writable()) return;
    this.#pendingWrites++;
    this.#ws.send(data, { binary: typeof data !== "string" }, this.#written);
  }

  ping(payload: string): void {
    if (!this.#writable()) return;
    this.#pendingWrites++;
    this.#ws.ping(payload, undefined, this.#written);
  }

  close(code?: number, reason?: string): void {
    if (this.#writable()) this.#ws.close(code, reason);
  }

  drop(): void {
    this.#dropRequested = true;
    if (this.#pendingWrites === 0) this.#ws.terminate();
  }

  get bufferedAmount(): number {
    return this.#ws.bufferedAmount;
  }

  abort(): void {
    this.#ws.terminate();
  }

  #writable(): boolean {
    return this.#ws.readyState === this.#ws.OPEN && !this.#dropRequested;
  }

  #written = (): void => {
    this.#pendingWrites--;
    if (this.#dropRequested && this.#pendingWrites === 0) this.#ws.terminate();
  };
}
