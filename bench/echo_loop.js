// `deno task bench`, part b: each VU opens one socket to the echo server
// and keeps one message in flight for SECONDS seconds from its open: it
// sends on open and again on every echo until the time is up, then closes.
// bench/bare_echo.ts does exactly the same without wsload, for comparison.
//
//   wsload run -e URL=ws://127.0.0.1:PORT/ws-echo-multi -e VUS=100 \
//     -e SECONDS=10 --summary-export summary.json bench/echo_loop.js
//
// Round trips = ws_msgs_received's count in the summary export.
import { WebSocket } from "k6/websockets";

const vus = Number(__ENV.VUS ?? 100);
const seconds = Number(__ENV.SECONDS ?? 10);
const payload = "x".repeat(Number(__ENV.PAYLOAD_SIZE ?? 32));

export const options = {
  scenarios: {
    echo: {
      executor: "per-vu-iterations",
      vus,
      iterations: 1,
      maxDuration: `${seconds + 60}s`,
    },
  },
};

export default function () {
  const ws = new WebSocket(__ENV.URL);
  let deadline = 0;
  ws.onopen = () => {
    deadline = Date.now() + seconds * 1000;
    ws.send(payload);
  };
  ws.onmessage = () => {
    if (Date.now() < deadline) ws.send(payload);
    else ws.close();
  };
  ws.onerror = (event) => console.error(`socket error: ${event.error}`);
}
