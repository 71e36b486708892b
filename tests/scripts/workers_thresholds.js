// Thresholds of a run split among worker processes. MODE=merged: two VUs
// count six units of work each, and `work` may count at most eight: each
// worker alone stays under it, only the merged metric crosses it.
// MODE=abort: iterations go on for a minute unless a threshold with
// abortOnFail stops every worker.
import { Counter } from "k6/metrics";
import { sleep } from "k6";

const work = new Counter("work");
const abort = __ENV.MODE === "abort";

export const options = abort
  ? {
    scenarios: {
      loop: { executor: "constant-vus", vus: 2, duration: "60s" },
    },
    thresholds: {
      work: [{ threshold: "count<4", abortOnFail: true }],
    },
  }
  : {
    scenarios: {
      each: { executor: "per-vu-iterations", vus: 2, iterations: 6 },
    },
    thresholds: { work: ["count<=8"] },
  };

export default function () {
  work.add(1);
  sleep(abort ? 0.2 : 0.01);
}
