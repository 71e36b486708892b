/**
 * Worker processes, for `deno task bench` (parts h to k): what spreading a
 * run over worker processes costs and gives, each as a ratio against one
 * worker in the same run.
 *
 * h. **Echo with 2 workers vs 1**: `bench/echo_loop.js` (V VUs, S seconds)
 *    with the echo server pinned to the last core (`taskset`) and the
 *    client to the others; round trips/s, client CPU µs per round trip
 *    (coordinator and workers), how busy the server's core was.
 * i. **Memory at K VUs × 1 socket**: `bench/idle_sockets.js` with workers =
 *    cores vs 1; the settled resident memory of the client's processes,
 *    and their peaks (`VmHWM`) summed, also over K (KiB per socket, the
 *    runtime's own memory included).
 * j. **Identical results**: `bench/split_counts.js` (shared-iterations and
 *    per-vu-iterations, I iterations) with 1, 2 and 4 workers; the counts
 *    of iterations, sessions, messages and checks must be equal, and the
 *    `split_values` trend (10 values per iteration, the same multiset in
 *    every split, past the 10,000 values trends keep exactly) must agree
 *    with the exact percentiles within the sketch's 1 %.
 * k. **A worker process vs a worker thread**: start-up and resident memory
 *    of one more worker as a sandboxed process (what `wsload run` starts)
 *    and as a `node:worker_threads` thread loading the same modules.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { Worker } from "node:worker_threads";
import { prepareScript } from "../runner/loader/mod.ts";
import type { FromWorker, WorkerSettings } from "../runner/workers/protocol.ts";
import { readAllowances } from "../runner/workers/read_allowances.ts";
import { spawnWorkerProcess } from "../runner/workers/spawn.ts";
import {
  BENCH_SCRIPTS,
  type EchoServerProcess,
  openFileLimit,
  readProcess,
  runChild,
} from "./bench_process.ts";
import { fixed, percent, renderTable, verdict } from "./bench_report.ts";
import { wsloadRun } from "./bench_wsload.ts";
import {
  benchWsloadEcho,
  type EchoLoopResult,
  measureIdleSockets,
} from "./bench_wsload.ts";

/** What parts h to k take. */
export interface WorkerBenchSettings {
  /** VUs of part h. */
  readonly vus: number;
  /** Seconds each socket echoes in part h. */
  readonly runSeconds: number;
  /** Runs of part h per worker count (interleaved; the best counts). */
  readonly runs: number;
  /** Message size of part h. */
  readonly payloadSize: number;
  /** VUs (one socket each) of part i. */
  readonly memoryVUs: number;
  /** Iterations of part j. */
  readonly splitIterations: number;
}

const WITHIN = 0.1;

function best(
  runs: readonly EchoLoopResult[],
  by: (run: EchoLoopResult) => number,
) {
  return runs.reduce((a, b) => (by(b) > by(a) ? b : a));
}

/** Pins a running process (every thread) to CPUs; `false` without `taskset`. */
function pin(pid: number, cpus: string): boolean {
  return spawnSync("taskset", ["-a", "-p", "-c", cpus, String(pid)], {
    stdio: "ignore",
  }).status === 0;
}

/**
 * Part h: echo round trips with 2 workers vs 1, the server on a core of
 * its own.
 *
 * @param server The echo server.
 * @param settings VUs, seconds, runs, message size.
 * @returns The report section.
 */
