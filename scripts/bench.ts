/**
 * `deno task bench`: what the `k6/websockets` facade costs. For each
 * transport of the runtime, N sockets echo messages through the embedded
 * server's `/ws-echo-multi` route for D seconds, once through the facade
 * (`WebSocket`, metrics included) and through the bare transport
 * (`scripts/bench_transport.ts`), plain and with a `written` callback per
 * send (which the facade needs to count `ws_msgs_sent` as k6 does); same
 * server, same run, same concurrency. After a warm-up, each runs R times,
 * interleaved, and the best run counts. Prints a table with round trips per
 * second, the facade/bare ratios and CPU seconds (client and in-process
 * server); asserts nothing.
 *
 * ```sh
 * deno task bench                       # 50 sockets, 5 s, best of 3
 * deno run -A scripts/bench.ts --connections 200 --seconds 2 --runs 5
 * ```
 *
 * Flags: `--connections 50`, `--seconds 5`, `--runs 3`, `--payload-size 32`,
 * `--transport native|ws` (default: every transport of the runtime).
 *
 * @module
 */
import process from "node:process";
import { parseArgs } from "node:util";
import { startServer } from "../server/mod.ts";
import type { TransportName } from "../transport/transport.ts";
import { WebSocket } from "../websockets/mod.ts";
import {
  benchTransport,
  type TransportBenchResult,
} from "./bench_transport.ts";

/** How to load the echo server. */
export interface FacadeBenchOptions {
  /** Concurrent sockets (a positive integer). */
  readonly connections: number;
  /** How long to measure, in seconds (positive). */
  readonly seconds: number;
  /** The text each socket sends. */
  readonly payload: string;
}

/**
 * Runs echo loops through the facade: `connections` sockets on `transport`,
 * each sending `payload` again whenever its echo arrives. The window starts
 * once every socket is open; the sockets are closed after it.
 *
 * @param transport The transport the sockets are forced onto.
 * @param url A `ws:` URL of a server that echoes every message.
 * @param options Sockets, duration and payload.
 * @returns Round trips, window length and the process's CPU time in it.
 * @throws {RangeError} If `connections` is not a positive integer or
 * `seconds` is not positive.
 * @throws {Error} (as a rejection) If a socket fails or closes during the run.
 *
 * @example A 0.2 s run against the embedded server
 * ```ts
 * import { benchFacade } from "./bench.ts";
 * import { startServer } from "../server/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const server = await startServer();
 * const result = await benchFacade("ws", `${server.url}/ws-echo-multi`, {
 *   connections: 2,
 *   seconds: 0.2,
 *   payload: "hello",
 * });
 * await server.close();
 * assert.ok(result.roundTrips > 0);
 * ```
 */
