// Sockets echoing and checks passing until the run is interrupted: a run
// whose outputs (--out json/csv, --report, --summary-export) must all be
// complete after whatever signal stops it.
import { WebSocket } from "k6/websockets";
import { check, sleep } from "k6";

export const options = {
  vus: 5,
  duration: "60s",
};

export default async function () {
  const ws = new WebSocket(`${__ENV.URL}/ws-echo-multi`);
  let received = 0;
  ws.onopen = () => {
    console.log("open");
    ws.send("ping");
  };
  ws.onmessage = (event) => {
    check(event, { echoed: (e) => e.data === "ping" });
    if (++received < 10) ws.send("ping");
    else ws.close();
  };
  await sleep(0.05); // wsload 0.1: await until auto-await lands
}
