import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { MetricRegistry } from "../metrics/registry.ts";
import type { Metric } from "../metrics/metric.ts";
import type { Tags } from "../metrics/tags.ts";
import { Context } from "../context/context.ts";
import {
  CHECKS,
  GROUP_DURATION,
  VUS,
  WS_CONNECTING,
  WS_MSGS_RECEIVED,
  WS_MSGS_SENT,
} from "../metrics/builtin.ts";
import {
  CounterSink,
  createSink,
  DEFAULT_TREND_STATS,
  EXACT_TREND_LIMIT,
  GaugeSink,
  GroupTree,
  MetricsEngine,
  type MetricSnapshot,
  parseMetricKey,
  parseTrendStats,
  pathId,
  RateSink,
  SKETCH_BIN_LIMIT,
  tagSetKey,
  TrendSink,
  validateMetricKey,
} from "../runner/engine/mod.ts";

// Reference: k6's TrendSink.P on an independently sorted copy.
function k6Percentile(values: ArrayLike<number>, percentile: number): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return 0;
  if (n === 1) return sorted[0];
  const i = (percentile / 100) * (n - 1);
  const low = sorted[Math.floor(i)];
  const high = sorted[Math.ceil(i)];
  return low + (high - low) * (i - Math.floor(i));
}

// Deterministic pseudo-random numbers in [0, 1) (mulberry32).
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function relativeError(actual: number, expected: number): number {
  if (expected === 0) return Math.abs(actual);
  return Math.abs(actual - expected) / Math.abs(expected);
}

function trendOf(values: Iterable<number>): TrendSink {
  const trend = new TrendSink();
  for (const value of values) trend.add(value);
  return trend;
}

function md5(text: string): string {
  return createHash("md5").update(text).digest("hex");
}

function emit(
  engine: MetricsEngine,
  metric: Metric,
  value: number,
  tags: Tags = {},
  time: number = Date.now(),
): void {
  engine.ingest({ metric, value, tags, time });
}

function metricNamed(
  metrics: readonly MetricSnapshot[],
  name: string,
): MetricSnapshot {
  const metric = metrics.find((candidate) => candidate.name === name);
  assert.ok(metric, `no metric ${name} in ${metrics.map((m) => m.name)}`);
  return metric;
}

const PERCENTILES = [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 100];

describe("CounterSink", () => {
  it("sums values and divides by test seconds for the rate", () => {
    const counter = new CounterSink();
    for (const value of [1, 2, 3.5]) counter.add(value);
    assert.deepEqual(counter.summarize(2500), { count: 6.5, rate: 2.6 });
  });

  it("reports a rate of 0 at zero test time", () => {
    const counter = new CounterSink();
    counter.add(4);
    assert.equal(counter.summarize(0).rate, 0);
  });

  it("is empty until the first sample, even a zero one", () => {
    const counter = new CounterSink();
    assert.equal(counter.empty, true);
    counter.add(0);
    assert.equal(counter.empty, false);
  });
});

describe("GaugeSink", () => {
  it("keeps the last value and the extremes", () => {
    const gauge = new GaugeSink();
    for (const [i, value] of [3, 9, -2, 4].entries()) gauge.add(value, i);
    assert.deepEqual(gauge.summarize(), { value: 4, min: -2, max: 9 });
  });

  it("gives zeros when empty", () => {
    assert.deepEqual(new GaugeSink().summarize(), { value: 0, min: 0, max: 0 });
  });

  describe("#merge", () => {
    it("takes the value measured last, whichever sink had it", () => {
      const early = new GaugeSink();
      early.add(10, 1000);
      const late = new GaugeSink();
      late.add(7, 2000);
      const a = new GaugeSink();
      a.merge(late.state());
      a.merge(early.state());
      assert.deepEqual(a.summarize(), { value: 7, min: 7, max: 10 });
    });
  });
});

describe("RateSink", () => {
  it("counts every non-zero value as a pass", () => {
    const rate = new RateSink();
    for (const value of [1, 0, -1, 0.5, 0]) rate.add(value);
    assert.deepEqual(rate.summarize(), { rate: 0.6, passes: 3, fails: 2 });
  });

  it("has a rate of 0 when empty", () => {
    assert.deepEqual(new RateSink().summarize(), {
      rate: 0,
      passes: 0,
      fails: 0,
    });
  });
});