export async function workersEcho(
  server: EchoServerProcess,
  settings: WorkerBenchSettings,
): Promise<string> {
  const cores = availableParallelism();
  const serverCpu = String(cores - 1);
  const clientCpus = cores > 2 ? `0-${cores - 2}` : "0";
  const pinned = cores > 1 && pin(server.pid, serverCpu);
  const options = {
    connections: settings.vus,
    seconds: settings.runSeconds,
    payloadSize: settings.payloadSize,
    cpus: pinned ? clientCpus : undefined,
  };
  const runs = new Map<number, EchoLoopResult[]>([[1, []], [2, []]]);
  try {
    await benchWsloadEcho(server, { ...options, seconds: 1, workers: 2 });
    for (let run = 0; run < settings.runs; run++) {
      for (const workers of [1, 2]) {
        runs.get(workers)!.push(
          await benchWsloadEcho(server, { ...options, workers }),
        );
      }
    }
  } finally {
    if (pinned) pin(server.pid, `0-${cores - 1}`);
  }
  const rate = (r: EchoLoopResult) => r.rate;
  const one = best(runs.get(1)!, rate);
  const two = best(runs.get(2)!, rate);
  const cpuMicros = (r: EchoLoopResult) =>
    r.clientCpuSeconds === undefined
      ? undefined
      : 1e6 * r.clientCpuSeconds / r.roundTrips;
  const serverBusy = (r: EchoLoopResult) =>
    r.serverCpuSeconds === undefined
      ? undefined
      : r.serverCpuSeconds / settings.runSeconds;
  const costOne = cpuMicros(one);
  const costTwo = cpuMicros(two);
  return [
    `h. Echo round trips with --workers 2 vs --workers 1 (${settings.vus} ` +
    `VUs, ${settings.runSeconds} s, best of ${settings.runs}; ` +
    (pinned
      ? `the server pinned to CPU ${serverCpu}, the client to ${clientCpus}`
      : "taskset unavailable or one core: nothing pinned") +
    ")",
    renderTable([
      ["measurement", "2 workers", "1 worker", "ratio", "target"],
      [
        "round trips/s",
        fixed(rate(two)),
        fixed(rate(one)),
        percent(rate(two), rate(one)),
        "none",
      ],
      [
        "client CPU µs per round trip",
        fixed(costTwo, 1),
        fixed(costOne, 1),
        percent(costTwo, costOne),
        `≤ ${fixed(100 * (1 + WITHIN))} %`,
      ],
      [
        "server core busy",
        percent(serverBusy(two), 1),
        percent(serverBusy(one), 1),
        "",
        "none",
      ],
    ]),
    verdict(
      `client CPU per round trip with 2 workers within ${
        100 * WITHIN
      } % of 1 worker`,
      costOne === undefined || costTwo === undefined
        ? undefined
        : costTwo <= costOne * (1 + WITHIN),
    ),
  ].join("\n");
}

/**
 * Part i: resident memory at many VUs with one socket each, workers =
 * cores vs 1.
 *
 * @param server The echo server.
 * @param settings The VUs.
 * @returns The report section.
 */
export async function workersMemory(
  server: EchoServerProcess,
  settings: WorkerBenchSettings,
): Promise<string> {
  const vus = settings.memoryVUs;
  const cores = availableParallelism();
  const limit = openFileLimit();
  if (limit !== undefined && limit < vus + 200) {
    return [
      "i. Memory at K VUs × 1 socket: skipped",
      `The open-file limit is ${limit}; raise it (ulimit -n ${vus + 200}).`,
      verdict("workers = cores within 10 % of 1 worker's memory", undefined),
    ].join("\n");
  }
  const one = await measureIdleSockets(server, {
    vus,
    socketsPerVU: 1,
    workers: 1,
  });
  const all = await measureIdleSockets(server, {
    vus,
    socketsPerVU: 1,
    workers: cores,
  });
  const mib = (kib: number | undefined) =>
    kib === undefined ? undefined : kib / 1024;
  const perSocket = (kib: number | undefined) =>
    kib === undefined ? undefined : kib / vus;
  return [
    `i. Memory at ${vus} VUs × 1 socket: the client's processes ` +
    `(coordinator and workers) once every socket is open, ${cores} workers ` +
    "vs 1",
    renderTable([
      ["measurement", `${cores} workers`, "1 worker", "ratio", "target"],
      [
        "settled RSS MiB",
        fixed(mib(all.rssKiB), 1),
        fixed(mib(one.rssKiB), 1),
        percent(all.rssKiB, one.rssKiB),
        `≤ ${fixed(100 * (1 + WITHIN))} %`,
      ],
      [
        "peak RSS MiB (VmHWM, summed)",
        fixed(mib(all.peakRssKiB), 1),
        fixed(mib(one.peakRssKiB), 1),
        percent(all.peakRssKiB, one.peakRssKiB),
        `≤ ${fixed(100 * (1 + WITHIN))} %`,
      ],
      [
        `KiB per socket (peak RSS / ${vus})`,
        fixed(perSocket(all.peakRssKiB), 1),
        fixed(perSocket(one.peakRssKiB), 1),
        percent(all.peakRssKiB, one.peakRssKiB),
        "none",
      ],
      [
        "all open after s",
        fixed(all.openSeconds, 1),
        fixed(one.openSeconds, 1),
        percent(all.openSeconds, one.openSeconds),
        "none",
      ],
    ]),
    verdict(
      `${cores} workers within ${100 * WITHIN} % of 1 worker's peak memory`,
      all.peakRssKiB === undefined || one.peakRssKiB === undefined
        ? undefined
        : all.peakRssKiB <= one.peakRssKiB * (1 + WITHIN),
    ),
  ].join("\n");
}

