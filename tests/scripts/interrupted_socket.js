// Each iteration opens a socket and never closes it: the scenario's end
// (gracefulStop 0s) interrupts the iterations.
import { WebSocket } from "k6/websockets";

export const options = {
  scenarios: {
    hold: {
      executor: "constant-vus",
      vus: 2,
      duration: "1s",
      gracefulStop: "0s",
    },
  },
};

export default function () {
  const ws = new WebSocket(`${__ENV.WS_URL}/ws-echo-multi`);
  ws.onopen = () => ws.send("held open");
}
