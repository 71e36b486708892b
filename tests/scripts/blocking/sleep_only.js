// Issue row 1: an iteration that only sleeps. k6 v0.48.0, 1 VU, 3s:
// 3 iterations (wsload 0.1 ran ~100,000).
import { sleep } from "k6";

export const options = { vus: 1, duration: "3s" };

export default function () {
  sleep(1);
}
