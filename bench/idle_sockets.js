// `deno task bench`, part c: each VU opens SOCKETS sockets to the echo
// server and holds them, idle, for HOLD_SECONDS seconds (or until the run
// is interrupted). Each VU logs "ready" once all of its sockets are open
// (at once with SOCKETS=0, the baseline), so the benchmark knows when to
// read the process's memory.
//
//   wsload run -e URL=ws://127.0.0.1:PORT/ws-echo-multi -e VUS=100 \
//     -e SOCKETS=100 -e HOLD_SECONDS=600 bench/idle_sockets.js
import { WebSocket } from "k6/websockets";
import { setTimeout } from "k6/timers";

const vus = Number(__ENV.VUS ?? 100);
const socketsPerVU = Number(__ENV.SOCKETS ?? 100);
const holdSeconds = Number(__ENV.HOLD_SECONDS ?? 600);

export const options = {
  scenarios: {
    idle: {
      executor: "per-vu-iterations",
      vus,
      iterations: 1,
      maxDuration: `${holdSeconds + 60}s`,
    },
  },
};

export default function () {
  const sockets = [];
  let opened = 0;
  for (let i = 0; i < socketsPerVU; i++) {
    const ws = new WebSocket(__ENV.URL);
    ws.onopen = () => {
      if (++opened === socketsPerVU) console.log("ready");
    };
    ws.onerror = (event) => console.error(`socket error: ${event.error}`);
    sockets.push(ws);
  }
  if (socketsPerVU === 0) console.log("ready");
  setTimeout(() => {
    for (const ws of sockets) ws.close();
  }, holdSeconds * 1000);
}
