/**
 * Child processes for `deno task bench`: the echo server in a process of
 * its own (`bench/echo_server.ts`), other programs run to completion or
 * until told to stop, and their CPU time and memory, read from Linux's
 * `/proc` (elsewhere those readings are `undefined`).
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import process from "node:process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export { openFileLimit } from "../cli/open_file_limit.ts";

/** Clock ticks per second of `/proc/<pid>/stat` times (USER_HZ, 100 on Linux). */
const CLOCK_TICKS = 100;
/** How long a child may take to exit after being asked to, before SIGKILL. */
const EXIT_GRACE_MS = 20_000;

/** The path of a file of this repository, given relative to `scripts/`. */
function repoPath(relative: string): string {
  return fileURLToPath(new URL(relative, import.meta.url));
}

/** The Deno executable running this script. */
export const DENO: string = process.execPath;

/** The scripts the benchmark runs, as paths. */
export const BENCH_SCRIPTS: {
  /** `bench/echo_server.ts`. */
  readonly echoServer: string;
  /** `bench/bare_echo.ts`. */
  readonly bareEcho: string;
  /** `bench/bare_idle.ts`. */
  readonly bareIdle: string;
  /** `bench/bare_churn.ts`. */
  readonly bareChurn: string;
  /** `bench/churn.js`: connection churn on k6/websockets. */
  readonly churn: string;
  /** `bench/churn_ws.js`: the same on k6/ws. */
  readonly churnWs: string;
  /** `bench/echo_loop.js`. */
  readonly echoLoop: string;
  /** `bench/echo_loop_ws.js`: the same loop on k6/ws. */
  readonly echoLoopWs: string;
  /** `bench/init_vus.js`. */
  readonly initVUs: string;
  /** `bench/idle_sockets.js`. */
  readonly idleSockets: string;
  /** `bench/soak.js`. */
  readonly soak: string;
  /** `bench/split_counts.js`. */
  readonly splitCounts: string;
  /** `cli.ts`, the `wsload` command for Deno. */
  readonly cli: string;
  /** `npm/bin/wsload.js`, the `wsload` command of the npm build, for Node. */
  readonly npmCli: string;
} = {
  echoServer: repoPath("../bench/echo_server.ts"),
  bareEcho: repoPath("../bench/bare_echo.ts"),
  bareIdle: repoPath("../bench/bare_idle.ts"),
  bareChurn: repoPath("../bench/bare_churn.ts"),
  churn: repoPath("../bench/churn.js"),
  churnWs: repoPath("../bench/churn_ws.js"),
  echoLoop: repoPath("../bench/echo_loop.js"),
  echoLoopWs: repoPath("../bench/echo_loop_ws.js"),
  initVUs: repoPath("../bench/init_vus.js"),
  idleSockets: repoPath("../bench/idle_sockets.js"),
  soak: repoPath("../bench/soak.js"),
  splitCounts: repoPath("../bench/split_counts.js"),
  cli: repoPath("../cli.ts"),
  npmCli: repoPath("../npm/bin/wsload.js"),
};

/** What `/proc` says about a process right now. */
export interface ProcessReading {
  /** Resident set size (`VmRSS`), in KiB. */
  readonly rssKiB: number;
  /** User + system CPU time so far, in seconds (10 ms resolution). */
  readonly cpuSeconds: number;
}

/**
 * Reads a running process's memory and CPU time from `/proc`.
 *
 * @param pid The process.
 * @returns The reading; `undefined` when `/proc` has none (not Linux, or
 * the process is gone).
 *
 * @example This process
 * ```ts
 * import { readProcess } from "./bench_process.ts";
 * import process from "node:process";
 *
 * const reading = readProcess(process.pid);
 * if (reading !== undefined) console.log(`${reading.rssKiB} KiB`);
 * ```
 */
