// `deno task bench`, part l: connection churn on k6/websockets. VUS VUs
// (constant-vus) for SECONDS seconds; each iteration connects to the echo
// server, sends one message, closes once its echo arrives, and ends when
// the socket has closed (the VU waits for its event loop, as in k6).
// bench/churn_ws.js is the same on k6/ws, bench/bare_churn.ts the same
// without wsload.
//
//   wsload run -e URL=ws://127.0.0.1:PORT/ws-echo-multi -e VUS=100 \
//     -e SECONDS=10 --summary-export summary.json bench/churn.js
//
// Sessions = ws_msgs_received's count in the summary export (one echo
// each); iterations that received none failed (errors are not logged, so
// that a failed dial costs no more than a successful session).
import { WebSocket } from "k6/websockets";

const vus = Number(__ENV.VUS ?? 100);
const seconds = Number(__ENV.SECONDS ?? 10);
const payload = "x".repeat(Number(__ENV.PAYLOAD_SIZE ?? 32));

export const options = {
  scenarios: {
    churn: {
      executor: "constant-vus",
      vus,
      duration: `${seconds}s`,
    },
  },
};

export default function () {
  const ws = new WebSocket(__ENV.URL);
  ws.onopen = () => ws.send(payload);
  ws.onmessage = () => ws.close();
  ws.onerror = () => {};
}
