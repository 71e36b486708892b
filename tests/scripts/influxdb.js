// A few echo round trips and a check per iteration, for the InfluxDB output.
import { WebSocket } from "k6/websockets";
import { check } from "k6";

export const options = { vus: 2, iterations: 6 };

export default function () {
  const ws = new WebSocket(__ENV.WS_URL);
  let received = 0;
  ws.onopen = () => ws.send("hello");
  ws.onmessage = (event) => {
    check(event, { "echoed": (e) => e.data === "hello" });
    if (++received < 3) ws.send("hello");
    else ws.close();
  };
}
