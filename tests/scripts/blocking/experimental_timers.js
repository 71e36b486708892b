// Issue row 11: k6 0.43–0.49 scripts import the timers from
// k6/experimental/timers (the xk6-websockets examples do). k6 v0.48.0 runs
// it: "tick" then "done" (wsload 0.1: exit 107).
import { setTimeout } from "k6/experimental/timers";

export const options = { iterations: 1 };

export default function () {
  setTimeout(() => console.log("tick"), 100);
  console.log("done");
}
