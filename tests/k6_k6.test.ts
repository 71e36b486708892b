import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import k6, {
  check,
  type Checker,
  fail,
  group,
  randomSeed,
  sleep,
} from "../k6/k6.ts";
import { addSampleListener, currentContext } from "../context/context.ts";
import type { Sample } from "../metrics/sample.ts";
import { createHarness, delay } from "./_k6_harness.ts";

const ASYNC_CHECK_TEXT =
  "the built-in check() does not support async functions as arguments. Use the JavaScript utils library as a replacement. Refer to https://grafana.com/docs/k6/latest/javascript-api/jslib/utils/check/ for more info";

describe("check", () => {
  it("emits one checks sample per key, in key order, with k6's tags", () => {
    const h = createHarness();
    const result = h.run(() =>
      check(101, {
        "is 101": (status) => status === 101,
        "literal true": true,
      })
    );
    assert.equal(result, true);
    assert.deepEqual(
      h.samples.map((s) => [s.metric.name, s.value, { ...s.tags }]),
      [
        ["checks", 1, { group: "", scenario: "default", check: "is 101" }],
        ["checks", 1, {
          group: "",
          scenario: "default",
          check: "literal true",
        }],
      ],
    );
    assert.deepEqual(h.checks, [
      { group: "", name: "is 101", passed: true },
      { group: "", name: "literal true", passed: true },
    ]);
  });

  it("returns false when any check fails, judging values by truthiness", () => {
    const cases: [unknown, boolean][] = [
      [0, false],
      [1, true],
      [-1, true],
      ["", false],
      ["false", true],
      [true, true],
      [false, false],
      [null, false],
      [undefined, false],
    ];
    for (const [value, expected] of cases) {
      const h = createHarness();
      assert.equal(
        h.run(() => check(null, { literal: value as Checker<null> })),
        expected,
      );
      assert.equal(h.run(() => check(value, { fn: (v) => v })), expected);
      assert.deepEqual(h.samples.map((s) => s.value), [
        Number(expected),
        Number(expected),
      ]);
    }
    const h = createHarness();
    assert.equal(h.run(() => check(1, { a: true, b: false, c: true })), false);
    assert.deepEqual(h.samples.map((s) => s.value), [1, 0, 1]);
  });

  it("adds the user's tags, stringified, and overrides context tags", () => {
    const h = createHarness();
    h.run(() =>
      check(null, { check: true }, { a: 1, b: "2", c: true, scenario: "x" })
    );
    assert.deepEqual({ ...h.samples[0].tags }, {
      group: "",
      scenario: "x",
      check: "check",
      a: "1",
      b: "2",
      c: "true",
    });
  });

  it("leaves out the check tag when that system tag is disabled", () => {
    const h = createHarness({ systemTags: ["group", "scenario"] });
    h.run(() => check(null, { quiet: true }));
    assert.deepEqual({ ...h.samples[0].tags }, {
      group: "",
      scenario: "default",
    });
    assert.deepEqual(h.checks, [{ group: "", name: "quiet", passed: true }]);
  });

  it("records a throwing check as failed, then rethrows before the next key", () => {
    const h = createHarness();
    const boom = new Error("error A");
    assert.throws(
      () =>
        h.run(() =>
          check(null, {
            a: () => {
              throw boom;
            },
            b: () => {
              throw new Error("error B");
            },
          })
        ),
      (error) => error === boom,
    );
    assert.deepEqual(h.samples.map((s) => [s.value, s.tags.check]), [[0, "a"]]);
    assert.deepEqual(h.checks, [{ group: "", name: "a", passed: false }]);
  });

  it("refuses names containing '::' with k6's text", () => {
    const h = createHarness();
    assert.throws(() => h.run(() => check(null, { "a::b": true })), {
      name: "TypeError",
      message: "group and check names may not contain '::'",
    });
  });

  it("refuses async check functions with k6's text", () => {
    const h = createHarness();
    assert.throws(
      () =>
        h.run(() =>
          check(null, { later: async () => await Promise.resolve(true) })
        ),
      { message: ASYNC_CHECK_TEXT },
    );
    assert.equal(h.samples.length, 0);
  });

  it("throws 'no checks provided' without checks", () => {
    const h = createHarness();
    assert.throws(
      // @ts-expect-error: checks are missing on purpose
      () => h.run(() => check(5)),
      { message: "no checks provided to `check`" },
    );
  });

  it("passes a non-object checks argument with no samples, as k6", () => {
    const h = createHarness();
    // deno-lint-ignore no-explicit-any
    assert.equal(h.run(() => check(null, 12345 as any)), true);
    assert.equal(h.samples.length, 0);
  });

  it("throws k6's text in the init stage", () => {
    const h = createHarness({ stage: "init" });
    assert.throws(() => h.run(() => check(1, { a: true })), {
      message: "Using check() in the init context is not supported",
    });
  });

  it("refuses invalid tag values", () => {
    const h = createHarness();
    assert.throws(
      // deno-lint-ignore no-explicit-any
      () => h.run(() => check(1, { a: true }, { bad: {} as any })),
      /invalid value for metric tag 'bad': only String, Boolean and Number types are accepted as a metric tag values/,
    );
  });

  it("awaits a promise value, then checks it and resolves to the result", async () => {
    const h = createHarness();
    let resolveValue!: (value: { status: number }) => void;
    const value = new Promise<{ status: number }>((r) => (resolveValue = r));
    const result = h.run(() =>
      check(value, { "status is 101": (r) => r.status === 101 })
    );
    assert.ok(result instanceof Promise);
    assert.equal(h.samples.length, 0);
    assert.equal(
      h.context.pending.size,
      1,
      "the iteration waits for the check",
    );
    resolveValue({ status: 101 });
    assert.equal(await result, true);
    assert.equal(h.context.pending.size, 0);
    assert.deepEqual(h.samples.map((s) => [s.value, s.tags.check]), [[
      1,
      "status is 101",
    ]]);
  });

  it("rejects like a rejected promise value, with no samples", async () => {
    const h = createHarness();
    const failure = new Error("dial failed");
    await assert.rejects(
      h.run(() => check(Promise.reject(failure), { a: true })),
      (error) => error === failure,
    );
    assert.equal(h.samples.length, 0);
    assert.equal(h.context.pending.size, 0);
  });

  it("tags a check inside a group with the group path", () => {
    const h = createHarness();
    h.run(() => group("outer", () => check(1, { inner: true })));
    const sample = h.samplesOf("checks")[0];
    assert.equal(sample.tags.group, "::outer");
    assert.deepEqual(h.checks, [{
      group: "::outer",
      name: "inner",
      passed: true,
    }]);
  });

  it("works outside wsload run, emitting to sample listeners", () => {
    const seen: Sample[] = [];
    const stop = addSampleListener((sample) => seen.push(sample));
    try {
      assert.equal(check("x", { "is x": (v) => v === "x" }), true);
    } finally {
      stop();
    }
    assert.deepEqual(seen.map((s) => [s.metric.name, s.value, s.tags.check]), [
      ["checks", 1, "is x"],
    ]);
  });
});