export async function benchFacade(
  transport: TransportName,
  url: string,
  options: FacadeBenchOptions,
): Promise<TransportBenchResult> {
  const { connections: count, seconds, payload } = options;
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(
      `connections must be a positive integer, got ${count}`,
    );
  }
  if (!(seconds > 0)) {
    throw new RangeError(`seconds must be a positive number, got ${seconds}`);
  }
  let measuring = false;
  let roundTrips = 0;
  const failures: string[] = [];
  const sockets: WebSocket[] = [];
  const opened: Promise<void>[] = [];
  const closed: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const ws = new WebSocket(url, null, { transport });
    sockets.push(ws);
    opened.push(
      new Promise((resolve) => {
        ws.onopen = () => resolve();
        ws.onclose = () => resolve();
      }),
    );
    closed.push(
      new Promise((resolve) => {
        ws.addEventListener("close", () => resolve());
      }),
    );
    ws.onmessage = () => {
      if (!measuring) return;
      roundTrips++;
      ws.send(payload);
    };
    ws.onerror = (event) => failures.push(event.error);
  }
  await Promise.all(opened);
  if (failures.length > 0) {
    for (const ws of sockets) ws.close();
    await Promise.all(closed);
    throw new Error(
      `${failures.length} of ${count} sockets failed: ${failures[0]}`,
    );
  }
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  measuring = true;
  for (const ws of sockets) ws.send(payload);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  measuring = false;
  const elapsed = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const measured = roundTrips;
  for (const ws of sockets) ws.close();
  await Promise.all(closed);
  if (failures.length > 0) {
    throw new Error(
      `${failures.length} sockets failed during the run: ${failures[0]}`,
    );
  }
  return {
    roundTrips: measured,
    seconds: elapsed,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

interface Row {
  readonly transport: TransportName;
  readonly bare: TransportBenchResult;
  /** The bare transport asked for a `written` callback per send, as the facade does. */
  readonly bareWithWrites: TransportBenchResult;
  readonly facade: TransportBenchResult;
}

function rate(result: TransportBenchResult): number {
  return result.roundTrips / result.seconds;
}

function best(results: TransportBenchResult[]): TransportBenchResult {
  return results.reduce((a, b) => rate(b) > rate(a) ? b : a);
}

function table(rows: readonly Row[]): string {
  const ratio = (a: TransportBenchResult, b: TransportBenchResult) =>
    `${(100 * rate(a) / rate(b)).toFixed(1)} %`;
  const lines = [
    [
      "transport",
      "bare rt/s",
      "bare+writes rt/s",
      "facade rt/s",
      "facade/bare",
      "facade/bare+writes",
      "bare CPU s",
      "facade CPU s",
    ],
    ...rows.map((row) => [
      row.transport,
      Math.round(rate(row.bare)).toString(),
      Math.round(rate(row.bareWithWrites)).toString(),
      Math.round(rate(row.facade)).toString(),
      ratio(row.facade, row.bare),
      ratio(row.facade, row.bareWithWrites),
      row.bare.cpuSeconds.toFixed(2),
      row.facade.cpuSeconds.toFixed(2),
    ]),
  ];
  const widths = lines[0].map((_, column) =>
    Math.max(...lines.map((line) => line[column].length))
  );
  return lines.map((line) =>
    line.map((cell, column) =>
      column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])
    ).join("  ")
  ).join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      transport: { type: "string" },
      connections: { type: "string", default: "50" },
      seconds: { type: "string", default: "5" },
      runs: { type: "string", default: "3" },
      "payload-size": { type: "string", default: "32" },
    },
  });
  const transports: TransportName[] = values.transport !== undefined
    ? [values.transport as TransportName]
    : typeof Deno !== "undefined"
    ? ["native", "ws"]
    : ["ws"];
  const connections = Number(values.connections);
  const seconds = Number(values.seconds);
  const runs = Number(values.runs);
  const payload = "x".repeat(Number(values["payload-size"]));
  const server = await startServer();
  const url = `${server.url}/ws-echo-multi`;
  console.log(
    `${connections} sockets, ${seconds} s per run, best of ${runs}, ` +
      `${payload.length}-byte messages, against ${url} (in-process; its CPU ` +
      "time is counted too)",
  );
  const rows: Row[] = [];
  try {
    for (const transport of transports) {
      const warmUp = { connections, seconds: Math.min(1, seconds), payload };
      await benchTransport(transport, url, warmUp);
      await benchFacade(transport, url, warmUp);
      const options = { connections, seconds, payload };
      const bare: TransportBenchResult[] = [];
      const bareWithWrites: TransportBenchResult[] = [];
      const facade: TransportBenchResult[] = [];
      for (let run = 0; run < runs; run++) {
        bare.push(await benchTransport(transport, url, options));
        bareWithWrites.push(
          await benchTransport(transport, url, {
            ...options,
            trackWrites: true,
          }),
        );
        facade.push(await benchFacade(transport, url, options));
      }
      rows.push({
        transport,
        bare: best(bare),
        bareWithWrites: best(bareWithWrites),
        facade: best(facade),
      });
    }
  } finally {
    await server.close();
  }
  console.log(table(rows));
}

if ((import.meta as { main?: boolean }).main) await main();
