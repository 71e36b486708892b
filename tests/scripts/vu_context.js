// __VU, __ITER and __ENV as seen by 200 VUs whose iterations interleave:
// each iteration reads them at its start, and again after an await and in a
// timer callback. Init code draws a number per VU.
import exec from "k6/execution";
import { sleep } from "k6";

const drawn = Math.random();

export const options = {
  scenarios: {
    a: {
      executor: "per-vu-iterations",
      vus: 100,
      iterations: 2,
      env: { WHICH: "a" },
    },
    b: {
      executor: "per-vu-iterations",
      vus: 100,
      iterations: 2,
      env: { WHICH: "b" },
    },
  },
};

function now() {
  return { vu: __VU, iter: __ITER, which: __ENV.WHICH };
}

export default async function () {
  const atStart = now();
  await sleep(Math.random() * 0.05);
  const afterAwait = now();
  setTimeout(() => {
    console.log(JSON.stringify({
      scenario: exec.scenario.name,
      atStart,
      afterAwait,
      inTimer: now(),
      drawn,
      fromProcess: __ENV.FROM_PROCESS,
      fromFlag: __ENV.FROM_FLAG,
      shared: __ENV.SHARED,
    }));
  }, Math.random() * 50);
}
