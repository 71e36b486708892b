import { describe, it } from "node:test";
import assert from "node:assert/strict";
import metrics, { Counter, Gauge, Rate, Trend } from "../k6/metrics.ts";
import { registry } from "../metrics/registry.ts";
import { createHarness, type Harness } from "./_k6_harness.ts";

let sequence = 0;
// Metric names are process-wide: every test gets fresh ones.
const fresh = (label: string): string => `k6metrics_${label}_${++sequence}`;

// Declares in the init stage, as a script does, then returns a VU harness.
function declare<T>(make: () => T, options = {}): { metric: T; vu: Harness } {
  const metric = createHarness({ stage: "init" }).run(make);
  return { metric, vu: createHarness(options) };
}

describe("Counter, Gauge, Rate, Trend", () => {
  it("define metrics of their type; isTime makes time values", () => {
    const kinds = [
      [Counter, "counter"],
      [Gauge, "gauge"],
      [Rate, "rate"],
      [Trend, "trend"],
    ] as const;
    for (const [Kind, type] of kinds) {
      const plain = declare(() => new Kind(fresh(type))).metric;
      const timed = declare(() => new Kind(fresh(type), true)).metric;
      assert.deepEqual(
        { ...registry.get(plain.name) },
        { name: plain.name, type, contains: "default" },
      );
      assert.equal(registry.get(timed.name)?.contains, "time");
    }
  });

  it("expose a read-only name", () => {
    const name = fresh("named");
    const { metric } = declare(() => new Counter(name));
    assert.equal(metric.name, name);
    assert.throws(() => {
      (metric as { name: string }).name = "other";
    }, TypeError);
    assert.equal(metric.name, name);
  });

  it("enforce k6's name rule with k6's text", () => {
    for (
      const name of [
        "a",
        "1abc",
        "with-dash",
        "with space",
        "é_x",
        "x".repeat(129),
      ]
    ) {
      assert.throws(
        () => createHarness({ stage: "init" }).run(() => new Counter(name)),
        {
          name: "TypeError",
          message:
            `Invalid metric name: '${name}'. Metric names must only include up to 128 ASCII letters, numbers, or underscores and start with a letter or an underscore.`,
        },
      );
    }
    for (const name of ["ab", "_x", "x".repeat(128)]) {
      assert.doesNotThrow(() =>
        createHarness({ stage: "init" }).run(() => new Gauge(name))
      );
    }
  });

  it("return the same metric for the same name and type, refuse another", () => {
    const name = fresh("dup");
    const init = createHarness({ stage: "init" });
    const first = init.run(() => new Counter(name));
    const second = init.run(() => new Counter(name));
    assert.equal(second.name, first.name);
    assert.throws(() => init.run(() => new Gauge(name)), {
      message:
        `metric '${name}' already exists but with type counter, instead of gauge`,
    });
    assert.throws(() => init.run(() => new Counter(name, true)), {
      message:
        `metric '${name}' already exists but with a value type default, instead of time`,
    });
  });

  it("reuse a built-in metric of the same type (new Rate('checks'))", () => {
    const { metric, vu } = declare(() => new Rate("checks"));
    vu.run(() => metric.add(true));
    assert.equal(vu.samplesOf("checks").length, 1);
  });

  it("must be declared in the init stage (k6's text)", () => {
    for (const stage of ["vu", "setup", "teardown"] as const) {
      assert.throws(
        () => createHarness({ stage }).run(() => new Trend(fresh("late"))),
        {
          message: "metrics must be declared in the init context",
        },
      );
    }
  });

  it("can be declared and added to outside wsload run", () => {
    const metric = new Counter(fresh("library"));
    assert.equal(metric.add(1), true);
  });
});

