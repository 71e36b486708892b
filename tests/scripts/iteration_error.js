// Iteration 0 throws in the default function, iteration 1 in a socket's
// open listener; iteration 2 runs cleanly.
import { WebSocket } from "k6/websockets";

export const options = { vus: 1, iterations: 3 };

export default function () {
  if (__ITER === 0) throw new Error("broken iteration");
  if (__ITER === 1) {
    const socket = new WebSocket(__ENV.WS_URL);
    socket.onopen = () => {
      throw new Error("broken listener");
    };
  }
  console.log(`iteration ${__ITER} went on`);
}
