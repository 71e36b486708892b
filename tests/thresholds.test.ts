import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { MetricRegistry } from "../metrics/registry.ts";
import type { Metric } from "../metrics/metric.ts";
import type { Tags } from "../metrics/tags.ts";
import {
  CHECKS,
  WS_CONNECTING,
  WS_MSGS_SENT,
  WS_SESSIONS,
} from "../metrics/builtin.ts";
import {
  CounterSink,
  GaugeSink,
  MetricsEngine,
  MetricThresholds,
  parseThresholdExpression,
  parseThresholds,
  RateSink,
  readThresholdsOption,
  type Sink,
  Threshold,
  type ThresholdOperator,
  TrendSink,
} from "../runner/engine/mod.ts";

function emit(
  engine: MetricsEngine,
  metric: Metric,
  value: number,
  tags: Tags = {},
): void {
  engine.ingest({ metric, value, tags, time: Date.now() });
}

function warnings(): { warn(message: string): void; lines: string[] } {
  const lines: string[] = [];
  return { lines, warn: (message) => lines.push(message) };
}

// Custom metrics of each type, as init code would define them.
function customRegistry(): MetricRegistry {
  const registry = new MetricRegistry();
  registry.define("hits", "counter");
  registry.define("level", "gauge");
  registry.define("ok_rate", "rate");
  registry.define("latency", "trend", "time");
  return registry;
}

describe("parseThresholdExpression", () => {
  const valid: [string, object][] = [
    ["p(95)<200", {
      aggregation: "p",
      percentile: 95,
      operator: "<",
      value: 200,
    }],
    [" p(99.9) <= 250.5 ", {
      aggregation: "p",
      percentile: 99.9,
      operator: "<=",
      value: 250.5,
    }],
    ["p(0)>0", { aggregation: "p", percentile: 0, operator: ">", value: 0 }],
    ["p(100)>=1e3", {
      aggregation: "p",
      percentile: 100,
      operator: ">=",
      value: 1000,
    }],
    ["rate>0.99", { aggregation: "rate", operator: ">", value: 0.99 }],
    ["count < 10", { aggregation: "count", operator: "<", value: 10 }],
    ["avg==-1", { aggregation: "avg", operator: "==", value: -1 }],
    ["med===.5", { aggregation: "med", operator: "===", value: 0.5 }],
    ["min!=0", { aggregation: "min", operator: "!=", value: 0 }],
    ["max>=1_000", { aggregation: "max", operator: ">=", value: 1000 }],
    ["value<0x10p0", { aggregation: "value", operator: "<", value: 16 }],
  ];
  for (const [source, expected] of valid) {
    it(`parses '${source}'`, () => {
      assert.deepEqual(parseThresholdExpression(source), expected);
    });
  }

  const malformed: [string, string][] = [
    [
      "rate",
      `failed parsing threshold expression "rate"; reason: malformed threshold expression`,
    ],
    [
      "rate=1",
      `failed parsing threshold expression "rate=1"; reason: malformed threshold expression`,
    ],
    [
      "rate<",
      `failed parsing threshold expression "rate<"; reason: malformed threshold expression`,
    ],
    [
      "p95<1",
      `failed parsing threshold expression's "p95<1" left hand side; reason: failed parsing method from expression`,
    ],
    [
      "average<1",
      `failed parsing threshold expression's "average<1" left hand side; reason: failed parsing method from expression`,
    ],
    [
      "p(x)<1",
      `failed parsing threshold expression's "p(x)<1" left hand side; reason: malformed percentile value; reason: "x" is not a number`,
    ],
    [
      "p( 95 )<1",
      `failed parsing threshold expression's "p( 95 )<1" left hand side; reason: malformed percentile value; reason: " 95 " is not a number`,
    ],
    [
      "rate<abc",
      `failed parsing threshold expresion's "rate<abc" right hand side; reason: "abc" is not a number`,
    ],
    [
      "rate<==1",
      `failed parsing threshold expresion's "rate<==1" right hand side; reason: "=1" is not a number`,
    ],
    [
      "rate<1_",
      `failed parsing threshold expresion's "rate<1_" right hand side; reason: "1_" is not a number`,
    ],
    [
      "rate<1e400",
      `failed parsing threshold expresion's "rate<1e400" right hand side; reason: "1e400" is out of range for a number`,
    ],
  ];
  for (const [source, message] of malformed) {
    it(`throws SyntaxError for '${source}'`, () => {
      assert.throws(
        () => parseThresholdExpression(source),
        new SyntaxError(message),
      );
    });
  }

  for (const source of ["p(101)<1", "p(-0.5)<1", "p(NaN)<1", "p(inf)<1"]) {
    it(`throws RangeError for '${source}'`, () => {
      assert.throws(
        () => parseThresholdExpression(source),
        new RangeError(
          `failed parsing threshold expression's "${source}" left hand side; reason: malformed percentile value, provide a number between 0 and 100`,
        ),
      );
    });
  }
});

