// A short run that produces samples and console lines for every kind of
// file a run writes (--out, --report, --summary-export, --console-output),
// for the suites that make those writes fail. FAIL_THRESHOLD=1 adds a
// threshold that is always crossed.
import { WebSocket } from "k6/websockets";
import { sleep } from "k6";

export const options = {
  vus: 1,
  duration: __ENV.DURATION || "1s",
  thresholds: __ENV.FAIL_THRESHOLD ? { ws_msgs_sent: ["count<0"] } : {},
};

export default async function () {
  console.log("iteration");
  const ws = new WebSocket(`${__ENV.URL}/ws-echo`);
  ws.onopen = () => ws.send("hi");
  ws.onmessage = () => ws.close();
  await sleep(0.2); // wsload 0.1: await until auto-await lands
}