describe("#add", () => {
  it("emits a sample with the context's tags plus the user's", () => {
    const { metric, vu } = declare(() => new Trend(fresh("tags"), true));
    assert.equal(
      vu.run(() => metric.add(12.5, { step: "login", n: 3, scenario: "mine" })),
      true,
    );
    const [sample] = vu.samples;
    assert.equal(sample.metric.name, metric.name);
    assert.equal(sample.value, 12.5);
    assert.deepEqual({ ...sample.tags }, {
      group: "",
      scenario: "mine",
      step: "login",
      n: "3",
    });
  });

  it("carries the group tag of the code that adds", () => {
    const { metric, vu } = declare(() => new Counter(fresh("grouped")));
    vu.run(() => vu.context.withGroup("g").run(() => metric.add(1)));
    assert.equal(vu.samples[0].tags.group, "::g");
  });

  it("converts values as k6 does", () => {
    const { metric, vu } = declare(() => new Rate(fresh("values")));
    const cases: [unknown, number][] = [
      [true, 1],
      [false, 0],
      [0, 0],
      [3, 3],
      ["3", 3],
      [" ", 1], // Number(" ") is 0 but the value is truthy: k6 counts 1
      ["0", 1],
      [[], 1],
    ];
    for (const [value] of cases) {
      // deno-lint-ignore no-explicit-any
      assert.equal(vu.run(() => metric.add(value as any)), true, String(value));
    }
    assert.deepEqual(vu.samples.map((s) => s.value), cases.map(([, n]) => n));
    assert.deepEqual(vu.warnings, []);
  });

  it("warns and returns false for invalid values", () => {
    const name = fresh("invalid");
    const { metric, vu } = declare(() => new Gauge(name));
    const invalid = [null, undefined, NaN, "string", { something: 3 }, metric];
    for (const value of invalid) {
      // deno-lint-ignore no-explicit-any
      assert.equal(vu.run(() => metric.add(value as any)), false);
    }
    assert.equal(vu.run(() => metric.add()), false);
    assert.equal(vu.samples.length, 0);
    assert.deepEqual(vu.warnings, [
      ...invalid.map((value) =>
        `'${
          String(value)
        }' is an invalid value for metric '${name}', a number or a boolean value is expected`
      ),
      `no value was provided for metric '${name}', a number or a boolean value is expected`,
    ]);
  });

  it("shortens long invalid values in the message", () => {
    const name = fresh("long");
    const { metric, vu } = declare(() => new Counter(name));
    const value = "a".repeat(50) + "b".repeat(30) + "c".repeat(50);
    // deno-lint-ignore no-explicit-any
    vu.run(() => metric.add(value as any));
    assert.deepEqual(vu.warnings, [
      `'${"a".repeat(50)}... omitting 30 characters ...${
        "c".repeat(50)
      }' is an invalid value for metric '${name}', a number or a boolean value is expected`,
    ]);
  });

  it("throws instead of warning with the throw option", () => {
    const name = fresh("throwing");
    const { metric, vu } = declare(() => new Counter(name), { throw: true });
    // deno-lint-ignore no-explicit-any
    assert.throws(() => vu.run(() => metric.add("x" as any)), {
      name: "TypeError",
      message:
        `'x' is an invalid value for metric '${name}', a number or a boolean value is expected`,
    });
    assert.throws(() => vu.run(() => metric.add()), {
      message:
        `no value was provided for metric '${name}', a number or a boolean value is expected`,
    });
    assert.deepEqual(vu.warnings, []);
  });

  it("throws for invalid tags, naming the metric", () => {
    const name = fresh("badtags");
    const { metric, vu } = declare(() => new Counter(name));
    // deno-lint-ignore no-explicit-any
    assert.throws(() => vu.run(() => metric.add(1, { bad: [] as any })), {
      message:
        `cannot add tags for the '${name}' custom metric: invalid value for metric tag 'bad': only String, Boolean and Number types are accepted as a metric tag values`,
    });
    assert.equal(vu.samples.length, 0);
  });

  it("is not allowed in the init stage (k6's text)", () => {
    const init = createHarness({ stage: "init" });
    const metric = init.run(() => new Counter(fresh("early")));
    assert.throws(() => init.run(() => metric.add(1)), {
      message: "Adding to metrics in the init context is not supported",
    });
  });
});

describe("default export", () => {
  it("holds the four constructors", () => {
    assert.deepEqual(metrics, { Counter, Gauge, Rate, Trend });
  });
});