describe("readThresholdsOption", () => {
  it("reads strings and objects, with delayAbortEval in ms", () => {
    const specs = readThresholdsOption({
      checks: [
        "rate>0.9",
        { threshold: "rate>0.5", abortOnFail: true, delayAbortEval: "1m30s" },
        { threshold: "rate>0.1", delayAbortEval: 2500 },
        { threshold: "rate>0", delayAbortEval: "1500" },
      ],
    });
    assert.deepEqual(specs.get("checks"), [
      { source: "rate>0.9", abortOnFail: false, delayAbortEvalMs: undefined },
      { source: "rate>0.5", abortOnFail: true, delayAbortEvalMs: 90_000 },
      { source: "rate>0.1", abortOnFail: false, delayAbortEvalMs: 2500 },
      { source: "rate>0", abortOnFail: false, delayAbortEvalMs: 1500 },
    ]);
  });

  it("throws TypeError when a metric's thresholds are not an array", () => {
    assert.throws(
      () => readThresholdsOption({ checks: "rate>0.9" }),
      new TypeError(
        "invalid thresholds for metric 'checks': expected an array of threshold expressions or {threshold, abortOnFail, delayAbortEval} objects, got 'rate>0.9'",
      ),
    );
  });

  it("throws TypeError for a threshold object without expression", () => {
    assert.throws(
      () => readThresholdsOption({ checks: [{ abortOnFail: true }] }),
      new TypeError(
        "invalid threshold on metric 'checks': 'threshold' must be an expression string, got undefined",
      ),
    );
  });

  it("throws TypeError for a non-boolean abortOnFail", () => {
    assert.throws(
      () =>
        readThresholdsOption({
          checks: [{ threshold: "rate>0", abortOnFail: "yes" }],
        }),
      TypeError,
    );
  });

  it("throws SyntaxError with Go's text for a bad delayAbortEval", () => {
    assert.throws(
      () =>
        readThresholdsOption({
          checks: [{ threshold: "rate>0", delayAbortEval: "soon" }],
        }),
      new SyntaxError(
        `invalid threshold on metric 'checks' 'rate>0': invalid 'delayAbortEval': invalid duration "soon" (e.g. 30s, 1m30s, 500ms)`,
      ),
    );
  });

  it("throws TypeError when the option is not an object", () => {
    assert.throws(() => readThresholdsOption(["rate>0"]), TypeError);
  });
});