describe("group", () => {
  it("runs the body in the group and emits group_duration with its tag", () => {
    const h = createHarness();
    const inside = h.run(() =>
      group("login", () => {
        assert.equal(currentContext().tags.group, "::login");
        return currentContext().group;
      })
    );
    assert.equal(inside, "::login");
    const [duration] = h.samplesOf("group_duration");
    assert.equal(duration.tags.group, "::login");
    assert.equal(duration.tags.scenario, "default");
    assert.ok(duration.value >= 0);
    assert.deepEqual(h.groups, ["::login"]);
    h.run(() => assert.equal(currentContext().tags.group, ""));
  });

  it("nests group paths and restores the parent's afterwards", () => {
    const h = createHarness();
    h.run(() =>
      group("outer", () => {
        group("inner", () => check(1, { deep: true }));
        check(1, { shallow: true });
      })
    );
    assert.deepEqual(h.groups, ["::outer", "::outer::inner"]);
    assert.deepEqual(
      h.samples.map((s) => [s.metric.name, s.tags.group]),
      [
        ["checks", "::outer::inner"],
        ["group_duration", "::outer::inner"],
        ["checks", "::outer"],
        ["group_duration", "::outer"],
      ],
    );
  });

  it("omits the group tag when that system tag is disabled", () => {
    const h = createHarness({ tags: {}, systemTags: ["check"] });
    h.run(() => group("g", () => {}));
    assert.deepEqual({ ...h.samplesOf("group_duration")[0].tags }, {});
    assert.deepEqual(h.groups, ["::g"]);
  });

  it("emits the duration, then rethrows the body's exception", () => {
    const h = createHarness();
    const failure = new Error("nooo");
    assert.throws(
      () =>
        h.run(() =>
          group("g", () => {
            throw failure;
          })
        ),
      (error) => error === failure,
    );
    assert.equal(h.samplesOf("group_duration").length, 1);
  });

  it("accepts an async body: returns a promise and times it until it settles", async () => {
    const h = createHarness();
    const result = h.run(() =>
      group("async", async () => {
        await delay(30);
        return currentContext().group;
      })
    );
    assert.ok(result instanceof Promise);
    assert.equal(h.samplesOf("group_duration").length, 0);
    assert.equal(h.context.pending.size, 1, "the iteration waits for the body");
    assert.equal(await result, "::async");
    const [duration] = h.samplesOf("group_duration");
    assert.ok(
      duration.value >= 25,
      `duration ${duration.value} covers the await`,
    );
    assert.equal(h.context.pending.size, 0);
  });

  it("emits the duration when an async body rejects", async () => {
    const h = createHarness();
    await assert.rejects(
      h.run(() =>
        group("async", async () => {
          await delay(1);
          throw new Error("late");
        })
      ),
      { message: "late" },
    );
    assert.equal(h.samplesOf("group_duration").length, 1);
  });

  it("requires a callback (k6's text)", () => {
    const h = createHarness();
    for (const callback of [undefined, null, 42, "fn"]) {
      assert.throws(
        // deno-lint-ignore no-explicit-any
        () => h.run(() => group("g", callback as any)),
        { message: "group() requires a callback as a second argument" },
      );
    }
  });

  it("refuses names containing '::' (k6's text)", () => {
    const h = createHarness();
    assert.throws(() => h.run(() => group("::", () => {})), {
      message: "group and check names may not contain '::'",
    });
    assert.deepEqual(h.groups, []);
  });

  it("throws k6's text in the init stage", () => {
    const h = createHarness({ stage: "init" });
    assert.throws(() => h.run(() => group("g", () => {})), {
      message: "Using group() in the init context is not supported",
    });
  });
});

