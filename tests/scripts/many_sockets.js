// VUS sockets open at the same time (each VU opens one and holds it for
// two seconds): a run that needs more descriptors than a low `ulimit -n`
// allows. Every socket must open (checks) and be counted (ws_sessions).
import { WebSocket } from "k6/websockets";
import { setTimeout } from "k6/timers";
import { check } from "k6";

const vus = Number(__ENV.VUS ?? 400);

export const options = {
  scenarios: {
    open: {
      executor: "per-vu-iterations",
      vus,
      iterations: 1,
      maxDuration: "60s",
    },
  },
  thresholds: {
    checks: ["rate==1"],
    ws_sessions: [`count==${vus}`],
  },
};

export default function () {
  const ws = new WebSocket(`${__ENV.URL}/ws-echo-multi`);
  ws.onopen = () => {
    check(ws, { opened: () => true });
    setTimeout(() => ws.close(), 2000);
  };
  ws.onerror = (event) => {
    check(event, { opened: () => false });
    console.error(event.error);
  };
}
