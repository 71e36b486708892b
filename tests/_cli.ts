/**
 * Helpers of the `wsload run` end-to-end suites: spawn the real CLI as a
 * child process (Deno: `deno run -A cli.ts`; Node: the npm build's
 * `bin/wsload.js`), find the suites' scripts, read what a run printed, and
 * start the embedded server the scripts talk to.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";
import { startServer, type TestServer } from "../server/mod.ts";

const here = import.meta.url;
const underDeno = process.versions.deno !== undefined;

// Deno runs the sources (tests/ → ../cli.ts); Node runs the npm build
// (npm/esm/tests/ → ../../bin/wsload.js, the package's own bin). Node 20
// does not set import.meta.main, so cli.js alone would not start.
function cliCommand(): readonly string[] {
  if (underDeno) {
    return [
      process.execPath,
      "run",
      "-A",
      `--config=${fileURLToPath(new URL("../deno.json", here))}`,
      fileURLToPath(new URL("../cli.ts", here)),
    ];
  }
  const bin = fileURLToPath(new URL("../../bin/wsload.js", here));
  if (existsSync(bin)) return [process.execPath, bin];
  const cli = new URL("../cli.js", here).href;
  return [
    process.execPath,
    "--input-type=module",
    "-e",
    `import(${
      JSON.stringify(cli)
    }).then((m) => m.main(process.argv.slice(1))).then((code) => process.exit(code));`,
  ];
}

// From tests/ (source) or npm/esm/tests/ (compiled; the build copies no scripts).
const SCRIPT_FOLDERS = ["./scripts/", "../../../tests/scripts/"];

/**
 * The absolute path of a script of the suites (`tests/scripts/<name>`).
 *
 * @param name The file name.
 * @returns Its path.
 */
export function scriptPath(name: string): string {
  for (const folder of SCRIPT_FOLDERS) {
    const url = new URL(`${folder}${name}`, here);
    if (existsSync(url)) return fileURLToPath(url);
  }
  throw new Error(`test script ${name} not found next to ${here}`);
}

/**
 * The text of a golden file (`tests/golden/cli/<name>`).
 *
 * @param name The file name.
 * @returns Its text.
 */
export function golden(name: string): string {
  return readFileSync(new URL(`./golden/cli/${name}`, here), "utf8");
}

/** How a CLI run ended and what it printed. */
export interface CliResult {
  /** The exit code (`null` when killed by a signal). */
  readonly code: number | null;
  /** Everything written to stdout. */
  readonly stdout: string;
  /** Everything written to stderr. */
  readonly stderr: string;
  /** Wall time of the run, ms. */
  readonly elapsedMs: number;
}

/** Options of {@link startCli}. */
export interface CliOptions {
  /** Variables added to the (cleaned) environment of the child. */
  readonly env?: Readonly<Record<string, string>>;
  /** The working directory (default: the test's). */
  readonly cwd?: string;
  /** Kill the child after this long (default 40 s): a test never hangs. */
  readonly killAfterMs?: number;
  /**
   * Start the child with these limits on open files (`ulimit -Sn`/`-Hn`,
   * through `sh`): lower than the suite's own, since only root may raise a
   * hard limit.
   */
  readonly openFiles?: { readonly soft: number; readonly hard: number };
}

/** A running CLI child process. */
export interface CliProcess {
  /** Stdout so far. */
  readonly stdout: () => string;
  /** Stderr so far. */
  readonly stderr: () => string;
  /** Resolves once stdout or stderr matches `pattern`. */
  waitFor(pattern: RegExp): Promise<void>;
  /** Sends a signal to the child. */
  signal(name: "SIGINT" | "SIGTERM" | "SIGHUP"): void;
  /** The child's process id. */
  readonly pid: number;
  /**
   * Closes the reading ends of the child's stdout and stderr, as a closed
   * terminal or a reader that went away would: its writes fail from then on.
   */
  closeOutput(): void;
  /** Resolves when the child has exited. */
  readonly done: Promise<CliResult>;
}

// The child must not inherit option or colour settings from whoever runs
// the suite: only what a test passes counts. Runs use one worker process
// unless a test asks for more (--workers, WSLOAD_WORKERS): the suite runs
// many CLI processes at once on few cores.
function childEnv(
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      value === undefined || key.startsWith("K6_") ||
      key.startsWith("WSLOAD_") || key === "NO_COLOR"
    ) {
      continue;
    }
    env[key] = value;
  }
  return { ...env, WSLOAD_WORKERS: "1", ...extra };
}

