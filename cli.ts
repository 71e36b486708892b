/**
 * The `wsload` command: `run` a k6-style WebSocket load test, `merge` the
 * end states of a test split over instances into one result, `serve` the
 * embedded echo and chat servers, `version`, `help`.
 *
 * ```sh
 * deno run -A jsr:@wsload/wsload/cli run --vus 10 --duration 30s script.js
 * npx wsload run script.js          # from the npm package
 * wsload serve --port 10000         # ws://127.0.0.1:10000/echo, /chat/<room>
 * ```
 *
 * Exit codes are k6's: 0 ok, 99 thresholds crossed, 100/101 setup/teardown
 * timeout, 104 invalid options or flags, 105 interrupted (Ctrl+C, SIGTERM
 * or SIGHUP), 107 script error, 108 `exec.test.abort()`, 110
 * `exec.test.fail()`, 255 any other error (among them a file of the run
 * that could not be written).
 *
 * @example Run a test from code
 * ```ts ignore
 * import { main } from "@wsload/wsload/cli";
 *
 * const exitCode = await main(["run", "--vus", "5", "--duration", "10s", "chat.js"]);
 * ```
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { type CliIO, processIO } from "./cli/process.ts";

export type { CliIO };
import { parseRunArgs, RUN_HELP } from "./cli/run_flags.ts";
import { UsageError } from "./cli/usage.ts";
import { didYouMean } from "./runner/suggest.ts";
import { runServe, SERVE_HELP } from "./cli/serve.ts";
import { MERGE_HELP, runMerge } from "./cli/merge.ts";
import { runTest } from "./runner/run.ts";
import { VERSION } from "./version.ts";

const HELP =
  `wsload ${VERSION}: test and load-test WebSocket services with k6 scripts

Usage:
  wsload <command> [flags]

Commands:
  run       Start a test (k6's run command for WebSocket scripts)
  merge     Merge the end states of a split test's instances into one result
  serve     Start the embedded echo and chat WebSocket servers
  version   Show the version
  help      Show help for a command

Use "wsload <command> --help" for a command's flags.
`;

const COMMANDS = ["run", "merge", "serve", "version", "help"];

async function readConfigFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new UsageError(
      `couldn't read the config file '${path}': ${(error as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `the config file '${path}' is not valid JSON: ${
        (error as Error).message
      }`,
    );
  }
}

async function run(args: readonly string[], io: CliIO): Promise<number> {
  const request = parseRunArgs(args, io.env);
  if (request.help) {
    io.stdout(RUN_HELP);
    return 0;
  }
  for (const warning of request.warnings) {
    io.stderr(`wsload: warning: ${warning}\n`);
  }
  const configFile = request.configPath === undefined
    ? undefined
    : await readConfigFile(request.configPath);
  const interrupt = new AbortController();
  const exitHooks = new Set<() => void>();
  // Installed for the rest of the process: the runtime reports a rejection
  // a tick after it happened, possibly after the run returned. Script code
  // runs in the worker processes, which log their own.
  io.onUnhandledRejection((reason) =>
    io.stderr(`Uncaught (in promise) ${(reason as Error)?.stack ?? reason}\n`)
  );
  const stopListening = io.onSignal((count) => {
    if (count === 1) {
      io.stderr(
        "\nStopping the test in response to the signal (press Ctrl+C again to exit at once)...\n",
      );
      interrupt.abort();
    } else {
      io.stderr("Aborting the test in response to the second signal\n");
      for (const hook of exitHooks) {
        try {
          hook();
        } catch {
          // Exiting anyway: a failing hook must not stop the others.
        }
      }
      io.exit(105);
    }
  });
  try {
    return await runTest(
      { ...request.config, configFile, env: io.env },
      {
        stdout: io.stdout,
        stderr: io.stderr,
        stdoutTTY: io.stdoutTTY,
        stderrTTY: io.stderrTTY,
        columns: io.columns,
        openFileLimit: io.openFileLimit,
        interrupt: interrupt.signal,
        onHardExit(hook) {
          exitHooks.add(hook);
          return () => exitHooks.delete(hook);
        },
      },
    );
  } finally {
    stopListening();
  }
}

/**
 * Runs the `wsload` command line.
 *
 * @param args The arguments after the program name.
 * @param io The process to run in; the real one by default.
 * @returns The exit code (k6's codes for `run`).
 */
export async function main(
  args: readonly string[],
  io: CliIO = processIO(),
): Promise<number> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case "run":
        return await run(rest, io);
      case "merge":
        return await runMerge(rest, io);
      case "serve":
        return await runServe(rest, io);
      case "version":
      case "--version":
        io.stdout(`wsload v${VERSION} (${io.runtime})\n`);
        return 0;
      case undefined:
      case "help":
      case "--help":
      case "-h": {
        const topic = command === "help" ? rest[0] : undefined;
        io.stdout(
          topic === "run"
            ? RUN_HELP
            : topic === "merge"
            ? MERGE_HELP
            : topic === "serve"
            ? SERVE_HELP
            : HELP,
        );
        return 0;
      }
      default:
        throw new UsageError(
          `unknown command "${command}" for "wsload"${
            didYouMean(command, COMMANDS)
          }; commands: ${COMMANDS.join(", ")}`,
        );
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`wsload: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr(`wsload: ${(error as Error)?.stack ?? String(error)}\n`);
    return 255;
  }
}

/**
 * Runs the command line of this process (its arguments, streams and
 * signals) and exits with the resulting code. The `wsload` bin of the npm
 * package calls this; so does `deno run -A cli.ts`.
 */
export function cli(): void {
  const io = processIO();
  main(io.args, io).then((code) => io.exit(code));
}

if ((import.meta as { main?: boolean }).main) cli();
