/** `k6/timers`. @module */
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
