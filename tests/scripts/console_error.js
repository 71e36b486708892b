// console.error() of a caught error: wsload prints its message and the
// script's frames, as it shows script exceptions (k6 v0.48 prints "{}";
// listed in docs/differences.md).
export const options = { vus: 1, iterations: 1 };

function fails() {
  throw new Error("caught here");
}

export default function () {
  try {
    fails();
  } catch (error) {
    console.error(error);
  }
}