export function readProcess(pid: number): ProcessReading | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const rss = /^VmRSS:\s+(\d+) kB$/m.exec(status);
    const fields = statFields(pid);
    if (rss === null) return undefined;
    return {
      rssKiB: Number(rss[1]),
      cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS,
    };
  } catch {
    return undefined;
  }
}

/**
 * The process ids of a process and all its descendants (a `wsload run`
 * and its worker processes), from `/proc/<pid>/stat`'s parent ids.
 *
 * @param pid The root process.
 * @returns The ids, root first; `[pid]` without `/proc`.
 */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  try {
    for (const name of readdirSync("/proc")) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const parent = Number(statFields(Number(name))[1]);
        const list = children.get(parent) ?? [];
        list.push(Number(name));
        children.set(parent, list);
      } catch {
        // The process ended meanwhile.
      }
    }
  } catch {
    return [pid];
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    tree.push(...(children.get(tree[i]) ?? []));
  }
  return tree;
}

/**
 * {@link readProcess} summed over a process and its descendants: what a
 * `wsload run` costs with its worker processes.
 *
 * @param pid The root process.
 * @returns The summed reading; `undefined` when the root has none.
 *
 * @example This process and its children
 * ```ts
 * import { readProcessTree } from "./bench_process.ts";
 * import process from "node:process";
 *
 * const reading = readProcessTree(process.pid);
 * if (reading !== undefined) console.log(`${reading.rssKiB} KiB`);
 * ```
 */
export function readProcessTree(pid: number): ProcessReading | undefined {
  const root = readProcess(pid);
  if (root === undefined) return undefined;
  let { rssKiB, cpuSeconds } = root;
  for (const child of processTree(pid).slice(1)) {
    const reading = readProcess(child);
    if (reading === undefined) continue;
    rssKiB += reading.rssKiB;
    cpuSeconds += reading.cpuSeconds;
  }
  return { rssKiB, cpuSeconds };
}

/**
 * The peak resident memory (`VmHWM`) of each process of a tree, summed: an
 * upper bound of the tree's peak.
 *
 * @param pid The root process.
 * @returns KiB; `undefined` without `/proc`.
 */
export function peakRssTreeKiB(pid: number): number | undefined {
  let total: number | undefined;
  for (const member of processTree(pid)) {
    try {
      const status = readFileSync(`/proc/${member}/status`, "utf8");
      const peak = /^VmHWM:\s+(\d+) kB$/m.exec(status);
      if (peak !== null) total = (total ?? 0) + Number(peak[1]);
    } catch {
      // Gone meanwhile.
    }
  }
  return total;
}

/**
 * {@link openDescriptors} summed over a process and its descendants.
 *
 * @param pid The root process.
 * @returns The count; `undefined` without `/proc`.
 */
export function openDescriptorsTree(pid: number): number | undefined {
  let total: number | undefined;
  for (const member of processTree(pid)) {
    const count = openDescriptors(member);
    if (count !== undefined) total = (total ?? 0) + count;
  }
  return total;
}

/**
 * The CPU time (user + system) of this process's children that have
 * exited and been reaped so far: read before and after a child runs, it
 * gives that child's CPU time without asking the child.
 *
 * @returns Seconds (10 ms resolution); `undefined` without `/proc`.
 *
 * @example Before and after a child
 * ```ts
 * import { DENO, reapedChildrenCpuSeconds, runChild } from "./bench_process.ts";
 *
 * const before = reapedChildrenCpuSeconds();
 * await runChild(DENO, ["eval", "1 + 1"]);
 * const after = reapedChildrenCpuSeconds();
 * if (before !== undefined && after !== undefined) {
 *   console.log(`${(after - before).toFixed(2)} CPU seconds`);
 * }
 * ```
 */
