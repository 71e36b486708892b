// `deno task bench`, part l: bench/churn.js written against k6/ws: each
// iteration connects, sends one message, closes once its echo arrives;
// ws.connect returns when the socket has closed.
//
//   wsload run -e URL=ws://127.0.0.1:PORT/ws-echo-multi -e VUS=100 \
//     -e SECONDS=10 --summary-export summary.json bench/churn_ws.js
import ws from "k6/ws";

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
  try {
    ws.connect(__ENV.URL, null, (socket) => {
      socket.on("open", () => socket.send(payload));
      socket.on("message", () => socket.close());
      socket.on("error", () => {});
    });
  } catch {
    // A failed dial: counted as an iteration without an echo.
  }
}
