/** `k6/metrics`: custom metrics. @module */
export abstract class Metric {
  constructor(name: string, isTime?: boolean);
  name: string;
  add(value: number | boolean, tags?: { [name: string]: string }): void;
}
export class Counter extends Metric {}
export class Gauge extends Metric {}
export class Rate extends Metric {}
export class Trend extends Metric {}
