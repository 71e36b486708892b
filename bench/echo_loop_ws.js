// `deno task bench`, part d: bench/echo_loop.js written against k6/ws: each
// VU connects once and keeps one message in flight for SECONDS seconds from
// the open, then closes.
//
//   wsload run -e URL=ws://127.0.0.1:PORT/ws-echo-multi -e VUS=100 \
//     -e SECONDS=10 --summary-export summary.json bench/echo_loop_ws.js
import ws from "k6/ws";

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
  ws.connect(__ENV.URL, null, (socket) => {
    let deadline = 0;
    socket.on("open", () => {
      deadline = Date.now() + seconds * 1000;
      socket.send(payload);
    });
    socket.on("message", () => {
      if (Date.now() < deadline) socket.send(payload);
      else socket.close();
    });
    socket.on("error", (e) => console.error(`socket error: ${e.error()}`));
  });
}
