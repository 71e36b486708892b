/**
 * Starts a worker process of `wsload run`: the same runtime as the
 * coordinator (`deno run` or `node`), with the sandbox's permission flags
 * (network, reading the allowed paths; no writes, subprocesses, FFI or
 * addons, environment), an IPC channel, and its own process group (a
 * terminal's Ctrl+C reaches the coordinator only, which stops the workers).
 * The per-runtime part is the command line; the rest is `node:child_process`,
 * which both runtimes provide.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import type { FromWorker, ToWorker } from "./protocol.ts";
import { packageRoot } from "./read_allowances.ts";

/** What to start. */
export interface SpawnRequest {
  /** Sandboxed (the default) or with every right (`--no-sandbox`). */
  readonly sandbox: boolean;
  /** What a sandboxed worker may read. */
  readonly reads: readonly string[];
  /** The coordinator's environment (a sandboxed worker gets a minimal one). */
  readonly env: Readonly<Record<string, string>>;
  /** Receives what the worker writes to stdout (nothing, normally). */
  readonly stdout: (text: string) => void;
  /** Receives what the worker writes to stderr (a crash's trace). */
  readonly stderr: (text: string) => void;
}

/** A running worker process, as the coordinator sees it. */
export interface WorkerProcess {
  /** Its process id (0 when it could not be started). */
  readonly pid: number;
  /** Sends a message (dropped once the worker is gone). */
  send(message: ToWorker): void;
  /** Registers the receiver of the worker's messages. */
  onMessage(listener: (message: FromWorker) => void): void;
  /** Registers what to do when the process ended (code, or signal name). */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** Kills the process at once (a second Ctrl+C). */
  kill(): void;
}

/** Starts a worker process. */
export type SpawnWorker = (request: SpawnRequest) => WorkerProcess;

// The worker's entry point has the extension of this module: .ts from the
// sources (Deno), .js in the npm build.
const here = import.meta.url;
const ENTRY = new URL(
  `./worker_main${here.slice(here.lastIndexOf("."))}`,
  here,
);

/**
 * The V8 flags of every worker process. A worker that opens thousands of
 * sockets, or churns through them, promotes objects to the old generation
 * quickly, and V8's default lets that heap grow to about twice its live
 * size before a full collection: the garbage of the ramp-up then sets the
 * run's peak memory. A 20 % growth step collects it sooner (bench part i,
 * docs/workers.md); steady message loops, whose garbage dies young, are
 * not affected. (10 % saved a little more memory, but cost connection
 * churn under Deno about 8 % more CPU per session.)
 */
export const WORKER_V8_FLAGS: readonly string[] = [
  "--heap-growing-percent=20",
];

/** Variables a sandboxed worker keeps: where the runtime caches and trusts. */
const KEPT_VARIABLES = [
  "HOME",
  "PATH",
  "TMPDIR",
  "TMP",
  "TEMP",
  "TZ",
  "LANG",
  "LC_ALL",
  "XDG_CACHE_HOME",
  "DENO_DIR",
  "DENO_CERT",
  "DENO_TLS_CA_STORE",
  "DENO_NO_UPDATE_CHECK",
  "NODE_EXTRA_CA_CERTS",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
];

/** Environment variables the `ws` package reads when it loads. */
const WS_VARIABLES = ["WS_NO_BUFFER_UTIL", "WS_NO_UTF_8_VALIDATE"];

function minimalEnv(
  env: Readonly<Record<string, string>>,
): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of KEPT_VARIABLES) {
    if (env[name] !== undefined) kept[name] = env[name];
  }
  return kept;
}

/**
 * The command line of a worker under Deno.
 *
 * @param request Sandbox and reads.
 * @param entry The worker's entry file.
 * @returns The arguments after `deno`.
 * @throws {Error} For a read path Deno's flag cannot hold (a comma).
 *
 * @example A sandboxed worker
 * ```ts
 * import { denoWorkerArgs } from "./spawn.ts";
 * import assert from "node:assert/strict";
 *
 * const args = denoWorkerArgs({ sandbox: true, reads: ["/srv/test"] }, "/w.ts");
 * assert.ok(args.includes("--allow-net"));
 * assert.ok(args.includes("--allow-read=/srv/test"));
 * assert.ok(!args.some((arg) => arg.startsWith("--allow-write")));
 * assert.ok(args.includes("--v8-flags=--heap-growing-percent=20"));
 * ```
 */
