// A test split over instances (issue 11): every count is fixed by the plan
// (shared iterations), so the instances' merged result must equal one
// unsplit run's; the `values` trend gets the numbers 1..20000 however the
// iterations are split, more than one exact series holds, so its merged
// percentiles come from the sketch.
import { WebSocket } from "k6/websockets";
import { check, group } from "k6";
import exec from "k6/execution";
import { Counter, Trend } from "k6/metrics";

const values = new Trend("values");
const echoes = new Counter("echoes");

export const options = {
  scenarios: {
    chat: { executor: "shared-iterations", vus: 8, iterations: 200 },
  },
  summaryTrendStats: ["avg", "min", "med", "max", "p(90)", "p(95)", "count"],
  thresholds: {
    checks: ["rate==1"],
    echoes: ["count==600"],
    "values": ["p(95)<19500", "max==20000"],
    ws_sessions: ["count>1000"],
  },
};

export default function () {
  const iteration = exec.scenario.iterationInTest;
  for (let k = 1; k <= 100; k++) values.add(iteration * 100 + k);
  group("echo", () => {
    const ws = new WebSocket(__ENV.WS_URL);
    let received = 0;
    ws.onopen = () => ws.send("hello");
    ws.onmessage = (event) => {
      echoes.add(1);
      check(event, { "echoed": (e) => e.data === "hello" });
      if (++received < 3) ws.send("hello");
      else ws.close();
    };
  });
}

export function handleSummary(data) {
  return {
    stdout:
      `handleSummary: iterations=${data.metrics.iterations.values.count} ` +
      `echoes=${data.metrics.echoes.values.count}\n`,
  };
}