export function reapedChildrenCpuSeconds(): number | undefined {
  try {
    const fields = statFields(process.pid);
    return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/**
 * How many file descriptors a running process has open (its sockets
 * among them), from `/proc/<pid>/fd`.
 *
 * @param pid The process.
 * @returns The count; `undefined` without `/proc` or once it is gone.
 *
 * @example This process
 * ```ts
 * import { openDescriptors } from "./bench_process.ts";
 * import process from "node:process";
 *
 * console.log(`${openDescriptors(process.pid) ?? "?"} descriptors`);
 * ```
 */
export function openDescriptors(pid: number): number | undefined {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return undefined;
  }
}

/** `/proc/<pid>/stat` from its third field (state) on: field n is at n - 3. */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) is in parentheses and may hold spaces.
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** How a child process ended. */
export interface ChildExit {
  /** The exit code; `null` when a signal ended it. */
  readonly code: number | null;
  /** The signal that ended it, if one did. */
  readonly signal: NodeJS.Signals | null;
}

/** A running child process; see {@link startChild}. */
export interface Child {
  /** Its process id. */
  readonly pid: number;
  /** Resolved once it exited. */
  readonly exited: Promise<ChildExit>;
  /**
   * Asks it to stop (SIGTERM, or `signal`), and kills it if it has not
   * exited after 20 s.
   *
   * @param signal The signal to send first.
   * @returns How it ended.
   */
  stop(signal?: NodeJS.Signals): Promise<ChildExit>;
}

/** What to do with a child's output. */
export interface ChildOptions {
  /** Called with each line it writes to stdout; without it, stdout is dropped. */
  readonly onStdoutLine?: (line: string) => void;
  /** Called with each line it writes to stderr; without it, stderr is shown. */
  readonly onStderrLine?: (line: string) => void;
  /** Keep its stdin open (a pipe) until it is stopped. */
  readonly pipeStdin?: boolean;
}

/**
 * Starts a program as a child process, in this repository's root.
 *
 * @param command The program, e.g. {@link DENO} or `"node"`.
 * @param args Its arguments.
 * @param options What to do with its output.
 * @returns The running child.
 * @throws {Error} When it cannot be started.
 *
 * @example Run a one-liner and read its output
 * ```ts
 * import { DENO, startChild } from "./bench_process.ts";
 * import assert from "node:assert/strict";
 *
 * const lines: string[] = [];
 * const child = startChild(DENO, ["eval", "console.log('hi')"], {
 *   onStdoutLine: (line) => lines.push(line),
 * });
 * assert.equal((await child.exited).code, 0);
 * assert.deepEqual(lines, ["hi"]);
 * ```
 */
export function startChild(
  command: string,
  args: readonly string[],
  options: ChildOptions = {},
): Child {
  const child = spawn(command, [...args], {
    cwd: repoPath(".."),
    stdio: [
      options.pipeStdin ? "pipe" : "ignore",
      options.onStdoutLine ? "pipe" : "ignore",
      options.onStderrLine ? "pipe" : "inherit",
    ],
  });
  // A failed spawn is reported below; a later error ends in "exit" anyway.
  child.on("error", () => {});
  if (child.pid === undefined) {
    throw new Error(`could not start ${command} ${args.join(" ")}`);
  }
  const closedStreams: Promise<void>[] = [];
  for (
    const [stream, onLine] of [
      [child.stdout, options.onStdoutLine],
      [child.stderr, options.onStderrLine],
    ] as const
  ) {
    if (stream === null || onLine === undefined) continue;
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    lines.on("line", onLine);
    closedStreams.push(new Promise((resolve) => lines.once("close", resolve)));
  }
  const exited = new Promise<ChildExit>((resolve) => {
    child.once("exit", (code, signal) => {
      // Report the exit after the last line of output.
      Promise.all(closedStreams).then(() => resolve({ code, signal }));
    });
  });
  return {
    pid: child.pid,
    exited,
    stop: (signal = "SIGTERM") => stopChild(child, exited, signal),
  };
}

async function stopChild(
  child: ChildProcess,
  exited: Promise<ChildExit>,
  signal: NodeJS.Signals,
): Promise<ChildExit> {
  if (child.exitCode === null && child.signalCode === null) {
    child.stdin?.end();
    child.kill(signal);
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const killed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve();
    }, EXIT_GRACE_MS);
  });
  await Promise.race([exited, killed]);
  clearTimeout(timer);
  return exited;
}

