/**
 * `deno task bench`: how fast and how lean wsload is, each measurement as a
 * ratio against a baseline measured in the same run. The echo server runs
 * in a process of its own (`bench/echo_server.ts`; Deno 2.9 starves
 * connections beyond ~128 when a busy client and server share a process),
 * and so does every `wsload run`. Prints a report; asserts nothing.
 *
 * a. **Facade cost.** For each transport of the runtime, N sockets echo
 *    through the server's `/ws-echo-multi` for D seconds, through the
 *    `k6/websockets` facade (`WebSocket`, metrics included) and through the
 *    bare transport (`scripts/bench_transport.ts`), plain and with a
 *    `written` callback per send (which the facade needs to count
 *    `ws_msgs_sent` as k6 does). After a warm-up each runs R times,
 *    interleaved; the best run counts. Client CPU is this process's.
 * b. **`wsload run` echo loop.** `bench/echo_loop.js` with V VUs (one socket
 *    each, echoing for S seconds) against `bench/bare_echo.ts`, Deno's own
 *    `WebSocket` with V sockets in one process. Both are child processes;
 *    R runs each, interleaved, best counts. Target: ≥ 90 % of the bare rate.
 * c. **Memory per idle socket.** `bench/idle_sockets.js` holding K idle
 *    sockets, as 100 VUs × K/100 sockets and as K VUs × 1 socket: the
 *    child's resident memory once all are open, minus that of the same run
 *    with 0 sockets per VU, over K. Target: ≤ 20 KiB per socket. For
 *    reference, the same for K sockets of Deno's own `WebSocket` in one
 *    process (`bench/bare_idle.ts`); with `--node`, also `wsload run` under
 *    Node from the npm build (`deno task build:npm` first). Needs Linux
 *    (`/proc`) and a file-descriptor limit above K (`ulimit -n`) for the
 *    client and the server process each.
 * d. and e. **The script loader** (scripts/bench_loader.ts): what making
 *    scripts wait where k6 blocks costs the echo loops, and memory per VU
 *    once its modules are evaluated.
 * f. **HTTP requests.** N loops GET a small JSON answer from the embedded
 *    HTTP server (`bench/echo_server.ts --http`, its own process) for D
 *    seconds, through `k6/http`'s `get()` (each loop a VU in one long
 *    iteration, its context entered once as the runner enters an
 *    iteration; samples into a metrics engine) and through a bare
 *    `node:http` client with a keep-alive agent (`scripts/bench_http.ts`);
 *    R runs each, interleaved, best counts. Targets: ≥ 80 % of the bare
 *    requests/s and of the bare requests per client CPU second.
 * g. **Soak.** `bench/soak.js` holding N sockets (one per VU, a 32-byte
 *    echo a second each) for S seconds; the resident memory and open file
 *    descriptors of the client and of the server, read every E seconds
 *    once all are open (`scripts/bench_soak.ts`). Target: flat — after a
 *    warm-up, the memory floor (lowest reading) of the last third within
 *    10 % of the middle third's, descriptors unchanged. Needs Linux and a
 *    file-descriptor limit above N.
 * h. to k. **Worker processes** (scripts/bench_workers.ts): echo round
 *    trips and client CPU per round trip with `--workers 2` vs 1 (the echo
 *    server pinned to its own core); memory at M VUs × 1 socket with
 *    workers = cores vs 1; identical counts and percentiles with 1, 2 and
 *    4 workers; one more worker as a process vs as a thread. Parts b to g
 *    and l run `wsload run --workers 1` (one process of VUs, as their
 *    baselines).
 * l. **Connection churn** (scripts/bench_churn.ts). V VUs (constant-vus)
 *    for S seconds, each iteration one session: connect, send one message,
 *    close on its echo; `bench/churn.js` (k6/websockets) and
 *    `bench/churn_ws.js` (k6/ws) through `wsload run` against
 *    `bench/bare_churn.ts`, V loops of the npm `ws` client in one Deno
 *    process; with `--node`, also `wsload run` under Node from the npm
 *    build. All child processes; R runs each, interleaved, best counts.
 *    Sessions/s, client CPU µs per session, peak resident memory. Target:
 *    ≥ 90 % of the bare sessions/s.
 *
 * ```sh
 * deno task bench                  # the full run, a few minutes
 * deno task bench --quick          # a smoke run of every part, ~20 s
 * deno task bench --only b,c --vus 200 --idle-sockets 5000
 * deno task bench --only g --soak-sockets 2000 --soak-seconds 600
 * deno task bench --only h,i,j,k --memory-vus 10000
 * deno task bench --only l --churn-vus 100 --churn-seconds 5 --runs 1
 * ```
 *
 * Flags (full / `--quick` defaults): `--only a,b,c,d,e,f,g,h,i,j,k,l`;
 * parts a and f: `--connections 50/10`, `--seconds 5/1`, `--transport
 * native|ws` (default every transport of the runtime); parts a, b, d, f and
 * l: `--runs 3/1`, `--payload-size 32`; parts b and d: `--vus 100/10`,
 * `--run-seconds 10/2`; parts c and l: `--node`; part c: `--idle-sockets
 * 10000/200`; part e: `--init-vus 10000/500`; part g: `--soak-sockets
 * 1000/100`, `--soak-seconds 300/20`, `--soak-every 15/2`; part h: `--vus`,
 * `--run-seconds`, `--runs`; part i: `--memory-vus 10000/500`; part j:
 * `--split-iterations 2000/200`; part l: `--churn-vus 100/10`,
 * `--churn-seconds 10/2`.
 *
 * @module
 */
