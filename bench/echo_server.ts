/**
 * The benchmarks' echo server, run in a process of its own: Deno 2.9
 * starves connections beyond about 128 when a busy client and server share
 * one process, and a separate process keeps the server's CPU time and
 * memory out of the client's numbers.
 *
 * Starts `server/`'s {@linkcode startServer} (engine `node`, no logs: the
 * server otherwise keeps every message) on 127.0.0.1 — or, with `--http`,
 * its {@linkcode startHttpServer} — prints its `ws://` (`http://`) URL as
 * the first line on stdout, and runs until SIGTERM / SIGINT
 * arrives or, with `--stdin`, stdin ends (so that it never outlives the
 * benchmark that started it, whatever becomes of that).
 *
 * ```sh
 * deno run -A bench/echo_server.ts            # ws://127.0.0.1:<port>
 * deno run -A bench/echo_server.ts --port 10000
 * deno run -A bench/echo_server.ts --http      # http://127.0.0.1:<port>
 * ```
 *
 * @module
 */
import process from "node:process";
import { parseArgs } from "node:util";
import { startHttpServer, startServer } from "../server/mod.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    stdin: { type: "boolean", default: false },
    http: { type: "boolean", default: false },
  },
});
const server = values.http
  ? await startHttpServer({ record: false, port: Number(values.port) })
  : await startServer({
    engine: "node",
    record: false,
    port: Number(values.port),
  });
process.stdout.write(`${server.url}\n`);

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  server.close().then(() => process.exit(0));
}
if (values.stdin) {
  process.stdin.on("end", stop);
  process.stdin.on("error", stop);
  process.stdin.resume();
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
