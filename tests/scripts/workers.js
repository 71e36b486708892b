// Every executor at once, for runs split among 1, 2 and 4 worker
// processes: each iteration logs its numbers (__VU, exec.vu.idInTest,
// exec.scenario.iterationInTest and iterationInInstance), and the
// iteration executors' VUs echo three messages each, so that counts of
// iterations, sessions, messages and checks can be compared between runs.
// CRASH=1 makes the constant-vus VUs of the second of two workers (even
// test-wide numbers) end their worker process after 300 ms: a crash.
import { WebSocket } from "k6/websockets";
import { check, sleep } from "k6";
import exec from "k6/execution";

export const options = {
  scenarios: {
    shared: {
      executor: "shared-iterations",
      vus: 5,
      iterations: 23,
      exec: "echo",
    },
    perVU: {
      executor: "per-vu-iterations",
      vus: 3,
      iterations: 4,
      exec: "echo",
    },
    constant: {
      executor: "constant-vus",
      vus: 3,
      duration: "1s",
      exec: "pause",
    },
    ramping: {
      executor: "ramping-vus",
      startVUs: 1,
      stages: [{ duration: "1s", target: 4 }],
      gracefulRampDown: "0s",
      exec: "pause",
    },
    rate: {
      executor: "constant-arrival-rate",
      rate: 20,
      timeUnit: "1s",
      duration: "1s",
      preAllocatedVUs: 4,
      exec: "record",
    },
    rampingRate: {
      executor: "ramping-arrival-rate",
      startRate: 10,
      timeUnit: "1s",
      preAllocatedVUs: 4,
      stages: [{ duration: "1s", target: 30 }],
      exec: "record",
    },
  },
};

export function record() {
  console.log(JSON.stringify({
    scenario: exec.scenario.name,
    vu: __VU,
    vuInTest: exec.vu.idInTest,
    iteration: exec.scenario.iterationInTest,
    iterationInInstance: exec.scenario.iterationInInstance,
  }));
}

export function pause() {
  if (
    __ENV.CRASH && exec.vu.idInTest % 2 === 0 &&
    exec.instance.currentTestRunDuration > 300
  ) {
    globalThis.process.exit(3);
  }
  record();
  sleep(0.1);
}

export function echo() {
  record();
  const ws = new WebSocket(`${__ENV.URL}/ws-echo-multi`);
  let received = 0;
  ws.onopen = () => {
    for (let i = 0; i < 3; i++) ws.send(`message ${i}`);
  };
  ws.onmessage = () => {
    if (++received === 3) ws.close();
  };
  ws.onclose = () => check(received, { "all echoed": (n) => n === 3 });
}
