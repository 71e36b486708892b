// k6 waits in sleep(): "slept 200+ ms". With --compatibility-mode=base
// wsload runs the script as written: sleep() returns a promise that nobody
// awaits, so the log comes at once.
import { sleep } from "k6";

export const options = { iterations: 1 };

function pause(started) {
  sleep(0.2);
  console.log(`slept ${Date.now() - started >= 200 ? "200+" : "<200"} ms`);
}

export default function () {
  pause(Date.now());
  console.log("after");
}