import process from "node:process";
import { parseArgs } from "node:util";
import type { TransportName } from "../transport/transport.ts";
import { WebSocket } from "../websockets/mod.ts";
import {
  benchBareHttp,
  benchK6Http,
  type HttpBenchResult,
} from "./bench_http.ts";
import {
  benchTransport,
  type TransportBenchResult,
} from "./bench_transport.ts";
import {
  type EchoServerProcess,
  openFileLimit,
  readProcess,
  startEchoServerProcess,
} from "./bench_process.ts";
import { autoAwaitCost, initCostPerVU } from "./bench_loader.ts";
import { fixed, percent, renderTable, verdict } from "./bench_report.ts";
import { soakSection } from "./bench_soak.ts";
import { connectionChurn } from "./bench_churn.ts";
import {
  splitCounts,
  workerCost,
  workersEcho,
  workersMemory,
} from "./bench_workers.ts";
import {
  benchBareEcho,
  benchWsloadEcho,
  type EchoLoopResult,
  measureBareIdleSockets,
  measureIdleSockets,
  type WsloadRuntime,
} from "./bench_wsload.ts";

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
 * @example A 0.2 s run against the benchmark's echo server
 * ```ts
 * import { benchFacade } from "./bench.ts";
 * import { startEchoServerProcess } from "./bench_process.ts";
 * import assert from "node:assert/strict";
 *
 * const server = await startEchoServerProcess();
 * try {
 *   const result = await benchFacade("ws", `${server.url}/ws-echo-multi`, {
 *     connections: 2,
 *     seconds: 0.2,
 *     payload: "hello",
 *   });
 *   assert.ok(result.roundTrips > 0);
 * } finally {
 *   await server.stop();
 * }
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

/** A measured run of part a, with the server's CPU time around it. */
interface EchoRun extends TransportBenchResult {
  /** CPU time of the server process from dial to close; `undefined` without `/proc`. */
  readonly serverCpuSeconds: number | undefined;
}

/** Runs `bench`, adding the server's CPU time during it. */
async function withServerCpu(
  server: EchoServerProcess,
  bench: () => Promise<TransportBenchResult>,
): Promise<EchoRun> {
  const before = readProcess(server.pid)?.cpuSeconds;
  const result = await bench();
  const after = readProcess(server.pid)?.cpuSeconds;
  return {
    ...result,
    serverCpuSeconds: before === undefined || after === undefined
      ? undefined
      : after - before,
  };
}

function rate(result: TransportBenchResult): number {
  return result.roundTrips / result.seconds;
}

function best<T>(results: readonly T[], rateOf: (result: T) => number): T {
  return results.reduce((a, b) => rateOf(b) > rateOf(a) ? b : a);
}

interface FacadeRow {
  readonly transport: TransportName;
  readonly bare: EchoRun;
  /** The bare transport asked for a `written` callback per send, as the facade does. */
  readonly bareWithWrites: EchoRun;
  readonly facade: EchoRun;
}

interface Settings {
  readonly parts: ReadonlySet<string>;
  readonly transports: readonly TransportName[];
  readonly connections: number;
  readonly seconds: number;
  readonly runs: number;
  readonly payloadSize: number;
  readonly vus: number;
  readonly runSeconds: number;
  readonly idleSockets: number;
  /** VUs of part e. */
  readonly initVUs: number;
  /** Parts c and l also under Node, through the npm build. */
  readonly node: boolean;
  readonly soakSockets: number;
  readonly soakSeconds: number;
  readonly soakEvery: number;
  /** VUs of part i. */
  readonly memoryVUs: number;
  /** Iterations of part j. */
  readonly splitIterations: number;
  /** VUs of part l. */
  readonly churnVUs: number;
  /** Seconds of part l. */
  readonly churnSeconds: number;
}

const PARTS = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"];

function settingsFrom(args: readonly string[]): Settings {
  const { values } = parseArgs({
    args: [...args],
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string", default: PARTS.join(",") },
      transport: { type: "string" },
      connections: { type: "string" },
      seconds: { type: "string" },
      runs: { type: "string" },
      "payload-size": { type: "string", default: "32" },
      vus: { type: "string" },
      "run-seconds": { type: "string" },
      "idle-sockets": { type: "string" },
      "init-vus": { type: "string" },
      node: { type: "boolean", default: false },
      "soak-sockets": { type: "string" },
      "soak-seconds": { type: "string" },
      "soak-every": { type: "string" },
      "memory-vus": { type: "string" },
      "split-iterations": { type: "string" },
      "churn-vus": { type: "string" },
      "churn-seconds": { type: "string" },
    },
  });
  const quick = values.quick;
  const positive = (
    flag: string,
    text: string | undefined,
    full: number,
    smoke: number,
  ) => {
    const value = text === undefined ? (quick ? smoke : full) : Number(text);
    if (!(value > 0) || !Number.isFinite(value)) {
      throw new RangeError(`--${flag} must be a positive number, got ${text}`);
    }
    return value;
  };
  const parts = new Set(values.only.split(",").map((part) => part.trim()));
  for (const part of parts) {
    if (!PARTS.includes(part)) {
      throw new RangeError(
        `--only takes a comma-separated list of ${
          PARTS.join(", ")
        }, got ${values.only}`,
      );
    }
  }
  const transport = values.transport;
  if (transport !== undefined && transport !== "native" && transport !== "ws") {
    throw new RangeError(`--transport must be native or ws, got ${transport}`);
  }
  return {
    parts,
    transports: transport !== undefined
      ? [transport]
      : typeof Deno !== "undefined"
      ? ["native", "ws"]
      : ["ws"],
    connections: positive("connections", values.connections, 50, 10),
    seconds: positive("seconds", values.seconds, 5, 1),
    runs: positive("runs", values.runs, 3, 1),
    payloadSize: positive("payload-size", values["payload-size"], 32, 32),
    vus: positive("vus", values.vus, 100, 10),
    runSeconds: positive("run-seconds", values["run-seconds"], 10, 2),
    idleSockets: positive("idle-sockets", values["idle-sockets"], 10_000, 200),
    initVUs: Math.max(
      2,
      positive("init-vus", values["init-vus"], 10_000, 500),
    ),
    node: values.node,
    soakSockets: positive("soak-sockets", values["soak-sockets"], 1000, 100),
    soakSeconds: positive("soak-seconds", values["soak-seconds"], 300, 20),
    soakEvery: positive("soak-every", values["soak-every"], 15, 2),
    memoryVUs: positive("memory-vus", values["memory-vus"], 10_000, 500),
    splitIterations: positive(
      "split-iterations",
      values["split-iterations"],
      2000,
      200,
    ),
    churnVUs: positive("churn-vus", values["churn-vus"], 100, 10),
    churnSeconds: positive("churn-seconds", values["churn-seconds"], 10, 2),
  };
}

async function facadeCost(
  server: EchoServerProcess,
  settings: Settings,
): Promise<string> {
  const url = `${server.url}/ws-echo-multi`;
  const payload = "x".repeat(settings.payloadSize);
  const options = {
    connections: settings.connections,
    seconds: settings.seconds,
    payload,
  };
  const rows: FacadeRow[] = [];
  for (const transport of settings.transports) {
    const warmUp = { ...options, seconds: Math.min(1, settings.seconds) };
    await benchTransport(transport, url, warmUp);
    await benchFacade(transport, url, warmUp);
    const bare: EchoRun[] = [];
    const bareWithWrites: EchoRun[] = [];
    const facade: EchoRun[] = [];
    for (let run = 0; run < settings.runs; run++) {
      bare.push(
        await withServerCpu(
          server,
          () => benchTransport(transport, url, options),
        ),
      );
      bareWithWrites.push(
        await withServerCpu(
          server,
          () =>
            benchTransport(transport, url, { ...options, trackWrites: true }),
        ),
      );
      facade.push(
        await withServerCpu(server, () => benchFacade(transport, url, options)),
      );
    }
    rows.push({
      transport,
      bare: best(bare, rate),
      bareWithWrites: best(bareWithWrites, rate),
      facade: best(facade, rate),
    });
  }
  const perCpu = (run: EchoRun) => run.roundTrips / run.cpuSeconds;
  const comparisons = [
    ["bare transport", (row: FacadeRow) => row.bare],
    ["bare + written callbacks", (row: FacadeRow) => row.bareWithWrites],
  ] as const;
  const measures = [
    ["round trips/s", rate],
    ["round trips per client CPU s", perCpu],
  ] as const;
  const ratios = renderTable([
    ["transport", "measurement", "facade", "baseline", "ratio", "target"],
    ...rows.flatMap((row) =>
      measures.flatMap(([measure, value]) =>
        comparisons.map(([baseline, runOf]) => [
          row.transport,
          `${measure}: facade vs ${baseline}`,
          fixed(value(row.facade)),
          fixed(value(runOf(row))),
          percent(value(row.facade), value(runOf(row))),
          "none",
        ])
      )
    ),
  ], 2);
  const cpu = renderTable([
    [
      "transport",
      "run",
      "rt/s",
      "client CPU s",
      "rt per client CPU s",
      "server CPU s",
    ],
    ...rows.flatMap((row) =>
      ([
        ["bare", row.bare],
        ["bare + written", row.bareWithWrites],
        ["facade", row.facade],
      ] as const).map(([name, run]) => [
        row.transport,
        name,
        fixed(rate(run)),
        fixed(run.cpuSeconds, 2),
        fixed(perCpu(run)),
        fixed(run.serverCpuSeconds, 2),
      ])
    ),
  ], 2);
  return [
    `a. Echo round trips/s: k6/websockets facade vs bare transport ` +
    `(${settings.connections} sockets, ${settings.seconds} s, best of ` +
    `${settings.runs}, ${settings.payloadSize}-byte messages; this process ` +
    "is the client)",
    ratios,
    "",
    cpu,
    "No target: informative. Server CPU near the window's length means the " +
    "server capped the rate; round trips per client CPU second then show " +
    "what each client layer costs.",
  ].join("\n");
}

async function wsloadEchoLoop(
  server: EchoServerProcess,
  settings: Settings,
): Promise<string> {
  const options = {
    connections: settings.vus,
    seconds: settings.runSeconds,
    payloadSize: settings.payloadSize,
  };
  // One round trip per socket: what start-up, dials and closes cost.
  const startUp = { ...options, seconds: 0 };
  const warmUp = { ...options, seconds: Math.min(1, settings.runSeconds) };
  await benchBareEcho(server, warmUp);
  await benchWsloadEcho(server, warmUp);
  const bareRuns: EchoLoopResult[] = [];
  const wsloadRuns: EchoLoopResult[] = [];
  const bareStartUps: EchoLoopResult[] = [];
  const wsloadStartUps: EchoLoopResult[] = [];
  for (let run = 0; run < settings.runs; run++) {
    bareStartUps.push(await benchBareEcho(server, startUp));
    wsloadStartUps.push(await benchWsloadEcho(server, startUp));
    bareRuns.push(await benchBareEcho(server, options));
    wsloadRuns.push(await benchWsloadEcho(server, options));
  }
  const bare = best(bareRuns, (result) => result.rate);
  const wsload = best(wsloadRuns, (result) => result.rate);
  const loopCpu = (result: EchoLoopResult, startUps: EchoLoopResult[]) => {
    const startUpCpu = Math.min(
      ...startUps.map((run) => run.clientCpuSeconds ?? NaN),
    );
    return result.clientCpuSeconds === undefined || Number.isNaN(startUpCpu)
      ? undefined
      : result.clientCpuSeconds - startUpCpu;
  };
  const bareCpu = loopCpu(bare, bareStartUps);
  const wsloadCpu = loopCpu(wsload, wsloadStartUps);
  const perCpu = (result: EchoLoopResult, cpu: number | undefined) =>
    cpu === undefined ? undefined : result.roundTrips / cpu;
  const spread = (runs: EchoLoopResult[]) =>
    `${fixed(Math.min(...runs.map((run) => run.rate)))}–${
      fixed(Math.max(...runs.map((run) => run.rate)))
    }`;
  const serverLoad = (result: EchoLoopResult) =>
    result.serverCpuSeconds === undefined
      ? "n/a"
      : `${fixed(100 * result.serverCpuSeconds / settings.runSeconds)} %`;
  return [
    `b. wsload run, ${settings.vus} VUs each echoing on one socket for ` +
    `${settings.runSeconds} s (bench/echo_loop.js), vs the bare Deno ` +
    `WebSocket client doing the same with ${settings.vus} sockets in one ` +
    `process (bench/bare_echo.ts); both child processes, best of ` +
    `${settings.runs} (rates of all runs: wsload ${spread(wsloadRuns)}, ` +
    `bare ${spread(bareRuns)})`,
    renderTable([
      [
        "measurement",
        "value (wsload run)",
        "baseline (bare)",
        "ratio",
        "target",
      ],
      [
        "round trips/s",
        fixed(wsload.rate),
        fixed(bare.rate),
        percent(wsload.rate, bare.rate),
        "≥ 90 %",
      ],
      [
        "client CPU s in the loop",
        fixed(wsloadCpu, 2),
        fixed(bareCpu, 2),
        percent(wsloadCpu, bareCpu),
        "none",
      ],
      [
        "round trips per client CPU s",
        fixed(perCpu(wsload, wsloadCpu)),
        fixed(perCpu(bare, bareCpu)),
        percent(perCpu(wsload, wsloadCpu), perCpu(bare, bareCpu)),
        "none",
      ],
      [
        "server CPU s",
        fixed(wsload.serverCpuSeconds, 2),
        fixed(bare.serverCpuSeconds, 2),
        percent(wsload.serverCpuSeconds, bare.serverCpuSeconds),
        "none",
      ],
    ]),
    "Client CPU in the loop: the run's CPU time minus that of the same " +
    "client making one round trip per socket (start-up, dials, closes). " +
    `Server load: ${serverLoad(wsload)} of a core during wsload's run, ` +
    `${serverLoad(bare)} during the bare one; near 100 % the server caps ` +
    "both rates, and round trips per client CPU second show the client's " +
    "own cost.",
    verdict(
      "wsload run ≥ 90 % of the bare round trips/s",
      wsload.rate / bare.rate >= 0.9,
    ),
  ].join("\n");
}

