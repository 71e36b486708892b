/**
 * `deno task bench`, part g: the soak. `wsload run bench/soak.js` holds N
 * sockets to the echo server (one per VU, a message a second each) for S
 * seconds; once every socket is open, the resident memory and open file
 * descriptors of the client and of the server process are read every E
 * seconds. A leak shows as growth: the target is flat memory (after the
 * warm-up, the first third of the hold, the lowest reading of the last
 * third within 10 % of the lowest of the middle third) and exactly as many
 * descriptors at the end as after the warm-up.
 *
 * @module
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BENCH_SCRIPTS,
  type EchoServerProcess,
  openDescriptors,
  openDescriptorsTree,
  openFileLimit,
  readProcess,
  readProcessTree,
  startChild,
} from "./bench_process.ts";
import { fixed, renderTable, verdict } from "./bench_report.ts";
import { wsloadRun, type WsloadRuntime } from "./bench_wsload.ts";

/** How the soak runs. */
export interface SoakOptions {
  /** Sockets held at once (one VU each). */
  readonly sockets: number;
  /** How long each socket is held, in seconds. */
  readonly seconds: number;
  /** Seconds between readings. */
  readonly everySeconds: number;
  /** Which runtime runs `wsload run`. */
  readonly runtime: WsloadRuntime;
}

/** One reading of the two processes. */
export interface SoakReading {
  /** Seconds since every socket was open. */
  readonly atSeconds: number;
  readonly clientRssKiB: number | undefined;
  readonly clientFds: number | undefined;
  readonly serverRssKiB: number | undefined;
  readonly serverFds: number | undefined;
}

/** What a soak measured. */
export interface SoakResult {
  readonly readings: readonly SoakReading[];
  /** Seconds from start until every socket was open. */
  readonly openSeconds: number;
  /** Echoes the VUs checked (`checks` passes), and failed checks. */
  readonly checked: number;
  readonly failedChecks: number;
}

/** The most the memory floor may rise and still count as flat. */
const FLAT_TOLERANCE = 0.1;

/**
 * Runs the soak against `server`.
 *
 * @param server The echo server process.
 * @param options Sockets, duration, reading interval, runtime.
 * @returns The readings and the run's checks.
 * @throws {Error} When a socket fails, not every socket opens within a
 * minute, or the run exits with an error.
 */
