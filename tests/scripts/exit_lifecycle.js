// WHERE=init throws in init code, WHERE=setup in setup(); WHERE=slow-setup
// makes setup() take 10 s (over its 1 s limit, unless SETUP_TIMEOUT says
// otherwise); WHERE=init-abort calls exec.test.abort() in init code.
import exec from "k6/execution";
import { sleep } from "k6";

if (__ENV.WHERE === "init") throw new Error("broken init code");
if (__ENV.WHERE === "init-abort") exec.test.abort("stop in init");

export const options = { setupTimeout: __ENV.SETUP_TIMEOUT || "1s" };

export async function setup() {
  if (__ENV.WHERE === "setup") throw new Error("broken setup");
  if (__ENV.WHERE === "slow-setup") {
    console.log("setup started");
    await sleep(10);
  }
}

export default function () {}

export function teardown() {
  console.log("teardown ran");
}