/** k6/http's least share of the bare node:http client's rates (part f). */
const HTTP_TARGET = 0.8;

async function httpRequests(settings: Settings): Promise<string> {
  const server = await startEchoServerProcess("http");
  const url = `${server.url}/api/json?name=wsload`;
  const options = {
    connections: settings.connections,
    seconds: settings.seconds,
  };
  const bare: HttpBenchResult[] = [];
  const k6: HttpBenchResult[] = [];
  try {
    const warmUp = { ...options, seconds: Math.min(1, settings.seconds) };
    await benchBareHttp(url, warmUp);
    await benchK6Http(url, warmUp);
    for (let run = 0; run < settings.runs; run++) {
      bare.push(await benchBareHttp(url, options));
      k6.push(await benchK6Http(url, options));
    }
  } finally {
    await server.stop();
  }
  const perSecond = (result: HttpBenchResult) =>
    result.requests / result.seconds;
  const perCpu = (result: HttpBenchResult) =>
    result.requests / result.cpuSeconds;
  const cpuMicros = (result: HttpBenchResult) =>
    1e6 * result.cpuSeconds / result.requests;
  const bestBare = best(bare, perSecond);
  const bestK6 = best(k6, perSecond);
  return [
    `f. HTTP requests: k6/http get() vs a bare node:http client ` +
    `(${settings.connections} loops, ${settings.seconds} s, best of ` +
    `${settings.runs}; a small JSON answer; the server in its own process)`,
    renderTable([
      ["measurement", "k6/http", "bare node:http", "ratio", "target"],
      [
        "requests/s",
        fixed(perSecond(bestK6)),
        fixed(perSecond(bestBare)),
        percent(perSecond(bestK6), perSecond(bestBare)),
        `≥ ${100 * HTTP_TARGET} %`,
      ],
      [
        "client CPU µs per request",
        fixed(cpuMicros(bestK6), 1),
        fixed(cpuMicros(bestBare), 1),
        percent(cpuMicros(bestK6), cpuMicros(bestBare)),
        "none",
      ],
      [
        "requests per client CPU s",
        fixed(perCpu(bestK6)),
        fixed(perCpu(bestBare)),
        percent(perCpu(bestK6), perCpu(bestBare)),
        `≥ ${100 * HTTP_TARGET} %`,
      ],
    ]),
    verdict(
      `k6/http ≥ ${100 * HTTP_TARGET} % of the bare requests/s`,
      perSecond(bestK6) / perSecond(bestBare) >= HTTP_TARGET,
    ),
    verdict(
      `k6/http ≥ ${100 * HTTP_TARGET} % of the bare requests per CPU s`,
      perCpu(bestK6) / perCpu(bestBare) >= HTTP_TARGET,
    ),
  ].join("\n");
}

