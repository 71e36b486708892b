// Every connection is refused: 12 by k6/ws, 12 by k6/websockets; from the
// 9th iteration on, the default function also throws.
import ws from "k6/ws";
import { WebSocket } from "k6/websockets";
import { check } from "k6";

export const options = { vus: 1, iterations: 12 };

export default function () {
  const response = ws.connect(__ENV.WS_URL, null, () => {});
  check(response, { "upgraded": (r) => r.status === 101 });
  const socket = new WebSocket(__ENV.WS_URL);
  socket.onerror = () => {};
  if (__ITER >= 8) throw new Error(`boom in iteration ${__ITER}`);
}
