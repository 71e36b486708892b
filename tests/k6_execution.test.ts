import { describe, it } from "node:test";
import assert from "node:assert/strict";
import exec from "../k6/execution.ts";
import { TestAbortError } from "../internal/test_abort.ts";
import { Context } from "../context/context.ts";
import { createHarness } from "./_k6_harness.ts";

const SCENARIO_TEXT =
  "getting scenario information outside of the VU context is not supported";

describe("exec.vu", () => {
  it("shows the VU's ids and iteration counters, live", () => {
    const h = createHarness();
    const vu = h.run(() => exec.vu);
    assert.deepEqual(
      [
        vu.idInInstance,
        vu.idInTest,
        vu.iterationInInstance,
        vu.iterationInScenario,
      ],
      [3, 7, 5, 2],
    );
    h.vu.iterationInInstance = 6;
    assert.equal(vu.iterationInInstance, 6);
  });

  it("is not available in the init stage (k6's text)", () => {
    const h = createHarness({ stage: "init" });
    assert.throws(() => h.run(() => exec.vu), {
      message: "getting VU information in the init context is not supported",
    });
  });

  it("shows id 0 in setup and teardown", () => {
    for (const stage of ["setup", "teardown"] as const) {
      const h = createHarness({
        stage,
        scenario: null,
        vu: { idInInstance: 0, idInTest: 0 },
      });
      assert.equal(h.run(() => exec.vu.idInInstance), 0);
    }
  });

  it("shows zeros outside wsload run", () => {
    const vu = exec.vu;
    assert.deepEqual(
      [
        vu.idInInstance,
        vu.idInTest,
        vu.iterationInInstance,
        vu.iterationInScenario,
      ],
      [0, 0, 0, 0],
    );
  });
});

describe("exec.vu.tags", () => {
  it("reads the context's tags and the VU's own", () => {
    const h = createHarness({ vu: { tags: { team: "core" } } });
    const tags = h.run(() => exec.vu.tags);
    assert.equal(tags.scenario, "default");
    assert.equal(tags.team, "core");
    assert.equal(tags.missing, undefined);
    assert.ok("team" in tags && "scenario" in tags && !("missing" in tags));
    assert.deepEqual(JSON.parse(JSON.stringify(tags)), {
      group: "",
      scenario: "default",
      team: "core",
    });
    assert.equal(h.run(() => exec.vu.metrics.tags.team), "core");
  });

  it("stores strings, numbers and booleans as strings in the VU's tags", () => {
    const h = createHarness();
    const tags = h.run(() => exec.vu.tags);
    const values: [unknown, string][] = [["tag1", "tag1"], [true, "true"], [
      101,
      "101",
    ], [3.14, "3.14"]];
    for (const [value, expected] of values) {
      (tags as Record<string, unknown>).mytag = value;
      assert.equal(tags.mytag, expected);
      assert.equal(h.vu.tags.mytag, expected);
    }
    tags.scenario = "overridden";
    assert.equal(tags.scenario, "overridden");
  });

  it("refuses other values with k6's TypeError", () => {
    const h = createHarness();
    const tags = h.run(() => exec.vu.tags) as Record<string, unknown>;
    for (const value of [null, undefined, [], {}, [1, 3, 5], { foo: "bar" }]) {
      assert.throws(() => {
        tags.custom = value;
      }, {
        name: "TypeError",
        message:
          "invalid value for metric tag 'custom': only String, Boolean and Number types are accepted as a metric tag values",
      });
    }
    assert.equal(h.vu.tags.custom, undefined);
  });

  it("deletes the VU's own tags", () => {
    const h = createHarness({ vu: { tags: { team: "core" } } });
    const tags = h.run(() => exec.vu.tags);
    delete tags.team;
    assert.equal(tags.team, undefined);
    assert.deepEqual(h.vu.tags, {});
  });
});

describe("exec.vu.metrics.metadata", () => {
  it("reads and sets the VU's metadata with k6's rules", () => {
    const h = createHarness({ vu: { metadata: { trace_id: "abc" } } });
    const metadata = h.run(() => exec.vu.metrics.metadata) as Record<
      string,
      unknown
    >;
    assert.equal(metadata.trace_id, "abc");
    metadata.attempt = 2;
    assert.equal(h.vu.metadata.attempt, "2");
    assert.throws(() => {
      metadata.bad = {};
    }, {
      name: "TypeError",
      message:
        "invalid value for metric metadata 'bad': only String, Boolean and Number types are accepted as a metric metadata value",
    });
  });
});

