// A deterministic run for the summary tests: 2 VUs x 3 iterations, each
// with one k6/ws session (two messages echoed), checks in and out of a
// group, custom metrics of every type with fixed values, and thresholds
// that pass and fail. Every iteration lasts over a second, so `vus` and
// `vus_max` are sampled while both VUs run.
import ws from "k6/ws";
import { check, group, sleep } from "k6";
import { Counter, Gauge, Rate, Trend } from "k6/metrics";

const messages = new Counter("messages");
const queue = new Gauge("queue");
const delivered = new Rate("delivered");
const latency = new Trend("latency", true);

export const options = {
  scenarios: {
    chat: { executor: "per-vu-iterations", vus: 2, iterations: 3 },
  },
  thresholds: {
    iterations: ["count==6"],
    messages: ["count>100"],
    checks: ["rate==1"],
    latency: ["p(95)<50"],
    "latency{kind:slow}": ["p(99)<100"],
  },
};

export default async function () {
  await ws.connect(__ENV.WS_URL, (socket) => {
    socket.on("open", () => {
      socket.send("one");
      socket.send("two");
    });
    let received = 0;
    socket.on("message", () => {
      if (++received === 2) socket.close();
    });
  });
  group("login", () => {
    check(true, { "logged in": (ok) => ok });
  });
  check(__ITER, { "first iteration": (iter) => iter === 0 });
  messages.add(2);
  queue.add(__ITER * 10);
  delivered.add(__ITER !== 2);
  latency.add(10, { kind: "fast" });
  latency.add(40, { kind: "slow" });
  if (__ITER === 0) await sleep(1.2);
}