/** The most client memory an idle socket may cost, in KiB (part c's target). */
const IDLE_SOCKET_TARGET_KIB = 20;

async function idleSocketMemory(
  server: EchoServerProcess,
  settings: Settings,
): Promise<string> {
  const sockets = settings.idleSockets;
  // One descriptor per socket in the client and in the server, plus their own.
  const needed = sockets + 200;
  const limit = openFileLimit();
  if (limit !== undefined && limit < needed) {
    return [
      "c. Client memory per idle socket: skipped",
      `The open-file limit is ${limit}; ${sockets} sockets need about ` +
      `${needed} per process: raise it (ulimit -n ${needed}) or pass a ` +
      "smaller --idle-sockets.",
      verdict(
        `≤ ${IDLE_SOCKET_TARGET_KIB} KiB of wsload run memory per idle socket`,
        undefined,
      ),
    ].join("\n");
  }
  const perVU = Math.max(1, Math.round(sockets / 100));
  const layouts = [
    { vus: Math.ceil(sockets / perVU), socketsPerVU: perVU },
    { vus: sockets, socketsPerVU: 1 },
  ];
  const perSocketKiB = (loaded: number, baseline: number, count: number) =>
    (loaded - baseline) / count;

  const bareBaseline = await measureBareIdleSockets(server, 0);
  const bareLoaded = await measureBareIdleSockets(server, sockets);
  const bare = perSocketKiB(bareLoaded.rssKiB, bareBaseline.rssKiB, sockets);
  const rows: string[][] = [[
    "bare Deno WebSocket",
    String(sockets),
    fixed(bareLoaded.rssKiB / 1024, 1),
    fixed(bareBaseline.rssKiB / 1024, 1),
    fixed(bare, 1),
    "100.0 %",
    "none",
    fixed(bareLoaded.openSeconds, 1),
    mebibytes(bareLoaded.serverRssKiB),
  ]];

  let met: boolean | undefined = true;
  const runtimes: WsloadRuntime[] = settings.node ? ["deno", "node"] : ["deno"];
  for (const runtime of runtimes) {
    for (const { vus, socketsPerVU } of layouts) {
      const total = vus * socketsPerVU;
      const baseline = await measureIdleSockets(server, {
        vus,
        socketsPerVU: 0,
        runtime,
      });
      const loaded = await measureIdleSockets(server, {
        vus,
        socketsPerVU,
        runtime,
      });
      const perSocket = perSocketKiB(loaded.rssKiB, baseline.rssKiB, total);
      if (perSocket > IDLE_SOCKET_TARGET_KIB) met = false;
      rows.push([
        `wsload run (${runtime}), ${vus} VUs × ${socketsPerVU}`,
        String(total),
        fixed(loaded.rssKiB / 1024, 1),
        fixed(baseline.rssKiB / 1024, 1),
        fixed(perSocket, 1),
        percent(perSocket, bare),
        `≤ ${IDLE_SOCKET_TARGET_KIB}`,
        fixed(loaded.openSeconds, 1),
        mebibytes(loaded.serverRssKiB),
      ]);
    }
  }
  return [
    "c. Client memory per idle socket: resident memory of the client " +
    "process holding idle sockets once all are open, minus that of the " +
    "same client with 0 sockets (per VU), over the sockets; wsload run " +
    "runs bench/idle_sockets.js, the bare Deno WebSocket reference " +
    "bench/bare_idle.ts",
    renderTable([
      [
        "client",
        "sockets",
        "RSS MiB",
        "0-socket RSS MiB",
        "per socket KiB",
        "vs bare Deno",
        "target KiB",
        "open after s",
        "server RSS MiB",
      ],
      ...rows,
    ]),
    verdict(
      `≤ ${IDLE_SOCKET_TARGET_KIB} KiB of wsload run memory per idle socket`,
      met,
    ),
  ].join("\n");
}