/**
 * Runs a program to completion, in this repository's root.
 *
 * @param command The program, e.g. {@link DENO} or `"node"`.
 * @param args Its arguments.
 * @param options What to do with its output.
 * @returns How it ended.
 * @throws {Error} When it cannot be started.
 *
 * @example
 * ```ts
 * import { DENO, runChild } from "./bench_process.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal((await runChild(DENO, ["eval", "Deno.exit(3)"])).code, 3);
 * ```
 */
export function runChild(
  command: string,
  args: readonly string[],
  options: ChildOptions = {},
): Promise<ChildExit> {
  return startChild(command, args, options).exited;
}

/** How often {@link measureChild} samples the child's peak memory. */
const PEAK_SAMPLE_MS = 250;

/** What {@link measureChild} measured of a child run to completion. */
export interface MeasuredChild {
  /** Its exit code; `null` when a signal ended it. */
  readonly code: number | null;
  /**
   * Its CPU time (user + system), its own children's included once it
   * reaped them, start-up included; `undefined` without `/proc`.
   */
  readonly clientCpuSeconds: number | undefined;
  /** The CPU time the echo server spent meanwhile; `undefined` without `/proc`. */
  readonly serverCpuSeconds: number | undefined;
  /**
   * The highest {@link peakRssTreeKiB} of it and its children, sampled
   * every 250 ms while it ran, in KiB; `undefined` without `/proc` or when
   * it exited before the first sample.
   */
  readonly peakRssKiB: number | undefined;
  /** The lines it wrote to stderr. */
  readonly stderr: readonly string[];
}

/**
 * Runs a program to completion, measuring its CPU time (as a reaped child
 * of this process), its peak memory and the echo server's CPU time
 * meanwhile.
 *
 * @param serverPid The echo server's process id.
 * @param command The program, e.g. {@link DENO} or `"node"`.
 * @param args Its arguments.
 * @param onStdoutLine Called with each line it writes to stdout; without
 * it, stdout is dropped.
 * @returns How it ended and what it cost.
 * @throws {Error} When it cannot be started.
 *
 * @example A one-liner's CPU time
 * ```ts
 * import { DENO, measureChild } from "./bench_process.ts";
 * import process from "node:process";
 * import assert from "node:assert/strict";
 *
 * const run = await measureChild(process.pid, DENO, ["eval", "1 + 1"]);
 * assert.equal(run.code, 0);
 * ```
 */
export async function measureChild(
  serverPid: number,
  command: string,
  args: readonly string[],
  onStdoutLine?: (line: string) => void,
): Promise<MeasuredChild> {
  const stderr: string[] = [];
  const clientBefore = reapedChildrenCpuSeconds();
  const serverBefore = readProcess(serverPid)?.cpuSeconds;
  const child = startChild(command, args, {
    onStdoutLine: onStdoutLine ?? (() => {}),
    onStderrLine: (line) => stderr.push(line),
  });
  let peakRssKiB: number | undefined;
  const sampler = setInterval(() => {
    const peak = peakRssTreeKiB(child.pid);
    if (peak !== undefined) peakRssKiB = Math.max(peakRssKiB ?? 0, peak);
  }, PEAK_SAMPLE_MS);
  const { code } = await child.exited.finally(() => clearInterval(sampler));
  const clientAfter = reapedChildrenCpuSeconds();
  const serverAfter = readProcess(serverPid)?.cpuSeconds;
  return {
    code,
    clientCpuSeconds: difference(clientAfter, clientBefore),
    serverCpuSeconds: difference(serverAfter, serverBefore),
    peakRssKiB,
    stderr,
  };
}

