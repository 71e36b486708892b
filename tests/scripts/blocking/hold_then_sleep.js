// Issue row 3: a socket held 1 s, then sleep(1). k6 v0.48.0, 1 VU, 5s:
// 3 iterations of 2.0 s (wsload 0.1: 1.0 s each, twice as many).
import ws from "k6/ws";
import { sleep } from "k6";

export const options = { vus: 1, duration: "5s" };

export default function () {
  ws.connect(__ENV.WS_URL, null, function (socket) {
    socket.on("open", () => socket.setTimeout(() => socket.close(), 1000));
  });
  sleep(1);
}
