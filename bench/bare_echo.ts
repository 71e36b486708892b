/**
 * The baseline of `deno task bench`, part b: `bench/echo_loop.js` without
 * wsload. N sockets of the runtime's own `WebSocket` (Deno's) in one
 * process, each keeping one message in flight for S seconds from its open:
 * it sends on open and again on every echo until the time is up, then
 * closes. Prints one JSON line, `{"roundTrips":…,"failures":…}`, once every
 * socket has closed.
 *
 * ```sh
 * deno run -A bench/bare_echo.ts --url ws://127.0.0.1:PORT/ws-echo-multi \
 *   --connections 100 --seconds 10
 * ```
 *
 * @module
 */
import { bareArgs } from "./_bare_args.ts";

const { url, connections, seconds, payload } = bareArgs();

let roundTrips = 0;
let failures = 0;

function echoLoop(): Promise<void> {
  const ws = new WebSocket(url);
  let deadline = 0;
  ws.onopen = () => {
    deadline = Date.now() + seconds * 1000;
    ws.send(payload);
  };
  ws.onmessage = () => {
    roundTrips++;
    if (Date.now() < deadline) ws.send(payload);
    else ws.close();
  };
  ws.onerror = () => failures++;
  return new Promise((resolve) => ws.onclose = () => resolve());
}

await Promise.all(Array.from({ length: connections }, echoLoop));
console.log(JSON.stringify({ roundTrips, failures }));
