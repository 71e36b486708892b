// Timers as k6 v0.48.0 has them: ids count per VU from 1 across its
// iterations (203 timers per iteration), and a zero timeout waits for
// nothing: 200 chained ones run before a 100 ms timeout (with the runtime's
// 1 ms minimum they would take 200 ms or more). k6 v0.48.0 prints, in some
// VU order:
//   vu 1 iter 0: ids 1 2 3, zero timeouts first
//   vu 1 iter 1: ids 204 205 206, zero timeouts first
//   (and the same for vu 2)
import exec from "k6/execution";
import { clearInterval, setInterval, setTimeout } from "k6/experimental/timers";

export const options = {
  scenarios: {
    timers: { executor: "per-vu-iterations", vus: 2, iterations: 2 },
  },
};

export default function () {
  const first = setTimeout(() => {}, 1);
  const interval = setInterval(() => {}, 1);
  clearInterval(interval);
  let hops = 0;
  let order = "";
  const hop = () => {
    if (++hops < 200) setTimeout(hop, 0);
    else if (order === "") order = "zero timeouts first";
  };
  const last = setTimeout(() => {
    if (order === "") order = "100 ms timeout first";
    const vu = exec.vu.idInTest;
    const iter = exec.vu.iterationInScenario;
    console.log(
      `vu ${vu} iter ${iter}: ids ${first} ${interval} ${last}, ${order}`,
    );
  }, 100);
  setTimeout(hop);
}