export function denoWorkerArgs(
  request: Pick<SpawnRequest, "sandbox" | "reads">,
  entry: string,
): string[] {
  const args = [
    "run",
    "--no-prompt",
    "--quiet",
    `--v8-flags=${WORKER_V8_FLAGS.join(",")}`,
  ];
  // From the sources, the repository's deno.json maps the npm packages.
  const root = packageRoot();
  const config = root === undefined ? undefined : join(root, "deno.json");
  if (config !== undefined && existsSync(config)) {
    args.push(`--config=${config}`);
  }
  if (!request.sandbox) return [...args, "--allow-all", entry];
  const comma = request.reads.find((path) => path.includes(","));
  if (comma !== undefined) {
    throw new Error(
      `the sandbox cannot allow reading '${comma}': Deno's --allow-read takes a comma-separated list; move the script or run it with --no-sandbox`,
    );
  }
  return [
    ...args,
    "--allow-net",
    `--allow-read=${request.reads.join(",")}`,
    `--allow-env=${WS_VARIABLES.join(",")}`,
    entry,
  ];
}

/**
 * The command line of a worker under Node: the permission model
 * (`--permission` from Node 23.5, `--experimental-permission` before) with
 * one `--allow-fs-read` per path.
 *
 * @param request Sandbox and reads.
 * @param entry The worker's entry file.
 * @param flags The flags this Node accepts (`process.allowedNodeEnvironmentFlags`).
 * @returns The arguments after `node`.
 *
 * @example Node 20's flags
 * ```ts
 * import { nodeWorkerArgs } from "./spawn.ts";
 * import assert from "node:assert/strict";
 *
 * const flags = new Set(["--experimental-permission", "--disable-warning"]);
 * assert.deepEqual(
 *   nodeWorkerArgs({ sandbox: true, reads: ["/a", "/b"] }, "/w.js", flags),
 *   [
 *     "--heap-growing-percent=20",
 *     "--experimental-permission",
 *     "--disable-warning=ExperimentalWarning",
 *     "--allow-fs-read=/a",
 *     "--allow-fs-read=/b",
 *     "/w.js",
 *   ],
 * );
 * ```
 */
export function nodeWorkerArgs(
  request: Pick<SpawnRequest, "sandbox" | "reads">,
  entry: string,
  flags: ReadonlySet<string>,
): string[] {
  if (!request.sandbox) return [...WORKER_V8_FLAGS, entry];
  const permission = flags.has("--permission")
    ? "--permission"
    : "--experimental-permission";
  // The permission model is experimental on Node 20/22 and says so.
  const quiet = flags.has("--disable-warning")
    ? "--disable-warning=ExperimentalWarning"
    : "--no-warnings";
  return [
    ...WORKER_V8_FLAGS,
    permission,
    quiet,
    ...request.reads.map((path) => `--allow-fs-read=${path}`),
    entry,
  ];
}

/**
 * Starts a worker process of this runtime.
 *
 * @param request Sandbox, reads, environment and where its output goes.
 * @returns The process.
 */
export const spawnWorkerProcess: SpawnWorker = (request) => {
  const entry = fileURLToPath(ENTRY);
  const args = process.versions.deno !== undefined
    ? denoWorkerArgs(request, entry)
    : nodeWorkerArgs(request, entry, process.allowedNodeEnvironmentFlags);
  const child = spawn(process.execPath, args, {
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    serialization: "advanced",
    env: request.sandbox ? minimalEnv(request.env) : { ...request.env },
    detached: true,
  });
  child.stdout!.setEncoding("utf8").on("data", request.stdout);
  child.stderr!.setEncoding("utf8").on("data", request.stderr);
  let exited = false;
  child.on("exit", () => exited = true);
  child.on("error", (error) => {
    exited = true;
    request.stderr(`could not start a worker process: ${error.message}\n`);
  });
  return {
    pid: child.pid ?? 0,
    send(message) {
      if (!exited && child.connected) child.send(message);
    },
    onMessage(listener) {
      child.on("message", (message) => listener(message as FromWorker));
    },
    onExit(listener) {
      // "close": the exit, and its stdout and stderr read to the end.
      child.on("close", (code, signal) => listener(code, signal));
    },
    kill() {
      if (!exited) child.kill("SIGKILL");
    },
  };
};
