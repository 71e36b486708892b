// `deno task bench`, part j: a fixed amount of work, to compare runs split
// among 1, 2 and 4 worker processes. Each iteration adds ten values to the
// `split_values` trend, the same multiset whatever the split (keyed by the
// iteration's test-wide identity), and echoes two messages through one
// socket, with a check.
//
//   wsload run --workers 2 -e URL=ws://127.0.0.1:PORT/ws-echo-multi \
//     -e EXECUTOR=shared-iterations -e ITERATIONS=2000 bench/split_counts.js
import { WebSocket } from "k6/websockets";
import { check } from "k6";
import { Trend } from "k6/metrics";
import exec from "k6/execution";

const values = new Trend("split_values");
const executor = __ENV.EXECUTOR ?? "shared-iterations";
const vus = Number(__ENV.VUS ?? 20);
const iterations = Number(__ENV.ITERATIONS ?? 2000);
const perVU = Math.floor(iterations / vus);

export const options = {
  scenarios: {
    split: executor === "shared-iterations"
      ? { executor, vus, iterations, maxDuration: "10m" }
      : { executor, vus, iterations: perVU, maxDuration: "10m" },
  },
};

/** The value set of iteration `key` (bench_workers.ts computes the same). */
export function valuesOf(key) {
  return Array.from({ length: 10 }, (_, i) => 1 + (key * 10 + i) % 997);
}

export default function () {
  const key = executor === "shared-iterations"
    ? exec.scenario.iterationInTest
    : (exec.vu.idInTest - 1) * perVU + exec.vu.iterationInScenario;
  for (const value of valuesOf(key)) values.add(value);
  const ws = new WebSocket(__ENV.URL);
  let received = 0;
  ws.onopen = () => {
    ws.send("a");
    ws.send("b");
  };
  ws.onmessage = () => {
    if (++received === 2) ws.close();
  };
  ws.onclose = () => check(received, { "both echoed": (n) => n === 2 });
}