/**
 * Starts `wsload <args>` as a child process.
 *
 * @param args The arguments after the program name, e.g. `["run", path]`.
 * @param options Environment, working directory, safety timeout.
 * @returns The running process.
 */
export function startCli(
  args: readonly string[],
  options: CliOptions = {},
): CliProcess {
  let [command, ...prefix] = cliCommand();
  if (options.openFiles !== undefined) {
    const { soft, hard } = options.openFiles;
    prefix = [
      "-c",
      `ulimit -Sn ${soft} && ulimit -Hn ${hard} && exec "$0" "$@"`,
      command,
      ...prefix,
    ];
    command = "sh";
  }
  const started = performance.now();
  const child: ChildProcess = spawn(command, [...prefix, ...args], {
    cwd: options.cwd,
    env: childEnv(options.env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const waiter of waiters) waiter();
  };
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    notify();
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    notify();
  });
  const killer = setTimeout(
    () => child.kill("SIGKILL"),
    options.killAfterMs ?? 40_000,
  );
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on("error", (error) => {
      clearTimeout(killer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(killer);
      notify();
      resolve({
        code,
        stdout,
        stderr,
        elapsedMs: performance.now() - started,
      });
    });
  });
  let exited = false;
  done.then(() => exited = true, () => exited = true);
  return {
    pid: child.pid ?? 0,
    closeOutput() {
      child.stdout!.destroy();
      child.stderr!.destroy();
    },
    stdout: () => stdout,
    stderr: () => stderr,
    waitFor(pattern) {
      return new Promise<void>((resolve, reject) => {
        const test = () => {
          if (pattern.test(stdout) || pattern.test(stderr)) {
            waiters.delete(test);
            resolve();
          } else if (exited) {
            waiters.delete(test);
            reject(
              new Error(
                `the CLI exited before printing ${pattern}:\n${stdout}\n${stderr}`,
              ),
            );
          }
        };
        waiters.add(test);
        test();
      });
    },
    signal(name) {
      // Deno's child.kill() sends a signal once per child, then reports it
      // as the cause of the exit; process.kill() behaves like Node's.
      if (!exited && child.pid !== undefined) process.kill(child.pid, name);
    },
    done,
  };
}

/**
 * Runs `wsload <args>` to its end.
 *
 * @param args The arguments after the program name.
 * @param options Environment, working directory, safety timeout.
 * @returns How it ended and what it printed.
 */
export function runCli(
  args: readonly string[],
  options: CliOptions = {},
): Promise<CliResult> {
  return startCli(args, options).done;
}

/** One log line of a run (k6's logfmt form, as printed without colours). */
export interface LogEntry {
  /** `debug`, `info`, `warning` or `error`. */
  readonly level: string;
  /** The message. */
  readonly msg: string;
  /** The other fields (`source`, `hint`, ...). */
  readonly fields: Readonly<Record<string, string>>;
}

const LOG_FIELD = /\s*([a-z_]+)=("(?:[^"\\]|\\.)*"|\S*)/gy;

/**
 * Parses the logfmt lines of a run's stderr (other lines are skipped).
 *
 * @param text The stderr text.
 * @returns The entries, in order.
 */
export function logEntries(text: string): LogEntry[] {
  const entries: LogEntry[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("time=")) continue;
    const fields: Record<string, string> = {};
    LOG_FIELD.lastIndex = 0;
    for (let match; (match = LOG_FIELD.exec(line));) {
      fields[match[1]] = match[2].startsWith('"')
        ? JSON.parse(match[2])
        : match[2];
    }
    const { level, msg, time: _time, ...rest } = fields;
    entries.push({ level, msg, fields: rest });
  }
  return entries;
}

/**
 * The messages a script logged with `console.*` (`source=console`).
 *
 * @param text The stderr text.
 * @returns The messages, in order.
 */
export function consoleMessages(text: string): string[] {
  return logEntries(text).filter((entry) => entry.fields.source === "console")
    .map((entry) => entry.msg);
}

/**
 * Asserts the exit code, showing the run's output when it differs.
 *
 * @param result The run.
 * @param code The expected code.
 */
