/**
 * The front door of {@linkcode startServer}: reads each request head, logs
 * it, resolves the route and hands the connection to the carrier that can
 * reproduce the route's wire behaviour.
 *
 * @module
 */

import { connect, type Socket } from "node:net";
import type {
  Carrier,
  ProxiedCarrier,
  ProxiedUpgrade,
  Recorder,
  UpgradePlan,
} from "./_fixture.ts";
import {
  type ReadRequest,
  readRequestHead,
  upgradeProblem,
  wantsWebSocket,
  writeResponse,
} from "./_http.ts";
import type { Listener } from "./_listener.ts";
import { upgradeRaw } from "./_raw_socket.ts";
import {
  createRouteState,
  http,
  type HttpAnswer,
  resolveRoute,
  type RouteState,
} from "./_routes.ts";
import { WsCarrier } from "./_ws_carrier.ts";
import type { ServerLimits } from "./limits.ts";
import type { Engine, RequestRecord } from "./server.ts";

/**
 * A log that keeps nothing: long-running servers (`wsload serve`,
 * benchmarks) must not grow with every message.
 */
class DiscardingLog<T> extends Array<T> {
  override push(..._items: T[]): number {
    return 0;
  }
}

/** The logs of one server. */
export interface Records extends Recorder {
  readonly requests: RequestRecord[];
}

/** Dispatches the connections of one server. */
export class FrontDoor {
  readonly records: Records;
  #state: RouteState;
  #limits: Required<ServerLimits>;
  #ws: WsCarrier;
  #deno: ProxiedCarrier | undefined;
  #preference: readonly Carrier[];
  /** Upgrades piped to Deno, by the pipe's local port. */
  #proxied = new Map<number, ProxiedUpgrade>();

  private constructor(
    engine: Engine,
    record: boolean,
    limits: Required<ServerLimits>,
  ) {
    this.#limits = limits;
    this.#ws = new WsCarrier(limits.maxMessageBytes);
    this.records = record
      ? { requests: [], closeFrames: [], pongs: [], messages: [] }
      : {
        requests: new DiscardingLog(),
        closeFrames: new DiscardingLog(),
        pongs: new DiscardingLog(),
        messages: new DiscardingLog(),
      };
    this.#state = createRouteState(this.records, limits.maxQueuedBytes);
    this.#preference = engine === "deno"
      ? ["deno", "ws", "raw"]
      : ["ws", "raw"];
  }

  /**
   * Creates the front door and starts the engine's carriers.
   *
   * @param engine Which server carries the routes both can serve.
   * @param record Whether to keep the request and message logs.
   * @param limits What one client may cost.
   * @returns The front door.
   */
  static async open(
    engine: Engine,
    record: boolean,
    limits: Required<ServerLimits>,
  ): Promise<FrontDoor> {
    const door = new FrontDoor(engine, record, limits);
    if (engine === "deno" && typeof Deno !== "undefined") {
      const { startDenoCarrier } = await import("./_deno.ts");
      door.#deno = await startDenoCarrier((sourcePort) => {
        const upgrade = door.#proxied.get(sourcePort);
        door.#proxied.delete(sourcePort);
        return upgrade;
      });
    }
    return door;
  }

  /**
   * Serves one connection.
   *
   * @param socket A newly accepted connection.
   * @param listener Its listener (to track helper connections).
   */
  async serve(socket: Socket, listener: Listener): Promise<void> {
    const read = await readRequestHead(socket, this.#limits.headerTimeoutMs);
    if (read === undefined) return;
    const { head } = read;
    this.records.requests.push({
      path: head.path,
      target: head.target,
      method: head.method,
      headers: head.headers,
      cookies: head.cookies,
    });
    const answer = resolveRoute(head, this.#state);
    if (answer.kind === "http") return respond(socket, answer);
    if (!wantsWebSocket(head)) {
      return respond(
        socket,
        answer.plain ??
          http(400, "Bad Request: this path needs a WebSocket upgrade\n"),
      );
    }
    const problem = upgradeProblem(head);
    if (problem !== undefined) {
      return respond(socket, http(400, `${problem}\n`));
    }
    const { plan } = answer;
    const carrier = this.#preference.find((c) => plan.carriers.includes(c));
    if (carrier === "ws") return this.#ws.accept(socket, head, read.rest, plan);
    if (carrier === "raw") {
      return acceptRaw(socket, read, plan, this.#limits.maxMessageBytes);
    }
    if (carrier === "deno" && this.#deno !== undefined) {
      return this.#pipe(socket, read, this.#deno.port, plan, listener);
    }
    respond(socket, http(500, "No carrier can serve this route\n"));
  }

  /** Stops the carriers (after the listener ended every connection). */
  async close(): Promise<void> {
    this.#ws.close();
    await this.#deno?.close();
  }

  #pipe(
    client: Socket,
    read: ReadRequest,
    port: number,
    plan: UpgradePlan,
    listener: Listener,
  ): void {
    const upstream = connect(port, "127.0.0.1");
    listener.track(upstream);
    upstream.setNoDelay(true);
    upstream.once("connect", () => {
      this.#proxied.set(upstream.localPort ?? 0, {
        plan,
        abort: () => client.destroy(),
      });
      upstream.write(read.headBytes);
      if (read.rest.byteLength > 0) upstream.write(read.rest);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    upstream.once("error", () => client.destroy());
    client.once("close", () => upstream.destroy());
  }
}

function respond(socket: Socket, answer: HttpAnswer): void {
  writeResponse(socket, answer.status, answer.headers, answer.body);
}

function acceptRaw(
  socket: Socket,
  read: ReadRequest,
  plan: UpgradePlan,
  maxPayload: number,
): void {
  const headers: Record<string, string> = {};
  if (plan.protocol !== undefined) {
    headers["Sec-WebSocket-Protocol"] = plan.protocol;
  }
  const raw = upgradeRaw(
    socket,
    read.head,
    { ...headers, ...plan.headers },
    maxPayload,
  );
  raw.start(plan.open(raw), read.rest);
}
