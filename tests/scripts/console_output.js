// Logs one console line per iteration.
export const options = { vus: 1, iterations: 3 };

export default function () {
  console.log(`iteration ${__ITER}`);
}