export function assertExit(result: CliResult, code: number): void {
  assert.equal(
    result.code,
    code,
    `expected exit code ${code}, got ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
  );
}

/** A temporary folder per suite (see {@link useTempDir}). */
export interface SuiteFolder {
  /** The folder (only inside tests). */
  readonly path: string;
  /** A path inside it. */
  file(name: string): string;
}

/**
 * Creates a temporary folder before the suite and removes it after.
 *
 * @returns The folder.
 */
export function useTempDir(): SuiteFolder {
  let path = "";
  before(() => {
    path = mkdtempSync(join(tmpdir(), "wsload-cli-test-"));
  });
  after(() => rmSync(path, { recursive: true, force: true }));
  return {
    get path() {
      return path;
    },
    file: (name) => join(path, name),
  };
}

/** The embedded server of a suite (see {@link useServer}). */
export interface SuiteServer {
  /** The running server (only inside tests). */
  readonly server: TestServer;
  /** The `ws://` URL of a path. */
  url(path: string): string;
}

/**
 * Starts the embedded server (engine "node") before the suite and stops it
 * after.
 *
 * @returns The server.
 */
export function useServer(): SuiteServer {
  let server: TestServer | undefined;
  before(async () => {
    server = await startServer({ engine: "node" });
  });
  after(() => server?.close());
  return {
    get server() {
      assert.ok(server, "the server is not running");
      return server;
    },
    url: (path) => `${server!.url}${path}`,
  };
}

/**
 * Starts jobs (CLI runs) a few at a time, in order; each test awaits its
 * own, so a suite's slow runs overlap instead of adding up.
 *
 * @param jobs Name and start function of each job.
 * @param parallel How many run at once.
 * @returns Each job's promise, by name.
 */
export function runInTurns<T>(
  jobs: readonly (readonly [string, () => Promise<T>])[],
  parallel: number,
): Map<string, Promise<T>> {
  const runs = new Map<string, Promise<T>>();
  const waiting = jobs.map(([name, start]) => {
    let settle!: (run: Promise<T>) => void;
    runs.set(name, new Promise((resolve) => settle = resolve));
    return { start, settle };
  });
  const worker = async () => {
    for (let next; (next = waiting.shift());) {
      const run = next.start();
      next.settle(run);
      await run.catch(() => {});
    }
  };
  for (let i = 0; i < parallel; i++) worker();
  return runs;
}

/**
 * Reads a JSON file a run wrote.
 *
 * @param path The file.
 * @returns Its parsed content.
 */
export function readJSON(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, "utf8"));
}

/** A `Point` line of the JSON output. */
export interface JsonPoint {
  readonly metric: string;
  readonly data: {
    readonly time: string;
    readonly value: number;
    readonly tags: Readonly<Record<string, string>>;
  };
}

/**
 * The Point lines of an NDJSON output file, in order; every line must
 * parse and the file end with a whole line.
 *
 * @param file The file.
 * @returns The points.
 */
export function ndjsonPointLines(file: string): JsonPoint[] {
  const text = readFileSync(file, "utf8");
  assert.ok(text.endsWith("\n"), `${file} ends with a whole line`);
  return text.slice(0, -1).split("\n").map((line) => JSON.parse(line))
    .filter((line) => line.type === "Point");
}

/**
 * The Point lines of an NDJSON output file, per metric (see
 * {@link ndjsonPointLines}).
 *
 * @param file The file.
 * @returns The count of points per metric name.
 */
export function ndjsonPoints(file: string): Map<string, number> {
  const points = new Map<string, number>();
  for (const { metric } of ndjsonPointLines(file)) {
    points.set(metric, (points.get(metric) ?? 0) + 1);
  }
  return points;
}

/**
 * The data rows of a CSV output file per metric (after the header); the
 * file must end with a whole row.
 *
 * @param file The file.
 * @returns The count of rows per metric name.
 */
export function csvRows(file: string): Map<string, number> {
  const text = readFileSync(file, "utf8");
  assert.ok(text.endsWith("\n"), `${file} ends with a whole row`);
  const [header, ...rows] = text.slice(0, -1).split("\n");
  assert.match(header, /^metric_name,timestamp,metric_value,/);
  const counts = new Map<string, number>();
  for (const row of rows) {
    const metric = row.slice(0, row.indexOf(","));
    counts.set(metric, (counts.get(metric) ?? 0) + 1);
  }
  return counts;
}