function mebibytes(kib: number | undefined): string {
  return fixed(kib === undefined ? undefined : kib / 1024, 1);
}

async function main(): Promise<void> {
  const settings = settingsFrom(process.argv.slice(2));
  const cores = navigator.hardwareConcurrency;
  console.log(
    `wsload bench: ${
      typeof Deno !== "undefined" ? `Deno ${Deno.version.deno}` : "Node"
    }, ${cores} cores; the echo server runs in its own process\n`,
  );
  const server = await startEchoServerProcess();
  const sections: string[] = [];
  try {
    if (settings.parts.has("a")) {
      sections.push(await facadeCost(server, settings));
      console.log(`${sections.at(-1)}\n`);
    }
    if (settings.parts.has("b")) {
      sections.push(await wsloadEchoLoop(server, settings));
      console.log(`${sections.at(-1)}\n`);
    }
    if (settings.parts.has("c")) {
      sections.push(await idleSocketMemory(server, settings));
      console.log(`${sections.at(-1)}\n`);
    }
    if (settings.parts.has("d")) {
      sections.push(await autoAwaitCost(server, settings));
      console.log(`${sections.at(-1)}\n`);
    }
    if (settings.parts.has("e")) {
      sections.push(await initCostPerVU(server, settings));
      console.log(`${sections.at(-1)}\n`);
    }
    if (settings.parts.has("f")) {
      sections.push(await httpRequests(settings));
      console.log(`${sections.at(-1)}\n`);
    }
    if (settings.parts.has("g")) {
      sections.push(
        await soakSection(server, {
          sockets: settings.soakSockets,
          seconds: settings.soakSeconds,
          everySeconds: settings.soakEvery,
          runtime: "deno",
        }),
      );
      console.log(`${sections.at(-1)}\n`);
    }
    const workerSettings = {
      vus: settings.vus,
      runSeconds: settings.runSeconds,
      runs: settings.runs,
      payloadSize: settings.payloadSize,
      memoryVUs: settings.memoryVUs,
      splitIterations: settings.splitIterations,
    };
    for (
      const [part, section] of [
        ["h", () => workersEcho(server, workerSettings)],
        ["i", () => workersMemory(server, workerSettings)],
        ["j", () => splitCounts(server, workerSettings)],
        ["k", () => workerCost()],
        ["l", () =>
          connectionChurn(server, {
            vus: settings.churnVUs,
            seconds: settings.churnSeconds,
            runs: settings.runs,
            payloadSize: settings.payloadSize,
            node: settings.node,
          })],
      ] as const
    ) {
      if (!settings.parts.has(part)) continue;
      sections.push(await section());
      console.log(`${sections.at(-1)}\n`);
    }
  } finally {
    await server.stop();
  }
  const verdicts = sections.flatMap((section) =>
    section.split("\n").filter((line) => line.startsWith("target "))
  );
  if (verdicts.length > 0) console.log(`Summary:\n${verdicts.join("\n")}`);
}

if ((import.meta as { main?: boolean }).main) await main();
