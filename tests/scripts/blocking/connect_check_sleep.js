// Issue row 2: the k6 docs pattern. k6 v0.48.0, 2 VUs, 5s: 10 sessions,
// 10 iterations, 10/10 checks (wsload 0.1 opened 187–588× as many).
import ws from "k6/ws";
import { check, sleep } from "k6";

export const options = { vus: 2, duration: "5s" };

export default function () {
  const res = ws.connect(__ENV.WS_URL, null, function (socket) {
    socket.on("open", () => socket.close());
  });
  check(res, { "status is 101": (r) => r && r.status === 101 });
  sleep(1);
}