describe("createSink", () => {
  it("throws TypeError for an unknown metric type", () => {
    assert.throws(
      () => createSink("histogram" as "trend"),
      new TypeError(
        "unknown metric type 'histogram', expected one of counter, gauge, rate, trend",
      ),
    );
  });
});

describe("TrendSink", () => {
  describe("#percentile", () => {
    it("interpolates between neighbours like k6", () => {
      const trend = trendOf([7, 1, 10, 3, 5, 2, 9, 4, 8, 6]);
      assert.equal(trend.percentile(50), 5.5);
      assert.equal(trend.percentile(25), 3.25);
      assert.equal(trend.percentile(0), 1);
      assert.equal(trend.percentile(100), 10);
      assert.equal(
        trend.percentile(95),
        k6Percentile(trend.state().values!, 95),
      );
    });

    it("supports decimal percentiles", () => {
      const values = Array.from({ length: 1001 }, (_, i) => i * 2);
      const trend = trendOf(values);
      assert.equal(trend.percentile(99.9), k6Percentile(values, 99.9));
      assert.ok(Math.abs(trend.percentile(99.9) - 1998) < 1e-9);
      assert.equal(trend.percentile(0.05), 1);
    });

    it("returns the only value for every percentile of one sample", () => {
      const trend = trendOf([42]);
      for (const p of PERCENTILES) assert.equal(trend.percentile(p), 42);
    });

    it("returns 0 without samples", () => {
      assert.equal(new TrendSink().percentile(95), 0);
    });

    it("stays right when samples arrive after a read", () => {
      const trend = trendOf([5, 1]);
      assert.equal(trend.percentile(50), 3);
      trend.add(0);
      trend.add(100);
      assert.equal(trend.percentile(50), 3);
      assert.equal(trend.percentile(100), 100);
    });
  });

  describe("#summarize", () => {
    it("gives avg, min, med, max, count and the requested percentiles", () => {
      const trend = trendOf([4, 8, 1, 3]);
      assert.deepEqual(
        trend.summarize(0, parseTrendStats(["p(90)", "p(99.5)"])),
        {
          avg: 4,
          min: 1,
          med: 3.5,
          max: 8,
          count: 4,
          "p(90)": k6Percentile([4, 8, 1, 3], 90),
          "p(99.5)": k6Percentile([4, 8, 1, 3], 99.5),
        },
      );
    });

    it("gives zeros when empty", () => {
      assert.deepEqual(
        new TrendSink().summarize(0, parseTrendStats(["p(95)"])),
        {
          avg: 0,
          min: 0,
          med: 0,
          max: 0,
          count: 0,
          "p(95)": 0,
        },
      );
    });
  });

  describe("exact and sketch modes", () => {
    it(`is exact up to ${EXACT_TREND_LIMIT} samples, then sketches`, () => {
      const next = random(1);
      const values = Array.from({ length: EXACT_TREND_LIMIT }, () => next());
      const trend = trendOf(values);
      assert.equal(trend.exact, true);
      for (const p of PERCENTILES) {
        assert.equal(trend.percentile(p), k6Percentile(values, p));
      }
      trend.add(0.5);
      assert.equal(trend.exact, false);
      assert.equal(trend.count, EXACT_TREND_LIMIT + 1);
    });

    const distributions: [string, (next: () => number) => number][] = [
      ["uniform 0-1000 ms", (next) => next() * 1000],
      ["exponential, mean 50 ms", (next) => -50 * Math.log(1 - next())],
      [
        "log-normal, heavy tail",
        (next) => {
          const normal = Math.sqrt(-2 * Math.log(1 - next())) *
            Math.cos(2 * Math.PI * next());
          return Math.exp(3 + 1.5 * normal);
        },
      ],
      ["signed, around zero", (next) => (next() - 0.3) * 200],
    ];
    for (const [name, draw] of distributions) {
      it(`is within 1% of k6 on 1e6 samples: ${name}`, () => {
        const next = random(name.length);
        const values = new Float64Array(1_000_000);
        const trend = new TrendSink();
        let sum = 0;
        for (let i = 0; i < values.length; i++) {
          const value = draw(next);
          values[i] = value;
          sum += value;
          trend.add(value);
        }
        assert.equal(trend.count, values.length);
        assert.equal(trend.sum, sum);
        const sorted = Float64Array.from(values).sort();
        assert.equal(trend.min, sorted[0]);
        assert.equal(trend.max, sorted[sorted.length - 1]);
        for (const p of PERCENTILES) {
          const expected = k6Percentile(sorted, p);
          const actual = trend.percentile(p);
          assert.ok(
            relativeError(actual, expected) <= 0.01 ||
              Math.abs(actual - expected) < 1e-9,
            `p(${p}): ${actual} vs k6 ${expected}`,
          );
        }
        assert.ok(trend.storageSize <= 2 * SKETCH_BIN_LIMIT);
      });
    }

    it("keeps memory bounded whatever the sample count and range", () => {
      const trend = new TrendSink();
      const next = random(7);
      let largest = 0;
      for (let i = 0; i < 2_000_000; i++) {
        // 1 ns to 10^12 ms, both signs: far more keys than bins.
        const magnitude = 10 ** (next() * 18 - 6);
        trend.add(next() < 0.5 ? -magnitude : magnitude);
        largest = Math.max(largest, trend.storageSize);
      }
      assert.ok(largest <= Math.max(EXACT_TREND_LIMIT, 2 * SKETCH_BIN_LIMIT));
      assert.ok(trend.storageSize <= 2 * SKETCH_BIN_LIMIT);
    });
  });

  describe("#merge", () => {
    it("is exact while both together fit the exact limit", () => {
      const a = trendOf([5, 1, 9]);
      const b = trendOf([2, 8]);
      a.merge(b.state());
      const all = [5, 1, 9, 2, 8];
      assert.equal(a.exact, true);
      assert.deepEqual(
        a.summarize(0, parseTrendStats(["p(90)"])),
        trendOf(all).summarize(0, parseTrendStats(["p(90)"])),
      );
    });

    it("merges sketches and raw values within 1% of k6", () => {
      const next = random(99);
      const parts = [30_000, 5_000, 20_000].map((size) =>
        Array.from({ length: size }, () => 1 + next() * 500)
      );
      const merged = new TrendSink();
      for (const part of parts) {
        merged.merge(JSON.parse(JSON.stringify(trendOf(part).state())));
      }
      const all = parts.flat();
      assert.equal(merged.count, all.length);
      assert.equal(merged.min, all.reduce((a, b) => Math.min(a, b)));
      assert.equal(merged.max, all.reduce((a, b) => Math.max(a, b)));
      for (const p of PERCENTILES) {
        const expected = k6Percentile(all, p);
        assert.ok(
          relativeError(merged.percentile(p), expected) <= 0.01,
          `p(${p}): ${merged.percentile(p)} vs ${expected}`,
        );
      }
    });

    it("moves to the sketch when the union outgrows the exact limit", () => {
      const half = Array.from(
        { length: EXACT_TREND_LIMIT / 2 + 1 },
        (_, i) => i + 1,
      );
      const a = trendOf(half);
      a.merge(trendOf(half).state());
      assert.equal(a.exact, false);
      assert.equal(a.count, half.length * 2);
      const expected = k6Percentile([...half, ...half], 50);
      assert.ok(relativeError(a.percentile(50), expected) <= 0.01);
    });

    it("throws TypeError for another metric type's state", () => {
      assert.throws(
        () => new TrendSink().merge(new CounterSink().state()),
        new TypeError("cannot merge a counter into a trend"),
      );
    });
  });
});

