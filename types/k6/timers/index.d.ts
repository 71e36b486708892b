/** `k6/timers`. @module */
// `any` as in @types/k6: the callback takes whatever arguments are passed.
// deno-lint-ignore-file no-explicit-any
export function setTimeout(
  functionRef: (...args: any[]) => void,
  delay: number,
  ...args: any[]
): TimeoutID;
export function clearTimeout(timeoutID: TimeoutID): void;
export function setInterval(
  functionRef: (...args: any[]) => void,
  delay: number,
  ...args: any[]
): IntervalID;
export function clearInterval(intervalID: IntervalID): void;
export type TimeoutID = number;
export type IntervalID = number;
