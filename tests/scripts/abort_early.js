// exec.test.abort() after a few iterations of many: k6 reports no dropped
// iterations for an aborted test. Also prints exec.test.options.
import exec from "k6/execution";

export const options = {
  scenarios: {
    many: {
      executor: "shared-iterations",
      vus: 2,
      iterations: 100,
      maxDuration: "30s",
    },
  },
};

export default async function () {
  if (exec.scenario.iterationInTest === 0) {
    console.log(JSON.stringify(exec.test.options));
  }
  if (exec.scenario.iterationInTest === 5) exec.test.abort("enough");
  await new Promise((resolve) => setTimeout(resolve, 10));
}
