/**
 * The `k6/metrics` module of a script run by `wsload run`: custom metrics
 * (`Counter`, `Gauge`, `Rate`, `Trend`), as named exports and as the
 * default export object.
 *
 * Metrics are declared in the init code and added to in VU code; samples
 * carry the tags of the code that adds them.
 *
 * @example A custom trend of message round trips
 * ```ts
 * import { Trend } from "./metrics.ts";
 *
 * const roundTrip = new Trend("metrics_module_rtt", true);
 * roundTrip.add(4.2);
 * ```
 *
 * @module
 */
import { CustomMetric } from "./_custom_metric.ts";

// Type-only: the base class documents the constructors' members; k6 has no
// such export, so scripts do not see one.
export type { CustomMetric };

/**
 * A cumulative metric: its summary shows the sum and the rate per second.
 *
 * @example Count received chat messages
 * ```ts
 * import { Counter } from "./metrics.ts";
 *
 * const messages = new Counter("chat_messages_example");
 * messages.add(1, { room: "lobby" });
 * ```
 */
export class Counter extends CustomMetric {
  /**
   * Declares a counter.
   *
   * @param name The metric name: 2 to 128 ASCII letters, digits and
   * underscores, not starting with a digit.
   * @param isTime Whether values are milliseconds.
   * @throws {Error} Outside the init stage of `wsload run`; name taken by
   * another type.
   * @throws {TypeError} Invalid name.
   */
  constructor(name: string, isTime?: boolean) {
    super("counter", name, isTime);
  }
}

/**
 * A metric that keeps its last value (plus min and max).
 *
 * @example Track the size of a queue
 * ```ts
 * import { Gauge } from "./metrics.ts";
 *
 * const queued = new Gauge("queued_messages_example");
 * queued.add(3);
 * ```
 */
export class Gauge extends CustomMetric {
  /**
   * Declares a gauge.
   *
   * @param name The metric name: 2 to 128 ASCII letters, digits and
   * underscores, not starting with a digit.
   * @param isTime Whether values are milliseconds.
   * @throws {Error} Outside the init stage of `wsload run`; name taken by
   * another type.
   * @throws {TypeError} Invalid name.
   */
  constructor(name: string, isTime?: boolean) {
    super("gauge", name, isTime);
  }
}

/**
 * A metric of the share of non-zero values (`true` counts as 1).
 *
 * @example Share of replies that arrived in order
 * ```ts
 * import { Rate } from "./metrics.ts";
 *
 * const inOrder = new Rate("replies_in_order_example");
 * inOrder.add(true);
 * inOrder.add(false);
 * ```
 */
export class Rate extends CustomMetric {
  /**
   * Declares a rate.
   *
   * @param name The metric name: 2 to 128 ASCII letters, digits and
   * underscores, not starting with a digit.
   * @param isTime Whether values are milliseconds.
   * @throws {Error} Outside the init stage of `wsload run`; name taken by
   * another type.
   * @throws {TypeError} Invalid name.
   */
  constructor(name: string, isTime?: boolean) {
    super("rate", name, isTime);
  }
}

/**
 * A metric of value statistics: min, max, average, median, percentiles.
 *
 * @example Time from send to echo
 * ```ts
 * import { Trend } from "./metrics.ts";
 *
 * const echo = new Trend("echo_time_example", true);
 * echo.add(3.1);
 * ```
 */
export class Trend extends CustomMetric {
  /**
   * Declares a trend.
   *
   * @param name The metric name: 2 to 128 ASCII letters, digits and
   * underscores, not starting with a digit.
   * @param isTime Whether values are milliseconds.
   * @throws {Error} Outside the init stage of `wsload run`; name taken by
   * another type.
   * @throws {TypeError} Invalid name.
   */
  constructor(name: string, isTime?: boolean) {
    super("trend", name, isTime);
  }
}

/** The `k6/metrics` default export: the four constructors in one object. */
const metrics: {
  readonly Counter: typeof Counter;
  readonly Gauge: typeof Gauge;
  readonly Rate: typeof Rate;
  readonly Trend: typeof Trend;
} = Object.freeze({ Counter, Gauge, Rate, Trend });

export default metrics;