describe("parseThresholds", () => {
  it("accepts custom metrics defined in the registry", () => {
    const sets = parseThresholds({
      hits: ["count>1", "rate<5"],
      level: ["value<3"],
      ok_rate: ["rate>=0.5"],
      "latency{ kind : echo }": ["avg<1", "min<1", "max<1", "med<1", "p(9)<1"],
    }, customRegistry());
    assert.deepEqual(sets.map((set) => set.key), [
      "hits",
      "level",
      "ok_rate",
      "latency{ kind : echo }",
    ]);
  });

  it("throws TypeError with k6's text for an unknown metric", () => {
    assert.throws(
      () => parseThresholds({ "nope{a:b}": ["count>1"] }, customRegistry()),
      new TypeError(
        `invalid threshold defined on nope{a:b}; reason: no metric name "nope{a:b}" found`,
      ),
    );
  });

  const unsupported: [string, string, string, string][] = [
    [
      "hits",
      "value>1",
      "value",
      "counter. supported aggregation methods for this metric are: count, rate",
    ],
    [
      "level",
      "count>1",
      "count",
      "gauge. supported aggregation methods for this metric are: value",
    ],
    [
      "ok_rate",
      "count>1",
      "count",
      "rate. supported aggregation methods for this metric are: rate",
    ],
    [
      "latency",
      "rate>1",
      "rate",
      "trend. supported aggregation methods for this metric are: avg, min, max, med, p",
    ],
  ];
  for (const [metric, source, method, rest] of unsupported) {
    it(`throws TypeError for '${source}' on a ${rest.split(".")[0]}`, () => {
      assert.throws(
        () => parseThresholds({ [metric]: [source] }, customRegistry()),
        new TypeError(
          `invalid threshold "${source}" applied on metric ${metric}; reason: unsupported aggregation method ${method} on metric of type ${rest}`,
        ),
      );
    });
  }

  it("throws SyntaxError with k6's text for a malformed key", () => {
    assert.throws(
      () => parseThresholds({ "hits{a}": ["count>1"] }, customRegistry()),
      new SyntaxError(
        `unable to validate threshold expressions; reason: parsing metric name failed, metric "a" tag expression is malformed`,
      ),
    );
  });

  it("reports the first bad key in definition order", () => {
    assert.throws(
      () =>
        parseThresholds(
          { nope: ["count>1"], hits: ["garbage"] },
          customRegistry(),
        ),
      new TypeError(
        `invalid threshold defined on nope; reason: no metric name "nope" found`,
      ),
    );
  });

  it("skips metric validation without a registry", () => {
    assert.equal(parseThresholds({ nope: ["count>1"] }).length, 1);
  });
});

describe("Threshold", () => {
  describe("#run", () => {
    const counter = new CounterSink();
    counter.add(4);
    counter.add(6);
    const gauge = new GaugeSink();
    gauge.add(9, 1);
    gauge.add(5, 2);
    const rate = new RateSink();
    for (const value of [1, 1, 1, 0]) rate.add(value);
    const trend = new TrendSink();
    for (const value of [5, 1, 4, 2, 3]) trend.add(value);
    const elapsedMs = 4000;
    const cases: [string, Sink, string, number][] = [
      ["counter", counter, "count", 10],
      ["counter", counter, "rate", 2.5],
      ["gauge", gauge, "value", 5],
      ["rate", rate, "rate", 0.75],
      ["trend", trend, "avg", 3],
      ["trend", trend, "min", 1],
      ["trend", trend, "max", 5],
      ["trend", trend, "med", 3],
      ["trend", trend, "p(90)", trend.percentile(90)],
      ["trend", trend, "p(12.5)", trend.percentile(12.5)],
    ];
    // Whether `actual <op> threshold` holds for a threshold below, equal
    // to, and above the actual value.
    const outcomes: [ThresholdOperator, [boolean, boolean, boolean]][] = [
      [">", [true, false, false]],
      [">=", [true, true, false]],
      ["<", [false, false, true]],
      ["<=", [false, true, true]],
      ["==", [false, true, false]],
      ["===", [false, true, false]],
      ["!=", [true, false, true]],
    ];
    for (const [type, sink, aggregation, actual] of cases) {
      for (const [operator, expected] of outcomes) {
        it(`compares ${type} ${aggregation} ${operator} at the boundary`, () => {
          const results = [actual - 0.25, actual, actual + 0.25].map((value) =>
            new Threshold(`${aggregation}${operator}${value}`, false, undefined)
              .run(sink, elapsedMs)
          );
          assert.deepEqual(results, expected);
        });
      }
    }

    it("passes a Rate without samples and a Counter rate at zero time", () => {
      const never = new Threshold("rate>2", false, undefined);
      assert.equal(never.run(new RateSink(), 1000), true);
      assert.equal(never.lastValue, undefined);
      assert.equal(never.run(counter, 0), true);
      assert.equal(never.run(counter, 1000), true);
      assert.equal(never.run(counter, 10_000), false);
    });

    it("evaluates an empty Trend and Gauge as 0", () => {
      for (
        const source of ["avg==0", "min==0", "max==0", "med==0", "p(95)==0"]
      ) {
        assert.equal(
          new Threshold(source, false, undefined).run(new TrendSink(), 1),
          true,
        );
      }
      assert.equal(
        new Threshold("value==0", false, undefined).run(new GaugeSink(), 1),
        true,
      );
    });
  });
});

