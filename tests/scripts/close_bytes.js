// k6 v0.48.0 drops a k6/ws connection as soon as its close frame is
// written: the server's close reply (4 bytes) is never read, nor counted in
// data_received; k6/websockets waits for it. Against an echo server, k6
// received 173 bytes per k6/ws session and 177 per k6/websockets session.
import { WebSocket } from "k6/experimental/websockets";
import ws from "k6/ws";

export const options = {
  scenarios: {
    legacy: {
      executor: "per-vu-iterations",
      vus: 1,
      iterations: 3,
      exec: "legacy",
    },
    standard: {
      executor: "per-vu-iterations",
      vus: 1,
      iterations: 3,
      exec: "standard",
    },
  },
};

export function legacy() {
  ws.connect(__ENV.WS_URL, null, (socket) => {
    socket.on("open", () => socket.send("hello"));
    socket.on("message", () => socket.close());
  });
}

export function standard() {
  const socket = new WebSocket(__ENV.WS_URL);
  socket.onopen = () => socket.send("hello");
  socket.onmessage = () => socket.close();
}
