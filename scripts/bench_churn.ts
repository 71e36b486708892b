/**
 * `deno task bench`, part l: **connection churn**. V VUs (constant-vus)
 * for S seconds, each iteration one short session: connect to the echo
 * server's `/ws-echo-multi`, send one message, close once its echo
 * arrives, end when the socket has closed. Three clients, each a child
 * process: `wsload run --workers 1` of `bench/churn.js` (k6/websockets)
 * and of `bench/churn_ws.js` (k6/ws), and the baseline
 * `bench/bare_churn.ts`, V loops of the npm `ws` client (wsload's default
 * transport) in one Deno process; with `--node`, also both scripts under
 * Node from the npm build. R runs each, interleaved, best counts. Reports
 * sessions/s, client CPU µs per session and peak resident memory, each
 * against the bare client. Target: wsload run ≥ 90 % of the bare
 * sessions/s.
 *
 * @module
 */
import { existsSync } from "node:fs";
import {
  BENCH_SCRIPTS,
  type EchoServerProcess,
  runBareClient,
} from "./bench_process.ts";
import { fixed, percent, renderTable, verdict } from "./bench_report.ts";
import { benchWsloadEcho, type WsloadRuntime } from "./bench_wsload.ts";

/** What part l takes. */
export interface ChurnBenchSettings {
  /** VUs (concurrent sessions), a positive integer. */
  readonly vus: number;
  /** How long VUs start new sessions, in seconds. */
  readonly seconds: number;
  /** Runs per client (interleaved; the best counts). */
  readonly runs: number;
  /** Bytes of each session's one message. */
  readonly payloadSize: number;
  /** Also run `wsload run` under Node, through the npm build. */
  readonly node: boolean;
}

/** Sessions: how many at once, for how long. */
export interface ChurnOptions {
  /** Concurrent sessions (VUs, or the bare client's loops), a positive integer. */
  readonly connections: number;
  /** Seconds during which new sessions start (positive). */
  readonly seconds: number;
  /** Bytes of each session's message. */
  readonly payloadSize: number;
}

/** What a churn run measured. */
export interface ChurnResult {
  /** Sessions completed: echoes received, one per session. */
  readonly sessions: number;
  /** Sessions that got no echo (wsload: iterations without one; bare: socket errors). */
  readonly failures: number;
  /** Sessions per second: `sessions` over `seconds`. */
  readonly rate: number;
  /** CPU time of the client's processes, start-up included; `undefined` without `/proc`. */
  readonly clientCpuSeconds: number | undefined;
  /** CPU time the echo server spent meanwhile; `undefined` without `/proc`. */
  readonly serverCpuSeconds: number | undefined;
  /** Peak resident memory of the client's processes, in KiB; `undefined` without `/proc`. */
  readonly peakRssKiB: number | undefined;
}

/** The wsload run share of the bare sessions/s to reach. */
const CHURN_TARGET = 0.9;

function validate(options: ChurnOptions): void {
  if (!Number.isInteger(options.connections) || options.connections < 1) {
    throw new RangeError(
      `connections must be a positive integer, got ${options.connections}`,
    );
  }
  if (!(options.seconds > 0) || !Number.isFinite(options.seconds)) {
    throw new RangeError(
      `seconds must be a positive number, got ${options.seconds}`,
    );
  }
}

/**
 * Runs `bench/bare_churn.ts` in a child process: `connections` loops of
 * the npm `ws` client, one short session after another, for `seconds`.
 *
 * @param server The echo server.
 * @param options Loops, duration and message size.
 * @returns What it measured.
 * @throws {RangeError} For a bad option.
 * @throws {Error} (as a rejection) When the client fails.
 *
 * @example A short run
 * ```ts
 * import { benchBareChurn } from "./bench_churn.ts";
 * import { startEchoServerProcess } from "./bench_process.ts";
 * import assert from "node:assert/strict";
 *
 * const server = await startEchoServerProcess();
 * try {
 *   const result = await benchBareChurn(server, {
 *     connections: 2,
 *     seconds: 0.2,
 *     payloadSize: 8,
 *   });
 *   assert.ok(result.sessions > 0);
 * } finally {
 *   await server.stop();
 * }
 * ```
 */
export async function benchBareChurn(
  server: EchoServerProcess,
  options: ChurnOptions,
): Promise<ChurnResult> {
  validate(options);
  const { run, report } = await runBareClient<
    { sessions: number; failures: number }
  >(server, BENCH_SCRIPTS.bareChurn, options);
  return {
    sessions: report.sessions,
    failures: report.failures,
    rate: report.sessions / options.seconds,
    clientCpuSeconds: run.clientCpuSeconds,
    serverCpuSeconds: run.serverCpuSeconds,
    peakRssKiB: run.peakRssKiB,
  };
}

/**
 * Runs a churn script (`bench/churn.js` or `bench/churn_ws.js`) through
 * `wsload run --workers 1` in a child process, as part b runs its echo
 * loop: sessions are `ws_msgs_received` of the summary export, failures
 * the iterations beyond them.
 *
 * @param server The echo server.
 * @param script The script's path.
 * @param runtime The runtime of `wsload run`.
 * @param options VUs, duration and message size.
 * @returns What it measured.
 * @throws {RangeError} For a bad option.
 * @throws {Error} (as a rejection) When the run fails or logs an error.
 *
 * @example A short run
 * ```ts
 * import { benchWsloadChurn } from "./bench_churn.ts";
 * import { BENCH_SCRIPTS, startEchoServerProcess } from "./bench_process.ts";
 * import assert from "node:assert/strict";
 *
 * const server = await startEchoServerProcess();
 * try {
 *   const result = await benchWsloadChurn(server, BENCH_SCRIPTS.churn, "deno", {
 *     connections: 2,
 *     seconds: 0.5,
 *     payloadSize: 8,
 *   });
 *   assert.ok(result.sessions > 0);
 * } finally {
 *   await server.stop();
 * }
 * ```
 */
