/**
 * Measures a bare transport (no k6 module on top): N connections to an echo
 * server, each sending a message, waiting for its echo and sending again,
 * for D seconds. Compare its rate with the facade's to see what the module
 * layer costs.
 *
 * Run it directly against a running echo server:
 *
 * ```sh
 * deno run -A scripts/bench_transport.ts --transport native --url ws://127.0.0.1:8080/ws/echo
 * ```
 *
 * Without `--url` it starts an in-process `ws` echo server; its CPU time is
 * then counted too. Without `--transport` it measures every transport of
 * the runtime. Other flags: `--connections 50`, `--seconds 5`,
 * `--payload-size 32`, `--track-writes` (a `written` callback per send).
 *
 * @module
 */
import process from "node:process";
import { parseArgs } from "node:util";
import { WebSocketServer } from "ws";
import { loadTransport } from "../transport/select.ts";
import type {
  CloseInfo,
  Connection,
  ConnectionHandler,
  TransportName,
} from "../transport/transport.ts";

/** How to load the echo server. */
export interface TransportBenchOptions {
  /** Concurrent connections (a positive integer). */
  readonly connections: number;
  /** How long to measure, in seconds (positive). */
  readonly seconds: number;
  /** The message each connection sends; 32 ASCII bytes by default. */
  readonly payload?: string | Uint8Array;
  /**
   * Ask for a `written` callback on every send, as a module counting
   * `ws_msgs_sent` does (default false).
   */
  readonly trackWrites?: boolean;
}

/** What a run measured. */
export interface TransportBenchResult {
  /** Echoes received during the measured window, over all connections. */
  readonly roundTrips: number;
  /** The measured window's length, in seconds. */
  readonly seconds: number;
  /** CPU time (user + system) of the whole process in that window, in seconds. */
  readonly cpuSeconds: number;
}

const DEFAULT_PAYLOAD = "0123456789abcdef0123456789abcdef";

/**
 * Runs echo loops through a bare transport. The window starts once every
 * connection is open and ends after `seconds`; the connections are then
 * closed (outside the window).
 *
 * @param name The transport to measure.
 * @param url A `ws:` URL of a server that echoes every message.
 * @param options Connections, duration and payload.
 * @returns Round trips, window length and CPU time.
 * @throws {RangeError} If `connections` is not a positive integer or
 * `seconds` is not positive.
 * @throws {Error} (as a rejection) If a connection fails to open or closes
 * during the window.
 *
 * @example A 0.2 s run against an in-process echo server
 * ```ts
 * import { benchTransport } from "./bench_transport.ts";
 * import { WebSocketServer } from "ws";
 * import assert from "node:assert/strict";
 *
 * const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
 * server.on("connection", (socket) => socket.on("message", (data, isBinary) => socket.send(data, { binary: isBinary })));
 * await new Promise((resolve) => server.once("listening", resolve));
 * const { port } = server.address() as { port: number };
 *
 * const result = await benchTransport("ws", `ws://127.0.0.1:${port}/`, { connections: 2, seconds: 0.2 });
 * assert.ok(result.roundTrips > 0);
 * await new Promise((resolve) => server.close(resolve));
 * ```
 */
export async function benchTransport(
  name: TransportName,
  url: string,
  options: TransportBenchOptions,
): Promise<TransportBenchResult> {
  const { connections: count, seconds } = options;
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(
      `connections must be a positive integer, got ${count}`,
    );
  }
  if (!(seconds > 0)) {
    throw new RangeError(`seconds must be a positive number, got ${seconds}`);
  }
  const payload = options.payload ?? DEFAULT_PAYLOAD;
  const written = options.trackWrites ? () => {} : undefined;
  const transport = await loadTransport(name);

  let measuring = false;
  let roundTrips = 0;
  const failures: string[] = [];
  const connections: Connection[] = [];
  const opened: Promise<void>[] = [];
  const closed: Promise<void>[] = [];

  for (let i = 0; i < count; i++) {
    let markOpen!: () => void;
    let markClosed!: () => void;
    opened.push(new Promise((resolve) => markOpen = resolve));
    closed.push(new Promise((resolve) => markClosed = resolve));
    const handler: ConnectionHandler = {
      onOpen: () => markOpen(),
      onMessage() {
        if (!measuring) return;
        roundTrips++;
        connections[i].send(payload, written);
      },
      onPing() {},
      onPong() {},
      onError(message) {
        failures.push(message);
      },
      onClose(info: CloseInfo) {
        if (info.kind === "dial" || measuring) failures.push(failureText(info));
        markOpen();
        markClosed();
      },
    };
    const connection = transport.dial({
      url,
      protocols: [],
      headers: [],
      compression: false,
      tls: {},
      handshakeTimeoutMs: 60_000,
      maxPayload: 100 * 1024 * 1024,
    }, handler);
    connections.push(connection);
  }

  await Promise.all(opened);
  if (failures.length > 0) {
    for (const connection of connections) connection.terminate();
    await Promise.all(closed);
    throw new Error(
      `${failures.length} of ${count} connections failed: ${failures[0]}`,
    );
  }

  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  measuring = true;
  for (const connection of connections) connection.send(payload, written);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  measuring = false;
  const elapsed = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const measured = roundTrips;

  for (const connection of connections) connection.close(1000);
  await Promise.all(closed);
  if (failures.length > 0) {
    throw new Error(
      `${failures.length} connections failed during the run: ${failures[0]}`,
    );
  }
  return {
    roundTrips: measured,
    seconds: elapsed,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

function failureText(info: CloseInfo): string {
  switch (info.kind) {
    case "dial":
    case "abnormal":
      return `${info.kind}: ${info.error}`;
    case "frame":
      return `closed by the server: ${info.code} ${info.reason}`;
  }
}

/** Starts an echo server on 127.0.0.1 and returns its URL and a stop function. */
async function startEchoServer(): Promise<{ url: string; stop(): void }> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  server.on("connection", (socket) => {
    socket.on("message", (data, isBinary) => {
      socket.send(data, { binary: isBinary });
    });
  });
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as { port: number };
  return { url: `ws://127.0.0.1:${port}/`, stop: () => server.close() };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      transport: { type: "string" },
      url: { type: "string" },
      connections: { type: "string", default: "50" },
      seconds: { type: "string", default: "5" },
      "payload-size": { type: "string", default: "32" },
      "track-writes": { type: "boolean", default: false },
    },
  });
  const names: TransportName[] = values.transport !== undefined
    ? [values.transport as TransportName]
    : typeof Deno !== "undefined"
    ? ["native", "ws"]
    : ["ws"];
  const echo = values.url === undefined ? await startEchoServer() : undefined;
  const url = values.url ?? echo!.url;
  if (echo !== undefined) {
    console.log(`in-process echo server at ${url} (its CPU time is counted)`);
  }
  try {
    for (const name of names) {
      const result = await benchTransport(name, url, {
        connections: Number(values.connections),
        seconds: Number(values.seconds),
        payload: "x".repeat(Number(values["payload-size"])),
        trackWrites: values["track-writes"],
      });
      const rate = result.roundTrips / result.seconds;
      console.log(
        `${name}: ${result.roundTrips} round trips in ${
          result.seconds.toFixed(2)
        } s = ${Math.round(rate)}/s, CPU ${result.cpuSeconds.toFixed(2)} s (${
          Math.round(result.roundTrips / result.cpuSeconds)
        }/CPU-s)`,
      );
    }
  } finally {
    echo?.stop();
  }
}

if ((import.meta as { main?: boolean }).main) await main();
