// `deno task bench`, part g: SOCKETS VUs each hold one socket to the echo
// server for HOLD_SECONDS seconds, sending a 32-byte message every second
// and checking its echo. Each VU logs "ready" once its socket is open, so
// the benchmark knows when every socket is up and starts reading the
// processes' memory and descriptors.
//
//   wsload run -e URL=ws://127.0.0.1:PORT/ws-echo-multi -e SOCKETS=1000 \
//     -e HOLD_SECONDS=300 bench/soak.js
import { WebSocket } from "k6/websockets";
import { clearInterval, setInterval, setTimeout } from "k6/timers";
import { check } from "k6";

const sockets = Number(__ENV.SOCKETS ?? 1000);
const holdSeconds = Number(__ENV.HOLD_SECONDS ?? 300);
const payload = "x".repeat(32);

export const options = {
  scenarios: {
    soak: {
      executor: "per-vu-iterations",
      vus: sockets,
      iterations: 1,
      maxDuration: `${holdSeconds + 120}s`,
    },
  },
  thresholds: { checks: ["rate==1"] },
};

export default function () {
  const ws = new WebSocket(__ENV.URL);
  ws.onopen = () => {
    console.log("ready");
    const sender = setInterval(() => ws.send(payload), 1000);
    setTimeout(() => {
      clearInterval(sender);
      ws.close();
    }, holdSeconds * 1000);
  };
  ws.onmessage = (event) => check(event, { echoed: (e) => e.data === payload });
  ws.onerror = (event) => console.error(`socket error: ${event.error}`);
}
