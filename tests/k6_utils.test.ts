import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  check,
  findBetween,
  getCurrentStageIndex,
  normalDistributionStages,
  parseDuration,
  randomIntBetween,
  randomItem,
  randomString,
  tagWithCurrentStageIndex,
  tagWithCurrentStageProfile,
  uuidv4,
} from "../k6/utils.ts";
import { randomSeed } from "../k6/k6.ts";
import { createHarness, delay } from "./_k6_harness.ts";

const UUID_V4 =
  /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("randomIntBetween", () => {
  it("returns every integer of the range, both ends included, and nothing else", () => {
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(randomIntBetween(3, 7));
    assert.deepEqual([...seen].sort(), [3, 4, 5, 6, 7]);
    assert.equal(randomIntBetween(4, 4), 4);
  });
});

describe("randomItem", () => {
  it("returns elements of the array, each of them eventually", () => {
    const items = ["a", "b", "c"];
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) seen.add(randomItem(items));
    assert.deepEqual([...seen].sort(), items);
    assert.equal(randomItem([]), undefined);
  });
});

describe("randomString", () => {
  it("has the length and uses only the charset (jslib's cases)", () => {
    assert.match(randomString(5, "abc"), /^[abc]{5}$/);
    assert.equal(randomString(5, "a"), "aaaaa");
    assert.match(randomString(10, "abcdefghijklmnopqrstuvwxyz"), /^[a-z]{10}$/);
    assert.match(randomString(8), /^[a-z]{8}$/);
    assert.match(randomString(4, "abcde1234"), /^[abcde1234]{4}$/);
    assert.match(randomString(6, "!@#$%^&*()"), /^[!@#$%^&*()]{6}$/);
    assert.equal(randomString(0), "");
    assert.equal(randomString(-3), "");
  });

  it("follows Math.random, so randomSeed makes it reproducible", () => {
    const original = Math.random;
    try {
      randomSeed(99);
      const first = randomString(16);
      randomSeed(99);
      assert.equal(randomString(16), first);
    } finally {
      Math.random = original;
    }
  });
});

describe("uuidv4", () => {
  it("gives version-4 UUIDs, insecure and secure, all different", () => {
    const ids = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const insecure = uuidv4();
      const secure = uuidv4(true);
      assert.match(insecure, UUID_V4);
      assert.match(secure, UUID_V4);
      ids.add(insecure).add(secure);
    }
    assert.equal(ids.size, 400);
  });
});

describe("findBetween", () => {
  const content =
    "<html><div>Value 1</div><div>Value 2</div><div>Value 3</div></html>";
  const divsOnly = "<div>Value 1</div><div>Value 2</div><div>Value 3</div>";

  it("returns the first match (jslib's cases)", () => {
    assert.equal(findBetween(content, "<div>", "</div>"), "Value 1");
    assert.equal(
      findBetween('let token="secret token";', 'token="', '"'),
      "secret token",
    );
    assert.equal(findBetween("**a**", "**", "**"), "a");
  });

  it("returns every match with repeat", () => {
    assert.deepEqual(findBetween(content, "<div>", "</div>", true), [
      "Value 1",
      "Value 2",
      "Value 3",
    ]);
    assert.deepEqual(findBetween(content, "<html>", "</html>", true), [
      divsOnly,
    ]);
  });

  it("returns null without a match", () => {
    assert.equal(findBetween(content, "<nodiv>", "</div>"), null);
    assert.equal(findBetween(content, "<div>", "</nodiv>"), null);
    assert.equal(findBetween(content, "<nodiv>", "</nodiv>", true), null);
  });
});

describe("normalDistributionStages", () => {
  it("builds ramp-up, bell-curve and ramp-down stages", () => {
    const stages = normalDistributionStages(100, 60, 4);
    assert.deepEqual(stages, [
      { duration: "10s", target: 14 },
      { duration: "10s", target: 61 },
      { duration: "10s", target: 100 },
      { duration: "10s", target: 61 },
      { duration: "10s", target: 14 },
      { duration: "10s", target: 0 },
    ]);
    assert.equal(normalDistributionStages(10, 60).length, 12);
  });
});

describe("parseDuration", () => {
  it("sums the units in milliseconds", () => {
    const cases: [string, number][] = [
      ["1d", 86_400_000],
      ["1h30m", 5_400_000],
      ["1m30s", 90_000],
      ["2.5s", 2500],
      ["300ms", 300],
      ["1.9ms", 1],
      ["1s10ms", 1010],
      ["250", 250],
    ];
    for (const [text, ms] of cases) assert.equal(parseDuration(text), ms, text);
  });

  it("throws the jslib's texts", () => {
    assert.throws(() => parseDuration(""), { message: "str is empty" });
    assert.throws(() => parseDuration("1x"), {
      message: "x is an unsupported time unit",
    });
    assert.throws(() => parseDuration("1s2s"), {
      message: "s time unit is provided multiple times",
    });
  });
});

describe("stages of the current scenario", () => {
  const stagesScenario = (
    stages: { duration: string; target: number }[],
    startedAgoMs: number,
  ) =>
    createHarness({
      scenario: {
        name: "ramp",
        executor: "ramping-vus",
        startTime: Date.now() - startedAgoMs,
      },
      options: { scenarios: { ramp: { executor: "ramping-vus", stages } } },
    });

  it("getCurrentStageIndex counts the time since the scenario started", () => {
    const stages = [{ duration: "1s", target: 1 }, {
      duration: "1s",
      target: 1,
    }];
    assert.equal(
      stagesScenario(stages, 100).run(() => getCurrentStageIndex()),
      0,
    );
    assert.equal(
      stagesScenario(stages, 1500).run(() => getCurrentStageIndex()),
      1,
    );
    assert.equal(
      stagesScenario(stages, 5000).run(() => getCurrentStageIndex()),
      1,
    );
  });

  it("tagWithCurrentStageIndex sets the VU's stage tag", () => {
    const h = stagesScenario([{ duration: "1s", target: 1 }, {
      duration: "1s",
      target: 2,
    }], 1500);
    h.run(() => tagWithCurrentStageIndex());
    assert.equal(h.vu.tags.stage, "1");
  });

  it("tagWithCurrentStageProfile names the ramp", () => {
    const profile = (targets: number[], startedAgoMs: number): string => {
      const h = stagesScenario(
        targets.map((target) => ({ duration: "1s", target })),
        startedAgoMs,
      );
      h.run(() => tagWithCurrentStageProfile());
      return h.vu.tags.stage_profile;
    };
    assert.equal(profile([1], 100), "ramp-up");
    assert.equal(profile([1, 2], 1500), "ramp-up");
    assert.equal(profile([1, 1], 1500), "steady");
    assert.equal(profile([2, 1], 1500), "ramp-down");
  });

  it("throws the jslib's texts outside a staged scenario", () => {
    const noStages = createHarness({
      options: { scenarios: { default: { executor: "constant-vus" } } },
    });
    assert.throws(() => noStages.run(() => getCurrentStageIndex()), {
      message:
        "only ramping-vus or ramping-arravial-rate supports stages, it is not possible to get a stage index on other executors.",
    });
    const unknown = createHarness({ options: { scenarios: {} } });
    assert.throws(() => unknown.run(() => getCurrentStageIndex()), {
      message:
        "the exec.test.options object doesn't contain the current scenario default",
    });
    const empty = createHarness({
      options: { scenarios: { default: { stages: [] } } },
    });
    assert.throws(() => empty.run(() => getCurrentStageIndex()), {
      message: "the current scenario default doesn't contain any stage",
    });
  });
});

describe("check", () => {
  const original = Math.random;
  after(() => {
    Math.random = original;
  });

  it("checks synchronously like k6's check, tagging check=<name>", () => {
    const h = createHarness();
    const passed = h.run(() =>
      check(5, { odd: (n) => n % 2 === 1, big: (n) => n > 10 }, { kind: "int" })
    );
    assert.equal(passed, false);
    assert.deepEqual(
      h.samples.map((s) => [s.metric.name, s.value, { ...s.tags }]),
      [
        ["checks", 1, {
          group: "",
          scenario: "default",
          kind: "int",
          check: "odd",
        }],
        ["checks", 0, {
          group: "",
          scenario: "default",
          kind: "int",
          check: "big",
        }],
      ],
    );
    assert.deepEqual(h.checks.map((c) => [c.name, c.passed]), [["odd", true], [
      "big",
      false,
    ]]);
  });

  it("accepts async checks and promises, resolving when all settled", async () => {
    const h = createHarness();
    const result = h.run(() =>
      check(Promise.resolve(3), {
        later: async (n) => {
          await delay(10);
          return n === 3;
        },
        promised: Promise.resolve(false),
        plain: true,
      })
    );
    assert.ok(result instanceof Promise);
    assert.equal(
      h.context.pending.size,
      1,
      "the iteration waits for the checks",
    );
    assert.equal(await result, false);
    assert.deepEqual(
      h.samples.map((s) => [s.tags.check, s.value]).sort(),
      [["later", 1], ["plain", 1], ["promised", 0]],
    );
    assert.equal(h.context.pending.size, 0);
  });

  it("is not available in the init stage (k6's metrics text)", () => {
    const h = createHarness({ stage: "init" });
    assert.throws(() => h.run(() => check(1, { a: true })), {
      message: "Adding to metrics in the init context is not supported",
    });
  });
});
