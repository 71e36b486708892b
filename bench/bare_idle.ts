/**
 * The reference of `deno task bench`, part c: `bench/idle_sockets.js`
 * without wsload. Opens N sockets of the runtime's own `WebSocket` (Deno's)
 * in one process, prints `ready` on stdout once all are open (at once for
 * N = 0), and holds them, idle, until SIGTERM / SIGINT or stdin ends.
 *
 * ```sh
 * deno run -A bench/bare_idle.ts --url ws://127.0.0.1:PORT/ws-echo-multi \
 *   --connections 10000
 * ```
 *
 * @module
 */
import process from "node:process";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    connections: { type: "string", default: "10000" },
  },
});
if (values.url === undefined) throw new TypeError("--url is required");
const url = values.url;
const connections = Number(values.connections);

const sockets: WebSocket[] = [];
let opened = 0;
for (let i = 0; i < connections; i++) {
  const ws = new WebSocket(url);
  ws.onopen = () => {
    if (++opened === connections) console.log("ready");
  };
  ws.onerror = (event) =>
    console.error(`socket error: ${(event as ErrorEvent).message}`);
  sockets.push(ws);
}
if (connections === 0) console.log("ready");

// Hold the sockets until told to stop; Deno closes them on exit.
const stop = () => process.exit(0);
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.stdin.on("end", stop);
process.stdin.resume();
