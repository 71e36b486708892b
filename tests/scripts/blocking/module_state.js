// Issue rows 9 and 10: a local module reads __ENV, __VU and open() at its
// top level, and keeps state, once per VU. k6 v0.48.0 with -e WORKLOAD=w2,
// 2 VUs × 2 iterations: workload=w2, init=<the VU>, text from the module's
// folder, counts 1 then 2 in each VU (wsload 0.1: undefined, one counter).
import { describe } from "./lib/workload.js";

export const options = {
  scenarios: {
    main: { executor: "per-vu-iterations", vus: 2, iterations: 2 },
  },
};

export default function () {
  console.log(describe());
}
