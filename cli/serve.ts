/**
 * `wsload serve`: the embedded servers on a fixed port, for trying scripts
 * locally — the echo endpoint the k6 docs use (jmalloc/echo-server style)
 * and the chat rooms of the k6/websockets chat example. It is bounded
 * against the clients it serves (message size, per-client send queue,
 * request-head timeout: see the flags), so a misbehaving client cannot
 * exhaust it.
 *
 * @module
 */
import { type ServerLimits, startServer } from "../server/mod.ts";
import type { CliIO } from "./process.ts";
import { parseFlags, UsageError } from "./usage.ts";

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
      --port N                port to listen on (default 10000; 0 picks a free one)
      --host H                address to listen on (default 127.0.0.1)
      --max-message BYTES     largest message a client may send; larger: close 1009
                              (default 16777216, 16 MiB)
      --max-queue BYTES       most bytes waiting to be written to one client; a
                              client that reads too slowly gets close 1008 and is
                              dropped (default 16777216, 16 MiB)
      --header-timeout MS     time a client gets to send its request head; then
                              408 and disconnect (default 10000)
  -h, --help                  this help
`;

/** Flag name → ServerLimits key, for the flags that set a limit. */
const LIMIT_FLAGS = {
  "max-message": "maxMessageBytes",
  "max-queue": "maxQueuedBytes",
  "header-timeout": "headerTimeoutMs",
} as const satisfies Record<string, keyof ServerLimits>;

function limitsFrom(
  values: Partial<Record<keyof typeof LIMIT_FLAGS, string>>,
): ServerLimits {
  const limits: { -readonly [K in keyof ServerLimits]: number } = {};
  for (const [flag, key] of Object.entries(LIMIT_FLAGS)) {
    const text = values[flag as keyof typeof LIMIT_FLAGS];
    if (text === undefined) continue;
    const value = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value <= 0) {
      throw new UsageError(
        `invalid argument "${text}" for "--${flag}" flag: expected a positive integer`,
      );
    }
    limits[key] = value;
  }
  return limits;
}

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
 * Runs `wsload serve` until SIGINT, SIGTERM or SIGHUP.
 *
 * @param args The arguments after `serve`.
 * @param io The process.
 * @returns The exit code.
 * @throws {UsageError} For unknown flags, a bad port or a bad limit.
 */
export async function runServe(
  args: readonly string[],
  io: CliIO,
): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    port: { type: "string" },
    host: { type: "string" },
    "max-message": { type: "string" },
    "max-queue": { type: "string" },
    "header-timeout": { type: "string" },
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
  const limits = limitsFrom(values);
  // Listening for signals before anything else: under Deno a handler
  // takes effect a moment after it is added, and a signal in between would
  // end the process by the default action.
  let stopListening = () => {};
  const stopped = new Promise<void>((resolve) => {
    stopListening = io.onSignal(() => resolve());
  });
  try {
    let server;
    try {
      // The node engine (the ws package) is the faster one here, also under
      // Deno.
      server = await startServer({
        hostname,
        port,
        engine: "node",
        record: false,
        limits,
      });
    } catch (error) {
      io.stderr(`wsload serve: ${listenFailure(error, hostname, port)}\n`);
      return 1;
    }
    io.stdout(
      `wsload serve: listening on ${server.httpUrl}\n` +
        `  echo: ${server.url}/echo\n` +
        `  chat: ${server.url}/chat/<room>  (also /ws/crocochat/<room>/ and /ws)\n` +
        `  limits: ${server.limits.maxMessageBytes} bytes per message, ` +
        `${server.limits.maxQueuedBytes} bytes queued per client, ` +
        `request head within ${server.limits.headerTimeoutMs} ms\n` +
        `Press Ctrl+C to stop.\n`,
    );
    await stopped;
    await server.close();
    return 0;
  } finally {
    stopListening();
  }
}