describe("exec.scenario", () => {
  it("shows the scenario in VU code", () => {
    const h = createHarness();
    const scenario = h.run(() => exec.scenario);
    assert.deepEqual(
      {
        name: scenario.name,
        executor: scenario.executor,
        startTime: scenario.startTime,
        progress: scenario.progress,
        iterationInInstance: scenario.iterationInInstance,
        iterationInTest: scenario.iterationInTest,
      },
      {
        name: "default",
        executor: "constant-vus",
        startTime: 1_700_000_000_000,
        progress: 0.25,
        iterationInInstance: 11,
        iterationInTest: 42,
      },
    );
  });

  it("throws k6's text for every field where no scenario runs", () => {
    const fields = [
      "name",
      "executor",
      "startTime",
      "progress",
      "iterationInInstance",
      "iterationInTest",
    ] as const;
    for (const stage of ["setup", "teardown"] as const) {
      const h = createHarness({ stage, scenario: null });
      const scenario = h.run(() => exec.scenario);
      for (const field of fields) {
        assert.throws(
          () => scenario[field],
          { message: SCENARIO_TEXT },
          `${stage} ${field}`,
        );
      }
    }
    assert.throws(() => exec.scenario.name, { message: SCENARIO_TEXT });
  });

  it("throws k6's text in the init stage", () => {
    const h = createHarness({ stage: "init" });
    assert.throws(() => h.run(() => exec.scenario), { message: SCENARIO_TEXT });
  });
});

describe("exec.instance", () => {
  it("shows the live counters", () => {
    const h = createHarness();
    const instance = h.run(() => exec.instance);
    assert.deepEqual(
      [
        instance.iterationsCompleted,
        instance.iterationsInterrupted,
        instance.vusActive,
        instance.vusInitialized,
        instance.currentTestRunDuration,
      ],
      [40, 1, 10, 12, 1234.5],
    );
    h.instanceCounters.iterationsCompleted = 41;
    assert.equal(instance.iterationsCompleted, 41);
  });

  it("is not available in the init stage (k6's text)", () => {
    const h = createHarness({ stage: "init" });
    assert.throws(() => h.run(() => exec.instance), {
      message:
        "getting instance information in the init context is not supported",
    });
  });

  it("shows zeros outside wsload run", () => {
    assert.equal(exec.instance.iterationsCompleted, 0);
    assert.equal(exec.instance.currentTestRunDuration, 0);
  });
});

describe("exec.test", () => {
  it("abort() asks the runner to stop and throws TestAbortError with k6's text", () => {
    const h = createHarness();
    assert.throws(() => h.run(() => exec.test.abort("mayday")), (error) => {
      assert.ok(error instanceof TestAbortError);
      assert.equal(error.message, "test aborted: mayday");
      return true;
    });
    assert.throws(() => h.run(() => exec.test.abort()), {
      message: "test aborted",
    });
    assert.deepEqual(h.aborts, ["mayday", "(none)"]);
  });

  it("abort() works in the init stage too", () => {
    const h = createHarness({ stage: "init" });
    assert.throws(
      () => h.run(() => exec.test.abort("bad config")),
      TestAbortError,
    );
    assert.deepEqual(h.aborts, ["bad config"]);
  });

  it("fail() marks the test failed and lets the code go on", () => {
    const h = createHarness();
    h.run(() => exec.test.fail("a custom reason"));
    h.run(() => exec.test.fail());
    assert.deepEqual(h.fails, ["a custom reason", "(none)"]);
  });

  it("fail() is not available in the init stage (k6's text)", () => {
    const h = createHarness({ stage: "init" });
    assert.throws(() => h.run(() => exec.test.fail("x")), {
      message: "execution.test.fail() called outside of VU context",
    });
    assert.deepEqual(h.fails, []);
  });

  it("options is a deeply frozen copy, the same object on every read", () => {
    const options = {
      scenarios: {
        default: {
          executor: "ramping-vus",
          stages: [{ duration: "1s", target: 1 }],
        },
      },
    };
    const h = createHarness({ options });
    const seen = h.run(() => exec.test.options);
    assert.deepEqual(seen, options);
    assert.notEqual(seen, options);
    assert.equal(h.run(() => exec.test.options), seen);
    assert.ok(Object.isFrozen(seen));
    const scenarios = seen.scenarios as { default: { stages: object[] } };
    assert.ok(Object.isFrozen(scenarios.default.stages[0]));
    assert.throws(() => {
      (seen as Record<string, unknown>).paused = false;
    }, TypeError);
  });

  it("options is not available in the init stage (k6's text)", () => {
    const h = createHarness({ stage: "init" });
    assert.throws(() => h.run(() => exec.test.options), {
      message: "getting test options in the init context is not supported",
    });
  });

  it("outside wsload run: options are empty, abort still throws", () => {
    assert.deepEqual(exec.test.options, {});
    assert.throws(() => exec.test.abort("stop"), TestAbortError);
  });
});

describe("default export", () => {
  it("has the four enumerable properties of k6's object", () => {
    const h = createHarness();
    assert.deepEqual(Object.keys(exec).sort(), [
      "instance",
      "scenario",
      "test",
      "vu",
    ]);
    // Each read describes the code running at that moment.
    const other = createHarness({ vu: { idInInstance: 99 } });
    assert.equal(h.run(() => exec.vu.idInInstance), 3);
    assert.equal(other.run(() => exec.vu.idInInstance), 99);
    assert.equal(new Context().run(() => exec.vu.idInInstance), 0);
  });
});
