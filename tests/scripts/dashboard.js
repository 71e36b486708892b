// Echo round trips with pings, a custom trend whose threshold always
// fails, and a connection that is refused, for the web dashboard.
import { WebSocket } from "k6/websockets";
import { check, sleep } from "k6";
import { Trend } from "k6/metrics";

const roundTrip = new Trend("msg_rtt", true);

export const options = {
  vus: 2,
  duration: __ENV.DURATION || "6s",
  thresholds: { msg_rtt: ["p(95)<0"], checks: ["rate>0.5"] },
};

export default function () {
  const ws = new WebSocket(__ENV.WS_URL);
  let sentAt = 0;
  ws.onopen = () => {
    ws.ping();
    sentAt = Date.now();
    ws.send("ping");
  };
  ws.onmessage = (event) => {
    roundTrip.add(Date.now() - sentAt);
    check(event, { "echoed": (e) => e.data === "ping" });
    ws.close();
  };
  if (__ITER === 0) new WebSocket(__ENV.REFUSED_URL).onerror = () => {};
  sleep(0.3);
}