/** The load a bare client (`bench/bare_*.ts`) is given. */
export interface BareClientLoad {
  /** Concurrent loops. */
  readonly connections: number;
  /** How long, in seconds. */
  readonly seconds: number;
  /** Bytes per message. */
  readonly payloadSize: number;
}

/**
 * Runs a bare client of the benchmark (`bench/bare_echo.ts`,
 * `bench/bare_churn.ts`) against the echo server's `/ws-echo-multi` under
 * Deno, measured by {@link measureChild}, and reads the JSON line it
 * prints at the end.
 *
 * @param server The echo server.
 * @param script The client's path, one of {@link BENCH_SCRIPTS}.
 * @param load Its loops, seconds and message size.
 * @returns What it cost, and its report.
 * @throws {Error} When it fails or prints no report.
 *
 * @example
 * ```ts ignore
 * import { BENCH_SCRIPTS, runBareClient } from "./bench_process.ts";
 *
 * const { report } = await runBareClient<{ sessions: number }>(
 *   server,
 *   BENCH_SCRIPTS.bareChurn,
 *   { connections: 10, seconds: 2, payloadSize: 32 },
 * );
 * ```
 */
export async function runBareClient<Report>(
  server: EchoServerProcess,
  script: string,
  load: BareClientLoad,
): Promise<{ run: MeasuredChild; report: Report }> {
  let report: Report | undefined;
  const run = await measureChild(server.pid, DENO, [
    "run",
    "-A",
    script,
    "--url",
    `${server.url}/ws-echo-multi`,
    "--connections",
    String(load.connections),
    "--seconds",
    String(load.seconds),
    "--payload-size",
    String(load.payloadSize),
  ], (line) => report = JSON.parse(line));
  if (run.code !== 0 || report === undefined) {
    throw new Error(
      `${script} exited with ${run.code}: ${run.stderr.at(-1) ?? "no output"}`,
    );
  }
  return { run, report };
}

function difference(
  after: number | undefined,
  before: number | undefined,
): number | undefined {
  return after === undefined || before === undefined
    ? undefined
    : after - before;
}

/** The echo server of the benchmark, in a process of its own. */
export interface EchoServerProcess {
  /** Its base URL, `ws://127.0.0.1:<port>` (`http://` for the HTTP server). */
  readonly url: string;
  /** Its process id (for its CPU time and memory). */
  readonly pid: number;
  /**
   * Stops it.
   *
   * @returns A promise resolved once it exited.
   */
  stop(): Promise<void>;
}

/**
 * Starts `bench/echo_server.ts` (the embedded server, engine `node`, no
 * logs; or, with `"http"`, the embedded HTTP server) in a child process and
 * waits for its URL.
 *
 * @param kind Which server: the WebSocket echo server or the HTTP server.
 * @returns The running server.
 * @throws {Error} (as a rejection) When it exits before printing its URL.
 *
 * @example Start and stop
 * ```ts
 * import { startEchoServerProcess } from "./bench_process.ts";
 * import assert from "node:assert/strict";
 *
 * const server = await startEchoServerProcess();
 * assert.match(server.url, /^ws:\/\/127\.0\.0\.1:\d+$/);
 * await server.stop();
 * ```
 */
export async function startEchoServerProcess(
  kind: "ws" | "http" = "ws",
): Promise<EchoServerProcess> {
  let announce!: (url: string) => void;
  const announced = new Promise<string>((resolve) => announce = resolve);
  const child = startChild(
    DENO,
    [
      "run",
      "-A",
      BENCH_SCRIPTS.echoServer,
      "--stdin",
      ...(kind === "http" ? ["--http"] : []),
    ],
    { pipeStdin: true, onStdoutLine: (line) => announce(line.trim()) },
  );
  const url = await Promise.race([
    announced,
    child.exited.then(({ code, signal }) => {
      throw new Error(
        `bench/echo_server.ts exited before listening (${code ?? signal})`,
      );
    }),
  ]);
  return {
    url,
    pid: child.pid,
    stop: async () => void await child.stop(),
  };
}
