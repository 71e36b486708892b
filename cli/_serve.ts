/**
 * `wsload serve`: the embedded servers on a fixed port, for trying scripts
 * locally — the echo endpoint the k6 docs use (jmalloc/echo-server style)
 * and the chat rooms of the k6/websockets chat example.
 *
 * @module
 */
import { startServer } from "../server/mod.ts";
import type { CliIO } from "./_process.ts";
import { parseFlags, UsageError } from "./_usage.ts";

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

// One line a user can act on, not a stack trace.
function listenFailure(error: unknown, hostname: string, port: number): string {
  const code = (error as { code?: string }).code;
  switch (code) {
    case "EADDRINUSE":
      return `port ${port} on ${hostname} is already in use; stop the program using it or pick another port with --port (0 picks a free one)`;
    case "EACCES":
      return `no permission to listen on port ${port} of ${hostname}; pick a port above 1023 with --port`;
    case "EADDRNOTAVAIL":
    case "ENOTFOUND":
      return `cannot listen on ${hostname}: no such local address; use --host 127.0.0.1 or an address of this machine`;
    default:
      return `cannot listen on ${hostname}:${port}: ${
        (error as Error)?.message ?? String(error)
      }`;
  }
}

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
  const { values, positionals } = parseFlags(args, {
    port: { type: "string" },
    host: { type: "string" },
    help: { type: "boolean", short: "h" },
  }, "serve");
  if (positionals.length > 0) {
    throw new UsageError(
      `the serve command takes no arguments, got: ${
        positionals.join(" ")
      }; see 'wsload serve --help'`,
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
  const hostname = values.host ?? "127.0.0.1";
  let server;
  try {
    // The node engine (the ws package) is the faster one here, also under Deno.
    server = await startServer({
      hostname,
      port,
      engine: "node",
      record: false,
    });
  } catch (error) {
    io.stderr(`wsload serve: ${listenFailure(error, hostname, port)}\n`);
    return 1;
  }
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