export async function benchWsloadChurn(
  server: EchoServerProcess,
  script: string,
  runtime: WsloadRuntime,
  options: ChurnOptions,
): Promise<ChurnResult> {
  validate(options);
  const run = await benchWsloadEcho(server, { ...options, script, runtime });
  return {
    sessions: run.roundTrips,
    failures: Math.max(0, (run.iterations ?? 0) - run.roundTrips),
    rate: run.rate,
    clientCpuSeconds: run.clientCpuSeconds,
    serverCpuSeconds: run.serverCpuSeconds,
    peakRssKiB: run.peakRssKiB,
  };
}

/** A client of part l. */
interface ChurnClient {
  readonly name: string;
  /** Whether it is wsload run (the target applies). */
  readonly wsload: boolean;
  readonly measure: (options: ChurnOptions) => Promise<ChurnResult>;
}

function best(runs: readonly ChurnResult[]): ChurnResult {
  return runs.reduce((a, b) => (b.rate > a.rate ? b : a));
}

/**
 * Part l: connection churn, wsload run against the bare `ws` client.
 *
 * @param server The echo server.
 * @param settings VUs, seconds, runs, message size, Node.
 * @returns The report section.
 */
export async function connectionChurn(
  server: EchoServerProcess,
  settings: ChurnBenchSettings,
): Promise<string> {
  const options: ChurnOptions = {
    connections: settings.vus,
    seconds: settings.seconds,
    payloadSize: settings.payloadSize,
  };
  const notes: string[] = [];
  const runtimes: WsloadRuntime[] = ["deno"];
  if (settings.node) {
    if (existsSync(BENCH_SCRIPTS.npmCli)) runtimes.push("node");
    else notes.push("--node: no npm build; run deno task build:npm first.");
  }
  const clients: ChurnClient[] = [
    {
      name: "bare ws (Deno)",
      wsload: false,
      measure: (o) => benchBareChurn(server, o),
    },
    ...runtimes.flatMap((runtime) =>
      ([
        ["k6/websockets", BENCH_SCRIPTS.churn],
        ["k6/ws", BENCH_SCRIPTS.churnWs],
      ] as const).map(([module, script]) => ({
        name: `wsload run ${module} (${runtime})`,
        wsload: true,
        measure: (o: ChurnOptions) =>
          benchWsloadChurn(server, script, runtime, o),
      }))
    ),
  ];
  const warmUp = { ...options, seconds: Math.min(1, settings.seconds) };
  for (const client of clients) await client.measure(warmUp);
  const runs = clients.map(() => [] as ChurnResult[]);
  for (let run = 0; run < settings.runs; run++) {
    for (const [index, client] of clients.entries()) {
      runs[index].push(await client.measure(options));
    }
  }
  const results = runs.map(best);
  const bare = results[0];
  const cpuMicros = (result: ChurnResult) =>
    result.clientCpuSeconds === undefined || result.sessions === 0
      ? undefined
      : 1e6 * result.clientCpuSeconds / result.sessions;
  const mib = (kib: number | undefined) =>
    kib === undefined ? undefined : kib / 1024;
  const serverBusy = (result: ChurnResult) =>
    result.serverCpuSeconds === undefined
      ? undefined
      : result.serverCpuSeconds / settings.seconds;
  const spread = runs.map((list, index) =>
    `${clients[index].name} ${fixed(Math.min(...list.map((r) => r.rate)))}–${
      fixed(Math.max(...list.map((r) => r.rate)))
    }`
  ).join(", ");
  return [
    `l. Connection churn: ${settings.vus} VUs for ${settings.seconds} s, ` +
    `each iteration connect → one ${settings.payloadSize}-byte message → ` +
    "its echo → close (bench/churn.js, bench/churn_ws.js through wsload " +
    "run --workers 1), vs the npm ws client doing the same with " +
    `${settings.vus} loops in one process (bench/bare_churn.ts); all child ` +
    `processes, best of ${settings.runs} (sessions/s of all runs: ${spread})`,
    renderTable([
      [
        "client",
        "sessions/s",
        "vs bare",
        "failed",
        "client CPU µs/session",
        "vs bare",
        "peak RSS MiB",
        "vs bare",
        "server core busy",
      ],
      ...clients.map((client, index) => {
        const result = results[index];
        return [
          client.name,
          fixed(result.rate),
          percent(result.rate, bare.rate),
          String(result.failures),
          fixed(cpuMicros(result), 1),
          percent(cpuMicros(result), cpuMicros(bare)),
          fixed(mib(result.peakRssKiB), 1),
          percent(result.peakRssKiB, bare.peakRssKiB),
          percent(serverBusy(result), 1),
        ];
      }),
    ]),
    "Client CPU: the child's user + system time (start-up and, for wsload " +
    "run, its worker process included) over its sessions. Peak RSS: VmHWM " +
    "of the child's processes, summed. Failed: sessions without an echo. " +
    "A server core busy near 100 % caps every client's rate.",
    ...notes,
    ...clients.flatMap((client, index) =>
      client.wsload
        ? [
          verdict(
            `${client.name} ≥ ${
              100 * CHURN_TARGET
            } % of the bare ws sessions/s`,
            results[index].rate >= CHURN_TARGET * bare.rate,
          ),
        ]
        : []
    ),
  ].join("\n");
}