describe("MetricThresholds", () => {
  describe("#run", () => {
    const failing = new CounterSink();
    failing.add(1);

    it("aborts at once on a failing abortOnFail threshold without delay", () => {
      const set = new MetricThresholds("errors", [
        new Threshold("count<1", true, undefined),
      ]);
      assert.equal(set.run(failing, 0), false);
      assert.equal(set.abort, true);
    });

    it("aborts only once the test time exceeds delayAbortEval", () => {
      const set = new MetricThresholds("errors", [
        new Threshold("count<1", true, 10_000),
      ]);
      set.run(failing, 9_000);
      assert.equal(set.abort, false);
      set.run(failing, 10_000);
      assert.equal(set.abort, false);
      set.run(failing, 10_001);
      assert.equal(set.abort, true);
    });

    it("does not abort for a failing threshold without abortOnFail", () => {
      const set = new MetricThresholds("errors", [
        new Threshold("count<1", false, undefined),
        new Threshold("count<5", true, undefined),
      ]);
      assert.equal(set.run(failing, 1000), false);
      assert.equal(set.abort, false);
    });

    it("keeps the abort once set", () => {
      const sink = new CounterSink();
      sink.add(1);
      const set = new MetricThresholds("errors", [
        new Threshold("count<2", true, undefined),
      ]);
      set.run(sink, 1000);
      assert.equal(set.abort, false);
      sink.add(1);
      set.run(sink, 2000);
      assert.equal(set.abort, true);
      set.run(new CounterSink(), 3000);
      assert.equal(set.abort, true);
    });
  });
});