describe("validateMetricKey", () => {
  it("accepts a plain name and trimmed tag items", () => {
    assert.deepEqual(validateMetricKey("ws_ping"), {
      metric: "ws_ping",
      tags: [],
    });
    assert.deepEqual(validateMetricKey("checks{ a:1 , b : 2}"), {
      metric: "checks",
      tags: ["a:1", "b : 2"],
    });
  });

  const failures: [string, string][] = [
    [
      "ws_ping{a:1",
      `metric "ws_ping{a:1" has unmatched opening/close curly brace`,
    ],
    ["ws_ping}", `metric "ws_ping}" has unmatched opening/close curly brace`],
    [
      "ws_ping}{",
      `metric "ws_ping}{" closing curly brace appears before opening one`,
    ],
    [
      "ws_ping{a:1}x",
      `metric "ws_ping{a:1}x" lacks a closing curly brace in its last position`,
    ],
    ["ws_ping{a}", `metric "a" tag expression is malformed`],
    ["ws_ping{a:}", `metric "a:" tag expression is malformed`],
    ["ws_ping{a:1,}", `metric "" tag expression is malformed`],
  ];
  for (const [key, problem] of failures) {
    it(`throws SyntaxError for ${key}`, () => {
      assert.throws(
        () => validateMetricKey(key),
        new SyntaxError(`parsing metric name failed, ${problem}`),
      );
    });
  }
});

