/**
 * `wsload run` under load, for `deno task bench`: the echo loop of
 * `bench/echo_loop.js` against its bare Deno baseline (`bench/bare_echo.ts`),
 * and the memory of `bench/idle_sockets.js` holding many idle sockets
 * (with `bench/bare_idle.ts`, bare Deno, for reference).
 *
 * Each runs `wsload run` as a child process (`deno run -A cli.ts run …`, or
 * `node npm/bin/wsload.js run …` for the npm build under Node), as a user
 * would: its CPU time and memory are then its own, not mixed with the
 * benchmark's or the echo server's, and the process starts clean for every
 * run.
 *
 * @module
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BENCH_SCRIPTS,
  DENO,
  type EchoServerProcess,
  measureChild,
  peakRssTreeKiB,
  readProcess,
  readProcessTree,
  runBareClient,
  startChild,
} from "./bench_process.ts";

/**
 * Which runtime runs `wsload run`: Deno (`cli.ts`, the sources) or Node
 * (`npm/bin/wsload.js`, the npm build; run `deno task build:npm` first).
 */
export type WsloadRuntime = "deno" | "node";

/**
 * The command and first arguments of `wsload run` on `runtime`, with a
 * number of worker processes (1 by default: the parts that compare
 * `wsload run` with a bare one-process baseline keep one process of VUs;
 * part h compares worker counts).
 */
export function wsloadRun(
  runtime: WsloadRuntime,
  workers = 1,
): [string, string[]] {
  const run = ["run", "--workers", String(workers)];
  return runtime === "deno"
    ? [DENO, ["run", "-A", BENCH_SCRIPTS.cli, ...run]]
    : ["node", [BENCH_SCRIPTS.npmCli, ...run]];
}

/** An echo loop: how many sockets, for how long. */
export interface EchoLoopOptions {
  /** Sockets (one per VU under `wsload run`), a positive integer. */
  readonly connections: number;
  /**
   * Seconds each socket echoes, from its open; 0 for one round trip per
   * socket (to measure what start-up, dials and closes cost).
   */
  readonly seconds: number;
  /** Bytes per message. */
  readonly payloadSize: number;
  /** The `wsload run` script (default `bench/echo_loop.js`). */
  readonly script?: string;
  /** Worker processes of the run (default 1). */
  readonly workers?: number;
  /** Pin the client to these CPUs (`taskset -c`), e.g. `"0"`. */
  readonly cpus?: string;
  /** k6's `--compatibility-mode` of the run (default: extended). */
  readonly compatibilityMode?: "extended" | "base";
  /** The runtime of `wsload run` (default `"deno"`). */
  readonly runtime?: WsloadRuntime;
}

/** What an echo loop measured. */
export interface EchoLoopResult {
  /** Echoes received, over all sockets. */
  readonly roundTrips: number;
  /** Round trips per second: `roundTrips` over the sockets' window (0 for a 0-second run). */
  readonly rate: number;
  /** Iterations completed (`wsload run`; the bare clients have none). */
  readonly iterations?: number;
  /** CPU time of the client process, start-up included; `undefined` without `/proc`. */
  readonly clientCpuSeconds: number | undefined;
  /** CPU time the echo server spent meanwhile; `undefined` without `/proc`. */
  readonly serverCpuSeconds: number | undefined;
  /**
   * Peak resident memory of the client's processes (`VmHWM`, summed),
   * sampled while it ran, in KiB; `undefined` without `/proc`.
   */
  readonly peakRssKiB: number | undefined;
}

function validateEchoLoop(options: EchoLoopOptions): void {
  if (!Number.isInteger(options.connections) || options.connections < 1) {
    throw new RangeError(
      `connections must be a positive integer, got ${options.connections}`,
    );
  }
  if (!(options.seconds >= 0) || !Number.isFinite(options.seconds)) {
    throw new RangeError(
      `seconds must be a finite number ≥ 0, got ${options.seconds}`,
    );
  }
}

function rateOf(roundTrips: number, seconds: number): number {
  return seconds === 0 ? 0 : roundTrips / seconds;
}