// split_counts.js's values, and their exact percentiles (k6's definition).
function exactPercentiles(
  keys: number,
): { count: number; p: (n: number) => number } {
  const values: number[] = [];
  for (let key = 0; key < keys; key++) {
    for (let i = 0; i < 10; i++) values.push(1 + (key * 10 + i) % 997);
  }
  values.sort((a, b) => a - b);
  return {
    count: values.length,
    p(n) {
      const rank = n / 100 * (values.length - 1);
      const low = values[Math.floor(rank)];
      return low + (values[Math.ceil(rank)] - low) * (rank - Math.floor(rank));
    },
  };
}

const SPLIT_COUNTS = [
  "iterations",
  "ws_sessions",
  "ws_msgs_sent",
  "ws_msgs_received",
] as const;
const SPLIT_PERCENTILES = [50, 90, 95, 99] as const;
/** The sketch's relative accuracy (runner/engine/trend_sink.ts). */
const SKETCH_ERROR = 0.01;

/**
 * Part j: the same work with 1, 2 and 4 workers gives the same counts and
 * percentiles within the sketch's error.
 *
 * @param server The echo server.
 * @param settings The iterations.
 * @returns The report section.
 */
export async function splitCounts(
  server: EchoServerProcess,
  settings: WorkerBenchSettings,
): Promise<string> {
  const iterations = settings.splitIterations;
  const folder = mkdtempSync(join(tmpdir(), "wsload-bench-split-"));
  const rows: string[][] = [];
  let met = true;
  try {
    for (const executor of ["shared-iterations", "per-vu-iterations"]) {
      const exact = exactPercentiles(iterations);
      const first = new Map<string, number>();
      for (const workers of [1, 2, 4]) {
        const summary = join(folder, `${executor}-${workers}.json`);
        const [command, args] = wsloadRun("deno", workers);
        const run = await runChild(command, [
          ...args,
          "--quiet",
          "--no-color",
          "--summary-trend-stats",
          "avg,min,max,count,p(50),p(90),p(95),p(99)",
          "--summary-export",
          summary,
          "-e",
          `URL=${server.url}/ws-echo-multi`,
          "-e",
          `EXECUTOR=${executor}`,
          "-e",
          `ITERATIONS=${iterations}`,
          BENCH_SCRIPTS.splitCounts,
        ], { onStderrLine: () => {} });
        if (run.code !== 0) {
          throw new Error(`wsload run exited with ${run.code} (${executor})`);
        }
        const metrics = JSON.parse(readFileSync(summary, "utf8"))
          .metrics as Record<string, Record<string, number>>;
        const counts = new Map<string, number>(
          SPLIT_COUNTS.map((name) => [name, metrics[name]?.count ?? 0]),
        );
        counts.set("checks", metrics.checks.passes + metrics.checks.fails);
        if (workers === 1) {
          for (const [name, count] of counts) first.set(name, count);
        }
        const same = [...counts].every(([name, count]) =>
          count === first.get(name)
        );
        const trend = metrics.split_values;
        const errors = SPLIT_PERCENTILES.map((n) =>
          Math.abs(trend[`p(${n})`] - exact.p(n)) / exact.p(n)
        );
        const worst = Math.max(...errors);
        if (!same || worst > SKETCH_ERROR || trend.count !== exact.count) {
          met = false;
        }
        rows.push([
          executor,
          String(workers),
          ...[...counts.values()].map(String),
          String(trend.count),
          SPLIT_PERCENTILES.map((n) => fixed(trend[`p(${n})`], 1)).join(" / "),
          `${fixed(100 * worst, 2)} %`,
        ]);
      }
      rows.push([
        "exact",
        "",
        "",
        "",
        "",
        "",
        "",
        String(exact.count),
        SPLIT_PERCENTILES.map((n) => fixed(exact.p(n), 1)).join(" / "),
        "",
      ]);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  return [
    `j. Identical results with 1, 2 and 4 workers (bench/split_counts.js, ` +
    `${iterations} iterations of 20 VUs, one 2-message echo each; ` +
    "split_values: 10 values per iteration)",
    renderTable([
      [
        "executor",
        "workers",
        "iterations",
        "sessions",
        "msgs sent",
        "msgs received",
        "checks",
        "trend count",
        "p50 / p90 / p95 / p99",
        "worst error",
      ],
      ...rows,
    ]),
    verdict(
      `equal counts, percentiles within ${100 * SKETCH_ERROR} %`,
      met,
    ),
  ].join("\n");
}

// The worker side of wsload run in a thread instead of a process, for
// part k: the same ScriptWorker, sent the same "load" message.
const THREAD_PROBE = `
const { parentPort, workerData } = await import("node:worker_threads");
const { ScriptWorker } = await import(workerData.worker);
const worker = new ScriptWorker({
  send: (message) => message.type === "loaded" && parentPort.postMessage("ready"),
});
await worker.handle({ type: "load", settings: workerData.settings });
`;

/**
 * Part k: one more worker as a sandboxed process vs as a thread.
 *
 * @returns The report section.
 */
export async function workerCost(): Promise<string> {
  const prepared = await prepareScript(BENCH_SCRIPTS.echoLoop);
  const { path, folder, modules, warnings, reads, sandbox } = prepared;
  const manifest = { path, folder, modules, warnings, reads, sandbox };
  try {
    // A worker process, as wsload run starts it, until its script is loaded.
    let started = performance.now();
    const child = spawnWorkerProcess({
      sandbox: true,
      reads: readAllowances(prepared),
      env: process.env as Record<string, string>,
      stdout: () => {},
      stderr: (text) => process.stderr.write(text),
    });
    const loaded = new Promise<void>((resolve) =>
      child.onMessage((message: FromWorker) => {
        if (message.type === "loaded") resolve();
      })
    );
    const settings: WorkerSettings = {
      index: 0,
      host: true,
      script: manifest,
      colors: false,
      consoleColors: false,
      level: "info",
      logStart: Date.now(),
      baseEnv: { URL: "ws://127.0.0.1:1" },
      vuEventLoop: true,
    };
    child.send({ type: "load", settings });
    await loaded;
    const processMs = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const processRss = readProcess(child.pid)?.rssKiB;
    const exited = new Promise<void>((resolve) =>
      child.onExit(() => resolve())
    );
    child.send({ type: "exit" });
    await exited;

    // A worker thread with the same modules.
    const before = readProcess(process.pid)?.rssKiB;
    started = performance.now();
    const here = import.meta.url;
    const thread = new Worker(
      new URL(`data:text/javascript,${encodeURIComponent(THREAD_PROBE)}`),
      {
        workerData: {
          worker: new URL("../runner/workers/worker.ts", here).href,
          settings,
        },
      },
    );
    await new Promise((resolve) => thread.once("message", resolve));
    const threadMs = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = readProcess(process.pid)?.rssKiB;
    await thread.terminate();
    const threadRss = before === undefined || after === undefined
      ? undefined
      : after - before;
    const mib = (kib: number | undefined) =>
      kib === undefined ? undefined : kib / 1024;
    return [
      "k. One more worker: a sandboxed worker process (as wsload run starts " +
      "it) vs a worker thread, each loading the VU side and " +
      "bench/echo_loop.js",
      renderTable([
        ["measurement", "process", "thread", "ratio"],
        [
          "start-up until the script is loaded, ms",
          fixed(processMs),
          fixed(threadMs),
          percent(processMs, threadMs),
        ],
        [
          "resident memory MiB",
          fixed(mib(processRss), 1),
          fixed(mib(threadRss), 1),
          percent(processRss, threadRss),
        ],
      ]),
    ].join("\n");
  } finally {
    await prepared.dispose();
  }
}