describe("parseMetricKey", () => {
  it("keeps colons after the first one in the value", () => {
    assert.deepEqual(parseMetricKey("group_duration{group:::main::login}"), {
      metric: "group_duration",
      submetric: {
        suffix: "group:::main::login",
        name: "group_duration{group:::main::login}",
        tags: { group: "::main::login" },
      },
    });
  });

  it("trims whitespace and quotes from names and values", () => {
    const key = parseMetricKey(
      `ws_connecting{ url : "ws://h/x" , 'name':'a b' }`,
    );
    assert.equal(
      key.submetric?.name,
      `ws_connecting{url : "ws://h/x" , 'name':'a b'}`,
    );
    assert.deepEqual(key.submetric?.tags, { url: "ws://h/x", name: "a b" });
  });

  it("treats an item without a colon as an empty value", () => {
    assert.deepEqual(parseMetricKey("checks{myTag}").submetric?.tags, {
      myTag: "",
    });
  });

  it("reads a key without a filter as the metric alone", () => {
    assert.deepEqual(parseMetricKey("checks"), { metric: "checks" });
    assert.deepEqual(parseMetricKey("checks{"), { metric: "checks" });
  });

  it("throws SyntaxError without the closing brace", () => {
    assert.throws(
      () => parseMetricKey("checks{a:1"),
      new SyntaxError(
        "missing ending bracket, sub-metric format needs to be 'metric{key:value}'",
      ),
    );
  });

  it("throws SyntaxError for an empty filter", () => {
    assert.throws(
      () => parseMetricKey("checks{ }"),
      new SyntaxError("submetric criteria for metric 'checks' cannot be empty"),
    );
  });
});

describe("tagSetKey", () => {
  it("is the same whatever order the tags were written in", () => {
    const a = parseMetricKey("checks{a:1,b:2}").submetric!.tags;
    const b = parseMetricKey("checks{ b:2, a:1 }").submetric!.tags;
    const c = parseMetricKey("checks{a:1,b:3}").submetric!.tags;
    assert.equal(tagSetKey(a), tagSetKey(b));
    assert.notEqual(tagSetKey(a), tagSetKey(c));
  });
});

describe("parseTrendStats", () => {
  it("returns the percentile columns as written", () => {
    assert.deepEqual(parseTrendStats(DEFAULT_TREND_STATS), [
      { key: "p(90)", percentile: 90 },
      { key: "p(95)", percentile: 95 },
    ]);
    assert.deepEqual(parseTrendStats(["count", "p(99.99)", "p(0)", "p(100)"]), [
      { key: "p(99.99)", percentile: 99.99 },
      { key: "p(0)", percentile: 0 },
      { key: "p(100)", percentile: 100 },
    ]);
  });

  it("throws SyntaxError for an unknown column", () => {
    assert.throws(
      () => parseTrendStats(["avg", "median"]),
      new SyntaxError("invalid trend stat 'median', unknown format"),
    );
  });

  for (const stat of ["p(101)", "p(-1)", "p(x)", "p()"]) {
    it(`throws RangeError for ${stat}`, () => {
      assert.throws(
        () => parseTrendStats([stat]),
        new RangeError(
          `invalid percentile trend stat value '${stat}', provide a number between 0 and 100`,
        ),
      );
    });
  }
});