/**
 * Runs `bench/echo_loop.js` through `wsload run` in a child process:
 * `connections` VUs, one socket each, echoing for `seconds` against the
 * server's `/ws-echo-multi`; round trips are `ws_msgs_received` of the
 * summary export. Another script (`options.script`) gets the same
 * variables: `URL`, `VUS`, `SECONDS` and `PAYLOAD_SIZE`.
 *
 * @param server The echo server.
 * @param options Sockets, duration and message size.
 * @returns What it measured.
 * @throws {RangeError} For a bad option.
 * @throws {Error} (as a rejection) When the run fails or a socket errs.
 *
 * @example A short run
 * ```ts
 * import { benchWsloadEcho } from "./bench_wsload.ts";
 * import { startEchoServerProcess } from "./bench_process.ts";
 * import assert from "node:assert/strict";
 *
 * const server = await startEchoServerProcess();
 * try {
 *   const result = await benchWsloadEcho(server, {
 *     connections: 2,
 *     seconds: 0.2,
 *     payloadSize: 8,
 *   });
 *   assert.ok(result.roundTrips > 0);
 * } finally {
 *   await server.stop();
 * }
 * ```
 */
export async function benchWsloadEcho(
  server: EchoServerProcess,
  options: EchoLoopOptions,
): Promise<EchoLoopResult> {
  validateEchoLoop(options);
  const folder = mkdtempSync(join(tmpdir(), "wsload-bench-"));
  const summaryPath = join(folder, "summary.json");
  try {
    let [command, wsload] = wsloadRun(
      options.runtime ?? "deno",
      options.workers,
    );
    if (options.cpus !== undefined) {
      wsload = ["-c", options.cpus, command, ...wsload];
      command = "taskset";
    }
    const run = await measureChild(server.pid, command, [
      ...wsload,
      "--quiet",
      "--no-color",
      `--compatibility-mode=${options.compatibilityMode ?? "extended"}`,
      "--summary-export",
      summaryPath,
      "-e",
      `URL=${server.url}/ws-echo-multi`,
      "-e",
      `VUS=${options.connections}`,
      "-e",
      `SECONDS=${options.seconds}`,
      "-e",
      `PAYLOAD_SIZE=${options.payloadSize}`,
      options.script ?? BENCH_SCRIPTS.echoLoop,
    ], undefined);
    const errors = run.stderr.filter((line) => /level=error/.test(line));
    if (run.code !== 0 || errors.length > 0) {
      throw new Error(
        `wsload run exited with ${run.code}: ${
          (errors[0] ?? run.stderr.at(-1)) ?? "no output"
        }`,
      );
    }
    const summary = JSON.parse(readFileSync(summaryPath, "utf8")) as {
      metrics: Record<string, { count?: number }>;
    };
    const roundTrips = summary.metrics.ws_msgs_received?.count ?? 0;
    return {
      roundTrips,
      rate: rateOf(roundTrips, options.seconds),
      iterations: summary.metrics.iterations?.count ?? 0,
      clientCpuSeconds: run.clientCpuSeconds,
      serverCpuSeconds: run.serverCpuSeconds,
      peakRssKiB: run.peakRssKiB,
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * Runs the same echo loop as {@link benchWsloadEcho} with no wsload code:
 * `bench/bare_echo.ts`, Deno's own `WebSocket`, all sockets in one child
 * process.
 *
 * @param server The echo server.
 * @param options Sockets, duration and message size.
 * @returns What it measured.
 * @throws {RangeError} For a bad option.
 * @throws {Error} (as a rejection) When the run fails or a socket errs.
 *
 * @example A short run
 * ```ts
 * import { benchBareEcho } from "./bench_wsload.ts";
 * import { startEchoServerProcess } from "./bench_process.ts";
 * import assert from "node:assert/strict";
 *
 * const server = await startEchoServerProcess();
 * try {
 *   const result = await benchBareEcho(server, {
 *     connections: 2,
 *     seconds: 0.2,
 *     payloadSize: 8,
 *   });
 *   assert.ok(result.roundTrips > 0);
 * } finally {
 *   await server.stop();
 * }
 * ```
 */
export async function benchBareEcho(
  server: EchoServerProcess,
  options: EchoLoopOptions,
): Promise<EchoLoopResult> {
  validateEchoLoop(options);
  const { run, report } = await runBareClient<
    { roundTrips: number; failures: number }
  >(server, BENCH_SCRIPTS.bareEcho, options);
  if (report.failures > 0) {
    throw new Error(
      `bench/bare_echo.ts had ${report.failures} socket errors: ${
        run.stderr.at(-1) ?? "no output"
      }`,
    );
  }
  return {
    roundTrips: report.roundTrips,
    rate: rateOf(report.roundTrips, options.seconds),
    clientCpuSeconds: run.clientCpuSeconds,
    serverCpuSeconds: run.serverCpuSeconds,
    peakRssKiB: run.peakRssKiB,
  };
}

/** Idle sockets: how many VUs, how many sockets each. */
export interface IdleSocketsOptions {
  /** VUs, a positive integer. */
  readonly vus: number;
  /** Sockets each VU holds open (0 for the baseline). */
  readonly socketsPerVU: number;
  /** The runtime of `wsload run` (default `"deno"`). */
  readonly runtime?: WsloadRuntime;
  /** Worker processes of the run (default 1). */
  readonly workers?: number;
  /** Give up when not all are open after this many seconds (default 120). */
  readonly openTimeoutSeconds?: number;
}

/** What a run holding idle sockets measured. */
export interface IdleSocketsResult {
  /**
   * Resident memory of the client, its worker processes included, once
   * every socket was open and its memory settled, in KiB.
   */
  readonly rssKiB: number;
  /** The client's processes' peak resident memory (`VmHWM`), summed, in KiB. */
  readonly peakRssKiB: number | undefined;
  /** Resident memory of the echo server process at the same time, in KiB. */
  readonly serverRssKiB: number | undefined;
  /** Seconds from the start of the client until every socket was open. */
  readonly openSeconds: number;
}

/** How often memory is read while waiting for it to settle. */
const SETTLE_INTERVAL_MS = 500;
/** Memory has settled when two readings differ by less than this fraction. */
const SETTLE_TOLERANCE = 0.005;
/** Read memory at most this often, then take the last reading. */
const SETTLE_READINGS = 20;
/** How long an idle client may take to open all of its sockets, by default. */
const OPEN_TIMEOUT_SECONDS = 120;

/**
 * Runs `bench/idle_sockets.js` through `wsload run` in a child process: VUs
 * open their sockets to the server's `/ws-echo-multi` and hold them. Once
 * every VU has logged that its sockets are open, waits until the process's
 * resident memory stops changing (two readings 0.5 s apart within 0.5 %,
 * at most 10 s), reads it, and interrupts the run (SIGTERM).
 *
 * @param server The echo server.
 * @param options VUs, sockets per VU and runtime.
 * @returns The memory reading.
 * @throws {RangeError} For a bad option.
 * @throws {Error} (as a rejection) Without `/proc` (not Linux), when a
 * socket fails, or when the sockets are not all open in time.
 *
 * @example 2 VUs holding 3 sockets each
 * ```ts
 * import { measureIdleSockets } from "./bench_wsload.ts";
 * import { startEchoServerProcess } from "./bench_process.ts";
 * import assert from "node:assert/strict";
 *
 * const server = await startEchoServerProcess();
 * try {
 *   const result = await measureIdleSockets(server, { vus: 2, socketsPerVU: 3 });
 *   assert.ok(result.rssKiB > 0);
 * } finally {
 *   await server.stop();
 * }
 * ```
 */
export function measureIdleSockets(
  server: EchoServerProcess,
  options: IdleSocketsOptions,
): Promise<IdleSocketsResult> {
  const {
    vus,
    socketsPerVU,
    runtime = "deno",
    workers = 1,
    openTimeoutSeconds = OPEN_TIMEOUT_SECONDS,
  } = options;
  if (!Number.isInteger(vus) || vus < 1) {
    throw new RangeError(`vus must be a positive integer, got ${vus}`);
  }
  if (!Number.isInteger(socketsPerVU) || socketsPerVU < 0) {
    throw new RangeError(
      `socketsPerVU must be a non-negative integer, got ${socketsPerVU}`,
    );
  }
  return holdInWsload(
    server,
    runtime,
    BENCH_SCRIPTS.idleSockets,
    vus,
    {
      URL: `${server.url}/ws-echo-multi`,
      VUS: String(vus),
      SOCKETS: String(socketsPerVU),
      HOLD_SECONDS: String(openTimeoutSeconds + 60),
    },
    openTimeoutSeconds,
    workers,
  );
}

/**
 * Runs `bench/init_vus.js` through `wsload run` in a child process: `vus`
 * VUs evaluate the script and its helper module, log "ready" and sleep;
 * the settled memory is read once all are ready, as in
 * {@link measureIdleSockets}.
 *
 * @param server The echo server (its memory is read alongside).
 * @param vus VUs, a positive integer.
 * @param runtime The runtime of `wsload run` (default `"deno"`).
 * @returns The memory reading (`openSeconds`: until all were ready).
 * @throws {RangeError} When `vus` is not a positive integer.
 * @throws {Error} (as a rejection) Without `/proc`, or when the VUs are
 * not all ready in time.
 *
 * @example Two VUs
 * ```ts
 * import { measureInitVUs } from "./bench_wsload.ts";
 * import { startEchoServerProcess } from "./bench_process.ts";
 * import assert from "node:assert/strict";
 *
 * const server = await startEchoServerProcess();
 * try {
 *   assert.ok((await measureInitVUs(server, 2)).rssKiB > 0);
 * } finally {
 *   await server.stop();
 * }
 * ```
 */
export function measureInitVUs(
  server: EchoServerProcess,
  vus: number,
  runtime: WsloadRuntime = "deno",
): Promise<IdleSocketsResult> {
  if (!Number.isInteger(vus) || vus < 1) {
    throw new RangeError(`vus must be a positive integer, got ${vus}`);
  }
  return holdInWsload(server, runtime, BENCH_SCRIPTS.initVUs, vus, {
    VUS: String(vus),
    HOLD_SECONDS: String(OPEN_TIMEOUT_SECONDS + 60),
  }, OPEN_TIMEOUT_SECONDS);
}

/** A `wsload run` of a script whose VUs each log "ready" once, then hold. */
function holdInWsload(
  server: EchoServerProcess,
  runtime: WsloadRuntime,
  script: string,
  vus: number,
  env: Record<string, string>,
  openTimeoutSeconds: number,
  workers = 1,
): Promise<IdleSocketsResult> {
  const [command, wsload] = wsloadRun(runtime, workers);
  return holdSockets(server, {
    name: "wsload run",
    command,
    args: [
      ...wsload,
      "--quiet",
      "--no-color",
      "--summary-mode",
      "disabled",
      ...Object.entries(env).flatMap(([name, value]) => [
        "-e",
        `${name}=${value}`,
      ]),
      script,
    ],
    // One "ready" log line per VU, on stderr.
    readyLines: vus,
    readyOn: "stderr",
    openTimeoutSeconds,
  });
}

/**
 * Holds idle sockets without wsload, for reference: `bench/bare_idle.ts`
 * opens `connections` sockets of Deno's own `WebSocket` in a child process;
 * its memory is read as in {@link measureIdleSockets}.
 *
 * @param server The echo server.
 * @param connections Sockets to open (0 for the baseline).
 * @returns The memory reading.
 * @throws {RangeError} When `connections` is not a non-negative integer.
 * @throws {Error} (as a rejection) Without `/proc` (not Linux), when a
 * socket fails, or when the sockets are not all open in time.
 *
 * @example 5 sockets
 * ```ts
 * import { measureBareIdleSockets } from "./bench_wsload.ts";
 * import { startEchoServerProcess } from "./bench_process.ts";
 * import assert from "node:assert/strict";
 *
 * const server = await startEchoServerProcess();
 * try {
 *   const result = await measureBareIdleSockets(server, 5);
 *   assert.ok(result.rssKiB > 0);
 * } finally {
 *   await server.stop();
 * }
 * ```
 */
export function measureBareIdleSockets(
  server: EchoServerProcess,
  connections: number,
): Promise<IdleSocketsResult> {
  if (!Number.isInteger(connections) || connections < 0) {
    throw new RangeError(
      `connections must be a non-negative integer, got ${connections}`,
    );
  }
  return holdSockets(server, {
    name: "bench/bare_idle.ts",
    command: DENO,
    args: [
      "run",
      "-A",
      BENCH_SCRIPTS.bareIdle,
      "--url",
      `${server.url}/ws-echo-multi`,
      "--connections",
      String(connections),
    ],
    readyLines: 1,
    readyOn: "stdout",
    openTimeoutSeconds: OPEN_TIMEOUT_SECONDS,
  });
}

/** A client that holds sockets open and says so with "ready" lines. */
interface HoldingClient {
  /** What to call it in errors. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** How many "ready" lines mean every socket is open. */
  readonly readyLines: number;
  /** Where the lines come (errors are looked for on stderr). */
  readonly readyOn: "stdout" | "stderr";
  readonly openTimeoutSeconds: number;
}

/** Starts a holding client, reads its settled memory once all are open, stops it. */
async function holdSockets(
  server: EchoServerProcess,
  client: HoldingClient,
): Promise<IdleSocketsResult> {
  const started = performance.now();
  let ready = 0;
  let failure: string | undefined;
  let allReady!: () => void;
  const readyPromise = new Promise<void>((resolve) => allReady = resolve);
  const onReadyLine = (line: string) => {
    if (/^ready$|msg="?ready"? /.test(line) && ++ready === client.readyLines) {
      allReady();
    }
  };
  const onStderrLine = (line: string) => {
    if (client.readyOn === "stderr") onReadyLine(line);
    if (/level=error|socket error/.test(line)) {
      failure ??= line;
      allReady();
    }
  };
  const child = startChild(client.command, client.args, {
    pipeStdin: true,
    onStdoutLine: client.readyOn === "stdout" ? onReadyLine : () => {},
    onStderrLine,
  });
  try {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const outcome = await Promise.race([
      readyPromise.then(() => "ready" as const),
      child.exited.then(() => "exited" as const),
      new Promise<"timeout">((resolve) => {
        timer = setTimeout(
          resolve,
          client.openTimeoutSeconds * 1000,
          "timeout",
        );
      }),
    ]);
    clearTimeout(timer);
    if (failure !== undefined) throw new Error(`${client.name}: ${failure}`);
    if (outcome !== "ready") {
      throw new Error(
        `${client.name}: not every socket was open ` +
          (outcome === "exited"
            ? "when it exited"
            : `after ${client.openTimeoutSeconds} s`),
      );
    }
    const openSeconds = (performance.now() - started) / 1000;
    const rssKiB = await settledRss(child.pid);
    return {
      rssKiB,
      peakRssKiB: peakRssTreeKiB(child.pid),
      serverRssKiB: readProcess(server.pid)?.rssKiB,
      openSeconds,
    };
  } finally {
    await child.stop();
  }
}

/**
 * Reads the memory of a process and its children until it stops changing;
 * returns the last reading.
 */
async function settledRss(pid: number): Promise<number> {
  let previous = readProcessTree(pid)?.rssKiB;
  if (previous === undefined) {
    throw new Error(`no memory reading for process ${pid} (needs /proc)`);
  }
  for (let reading = 1; reading < SETTLE_READINGS; reading++) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_INTERVAL_MS));
    const current = readProcessTree(pid)?.rssKiB;
    if (current === undefined) throw new Error(`process ${pid} is gone`);
    const settled = Math.abs(current - previous) <= previous * SETTLE_TOLERANCE;
    previous = current;
    if (settled) break;
  }
  return previous;
}
