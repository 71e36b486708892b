// `deno task bench`, part e: what a VU costs before it does anything. Each
// of VUS VUs evaluates the script and its helper module (bench/init_helpers.js,
// k6 evaluates every module once per VU), logs "ready" and sleeps until the
// run is interrupted; the benchmark reads the process's memory once all are
// ready.
//
//   wsload run -e VUS=10000 -e HOLD_SECONDS=600 bench/init_vus.js
import { sleep } from "k6";
import { describeUser, pickRoom, ROOMS } from "./init_helpers.js";

const vus = Number(__ENV.VUS ?? 100);
const holdSeconds = Number(__ENV.HOLD_SECONDS ?? 600);
const room = pickRoom(__VU);

export const options = {
  scenarios: {
    init: {
      executor: "per-vu-iterations",
      vus,
      iterations: 1,
      maxDuration: `${holdSeconds + 60}s`,
    },
  },
};

export default function () {
  console.log(ROOMS.includes(room) ? "ready" : describeUser(__VU));
  sleep(holdSeconds);
}