describe("GroupTree", () => {
  it("gives k6's md5 ids of group and check paths", () => {
    assert.equal(pathId(""), "d41d8cd98f00b204e9800998ecf8427e");
    const tree = new GroupTree();
    tree.group("::main");
    tree.check("::main", "got pong", true);
    tree.check("", "connected", true);
    const snapshot = tree.root.snapshot(() => []);
    assert.equal(snapshot.id, "d41d8cd98f00b204e9800998ecf8427e");
    assert.deepEqual(snapshot.checks, [{
      name: "connected",
      path: "::connected",
      id: md5("::connected"),
      passes: 1,
      fails: 0,
    }]);
    const [main] = snapshot.groups;
    assert.equal(main.path, "::main");
    assert.equal(main.id, md5("::main"));
    assert.equal(main.checks[0].path, "::main::got pong");
    assert.equal(main.checks[0].id, md5("::main::got pong"));
  });

  it("keeps groups and checks in the order they first ran", () => {
    const tree = new GroupTree();
    tree.group("::b");
    tree.group("::b::inner");
    tree.group("::a");
    tree.check("::a", "second", false);
    tree.check("::a", "first", true);
    tree.check("::a", "second", true);
    tree.group("::b");
    const snapshot = tree.root.snapshot(() => []);
    assert.deepEqual(snapshot.groups.map((group) => group.name), ["b", "a"]);
    assert.deepEqual(snapshot.groups[0].groups.map((group) => group.path), [
      "::b::inner",
    ]);
    assert.deepEqual(
      snapshot.groups[1].checks.map(({ name, passes, fails }) => [
        name,
        passes,
        fails,
      ]),
      [["second", 1, 1], ["first", 1, 0]],
    );
  });

  it("creates missing ancestors of a nested check", () => {
    const tree = new GroupTree();
    tree.check("::x::y", "deep", true);
    const [x] = tree.root.snapshot(() => []).groups;
    assert.equal(x.name, "x");
    assert.equal(x.groups[0].checks[0].path, "::x::y::deep");
  });
});

