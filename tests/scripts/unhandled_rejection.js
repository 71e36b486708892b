// A script whose promises reject with nobody listening: an async function
// called without await, and check() on a rejected promise.
import { check } from "k6";

export const options = { vus: 2, iterations: 4 };

// deno-lint-ignore require-await -- an async function that throws is the point
async function work() {
  throw new Error("async boom");
}

export default function () {
  work();
  check(Promise.reject(new Error("rejected value")), { "never": () => true });
}
