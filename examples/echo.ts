/**
 * Four sockets through wsload's `k6/websockets` facade against the embedded
 * server: a text echo, a binary echo, a ping and its pong, and a close the
 * server starts. Prints every event, then the totals of the `ws_*` metrics.
 *
 * ```sh
 * deno task demo        # or: deno run -A examples/echo.ts
 * ```
 *
 * @module
 */
import { addSampleListener } from "../metrics/mod.ts";
import { startServer } from "../server/mod.ts";
import { WebSocket } from "../websockets/mod.ts";

const server = await startServer();

// Outside `wsload run`, samples go to sample listeners.
const totals = new Map<
  string,
  { count: number; sum: number; unit: string }
>();
const stopListening = addSampleListener(({ metric, value }) => {
  if (!metric.name.startsWith("ws_")) return;
  const unit = metric.contains === "time" ? " ms" : "";
  const total = totals.get(metric.name) ?? { count: 0, sum: 0, unit };
  total.count++;
  total.sum += value;
  totals.set(metric.name, total);
});

/** Prints a socket's events; resolves once it closed. */
function trace(name: string, ws: WebSocket): Promise<void> {
  const print = (text: string) => console.log(`${name.padEnd(7)} ${text}`);
  ws.addEventListener("open", () => print("open"));
  ws.addEventListener(
    "message",
    ({ data }) =>
      print(
        `message ${
          typeof data === "string"
            ? JSON.stringify(data)
            : `[${new Uint8Array(data as ArrayBuffer)}]`
        }`,
      ),
  );
  ws.addEventListener("error", ({ error }) => print(`error ${error}`));
  return new Promise((resolve) => {
    ws.addEventListener("close", ({ code, reason }) => {
      print(`close ${code} ${JSON.stringify(reason)}`);
      resolve();
    });
  });
}

const text = new WebSocket(`${server.url}/ws-echo-multi`);
text.onopen = () => text.send("hello");
text.onmessage = () => text.close();

const binary = new WebSocket(`${server.url}/ws-echo-multi`);
binary.binaryType = "arraybuffer";
binary.onopen = () => binary.send(new Uint8Array([1, 2, 3]));
binary.onmessage = () => binary.close();

// A pong listener makes the socket use a transport that can ping.
const pinger = new WebSocket(`${server.url}/ws-echo`);
pinger.onopen = () => pinger.ping();
pinger.onpong = () => {
  console.log("ping    pong");
  pinger.close();
};

const closedByServer = new WebSocket(
  `${server.url}/ws-close-code?code=4000&reason=bye`,
);

await Promise.all([
  trace("text", text),
  trace("binary", binary),
  trace("ping", pinger),
  trace("server", closedByServer),
]);
stopListening();
await server.close();

console.log("\nmetric               samples  total");
for (const [name, { count, sum, unit }] of [...totals].sort()) {
  const total = unit === "" ? String(sum) : `${sum.toFixed(2)}${unit}`;
  console.log(`${name.padEnd(20)} ${String(count).padStart(7)}  ${total}`);
}