describe("MetricsEngine", () => {
  describe("#ingest", () => {
    it("aggregates samples per metric", () => {
      const engine = new MetricsEngine();
      emit(engine, WS_MSGS_SENT, 2);
      emit(engine, WS_MSGS_SENT, 3);
      emit(engine, WS_CONNECTING, 10);
      emit(engine, WS_CONNECTING, 30);
      const { metrics } = engine.snapshot(5000).rootGroup;
      assert.deepEqual(metrics.map((metric) => metric.name), [
        "ws_connecting",
        "ws_msgs_sent",
      ]);
      assert.deepEqual(metricNamed(metrics, "ws_msgs_sent").values, {
        count: 5,
        rate: 1,
      });
      assert.equal(metricNamed(metrics, "ws_connecting").values.avg, 20);
    });

    it("feeds a sub-metric only samples carrying all its tags", () => {
      const engine = new MetricsEngine();
      engine.addSubmetric("ws_connecting{status:101,scenario:chat}");
      emit(engine, WS_CONNECTING, 1, { status: "101", scenario: "chat" });
      emit(engine, WS_CONNECTING, 2, {
        status: "101",
        scenario: "chat",
        url: "ws://x",
      });
      emit(engine, WS_CONNECTING, 4, { status: "101" });
      emit(engine, WS_CONNECTING, 8, { status: "404", scenario: "chat" });
      const { metrics } = engine.snapshot(1000).rootGroup;
      assert.equal(metricNamed(metrics, "ws_connecting").values.count, 4);
      const submetric = metricNamed(
        metrics,
        "ws_connecting{status:101,scenario:chat}",
      );
      assert.equal(submetric.values.count, 2);
      assert.equal(submetric.values.max, 2);
      assert.equal(submetric.parent, "ws_connecting");
      assert.deepEqual(submetric.tags, { status: "101", scenario: "chat" });
    });

    it("aggregates same-named metrics of different registries together", () => {
      const first = new MetricRegistry().define("msg_rtt", "trend", "time");
      const second = new MetricRegistry().define("msg_rtt", "trend", "time");
      const engine = new MetricsEngine();
      emit(engine, first, 1);
      emit(engine, second, 3);
      const { metrics } = engine.snapshot(1000).rootGroup;
      assert.equal(metrics.length, 1);
      assert.equal(metrics[0].values.count, 2);
    });

    it("works as a Context sink", () => {
      const engine = new MetricsEngine();
      const context = new Context({ sink: engine.ingest, tags: { a: "1" } });
      context.emit(WS_MSGS_RECEIVED, 1);
      context.emit(WS_MSGS_RECEIVED, 1);
      const [received] = engine.snapshot(2000).rootGroup.metrics;
      assert.deepEqual(received.values, { count: 2, rate: 1 });
    });
  });

  describe("#addSubmetric", () => {
    it("returns the existing sub-metric for the same tags in any order", () => {
      const engine = new MetricsEngine();
      const name = engine.addSubmetric("ws_connecting{a:1,b:2}");
      assert.equal(engine.addSubmetric("ws_connecting{ b:2 , a:1 }"), name);
    });

    it("throws SyntaxError for a malformed key", () => {
      assert.throws(
        () => new MetricsEngine().addSubmetric("ws_connecting{status}"),
        new SyntaxError(
          `parsing metric name failed, metric "status" tag expression is malformed`,
        ),
      );
    });

    it("throws TypeError for an unknown metric or a key without filter", () => {
      assert.throws(
        () => new MetricsEngine().addSubmetric("nope{a:1}"),
        new TypeError("metric 'nope' does not exist in the script"),
      );
      assert.throws(
        () => new MetricsEngine().addSubmetric("ws_connecting"),
        new TypeError(
          "expected a sub-metric key like 'metric{tag:value}', got 'ws_connecting'",
        ),
      );
    });
  });

  describe("#snapshot", () => {
    it("has the shape of the engine snapshot contract", () => {
      const registry = new MetricRegistry();
      const rtt = registry.define("msg_rtt", "trend", "time");
      registry.define("errors", "counter");
      registry.define("unused", "gauge");
      const engine = new MetricsEngine({
        registry,
        thresholds: {
          "msg_rtt": ["p(99.9)<100", "avg<50"],
          "errors": ["count<1"],
          "msg_rtt{kind:echo}": ["max<1000"],
        },
      });
      emit(engine, rtt, 20, { kind: "echo" });
      emit(engine, rtt, 40, { kind: "chat" });
      engine.evaluate(4000, { final: true });
      const snapshot = engine.snapshot(4000);
      assert.deepEqual(JSON.parse(JSON.stringify(snapshot)), snapshot);
      assert.equal(snapshot.durationMs, 4000);
      assert.deepEqual(snapshot.scenarios, {});
      const root = snapshot.rootGroup;
      assert.deepEqual(
        [root.name, root.path, root.id, root.groups, root.checks],
        ["", "", md5(""), [], []],
      );
      assert.deepEqual(root.metrics.map((metric) => metric.name), [
        "errors",
        "msg_rtt",
        "msg_rtt{kind:echo}",
      ]);
      const [errorsSnapshot, rttSnapshot, echo] = root.metrics;
      // A metric with thresholds shows up without samples, zero-valued.
      assert.deepEqual(errorsSnapshot, {
        name: "errors",
        type: "counter",
        contains: "default",
        values: { count: 0, rate: 0 },
        thresholds: [
          { source: "count<1", ok: true, value: 0, abortOnFail: false },
        ],
      });
      assert.deepEqual(Object.keys(rttSnapshot.values), [
        "avg",
        "min",
        "med",
        "max",
        "count",
        "p(90)",
        "p(95)",
        "p(99.9)",
      ]);
      assert.equal(rttSnapshot.values["p(99.9)"], k6Percentile([20, 40], 99.9));
      assert.equal(rttSnapshot.contains, "time");
      assert.deepEqual(rttSnapshot.thresholds, [
        {
          source: "p(99.9)<100",
          ok: true,
          value: k6Percentile([20, 40], 99.9),
          abortOnFail: false,
        },
        { source: "avg<50", ok: true, value: 30, abortOnFail: false },
      ]);
      assert.deepEqual(
        [echo.parent, echo.tags, echo.values.count, echo.thresholds[0].value],
        ["msg_rtt", { kind: "echo" }, 1, 20],
      );
    });

    it("uses the requested trend columns", () => {
      const engine = new MetricsEngine();
      emit(engine, WS_CONNECTING, 5);
      const [metric] = engine.snapshot(1000, ["min", "p(50)", "p(99.99)"])
        .rootGroup.metrics;
      assert.deepEqual(Object.keys(metric.values), [
        "avg",
        "min",
        "med",
        "max",
        "count",
        "p(50)",
        "p(99.99)",
      ]);
    });

    it("leaves out sub-metrics and metrics without samples or thresholds", () => {
      const engine = new MetricsEngine();
      engine.addSubmetric("ws_connecting{status:101}");
      emit(engine, WS_CONNECTING, 5, { status: "404" });
      assert.deepEqual(
        engine.snapshot(1000).rootGroup.metrics.map((metric) => metric.name),
        ["ws_connecting"],
      );
    });

    it("throws RangeError for a bad duration and k6's errors for bad columns", () => {
      const engine = new MetricsEngine();
      assert.throws(
        () => engine.snapshot(-1),
        new RangeError(
          "durationMs must be a finite number of milliseconds >= 0, got -1",
        ),
      );
      assert.throws(
        () => engine.snapshot(1, ["p95"]),
        new SyntaxError("invalid trend stat 'p95', unknown format"),
      );
    });
  });

  describe("#recorder", () => {
    it("builds the root group tree from group() and check() reports", () => {
      const engine = new MetricsEngine();
      const context = new Context({
        sink: engine.ingest,
        recorder: engine.recorder,
      });
      context.recordCheck("connected", true);
      const group = context.withGroup("chat");
      context.recordGroup(group.group);
      group.recordCheck("got pong", false);
      group.recordCheck("got pong", true);
      const root = engine.snapshot(1000).rootGroup;
      assert.deepEqual(root.checks.map((check) => [check.path, check.passes]), [
        ["::connected", 1],
      ]);
      assert.equal(root.groups[0].name, "chat");
      assert.deepEqual(root.groups[0].checks[0], {
        name: "got pong",
        path: "::chat::got pong",
        id: md5("::chat::got pong"),
        passes: 1,
        fails: 1,
      });
      assert.deepEqual(root.groups[0].metrics, []);
    });
  });

  describe("breakdown mode", () => {
    function breakdownEngine(): MetricsEngine {
      const engine = new MetricsEngine({ breakdown: true });
      engine.recorder.group("::main");
      emit(engine, WS_MSGS_SENT, 1, { group: "::main" });
      emit(engine, WS_MSGS_SENT, 2, { group: "::main::inner" });
      emit(engine, WS_MSGS_SENT, 4, {});
      emit(engine, WS_MSGS_SENT, 8, { group: "::setup" });
      emit(engine, WS_MSGS_SENT, 16, { scenario: "default", group: "::main" });
      emit(engine, WS_MSGS_SENT, 32, { scenario: "chat" });
      emit(engine, WS_MSGS_SENT, 64, { scenario: "chat", group: "::room" });
      emit(engine, CHECKS, 1, {
        scenario: "chat",
        group: "::room",
        check: "ok",
      });
      emit(engine, CHECKS, 0, { scenario: "chat", check: "ok" });
      emit(engine, CHECKS, 1, { group: "::main", check: "not counted" });
      return engine;
    }

    it("keeps each group's own samples in the root tree", () => {
      const root = breakdownEngine().snapshot(1000).rootGroup;
      assert.equal(metricNamed(root.metrics, "ws_msgs_sent").values.count, 127);
      const [main] = root.groups;
      assert.equal(metricNamed(main.metrics, "ws_msgs_sent").values.count, 17);
      assert.equal(
        metricNamed(main.groups[0].metrics, "ws_msgs_sent").values.count,
        2,
      );
      // Checks of the root tree come from the recorder only.
      assert.deepEqual(main.checks, []);
      assert.deepEqual(root.groups.map((group) => group.name), ["main"]);
    });

    it("keeps a tree per scenario other than default", () => {
      const { scenarios } = breakdownEngine().snapshot(1000);
      assert.deepEqual(Object.keys(scenarios), ["chat"]);
      const chat = scenarios.chat;
      assert.equal(chat.name, "chat");
      assert.equal(metricNamed(chat.metrics, "ws_msgs_sent").values.count, 96);
      assert.deepEqual(chat.checks.map((c) => [c.name, c.passes, c.fails]), [
        ["ok", 1, 1],
      ]);
      const [room] = chat.groups;
      assert.equal(room.path, "::room");
      assert.equal(metricNamed(room.metrics, "ws_msgs_sent").values.count, 64);
      assert.deepEqual(room.checks.map((c) => [c.path, c.passes, c.fails]), [
        ["::room::ok", 1, 0],
      ]);
    });

    it("is off by default", () => {
      const engine = new MetricsEngine();
      engine.recorder.group("::main");
      emit(engine, WS_MSGS_SENT, 1, { group: "::main", scenario: "chat" });
      const snapshot = engine.snapshot(1000);
      assert.deepEqual(snapshot.scenarios, {});
      assert.deepEqual(snapshot.rootGroup.groups[0].metrics, []);
    });
  });

  describe("#merge", () => {
    it("gives the same result as one engine that saw every sample", () => {
      const next = random(3);
      const options = {
        breakdown: true,
        thresholds: { "ws_connecting{status:101}": ["p(95)<1000"] },
      };
      const single = new MetricsEngine(options);
      const parts = [new MetricsEngine(options), new MetricsEngine(options)];
      const metrics = [
        WS_CONNECTING,
        WS_MSGS_SENT,
        CHECKS,
        VUS,
        GROUP_DURATION,
      ];
      for (let i = 0; i < 3000; i++) {
        const metric = metrics[i % metrics.length];
        const tags = {
          status: next() < 0.5 ? "101" : "404",
          scenario: next() < 0.5 ? "a" : "b",
          group: next() < 0.3 ? "::g" : "",
          check: "c",
        };
        // Whole numbers: sums do not depend on the order of additions.
        const value = metric === CHECKS
          ? (next() < 0.8 ? 1 : 0)
          : Math.floor(next() * 100);
        const part = parts[i % 2];
        for (const engine of [single, part]) {
          emit(engine, metric, value, tags, i);
          if (metric === CHECKS) {
            engine.recorder.check(tags.group, "c", value !== 0);
          }
        }
      }
      const merged = new MetricsEngine(options);
      for (const part of parts) {
        merged.merge(JSON.parse(JSON.stringify(part.state())));
      }
      single.evaluate(10_000, { final: true });
      merged.evaluate(10_000, { final: true });
      assert.deepEqual(merged.snapshot(10_000), single.snapshot(10_000));
    });

    it("keeps large trends within 1% of one engine", () => {
      const next = random(11);
      const single = new MetricsEngine();
      const parts = [
        new MetricsEngine(),
        new MetricsEngine(),
        new MetricsEngine(),
      ];
      for (let i = 0; i < 60_000; i++) {
        const value = 1 + next() * 999;
        emit(single, WS_CONNECTING, value);
        emit(parts[i % 3], WS_CONNECTING, value);
      }
      const merged = new MetricsEngine();
      for (const part of parts) merged.merge(part.state());
      const stats = ["p(1)", "p(50)", "p(90)", "p(99)"];
      const [expected] = single.snapshot(1, stats).rootGroup.metrics;
      const [actual] = merged.snapshot(1, stats).rootGroup.metrics;
      for (const key of ["count", "min", "max"]) {
        assert.equal(actual.values[key], expected.values[key]);
      }
      assert.ok(relativeError(actual.values.avg, expected.values.avg) < 1e-12);
      for (const key of ["med", ...stats]) {
        assert.ok(
          relativeError(actual.values[key], expected.values[key]) <= 0.01,
          `${key}: ${actual.values[key]} vs ${expected.values[key]}`,
        );
      }
    });

    it("throws TypeError when a metric's type differs", () => {
      const engine = new MetricsEngine();
      emit(engine, WS_MSGS_SENT, 1);
      const state = engine.state();
      const wrong = {
        ...state,
        metrics: [{ ...state.metrics[0], type: "trend" as const }],
      };
      assert.throws(
        () => new MetricsEngine().merge(wrong),
        new TypeError(
          "cannot merge metric 'ws_msgs_sent': it is a counter here and a trend in the merged state",
        ),
      );
    });
  });
});
