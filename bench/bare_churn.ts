/**
 * The baseline of `deno task bench`, part l: `bench/churn.js` without
 * wsload. N loops in one process, each, until S seconds have passed since
 * the start, connecting with the npm `ws` client (wsload's default
 * transport, permessage-deflate off as wsload asks for it), sending one
 * message, closing once its echo arrives and starting over once the socket
 * has closed. Prints one JSON line, `{"sessions":…,"failures":…}`
 * (sessions: echoes received; failures: sockets that erred), once every
 * loop has ended.
 *
 * ```sh
 * deno run -A bench/bare_churn.ts --url ws://127.0.0.1:PORT/ws-echo-multi \
 *   --connections 100 --seconds 10
 * ```
 *
 * @module
 */
import { bareArgs } from "./_bare_args.ts";
import WebSocket from "ws";

const { url, connections, seconds, payload } = bareArgs();
const deadline = Date.now() + seconds * 1000;

let sessions = 0;
let failures = 0;

/** One session: connect, send, close on the echo; resolved once closed. */
function session(): Promise<void> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  ws.on("open", () => ws.send(payload));
  ws.on("message", () => {
    sessions++;
    ws.close();
  });
  ws.on("error", () => failures++);
  return new Promise((resolve) => ws.on("close", () => resolve()));
}

async function churn(): Promise<void> {
  while (Date.now() < deadline) await session();
}

await Promise.all(Array.from({ length: connections }, churn));
console.log(JSON.stringify({ sessions, failures }));
