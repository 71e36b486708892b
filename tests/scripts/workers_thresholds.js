// Stopping a run split among worker processes. MODE=merged: two VUs
// count six units of work each, and `work` may count at most eight: each
// worker alone stays under it, only the merged metric crosses it.
// MODE=abort: iterations go on for a minute unless a threshold with
// abortOnFail stops every worker. MODE=testAbort: the same minute, unless
// the second worker's VU calls exec.test.abort() (its third iteration).
import { Counter } from "k6/metrics";
import { sleep } from "k6";
import exec from "k6/execution";

const work = new Counter("work");
const abort = __ENV.MODE === "abort" || __ENV.MODE === "testAbort";

export const options = abort
  ? {
    scenarios: {
      loop: { executor: "constant-vus", vus: 2, duration: "60s" },
    },
    thresholds: __ENV.MODE === "abort"
      ? { work: [{ threshold: "count<4", abortOnFail: true }] }
      : {},
  }
  : {
    scenarios: {
      each: { executor: "per-vu-iterations", vus: 2, iterations: 6 },
    },
    thresholds: { work: ["count<=8"] },
  };

export default function () {
  if (
    __ENV.MODE === "testAbort" && exec.vu.idInTest === 2 &&
    exec.vu.iterationInInstance === 2
  ) {
    exec.test.abort("enough");
  }
  work.add(1);
  sleep(abort ? 0.2 : 0.01);
}