describe("sleep", () => {
  it("resolves after the given seconds", async () => {
    const h = createHarness();
    const started = performance.now();
    await h.run(() => sleep(0.05));
    assert.ok(performance.now() - started >= 45);
  });

  it("resolves at once for zero, negative and non-numeric durations", async () => {
    for (const seconds of [0, -1, NaN, "soon"]) {
      const order: string[] = [];
      const timer = delay(20).then(() => order.push("timer"));
      // deno-lint-ignore no-explicit-any
      await sleep(seconds as any).then(() => order.push("sleep"));
      await timer;
      assert.deepEqual(order, ["sleep", "timer"], `sleep(${seconds})`);
    }
  });

  it("resolves early when the iteration is interrupted", async () => {
    const h = createHarness();
    const started = performance.now();
    const sleeping = h.run(() => sleep(30));
    await delay(10);
    h.controller.abort();
    await sleeping;
    assert.ok(performance.now() - started < 5000);
  });

  it("resolves at once in an interrupted iteration", async () => {
    const h = createHarness();
    h.controller.abort();
    const started = performance.now();
    await h.run(() => sleep(30));
    assert.ok(performance.now() - started < 5000);
  });
});

describe("fail", () => {
  it("throws an Error with the message", () => {
    assert.throws(() => fail("unexpected status 500"), {
      name: "Error",
      message: "unexpected status 500",
    });
  });
});

describe("randomSeed", () => {
  const original = Math.random;
  after(() => {
    Math.random = original;
  });

  it("makes Math.random repeat its sequence for the same seed", () => {
    randomSeed(123);
    const first = Array.from({ length: 5 }, () => Math.random());
    randomSeed(123);
    assert.deepEqual(Array.from({ length: 5 }, () => Math.random()), first);
    randomSeed(124);
    assert.notDeepEqual(Array.from({ length: 5 }, () => Math.random()), first);
  });

  it("draws uniform numbers in [0, 1)", () => {
    randomSeed(7);
    let sum = 0;
    for (let i = 0; i < 10_000; i++) {
      const value = Math.random();
      assert.ok(value >= 0 && value < 1);
      sum += value;
    }
    assert.ok(Math.abs(sum / 10_000 - 0.5) < 0.02);
  });
});

describe("default export", () => {
  it("holds the named exports", () => {
    assert.deepEqual(k6, { check, fail, group, randomSeed, sleep });
  });
});