describe("MetricsEngine", () => {
  describe("constructor", () => {
    it("validates thresholds against the given registry", () => {
      assert.throws(
        () =>
          new MetricsEngine({
            registry: customRegistry(),
            thresholds: { ws_connecting: ["p(95)<1"] },
          }),
        new TypeError(
          `invalid threshold defined on ws_connecting; reason: no metric name "ws_connecting" found`,
        ),
      );
      assert.ok(
        new MetricsEngine({ thresholds: { ws_connecting: ["p(95)<1"] } })
          .hasThresholds,
      );
    });

    it("warns about sub-metrics on the non-indexable vu and iter tags", () => {
      const logger = warnings();
      new MetricsEngine({
        logger,
        thresholds: { "ws_sessions{vu:1}": ["count>0"] },
      });
      assert.deepEqual(logger.lines, [
        "The high-cardinality 'vu' metric tag was made non-indexable in k6 v0.41.0, so thresholds like 'ws_sessions{vu:1}' that are based on it won't work correctly.",
      ]);
    });
  });

  describe("#evaluate", () => {
    it("skips metrics without samples during the run", () => {
      const engine = new MetricsEngine({
        thresholds: { ws_sessions: ["count>0"], checks: ["rate>0.5"] },
      });
      assert.deepEqual(engine.evaluate(2000), { failed: [], abort: false });
      const snapshot = engine.snapshot(2000).rootGroup.metrics;
      assert.deepEqual(
        snapshot.map((metric) => [metric.name, metric.thresholds[0].ok]),
        [["checks", true], ["ws_sessions", true]],
      );
    });

    it("evaluates metrics without samples at the end, as zero", () => {
      const engine = new MetricsEngine({
        thresholds: {
          ws_sessions: ["count>0"],
          checks: ["rate>0.5"],
          ws_connecting: ["p(95)<1", "avg>0"],
        },
      });
      assert.deepEqual(engine.evaluate(2000, { final: true }), {
        failed: ["ws_connecting", "ws_sessions"],
        abort: false,
        message:
          "thresholds on metrics 'ws_connecting, ws_sessions' have been crossed",
      });
      const [, connecting] = engine.snapshot(2000).rootGroup.metrics;
      assert.deepEqual(
        connecting.thresholds.map((
          { source, ok, value },
        ) => [source, ok, value]),
        [["p(95)<1", true, 0], ["avg>0", false, 0]],
      );
    });

    it("reports crossed sub-metrics by their name", () => {
      const engine = new MetricsEngine({
        thresholds: {
          "ws_connecting{ status:101 }": ["max<100"],
          "ws_connecting{status:404}": ["max<100"],
        },
      });
      emit(engine, WS_CONNECTING, 500, { status: "404" });
      emit(engine, WS_CONNECTING, 50, { status: "101" });
      const result = engine.evaluate(1000);
      assert.deepEqual(result.failed, ["ws_connecting{status:404}"]);
    });

    it("applies every threshold of keys naming the same sub-metric", () => {
      const engine = new MetricsEngine({
        thresholds: {
          "ws_connecting{a:1,b:2}": ["max<100"],
          "ws_connecting{b:2,a:1}": ["min>10"],
        },
      });
      emit(engine, WS_CONNECTING, 5, { a: "1", b: "2" });
      const [, submetric] = engine.snapshot(1000).rootGroup.metrics;
      assert.equal(submetric.thresholds.length, 2);
      assert.deepEqual(engine.evaluate(1000).failed, [
        "ws_connecting{a:1,b:2}",
      ]);
    });

    it("aborts with k6's message once delayAbortEval has passed", () => {
      const engine = new MetricsEngine({
        thresholds: {
          checks: [{
            threshold: "rate>0.9",
            abortOnFail: true,
            delayAbortEval: "10s",
          }],
          ws_msgs_sent: ["count<1"],
        },
      });
      emit(engine, CHECKS, 0);
      emit(engine, WS_MSGS_SENT, 1);
      assert.deepEqual(engine.evaluate(4000), {
        failed: ["checks", "ws_msgs_sent"],
        abort: false,
      });
      assert.deepEqual(engine.evaluate(12_000), {
        failed: ["checks", "ws_msgs_sent"],
        abort: true,
        message:
          "thresholds on metrics 'checks, ws_msgs_sent' were crossed; at least one has abortOnFail enabled, stopping test prematurely",
      });
      const final = engine.evaluate(12_500, { final: true });
      assert.equal(final.abort, false);
      assert.equal(
        final.message,
        "thresholds on metrics 'checks, ws_msgs_sent' have been crossed",
      );
    });

    it("records each threshold's last result for the snapshot", () => {
      const engine = new MetricsEngine({
        thresholds: { ws_sessions: ["count<2"] },
      });
      emit(engine, WS_SESSIONS, 1);
      engine.evaluate(2000);
      const first = engine.snapshot(2000).rootGroup.metrics[0].thresholds[0];
      assert.deepEqual([first.ok, first.value], [true, 1]);
      emit(engine, WS_SESSIONS, 1);
      engine.evaluate(4000);
      const second = engine.snapshot(4000).rootGroup.metrics[0].thresholds[0];
      assert.deepEqual([second.ok, second.value], [false, 2]);
    });

    it("throws RangeError for a negative or non-finite time", () => {
      const engine = new MetricsEngine();
      for (const bad of [-1, NaN, Infinity]) {
        assert.throws(() => engine.evaluate(bad), RangeError);
      }
    });
  });

  describe("with noThresholds", () => {
    it("neither parses nor evaluates, but keys still create sub-metrics", () => {
      const logger = warnings();
      const engine = new MetricsEngine({
        noThresholds: true,
        logger,
        thresholds: {
          "ws_connecting{status:101}": ["not an expression"],
          "nope": ["count>1"],
          "ws_sessions{a:1": ["count>1"],
        },
      });
      assert.equal(engine.hasThresholds, false);
      assert.deepEqual(logger.lines, [
        "Invalid metric 'nope' in threshold definitions: metric 'nope' does not exist in the script",
        "Invalid metric 'ws_sessions{a:1' in threshold definitions: missing ending bracket, sub-metric format needs to be 'metric{key:value}'",
      ]);
      emit(engine, WS_CONNECTING, 7, { status: "101" });
      emit(engine, WS_CONNECTING, 70, { status: "200" });
      assert.deepEqual(engine.evaluate(1000, { final: true }), {
        failed: [],
        abort: false,
      });
      const metrics = engine.snapshot(1000).rootGroup.metrics;
      assert.deepEqual(
        metrics.map((metric) => [metric.name, metric.values.count]),
        [["ws_connecting", 2], ["ws_connecting{status:101}", 1]],
      );
      assert.deepEqual(metrics[1].thresholds, []);
    });
  });
});
