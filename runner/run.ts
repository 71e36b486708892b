/**
 * `wsload run`: one k6-style test from script to summary. Prepares the
 * script, sets up the run's log, console and exit code, and hands the
 * run to its lifecycle (`lifecycle.ts`): the worker processes run the
 * script's code sandboxed and split the test among the cores, this
 * process (the coordinator) consolidates the options, merges the metrics,
 * evaluates thresholds (every 2 s and at the end), writes every output and
 * the summary (or what `handleSummary` returns), and answers with k6's
 * exit code. Everything that touches the process (streams, signals, exit,
 * starting workers) comes in through {@link RunIO}.
 *
 * ## Differences from k6
 *
 * All of them, with the reasons, are in `docs/differences.md`; those of
 * the run itself:
 *
 * - **Worker processes, one event loop each.** VUs are async function
 *   calls, not separate JavaScript VMs, spread over one worker process per
 *   core (`--workers`). The loader (`runner/loader/`) makes scripts wait
 *   where k6 blocks and evaluates every module once per VU; a VU's events
 *   wait while it blocks (`context/event_queue.ts`), except timers, which
 *   fire on time (k6 holds them, k6 issue 2964).
 * - **Sandboxed script code.** The workers run with the runtime's
 *   permissions limited to the network and reading the script's files
 *   (`--no-sandbox` lifts it); k6 scripts have no other rights either, but
 *   k6 lets `open()` read any file.
 * - **Unhandled promise rejections** of script code are logged as
 *   `Uncaught (in promise) …`; the iteration that caused them cannot be
 *   told and goes on (k6 fails it).
 * - **`exec.test.abort()`** throws an error the runner recognises; a script
 *   that catches it keeps running until the VU is interrupted (k6's is
 *   uncatchable).
 * - **`exec.vu.tags`** changes apply from the VU's next iteration.
 * - **Not supported:** `--paused` and `--linger` (warned and ignored; there
 *   is no REST API), `--address`, the default config file
 *   `~/.config/k6/config.json` (pass `--config`), extensions (`k6/x/...`),
 *   `k6/http` requests (only cookie jars), browser and gRPC modules, cloud
 *   outputs. `K6_*` environment variables of HTTP-only options are not
 *   read.
 * - **Open-file limit.** A plan with more VUs than the process may open
 *   files (each VU holds a socket; `ulimit -n`, which Deno and Node, like
 *   Go, already raised from the soft to the hard limit) is warned about
 *   before any VU starts; k6 says nothing and its dials fail with `socket:
 *   too many open files`, as wsload's then do too.
 * - **A file that could not be written** (`--out`, `--report`,
 *   `--summary-export`, `handleSummary()` files, `--console-output`: a
 *   full disk, a folder removed during the run) fails the run: an error
 *   naming the file and exit 255 (k6's code for an error without one of
 *   its own), unless the run already failed with another code. k6 logs
 *   the error and exits 0.
 * - **SIGHUP** (the terminal was closed) stops the run gracefully like
 *   SIGINT and SIGTERM: exit 105, the summary, every output complete. k6
 *   leaves it to Go's default and dies at once (exit 129, no summary,
 *   outputs cut short). Writes to a stdout or stderr whose reader went
 *   away are dropped instead of ending the process.
 * - **`exec.instance.*`** count the whole run (all workers), as one k6
 *   instance would; the other workers' numbers are up to 200 ms old.
 *   `--execution-segment` splits a test across machines as with k6; each
 *   machine then splits its segment among its workers.
 *
 * @module
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { systemErrorText } from "../internal/system_error.ts";
import { unsupportedVariables } from "./env_check.ts";
import { ExitCode } from "./exit_codes.ts";
import { FailureLog } from "./failures.ts";
import { TestRun } from "./lifecycle.ts";
import {
  type PreparedScript,
  prepareScript,
  ScriptError,
} from "./loader/mod.ts";
import { RunLog } from "./log.ts";
import type { RunConfig, RunIO } from "./run_config.ts";
import { RunStatus } from "./run_status.ts";

export type { RunConfig, RunIO } from "./run_config.ts";

// --console-output FILE (or K6_CONSOLE_OUTPUT): the script's console goes
// to that file, the runner's own log stays on stderr.
interface ConsoleTarget {
  readonly write: (line: string) => void;
  readonly failed: () => boolean;
  readonly close: () => void;
}

function consoleTarget(
  file: string | undefined,
  log: RunLog,
  stderr: (text: string) => void,
): ConsoleTarget | undefined {
  if (file === undefined || file === "") {
    return { write: stderr, failed: () => false, close: () => {} };
  }
  let fd: number;
  try {
    fd = openSync(file, "a");
  } catch (error) {
    log.log(
      "error",
      `could not open the console output file '${file}': ${
        (error as Error).message
      }`,
    );
    return undefined;
  }
  let failed = false;
  return {
    write(line) {
      if (failed) return;
      try {
        writeSync(fd, line);
      } catch (error) {
        failed = true;
        log.log(
          "error",
          `could not write the console output to '${file}': ${
            systemErrorText(error)
          }`,
        );
      }
    },
    failed: () => failed,
    close: () => closeSync(fd),
  };
}

/**
 * Runs a test.
 *
 * @param config What to run.
 * @param io The process around it.
 * @returns k6's exit code.
 */
export async function runTest(config: RunConfig, io: RunIO): Promise<number> {
  const log = new RunLog({
    write: io.stderr,
    colors: config.colors && io.stderrTTY,
    level: config.verbose ? "debug" : "info",
  });
  for (const warning of unsupportedVariables(config.env)) log.warn(warning);
  const status = new RunStatus();
  const onInterrupt = () => status.abort(ExitCode.externalAbort, "interrupted");
  io.interrupt.addEventListener("abort", onInterrupt, { once: true });
  const console = consoleTarget(
    config.cli.consoleOutput ?? config.env.K6_CONSOLE_OUTPUT,
    log,
    io.stderr,
  );
  if (console === undefined) {
    io.interrupt.removeEventListener("abort", onInterrupt);
    return ExitCode.invalidConfig;
  }
  let script: PreparedScript | undefined;
  try {
    script = await prepareScript(config.script, {
      env: config.env,
      autoAwait: config.compatibilityMode !== "base",
      sandbox: config.sandbox ?? true,
    });
    for (const warning of script.warnings) log.warn(warning);
    const run = new TestRun({
      config,
      io,
      log,
      writeConsole: console.write,
      consoleFailed: console.failed,
      failures: new FailureLog(log),
      status,
      script,
      baseEnv: {
        ...(config.includeSystemEnvVars ? config.env : {}),
        ...config.scriptEnv,
      },
    });
    // A second Ctrl+C exits at once: the workers and the script's copies go.
    const prepared = script;
    const stopHardExit = io.onHardExit?.(() => {
      run.kill();
      prepared.disposeNow();
    });
    try {
      return await run.run();
    } finally {
      stopHardExit?.();
    }
  } catch (error) {
    if (!(error instanceof ScriptError)) throw error;
    log.log("error", error.message);
    return ExitCode.scriptException;
  } finally {
    io.interrupt.removeEventListener("abort", onInterrupt);
    console.close();
    await script?.dispose();
  }
}
