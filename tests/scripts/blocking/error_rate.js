// Issue row 8: the common `errRate.add(!check(res, …))`, here against a
// refused port. k6 v0.48.0: check() returns the boolean false, the rate
// records 3 errors of 3, the threshold fails, exit 99 (wsload 0.1: a
// Promise, so `!ok` was false: 0 errors, exit 0).
import ws from "k6/ws";
import { check } from "k6";
import { Rate } from "k6/metrics";

const errRate = new Rate("errors");

export const options = { iterations: 3, thresholds: { errors: ["rate==0"] } };

export default function () {
  const res = ws.connect(__ENV.BAD_URL, null, (socket) => {
    socket.on("open", () => socket.close());
  });
  const ok = check(res, { "status is 101": (r) => r && r.status === 101 });
  console.log(`check returned ${typeof ok} ${ok}`);
  errRate.add(!ok);
}
