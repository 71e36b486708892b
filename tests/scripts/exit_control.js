// Exit codes set by the script or its thresholds: ACTION=abort calls
// exec.test.abort(), ACTION=fail exec.test.fail(); CHECK=fail makes every
// check fail; THRESHOLD (JSON) is a threshold on `checks`.
import exec from "k6/execution";
import { check, sleep } from "k6";

export const options = {
  scenarios: {
    main: {
      executor: "constant-vus",
      vus: 2,
      duration: __ENV.DURATION || "1s",
      gracefulStop: "0s",
    },
  },
  thresholds: __ENV.THRESHOLD ? { checks: [JSON.parse(__ENV.THRESHOLD)] } : {},
};

export default async function () {
  check(__ENV.CHECK !== "fail", { "the check": (passed) => passed });
  if (__ENV.ACTION === "abort" && exec.scenario.iterationInTest === 3) {
    exec.test.abort("enough");
  }
  if (__ENV.ACTION === "fail" && exec.scenario.iterationInTest === 3) {
    exec.test.fail("not good");
  }
  await sleep(0.05);
}

export function teardown() {
  console.log("teardown ran");
}
