// A long run to interrupt; SLOW_TEARDOWN=1 makes teardown() take 20 s.
import { sleep } from "k6";

export const options = {
  scenarios: {
    main: { executor: "constant-vus", vus: 2, duration: "20s" },
  },
};

export default async function () {
  console.log("iteration started");
  await sleep(0.2);
}

export async function teardown() {
  console.log("teardown started");
  if (__ENV.SLOW_TEARDOWN) await sleep(20);
  console.log("teardown finished");
}
