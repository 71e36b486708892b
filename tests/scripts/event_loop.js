// The iteration waits for what it started: a 300 ms timer and a socket that
// a 200 ms timer closes. The default function itself returns at once.
import { WebSocket } from "k6/websockets";

export const options = { vus: 1, iterations: 2 };

export default function () {
  console.log(`iteration ${__ITER} started`);
  setTimeout(() => console.log(`iteration ${__ITER} timer fired`), 300);
  const socket = new WebSocket(__ENV.WS_URL);
  socket.onopen = () => setTimeout(() => socket.close(), 200);
  socket.onclose = () => console.log(`iteration ${__ITER} socket closed`);
}
