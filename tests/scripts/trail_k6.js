// What k6 v0.48.0 reports at the end of each call of a script function,
// network or not: data_sent and data_received (0 here), then, for a call
// that ran to its end, iteration_duration (setup() and teardown() count in
// it, as k6's docs say), then, for a VU iteration, iterations. Its JSON
// output has, in this order (group / scenario tags):
//   data_sent, data_received, iteration_duration         ::setup
//   data_sent, data_received, iteration_duration, iterations   "" default
//   (the same for the second iteration)
//   data_sent, data_received, iteration_duration         ::teardown
export const options = { vus: 1, iterations: 2 };

export function setup() {
  return 1;
}

export default function () {}

export function teardown() {}
