// A local module with init-time state, imported by module_state.js.
import exec from "k6/execution";

export const WORKLOAD = __ENV.WORKLOAD;
export const initVU = __VU;
export const text = open("./data.txt").trim();
let counter = 0;

export function next() {
  counter += 1;
  return counter;
}

export function describe() {
  return `vu=${exec.vu.idInTest} init=${initVU} workload=${WORKLOAD} text=${text} count=${next()}`;
}