export async function runSoak(
  server: EchoServerProcess,
  options: SoakOptions,
): Promise<SoakResult> {
  const dir = mkdtempSync(join(tmpdir(), "wsload-soak-"));
  const summary = join(dir, "summary.json");
  const [command, args] = wsloadRun(options.runtime);
  const started = performance.now();
  let ready = 0;
  let failure: string | undefined;
  let allOpen!: () => void;
  const opened = new Promise<void>((resolve) => allOpen = resolve);
  const child = startChild(command, [
    ...args,
    "-q",
    "--no-color",
    "-e",
    `URL=${server.url}/ws-echo-multi`,
    "-e",
    `SOCKETS=${options.sockets}`,
    "-e",
    `HOLD_SECONDS=${options.seconds}`,
    "--summary-export",
    summary,
    BENCH_SCRIPTS.soak,
  ], {
    pipeStdin: true,
    onStdoutLine: () => {},
    onStderrLine: (line) => {
      if (/msg="?ready"?( |$)/.test(line) && ++ready === options.sockets) {
        allOpen();
      } else if (/level=error|socket error/.test(line)) {
        failure ??= line;
        allOpen();
      }
    },
  });
  try {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const outcome = await Promise.race([
      opened.then(() => "open" as const),
      child.exited.then(() => "exited" as const),
      new Promise<"timeout">((resolve) => {
        timer = setTimeout(resolve, 60_000, "timeout");
      }),
    ]);
    clearTimeout(timer);
    if (failure !== undefined) throw new Error(`soak: ${failure}`);
    if (outcome !== "open") {
      throw new Error(
        `soak: ${ready} of ${options.sockets} sockets open ` +
          (outcome === "exited" ? "when it exited" : "after 60 s"),
      );
    }
    const openSeconds = (performance.now() - started) / 1000;
    const readings: SoakReading[] = [];
    const read = (atSeconds: number) =>
      readings.push({
        atSeconds,
        clientRssKiB: readProcessTree(child.pid)?.rssKiB,
        clientFds: openDescriptorsTree(child.pid),
        serverRssKiB: readProcess(server.pid)?.rssKiB,
        serverFds: openDescriptors(server.pid),
      });
    // Readings while every socket is held: the last one an interval before
    // the sockets start closing.
    const openedAt = performance.now();
    for (
      let at = 0;
      at <= options.seconds - options.everySeconds / 2;
      at += options.everySeconds
    ) {
      const wait = openedAt + at * 1000 - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (failure !== undefined) throw new Error(`soak: ${failure}`);
      read(Math.round((performance.now() - openedAt) / 1000));
    }
    const exit = await child.exited;
    if (failure !== undefined) throw new Error(`soak: ${failure}`);
    const values = JSON.parse(readFileSync(summary, "utf8")).metrics.checks;
    if (exit.code !== 0) {
      throw new Error(
        `soak: wsload run exited with ${exit.code ?? exit.signal}`,
      );
    }
    return {
      readings,
      openSeconds,
      checked: values.passes,
      failedChecks: values.fails,
    };
  } finally {
    await child.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The readings after the warm-up (the first third of the hold). */
function afterWarmUp(
  readings: readonly SoakReading[],
  seconds: number,
): readonly SoakReading[] {
  return readings.filter((reading) => reading.atSeconds >= seconds / 3);
}

/**
 * How much the floor of a memory series rose: the lowest reading of the
 * second half against the lowest of the first. Garbage collection makes
 * resident memory a sawtooth whose peaks say little, and heaps grow to
 * their working size during the warm-up; what a leak keeps raising is the
 * floor, the memory still held right after a collection.
 */
function floorGrowth(
  values: readonly (number | undefined)[],
): number | undefined {
  const known = values.filter((value): value is number => value !== undefined);
  if (known.length < 2) return undefined;
  const half = Math.floor(known.length / 2);
  const before = Math.min(...known.slice(0, half));
  const after = Math.min(...known.slice(half));
  return (after - before) / before;
}

/** Descriptors at the end minus after the warm-up. */
function descriptorChange(
  values: readonly (number | undefined)[],
): number | undefined {
  const known = values.filter((value): value is number => value !== undefined);
  if (known.length < 2) return undefined;
  return known.at(-1)! - known[0];
}

/**
 * Runs part g and renders its section of the report.
 *
 * @param server The echo server process.
 * @param options Sockets, duration, reading interval, runtime.
 * @returns The section text.
 */
export async function soakSection(
  server: EchoServerProcess,
  options: SoakOptions,
): Promise<string> {
  const target = `flat memory (floor ≤ ${
    100 * FLAT_TOLERANCE
  } % higher in the last third) and descriptors over a ${options.seconds} s soak`;
  const needed = options.sockets + 200;
  const limit = openFileLimit();
  if (limit !== undefined && limit < needed) {
    return [
      "g. Soak: skipped",
      `The open-file limit is ${limit}; ${options.sockets} sockets need about ` +
      `${needed} per process: raise it (ulimit -n ${needed}) or pass a ` +
      "smaller --soak-sockets.",
      verdict(target, undefined),
    ].join("\n");
  }
  const result = await runSoak(server, options);
  const { readings } = result;
  const mib = (kib: number | undefined) =>
    fixed(kib === undefined ? undefined : kib / 1024, 1);
  const rows = readings.map((reading) => [
    String(reading.atSeconds),
    mib(reading.clientRssKiB),
    fixed(reading.clientFds),
    mib(reading.serverRssKiB),
    fixed(reading.serverFds),
  ]);
  const settled = afterWarmUp(readings, options.seconds);
  const clientGrowth = floorGrowth(settled.map((r) => r.clientRssKiB));
  const serverGrowth = floorGrowth(settled.map((r) => r.serverRssKiB));
  const clientFds = descriptorChange(settled.map((r) => r.clientFds));
  const serverFds = descriptorChange(settled.map((r) => r.serverFds));
  const percentText = (value: number | undefined) =>
    value === undefined
      ? "n/a"
      : `${value >= 0 ? "+" : ""}${fixed(100 * value, 1)} %`;
  const signed = (value: number | undefined) =>
    value === undefined ? "n/a" : `${value >= 0 ? "+" : ""}${value}`;
  const met = clientGrowth === undefined || serverGrowth === undefined ||
      clientFds === undefined || serverFds === undefined
    ? undefined
    : clientGrowth <= FLAT_TOLERANCE && serverGrowth <= FLAT_TOLERANCE &&
      clientFds === 0 && serverFds === 0 && result.failedChecks === 0;
  return [
    `g. Soak: wsload run (${options.runtime}) holding ${options.sockets} ` +
    `sockets for ${options.seconds} s, each echoing a 32-byte message a ` +
    `second (bench/soak.js); every socket open after ` +
    `${fixed(result.openSeconds, 1)} s; ${result.checked} echoes checked, ` +
    `${result.failedChecks} failed. Readings every ${options.everySeconds} s ` +
    "from then on (/proc: resident memory, open descriptors)",
    renderTable([
      ["t s", "client RSS MiB", "client fds", "server RSS MiB", "server fds"],
      ...rows,
    ]),
    `After the warm-up (the first third of the hold), the lowest memory ` +
    `reading of the last third against that of the middle one (garbage ` +
    `collection makes memory a sawtooth; a leak raises its floor): client ` +
    `${percentText(clientGrowth)}, server ${percentText(serverGrowth)}; ` +
    `descriptors at the end against after the warm-up: client ` +
    `${signed(clientFds)}, server ${signed(serverFds)}.`,
    verdict(target, met),
  ].join("\n");
}
