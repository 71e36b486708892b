/**
 * `wsload serve`: the embedded servers on a fixed port, for trying scripts
 * locally — the echo endpoint the k6 docs use (jmalloc/echo-server style)
 * and the chat rooms of the k6/websockets chat example.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { startServer } from "../server/mod.ts";
import type { CliIO } from "./_process.ts";
import { UsageError } from "./_run_flags.ts";

/** `wsload serve --help`. */
export const SERVE_HELP = `Start the embedded WebSocket servers.

Usage:
  wsload serve [--port 10000] [--host 127.0.0.1]

Endpoints:
  /echo                  sends "Request served by <host>", then echoes every message
  /chat/<room>           chat rooms of the k6/websockets chat example
                         (also /ws/crocochat/<room>/ and /ws)
  /ws-echo-multi, ...    the fixtures of k6's own WebSocket tests

Flags:
      --port N     port to listen on (default 10000; 0 picks a free one)
      --host H     address to listen on (default 127.0.0.1)
  -h, --help       this help
`;

/**
 * Runs `wsload serve` until SIGINT/SIGTERM.
 *
 * @param args The arguments after `serve`.
 * @param io The process.
 * @returns The exit code.
 * @throws {UsageError} For unknown flags or a bad port.
 */
export async function runServe(
  args: readonly string[],
  io: CliIO,
): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        port: { type: "string" },
        host: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(
      `${(error as Error).message}; see 'wsload serve --help'`,
    );
  }
  if (values.help) {
    io.stdout(SERVE_HELP);
    return 0;
  }
  const port = Number(values.port ?? "10000");
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(
      `invalid argument "${values.port}" for "--port" flag: expected an integer from 0 to 65535`,
    );
  }
  // The node engine (the ws package) is the faster one here, also under Deno.
  const server = await startServer({
    hostname: values.host ?? "127.0.0.1",
    port,
    engine: "node",
    record: false,
  });
  io.stdout(
    `wsload serve: listening on ${server.httpUrl}\n` +
      `  echo: ${server.url}/echo\n` +
      `  chat: ${server.url}/chat/<room>  (also /ws/crocochat/<room>/ and /ws)\n` +
      `Press Ctrl+C to stop.\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = io.onSignal(() => {
      stop();
      resolve();
    });
  });
  await server.close();
  return 0;
}
