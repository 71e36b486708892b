import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  applyOptions,
  type CliOverrides,
  ConfigError,
  consolidateOptions,
  type ConsolidationInput,
  describePlan,
  describeScenario,
  ExecutionSegment,
  ExecutionSegmentSequence,
  ExecutionTuple,
  formatDuration,
  formatPlan,
  getEndOffset,
  getExecutionRequirements,
  getFullExecutionRequirements,
  getMaxPlannedVUs,
  getMaxPossibleVUs,
  optionsFromCli,
  optionsFromEnv,
  parseDuration,
  parseGoDuration,
  parseOptions,
  parseScenario,
  parseScenarios,
  rampingVUsRawSteps,
  type RampingVUsScenario,
  SegmentedIndex,
  validateScenario,
} from "../runner/options/mod.ts";
import { tlsFixtures } from "./_tls.ts";

function consolidate(input: ConsolidationInput) {
  const warnings: string[] = [];
  const options = consolidateOptions({
    ...input,
    logger: { warn: (message) => warnings.push(message) },
  });
  return { options, warnings };
}

function configError(input: ConsolidationInput): ConfigError {
  try {
    consolidateOptions(input);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `not a ConfigError: ${error}`);
    assert.equal(error.exitCode, 104);
    return error;
  }
  assert.fail("expected a ConfigError");
}

function tuple(segment?: string, sequence?: string): ExecutionTuple {
  return ExecutionTuple.create(
    segment === undefined ? undefined : ExecutionSegment.parse(segment),
    sequence === undefined
      ? undefined
      : ExecutionSegmentSequence.parse(sequence),
  );
}

const s = 1000;

describe("parseDuration", () => {
  it("reads Go durations, days and plain milliseconds", () => {
    const table: [string | number, number][] = [
      ["1m30s", 90 * s],
      ["500ms", 500],
      ["1.5s", 1500],
      ["1h2m", 3_720 * s],
      ["250us", 0.25],
      ["250µs", 0.25],
      ["100ns", 0.0001],
      ["-1s", -s],
      ["0", 0],
      ["1500", 1500],
      ["1000.5", 1000.5],
      [1500, 1500],
      ["1d", 86_400 * s],
      ["1d12h", 129_600 * s],
    ];
    for (const [input, expected] of table) {
      assert.equal(parseDuration(input), expected, String(input));
    }
  });

  it("rejects malformed text with Go's messages", () => {
    assert.throws(() => parseDuration("abc"), {
      name: "SyntaxError",
      message: 'invalid duration "abc" (e.g. 30s, 1m30s, 500ms)',
    });
    assert.throws(() => parseDuration("1x"), {
      message: 'unknown unit "x" in duration "1x" (units: ns, us, ms, s, m, h)',
    });
    assert.throws(() => parseDuration("1.5.5s"), {
      message: 'missing unit in duration "1.5.5s" (e.g. 1.5ms or 1.5s)',
    });
    assert.throws(() => parseDuration("xd"), {
      message: '"x" is not an integer',
    });
  });
});

describe("parseGoDuration", () => {
  it("requires a unit, like k6's CLI flags", () => {
    assert.equal(parseGoDuration("123s"), 123 * s);
    assert.throws(() => parseGoDuration("1000"), {
      message: 'missing unit in duration "1000" (e.g. 1000ms or 1000s)',
    });
    assert.throws(() => parseGoDuration(""), {
      message: 'invalid duration "" (e.g. 30s, 1m30s, 500ms)',
    });
  });
});

describe("formatDuration", () => {
  it("prints like Go's time.Duration", () => {
    const table: [number, string][] = [
      [0, "0s"],
      [500, "500ms"],
      [1.5, "1.5ms"],
      [0.0015, "1.5µs"],
      [0.000001, "1ns"],
      [1500, "1.5s"],
      [30 * s, "30s"],
      [60 * s, "1m0s"],
      [90 * s, "1m30s"],
      [600 * s, "10m0s"],
      [640 * s, "10m40s"],
      [7_200 * s, "2h0m0s"],
      [3_723_500, "1h2m3.5s"],
      [-1500, "-1.5s"],
    ];
    for (const [ms, expected] of table) {
      assert.equal(formatDuration(ms), expected, String(ms));
    }
  });
});

describe("ExecutionSegment", () => {
  describe(".parse", () => {
    it("reads fractions, decimals and percentages (k6's table)", () => {
      const table: [string, string][] = [
        ["0:1", "0:1"],
        ["0.5:0.75", "1/2:3/4"],
        ["1/2:3/4", "1/2:3/4"],
        ["50%:75%", "1/2:3/4"],
        ["2/4:75%", "1/2:3/4"],
        ["75%", "0:3/4"],
        ["", "0:1"],
      ];
      for (const [input, expected] of table) {
        const segment = ExecutionSegment.parse(input);
        assert.equal(segment.toString(), expected, input);
        assert.ok(ExecutionSegment.parse(segment.toString()).equals(segment));
      }
    });

    it("rejects invalid segments with k6's messages", () => {
      assert.throws(() => ExecutionSegment.parse("125%"), {
        name: "RangeError",
        message: "segment end value can't be more than 1 but was 1.25",
      });
      assert.throws(() => ExecutionSegment.parse("1a5%"), {
        name: "SyntaxError",
        message: "'1a5%' is not a valid percentage",
      });
      assert.throws(() => ExecutionSegment.parse("1a5"), {
        message:
          "'1a5' is not a valid percentage, decimal, fraction or interval value",
      });
      assert.throws(() => ExecutionSegment.parse("1a5%:2/3"), SyntaxError);
      assert.throws(() => ExecutionSegment.parse("125%:250%"), RangeError);
      assert.throws(() => ExecutionSegment.parse("55%:50%"), {
        message: "segment start(0.55) must be less than its end(0.50)",
      });
      assert.throws(() => ExecutionSegment.parse("-1/2:1"), {
        message: "segment start value must be at least 0 but was -0.50",
      });
    });
  });

  describe("#split", () => {
    it("cuts the segment into equal parts", () => {
      const quarter = ExecutionSegment.parse("1/4:1/2");
      assert.deepEqual(quarter.split(3).map(String), [
        "1/4:1/3",
        "1/3:5/12",
        "5/12:1/2",
      ]);
      assert.deepEqual(quarter.split(4).map(String), [
        "1/4:5/16",
        "5/16:3/8",
        "3/8:7/16",
        "7/16:1/2",
      ]);
      assert.throws(() => quarter.split(0), RangeError);
    });
  });

  describe("#length", () => {
    it("is the share of the test", () => {
      assert.equal(ExecutionSegment.parse("1/2:1").length, 0.5);
      assert.equal(ExecutionSegment.FULL.length, 1);
    });
  });
});

describe("ExecutionSegmentSequence", () => {
  describe(".parse", () => {
    it("reads k6's sequences", () => {
      const table: [string, string[]][] = [
        ["", []],
        ["0.5,1", ["1/2:1"]],
        ["1/3,2/3", ["1/3:2/3"]],
        ["0,1/3,2/3,1", ["0:1/3", "1/3:2/3", "2/3:1"]],
        ["0.5,0.7,1", ["1/2:7/10", "7/10:1"]],
        ["0,1/13,2/13,1/3,1/2,3/4,1", [
          "0:1/13",
          "1/13:2/13",
          "2/13:1/3",
          "1/3:1/2",
          "1/2:3/4",
          "3/4:1",
        ]],
      ];
      for (const [input, segments] of table) {
        const sequence = ExecutionSegmentSequence.parse(input);
        assert.deepEqual(sequence.segments.map(String), segments, input);
      }
      assert.equal(
        ExecutionSegmentSequence.parse("0,1/13,2/13,1/3,1/2,3/4,1").toString(),
        "0,1/13,2/13,1/3,1/2,3/4,1",
      );
    });

    it("rejects k6's invalid sequences", () => {
      assert.throws(() => ExecutionSegmentSequence.parse("0.5"), {
        message:
          "at least 2 points are needed for an execution segment sequence, 1 given",
      });
      for (const input of ["1,1", "-0.5,1", "1/2,1/2", "1/2,1/3", "0,1,1/2"]) {
        assert.throws(() => ExecutionSegmentSequence.parse(input), input);
      }
    });
  });

  describe("#lcd", () => {
    it("is the lowest common denominator of the lengths", () => {
      const table: [string, number][] = [
        ["0,0.3,0.5,0.6,0.7,0.8,0.9,1", 10],
        ["0,0.1,0.5,0.6,0.7,0.8,0.9,1", 10],
        ["0,1/3,5/6", 6],
        ["0,1/3,4/7", 21],
      ];
      for (const [input, lcd] of table) {
        assert.equal(ExecutionSegmentSequence.parse(input).lcd(), lcd, input);
      }
    });
  });
});

describe("ExecutionTuple", () => {
  describe("#stripedOffsets", () => {
    it("matches k6's striping table", () => {
      const table: [string | undefined, string, number, number[], number][] = [
        ["0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0:0.3", 0, [4, 3, 3], 10],
        ["0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0.3:0.5", 1, [4, 6], 10],
        ["0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0.5:0.6", 2, [10], 10],
        ["0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0.6:0.7", 3, [10], 10],
        ["0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0.8:0.9", 8, [10], 10],
        ["0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0.9:1", 9, [10], 10],
        ["0,0.2,0.5,0.6,0.7,0.8,0.9,1", "0.9:1", 9, [10], 10],
        ["0,0.2,0.5,0.6,0.7,0.8,0.9,1", "0:0.2", 1, [4, 6], 10],
        ["0,0.2,0.5,0.6,0.7,0.8,0.9,1", "0.6:0.7", 3, [10], 10],
        ["0,0.2,0.5", "0:0.2", 3, [6, 4], 10],
        ["0,0.2,0.5", "0.2:0.5", 1, [4, 2, 4], 10],
        ["0,2/5,4/5", "0:2/5", 0, [3, 2], 5],
        ["0,2/5,4/5", "2/5:4/5", 1, [3, 2], 5],
        [undefined, "0:0.2", 1, [5], 5],
        [undefined, "0:1/5", 1, [5], 5],
        [undefined, "0:2/10", 1, [5], 5],
        [undefined, "0:0.4", 1, [2, 3], 5],
        [undefined, "0:2/5", 1, [2, 3], 5],
        [undefined, "2/5:4/5", 1, [3, 2], 5],
        [undefined, "0:4/10", 1, [2, 3], 5],
        [undefined, "1/10:5/10", 1, [2, 2, 4, 2], 10],
      ];
      for (const [sequence, segment, start, offsets, lcd] of table) {
        assert.deepEqual(
          tuple(segment, sequence).stripedOffsets(),
          { start, offsets, lcd },
          `${sequence} ${segment}`,
        );
      }
    });
  });

  describe("#scale", () => {
    it("matches k6's scaling tables", () => {
      const table: [
        string | undefined,
        string | undefined,
        [number, number][],
      ][] = [
        [undefined, undefined, [[50, 50], [1, 1], [0, 0]]],
        ["0:1", "0,1", [[50, 50], [1, 1], [0, 0]]],
        ["0:1/3", "0,1/3,2/3,1", [[50, 17], [3, 1], [2, 1], [1, 1], [0, 0]]],
        ["1/3:2/3", "0,1/3,2/3,1", [[50, 17], [3, 1], [2, 1], [1, 0], [0, 0]]],
        ["2/3:1", "0,1/3,2/3,1", [[50, 16], [3, 1], [2, 0], [1, 0], [0, 0]]],
        ["0.5", undefined, [[2, 1], [3, 2]]],
        ["0.5:1.0", undefined, [[2, 1], [3, 1]]],
        ["0.5", "0,0.5,1", [[2, 1], [3, 2]]],
        ["0:7/20", "0,7/20,7/10,1", [[50, 18]]],
      ];
      for (const [segment, sequence, pairs] of table) {
        const t = tuple(segment, sequence);
        for (const [value, expected] of pairs) {
          assert.equal(t.scale(value), expected, `${t} scale(${value})`);
        }
      }
    });

    it("gives shares that add up to the value and never shrink", () => {
      const sequence = "0,1/7,2/5,1/2,9/10,1";
      const tuples = ExecutionSegmentSequence.parse(sequence).segments.map((
        segment,
      ) => tuple(segment.toString(), sequence));
      let previous = tuples.map(() => 0);
      for (let value = 0; value < 300; value++) {
        const shares = tuples.map((t) => t.scale(value));
        assert.equal(shares.reduce((a, b) => a + b, 0), value);
        shares.forEach((share, i) => assert.ok(share >= previous[i]));
        previous = shares;
      }
    });
  });

  describe("#withValue", () => {
    it("re-segments by a value (k6's tables)", () => {
      assert.equal(
        tuple("0:1/3", "0,1/3,2/3,1").withValue(20).sequence.toString(),
        "0,7/20,7/10,1",
      );
      const table: [string, [number, [number, number][] | null][]][] = [
        ["0:1/3", [
          [50, [[50, 17], [1, 1], [0, 0]]],
          [20, [[50, 18], [1, 1], [0, 0]]],
          [3, [[50, 17], [1, 1], [0, 0]]],
          [2, [[50, 25], [1, 1], [0, 0]]],
          [1, [[50, 50], [1, 1], [0, 0]]],
          [0, null],
        ]],
        ["1/3:2/3", [
          [50, [[50, 17], [1, 0], [0, 0]]],
          [20, [[50, 17], [1, 0], [0, 0]]],
          [2, [[50, 25], [1, 0], [0, 0]]],
          [1, null],
        ]],
        ["2/3:1", [
          [50, [[50, 16], [1, 0], [0, 0]]],
          [20, [[50, 15], [1, 0], [0, 0]]],
          [3, [[50, 16], [1, 0], [0, 0]]],
          [2, null],
        ]],
      ];
      for (const [segment, values] of table) {
        const t = tuple(segment, "0,1/3,2/3,1");
        for (const [value, pairs] of values) {
          if (pairs === null) {
            assert.throws(() => t.withValue(value), RangeError);
            continue;
          }
          const re = t.withValue(value);
          for (const [input, expected] of pairs) {
            assert.equal(
              re.scale(input),
              expected,
              `${segment} ${value} ${input}`,
            );
          }
        }
      }
    });
  });

  describe(".create", () => {
    it("rejects a segment missing from the sequence", () => {
      assert.throws(() => tuple("1/3:1/2", "0,1/3,2/3,1"), {
        message: "couldn't find segment 1/3:1/2 in sequence 0,1/3,2/3,1",
      });
    });
  });
});

describe("SegmentedIndex", () => {
  it("walks k6's 'strange' index", () => {
    const index = new SegmentedIndex({ start: 1, offsets: [4, 3], lcd: 7 });
    assert.deepEqual(index.next(), [1, 2]);
    assert.deepEqual(index.prev(), [0, 0]);
    assert.deepEqual(index.next(), [1, 2]);
    assert.deepEqual(index.next(), [2, 6]);
    assert.deepEqual(index.next(), [3, 9]);
    assert.deepEqual(index.prev(), [2, 6]);
    assert.deepEqual(index.prev(), [1, 2]);
    assert.deepEqual(index.prev(), [0, 0]);
    assert.deepEqual(index.next(), [1, 2]);
    assert.deepEqual(index.goTo(6), [2, 6]);
    assert.deepEqual(index.goTo(5), [1, 2]);
    assert.deepEqual(index.goTo(7), [2, 6]);
    assert.deepEqual(index.goTo(8), [2, 6]);
    assert.deepEqual(index.goTo(9), [3, 9]);
    assert.deepEqual(index.prev(), [2, 6]);
  });

  it("numbers the other half of a test", () => {
    const index = new SegmentedIndex({ start: 1, offsets: [2], lcd: 2 });
    assert.deepEqual([index.next(), index.next(), index.next()], [
      [1, 2],
      [2, 4],
      [3, 6],
    ]);
  });
});

describe("parseScenario", () => {
  it("applies k6's defaults", () => {
    const config = parseScenario("a", { executor: "shared-iterations" });
    assert.deepEqual(
      { ...config },
      {
        name: "a",
        executor: "shared-iterations",
        startTime: 0,
        gracefulStop: 30 * s,
        exec: undefined,
        env: {},
        tags: {},
        options: undefined,
        vus: 1,
        iterations: 1,
        maxDuration: 600 * s,
      },
    );
    const rate = parseScenario("b", {
      executor: "constant-arrival-rate",
      rate: 10,
      duration: "10m",
      preAllocatedVUs: 20,
    });
    assert.equal(rate.executor === "constant-arrival-rate" && rate.maxVUs, 20);
  });

  it("reads durations as text or milliseconds", () => {
    const config = parseScenario("foo", {
      executor: "constant-vus",
      vus: 2,
      duration: "1d",
      gracefulStop: "10000",
      startTime: 1000.5,
    });
    assert.equal(
      config.executor === "constant-vus" && config.duration,
      86_400 * s,
    );
    assert.equal(config.gracefulStop, 10 * s);
    assert.equal(config.startTime, 1000.5);
  });

  it("matches field names case-insensitively, like k6", () => {
    const config = parseScenario("a", {
      executor: "constant-arrival-rate",
      rate: 1,
      duration: "1s",
      preAllocatedVus: 3,
    });
    assert.equal(
      config.executor === "constant-arrival-rate" && config.preAllocatedVUs,
      3,
    );
  });

  it("rejects what k6 rejects", () => {
    assert.throws(() => parseScenario("someKey", {}), {
      name: "ConfigError",
      message: "scenario 'someKey' doesn't have a specified executor type",
    });
    assert.throws(
      () => parseScenario("someKey", { executor: "constant-blah-blah" }),
      { message: "unknown executor type 'constant-blah-blah'" },
    );
    assert.throws(
      () => parseScenario("someKey", { executor: "externally-controlled" }),
      { message: "unknown executor type 'externally-controlled'" },
    );
    assert.throws(
      () =>
        parseScenario("someKey", {
          executor: "constant-vus",
          uknownField: "should_error",
        }),
      { message: 'json: unknown field "uknownField"' },
    );
    assert.throws(
      () => parseScenario("a", { executor: "constant-vus", vus: 0.5 }),
      ConfigError,
    );
    assert.throws(
      () => parseScenario("a", { executor: "constant-vus", env: 123 }),
      ConfigError,
    );
  });
});

describe("validateScenario", () => {
  const cases: [Record<string, unknown>, string[]][] = [
    [{ executor: "constant-vus", duration: "60s" }, []],
    [{ executor: "constant-vus" }, ["the duration is unspecified"]],
    [{ executor: "constant-vus", vus: 0, duration: "60s" }, [
      "the number of VUs must be more than 0",
    ]],
    [{ executor: "constant-vus", vus: 10, duration: "0s" }, [
      "the duration must be at least 1s, but is 0s",
    ]],
    [
      { executor: "constant-vus", vus: 10, duration: "10s", startTime: "-10s" },
      [
        "the startTime can't be negative",
      ],
    ],
    [{ executor: "constant-vus", vus: 10, duration: "10s", exec: "" }, [
      "exec value cannot be empty",
    ]],
    [{ executor: "constant-vus", duration: "10s", gracefulStop: "-2s" }, [
      "the gracefulStop timeout can't be negative",
    ]],
    [{
      executor: "ramping-vus",
      startVUs: 0,
      stages: [{ duration: "60s", target: 0 }],
    }, [
      "either startVUs or one of the stages' target values must be greater than 0",
    ]],
    [{
      executor: "ramping-vus",
      startVUs: -1,
      stages: [{ duration: "60s", target: 30 }],
    }, [
      "the number of start VUs can't be negative",
    ]],
    [{ executor: "ramping-vus", stages: [{ duration: "-60s", target: 30 }] }, [
      "the duration for stage 1 can't be negative",
    ]],
    [{
      executor: "ramping-vus",
      startVUs: 2,
      stages: [{ duration: "60s", target: -30 }],
    }, [
      "the target for stage 1 can't be negative",
    ]],
    [{ executor: "ramping-vus", stages: [{ duration: "60s" }] }, [
      "stage 1 doesn't have a target",
    ]],
    [{ executor: "ramping-vus", stages: [{ target: 30 }] }, [
      "stage 1 doesn't have a duration",
    ]],
    [{ executor: "ramping-vus", stages: [] }, [
      "at least one stage has to be specified",
    ]],
    [{ executor: "shared-iterations" }, []],
    [{ executor: "shared-iterations", vus: 10 }, [
      "the number of iterations (1) can't be less than the number of VUs (10)",
    ]],
    [{
      executor: "shared-iterations",
      iterations: 20,
      vus: 10,
      maxDuration: "0s",
    }, [
      "the maxDuration must be at least 1s, but is 0s",
    ]],
    [{ executor: "shared-iterations", iterations: 20, vus: -10 }, [
      "the number of VUs must be more than 0",
    ]],
    [{ executor: "per-vu-iterations", vus: 10 }, []],
    [{ executor: "per-vu-iterations", iterations: -1 }, [
      "the number of iterations must be more than 0",
    ]],
    [{ executor: "per-vu-iterations", maxDuration: "-3m" }, [
      "the maxDuration must be at least 1s, but is -3m0s",
    ]],
    [{
      executor: "constant-arrival-rate",
      rate: 10,
      duration: "10m",
      preAllocatedVUs: 20,
      maxVUs: 30,
      timeUnit: "0s",
    }, [
      "the timeUnit must be more than 0",
    ]],
    [{
      executor: "constant-arrival-rate",
      rate: 10,
      duration: "10m",
      maxVUs: 30,
    }, [
      "the number of preAllocatedVUs isn't specified",
    ]],
    [{ executor: "constant-arrival-rate", rate: 10, preAllocatedVUs: 20 }, [
      "the duration is unspecified",
    ]],
    [{
      executor: "constant-arrival-rate",
      duration: "10m",
      preAllocatedVUs: 20,
    }, [
      "the iteration rate isn't specified",
    ]],
    [{
      executor: "constant-arrival-rate",
      rate: 0,
      duration: "10m",
      preAllocatedVUs: 20,
    }, [
      "the iteration rate must be more than 0",
    ]],
    [{
      executor: "constant-arrival-rate",
      rate: 10,
      duration: "10m",
      preAllocatedVUs: 20,
      maxVUs: 15,
    }, [
      "maxVUs can't be less than preAllocatedVUs",
    ]],
    [{
      executor: "constant-arrival-rate",
      rate: 10,
      duration: "10m",
      preAllocatedVUs: -2,
      maxVUs: 25,
    }, [
      "the number of preAllocatedVUs can't be negative",
    ]],
    [{
      executor: "ramping-arrival-rate",
      preAllocatedVUs: 20,
      stages: [{ duration: "5m", target: 10 }],
    }, []],
    [{
      executor: "ramping-arrival-rate",
      startRate: -1,
      preAllocatedVUs: 20,
      stages: [{ duration: "5m", target: 10 }],
    }, [
      "the startRate value can't be negative",
    ]],
    [{ executor: "ramping-arrival-rate", preAllocatedVUs: 20, maxVUs: 50 }, [
      "at least one stage has to be specified",
    ]],
    [{
      executor: "ramping-arrival-rate",
      preAllocatedVUs: 30,
      maxVUs: 20,
      stages: [{ duration: "5m", target: 10 }],
    }, [
      "maxVUs can't be less than preAllocatedVUs",
    ]],
  ];

  it("reports k6's problems for each executor", () => {
    for (const [raw, expected] of cases) {
      assert.deepEqual(
        validateScenario(parseScenario("aname", raw)),
        expected,
        JSON.stringify(raw),
      );
    }
  });

  it("checks the scenario name", () => {
    assert.deepEqual(
      validateScenario(
        parseScenario("", { executor: "constant-vus", duration: "60s" }),
      ),
      [
        "scenario name can't be empty",
        "the scenario name should contain only numbers, latin letters, underscores, and dashes",
      ],
    );
    assert.deepEqual(
      validateScenario(
        parseScenario("my scenario", {
          executor: "constant-vus",
          duration: "1m",
        }),
      ),
      [
        "the scenario name should contain only numbers, latin letters, underscores, and dashes",
      ],
    );
  });
});

describe("parseOptions", () => {
  it("warns about unknown keys in a script's options, as k6 does", () => {
    const warnings: string[] = [];
    const options = parseOptions({ vus: 2, foo: 1 }, "script", {
      warn: (message) => warnings.push(message),
    });
    assert.equal(options.vus, 2);
    assert.deepEqual(warnings, [
      'There were unknown fields in the options exported in the script: json: unknown field "foo"',
    ]);
  });

  it("reads k6's HTTP options; keeps the ignored ones aside", () => {
    const { clientCert, clientKey } = tlsFixtures();
    const options = parseOptions(
      {
        rps: 10,
        hosts: { "A.test": "127.0.0.1", "b.test:443": "127.0.0.1:8443" },
        discardResponseBodies: true,
        maxRedirects: 3,
        batch: 5,
        batchPerHost: 2,
        tlsVersion: "tls1.2",
        tlsAuth: [{ cert: clientCert, key: clientKey, domains: ["a.test"] }],
      },
      "script",
    );
    assert.deepEqual(options.ignored, { rps: 10 });
    assert.equal(options.discardResponseBodies, true);
    assert.deepEqual(options.hosts, {
      "a.test": "127.0.0.1",
      "b.test:443": "127.0.0.1:8443",
    });
    assert.equal(options.maxRedirects, 3);
    assert.equal(options.batch, 5);
    assert.equal(options.batchPerHost, 2);
    assert.deepEqual(options.tlsVersion, { min: "tls1.2", max: "tls1.2" });
    assert.deepEqual(options.tlsAuth?.[0].domains, ["a.test"]);
    assert.deepEqual(
      parseOptions({ tlsVersion: { min: "tls1.2" } }, "script").tlsVersion,
      { min: "tls1.2", max: undefined },
    );
  });

  it("rejects bad TLS and hosts options with clear texts", () => {
    assert.throws(() => parseOptions({ tlsVersion: "ssl3" }, "script"), {
      name: "ConfigError",
      message: "invalid value for tlsVersion: unknown TLS version 'ssl3'",
    });
    assert.throws(
      () => parseOptions({ hosts: { "a b": "127.0.0.1" } }, "script"),
      { message: "invalid value for hosts: invalid host pattern 'a b'" },
    );
    assert.throws(
      () => parseOptions({ hosts: { "a.test": "somewhere" } }, "script"),
      /'a.test' must map to an IP address or ip:port/,
    );
    assert.throws(
      () => parseOptions({ tlsAuth: [{ cert: "x", key: "y" }] }, "script"),
      /invalid value for tlsAuth\[0\]: /,
    );
  });

  it("rejects values of the wrong type", () => {
    assert.throws(() => parseOptions({ vus: "10" }, "script"), {
      name: "ConfigError",
      message: 'invalid value for vus: expected an integer, got string "10"',
    });
    assert.throws(() => parseOptions({ duration: "abc" }, "script"), {
      message:
        'invalid value for duration: invalid duration "abc" (e.g. 30s, 1m30s, 500ms)',
    });
  });

  it("keeps only known system tags", () => {
    const options = parseOptions(
      { systemTags: ["proto", "nope", "vu"] },
      "config",
    );
    assert.deepEqual([...options.systemTags ?? []], ["proto", "vu"]);
  });
});

describe("applyOptions", () => {
  it("drops the lower tier's execution options when the higher sets one", () => {
    assert.deepEqual(
      applyOptions({ vus: 5, iterations: 10, stages: [] }, {
        duration: 30 * s,
      }),
      { vus: 5, duration: 30 * s },
    );
  });

  it("keeps the lower tier's options the higher does not set", () => {
    assert.deepEqual(applyOptions({ vus: 5, throw: true }, { vus: 7 }), {
      vus: 7,
      throw: true,
    });
  });

  it("drops stages without a duration", () => {
    assert.deepEqual(
      applyOptions({}, { stages: [{ target: 5 }, { duration: 1, target: 2 }] }),
      { stages: [{ duration: 1, target: 2 }] },
    );
  });
});

describe("optionsFromEnv", () => {
  it("reads K6_* variables", () => {
    const options = optionsFromEnv({
      K6_VUS: "10",
      K6_DURATION: "10000",
      K6_ITERATIONS: "15",
      K6_STAGES: "2m30s:11,1h1m:100",
      K6_SYSTEM_TAGS: "proto,method",
      K6_SUMMARY_TREND_STATS: "avg,p(99)",
      K6_NO_SETUP: "true",
      K6_NO_TEARDOWN: "false",
      K6_TAGS: "env_only:e,shared:from-env",
      K6_SETUP_TIMEOUT: "2m",
      HOME: "/root",
    });
    assert.deepEqual({ ...options, systemTags: [...options.systemTags!] }, {
      vus: 10,
      duration: 10 * s,
      iterations: 15,
      stages: [
        { duration: 150 * s, target: 11 },
        { duration: 3_660 * s, target: 100 },
      ],
      systemTags: ["proto", "method"],
      summaryTrendStats: ["avg", "p(99)"],
      noSetup: true,
      noTeardown: false,
      tags: { env_only: "e", shared: "from-env" },
      setupTimeout: 120 * s,
    });
  });

  it("reads an empty K6_SYSTEM_TAGS as no system tags", () => {
    assert.equal(optionsFromEnv({ K6_SYSTEM_TAGS: '""' }).systemTags?.size, 0);
  });

  it("rejects malformed values naming the variable and what it expects", () => {
    assert.throws(() => optionsFromEnv({ K6_VUS: "abc" }), {
      name: "ConfigError",
      message: `invalid value 'abc' for K6_VUS: "abc" is not an integer`,
    });
    assert.throws(
      () => optionsFromEnv({ K6_STAGES: "1000:100" }),
      /missing unit in duration "1000"/,
    );
    assert.throws(
      () => optionsFromEnv({ K6_NO_TEARDOWN: "bool" }),
      /^ConfigError: invalid value 'bool' for K6_NO_TEARDOWN: invalid boolean "bool", use true or false$/,
    );
  });
});

describe("optionsFromCli", () => {
  it("reads flag values", () => {
    const options = optionsFromCli({
      vus: "3",
      iterations: 6,
      stage: ["20s:10", "3m:5,1m:0"],
      tag: ["a=1", "b=x=y"],
      systemTags: "",
      summaryTrendStats: "med,avg,p(99.999)",
      noSetup: true,
    });
    assert.deepEqual({ ...options, systemTags: [...options.systemTags!] }, {
      vus: 3,
      iterations: 6,
      stages: [
        { duration: 20 * s, target: 10 },
        { duration: 180 * s, target: 5 },
        { duration: 60 * s, target: 0 },
      ],
      tags: { a: "1", b: "x=y" },
      systemTags: [],
      summaryTrendStats: ["med", "avg", "p(99.999)"],
      noSetup: true,
    });
  });

  it("reads the HTTP flags and K6_* variables", () => {
    assert.deepEqual(
      optionsFromCli({ maxRedirects: "2", batch: "4", batchPerHost: "1" }),
      { maxRedirects: 2, batch: 4, batchPerHost: 1 },
    );
    const env = optionsFromEnv({
      K6_MAX_REDIRECTS: "0",
      K6_BATCH: "7",
      K6_BATCH_PER_HOST: "3",
      K6_NO_VU_CONNECTION_REUSE: "true",
    });
    assert.equal(env.maxRedirects, 0);
    assert.equal(env.batch, 7);
    assert.equal(env.batchPerHost, 3);
    assert.equal(env.noVUConnectionReuse, true);
  });

  it("rejects what k6's flags reject", () => {
    const table: [CliOverrides, string][] = [
      [
        { duration: "1000" },
        'invalid argument "1000" for "-d, --duration" flag: missing unit in duration "1000" (e.g. 1000ms or 1000s)',
      ],
      [
        { iterations: "blah" },
        'invalid argument "blah" for "-i, --iterations" flag: "blah" is not an integer',
      ],
      [
        { stage: "10:20s" },
        'error for stage 0: missing unit in duration "10" (e.g. 10ms or 10s)',
      ],
      [{ stage: ":10" }, "stage 0 doesn't have a specified duration"],
      [{ tag: "a=" }, "error parsing tag 'a=': invalid tag, empty value"],
      [{ tag: "=a" }, "error parsing tag '=a': invalid tag, empty name"],
      [
        { executionSegment: "2" },
        `invalid argument "2" for "--execution-segment" flag: segment end value can't be more than 1 but was 2.00`,
      ],
    ];
    for (const [cli, message] of table) {
      assert.throws(() => optionsFromCli(cli), {
        name: "ConfigError",
        message,
      });
    }
  });
});

describe("consolidateOptions", () => {
  describe("precedence", () => {
    it("ranks defaults < config < script < env < CLI", () => {
      const input: ConsolidationInput = {
        config: {
          userAgent: "config",
          throw: true,
          vus: 1,
          setupTimeout: "1s",
        },
        script: { userAgent: "script", vus: 2, setupTimeout: "2s" },
        env: { K6_USER_AGENT: "env", K6_VUS: "3" },
        cli: { userAgent: "cli" },
      };
      const { options } = consolidate(input);
      assert.equal(options.userAgent, "cli");
      assert.equal(options.vus, 3);
      assert.equal(options.setupTimeout, 2 * s);
      assert.equal(options.throw, true);
      assert.equal(options.teardownTimeout, 60 * s);
      assert.equal(options.handleSummaryTimeout, 120 * s);
      assert.deepEqual(options.summaryTrendStats, [
        "avg",
        "min",
        "med",
        "max",
        "p(90)",
        "p(95)",
      ]);
      assert.ok(options.systemTags.has("scenario"));
      assert.ok(!options.systemTags.has("vu"));
    });

    it("lets a higher tier's execution option replace lower scenarios, with k6's warning", () => {
      const { options, warnings } = consolidate({
        config: {
          scenarios: {
            someKey: {
              executor: "constant-vus",
              vus: 10,
              duration: "60s",
              exec: "someFunc",
            },
          },
        },
        env: { K6_ITERATIONS: "25" },
        cli: { vus: "12" },
      });
      assert.deepEqual(Object.keys(options.scenarios), ["default"]);
      const scenario = options.scenarios.default;
      assert.equal(scenario.executor, "shared-iterations");
      assert.equal(
        scenario.executor === "shared-iterations" && scenario.vus,
        12,
      );
      assert.equal(
        scenario.executor === "shared-iterations" && scenario.iterations,
        25,
      );
      assert.deepEqual(warnings, [
        '"env" level configuration overrode scenarios configuration entirely',
      ]);
    });

    it("warns once per tier that overrides scenarios", () => {
      const { options, warnings } = consolidate({
        script: { scenarios: { a: { executor: "shared-iterations" } } },
        cli: { duration: "30s" },
      });
      assert.equal(options.scenarios.default.executor, "constant-vus");
      assert.deepEqual(warnings, [
        '"cli" level configuration overrode scenarios configuration entirely',
      ]);
    });

    it("does not treat options from different tiers as conflicting", () => {
      const { options, warnings } = consolidate({
        script: { vus: 5, duration: "50s" },
        cli: { stage: "5s:5" },
      });
      const scenario = options.scenarios.default;
      assert.equal(scenario.executor, "ramping-vus");
      assert.equal(scenario.executor === "ramping-vus" && scenario.startVUs, 5);
      assert.deepEqual(warnings, []);
    });

    it("takes a higher tier's tags whole", () => {
      const { options } = consolidate({
        config: { tags: { file_only: "f", shared: "from-file" } },
        script: { tags: { script_only: "s", shared: "from-script" } },
        env: { K6_TAGS: "env_only:e,shared:from-env" },
        cli: { tag: ["cli_only=c", "shared=from-cli"] },
      });
      assert.deepEqual(options.tags, { cli_only: "c", shared: "from-cli" });
    });

    it("ignores `-e`-style names: only K6_* variables set options", () => {
      const { options } = consolidate({ env: { ITERATIONS: "10" } });
      assert.equal(options.scenarios.default.executor, "per-vu-iterations");
    });
  });

  describe("shortcuts", () => {
    it("1: iterations make shared-iterations (duration becomes maxDuration)", () => {
      const { options } = consolidate({
        cli: { vus: "1", iterations: "6", duration: "10s" },
      });
      const scenario = options.scenarios.default;
      assert.equal(scenario.executor, "shared-iterations");
      if (scenario.executor !== "shared-iterations") return;
      assert.deepEqual(
        [scenario.vus, scenario.iterations, scenario.maxDuration],
        [1, 6, 10 * s],
      );
    });

    it("2: duration makes constant-vus", () => {
      const { options } = consolidate({
        env: { K6_VUS: "10", K6_DURATION: "20s" },
      });
      const scenario = options.scenarios.default;
      assert.equal(scenario.executor, "constant-vus");
      if (scenario.executor !== "constant-vus") return;
      assert.deepEqual([scenario.vus, scenario.duration], [10, 20 * s]);
    });

    it("3: stages make ramping-vus starting at vus", () => {
      const { options } = consolidate({
        env: { K6_STAGES: "100s:100,0m30s:0", K6_VUS: "0" },
      });
      const scenario = options.scenarios.default;
      assert.equal(scenario.executor, "ramping-vus");
      if (scenario.executor !== "ramping-vus") return;
      assert.equal(scenario.startVUs, 0);
      assert.deepEqual(scenario.stages, [
        { duration: 100 * s, target: 100 },
        { duration: 30 * s, target: 0 },
      ]);
    });

    it("4: vus alone make shared-iterations with as many iterations", () => {
      const { options } = consolidate({ cli: { vus: "8" } });
      const scenario = options.scenarios.default;
      assert.equal(scenario.executor, "shared-iterations");
      if (scenario.executor !== "shared-iterations") return;
      assert.deepEqual([scenario.vus, scenario.iterations], [8, 8]);
      assert.equal(options.iterations, 8);
    });

    it("4: vus alone override script scenarios with k6's warning", () => {
      const { options, warnings } = consolidate({
        config: {
          scenarios: {
            api: { executor: "shared-iterations", vus: 100, iterations: 100 },
          },
        },
        cli: { vus: "8" },
      });
      assert.deepEqual(Object.keys(options.scenarios), ["default"]);
      assert.deepEqual(warnings, ["`vus=8` overrides scenarios configuration"]);
    });

    it("5: scenarios are used as they are", () => {
      const { options } = consolidate({
        script: {
          scenarios: {
            b: { executor: "constant-vus", duration: "1m", startTime: "10s" },
            a: { executor: "per-vu-iterations", exec: "other" },
          },
        },
        exports: ["default", "other"],
      });
      assert.deepEqual(Object.keys(options.scenarios), ["b", "a"]);
    });

    it("6: nothing gives one iteration on one VU", () => {
      const { options, warnings } = consolidate({});
      const scenario = options.scenarios.default;
      assert.equal(scenario.executor, "per-vu-iterations");
      if (scenario.executor !== "per-vu-iterations") return;
      assert.deepEqual([scenario.vus, scenario.iterations], [1, 1]);
      assert.deepEqual(warnings, []);
    });

    it("warns when stages or scenarios are explicitly empty", () => {
      assert.deepEqual(consolidate({ cli: { stage: "" } }).warnings, [
        "`stages` was explicitly set to an empty value, running the script with 1 iteration in 1 VU",
      ]);
      assert.deepEqual(consolidate({ config: { scenarios: {} } }).warnings, [
        "`scenarios` was explicitly set to an empty value, running the script with 1 iteration in 1 VU",
      ]);
    });
  });

  describe("conflicts", () => {
    it("rejects two execution options from one tier with k6's texts", () => {
      const scenarios = { a: { executor: "shared-iterations" } };
      const stages = [{ duration: "10s", target: 20 }];
      const table: [Record<string, unknown>, string][] = [
        [
          { iterations: 5, stages },
          "using `iterations` and `stages` options simultaneously is not allowed",
        ],
        [
          { iterations: 5, scenarios },
          "using `iterations` and `scenarios` options simultaneously is not allowed",
        ],
        [
          { duration: "10s", stages },
          "using `duration` and `stages` options simultaneously is not allowed",
        ],
        [
          { duration: "10s", scenarios },
          "using `duration` and `scenarios` options simultaneously is not allowed",
        ],
        [
          { stages, scenarios },
          "using `stages` and `scenarios` options simultaneously is not allowed",
        ],
        [
          { duration: 0 },
          "`duration` option should be more than 0, for infinite duration use the externally-controlled executor",
        ],
      ];
      for (const [script, message] of table) {
        assert.equal(configError({ script }).message, message);
      }
      assert.equal(
        configError({ cli: { vus: "2", duration: "10s", stage: "10s:20" } })
          .message,
        "using `duration` and `stages` options simultaneously is not allowed",
      );
    });
  });

  describe("validation", () => {
    it("reports every problem in k6's format", () => {
      const error = configError({
        script: {
          scenarios: {
            a: { executor: "constant-vus", vus: 0, duration: "10s" },
            b: { executor: "shared-iterations", exec: "missing" },
          },
          setupTimeout: "0s",
        },
        exports: ["default"],
      });
      assert.equal(
        error.message,
        [
          "There were problems with the specified script configuration:",
          "\t- scenario a has configuration errors: the number of VUs must be more than 0",
          "\t- setupTimeout must be positive",
          "\t- executor b: function 'missing' not found in exports",
        ].join("\n"),
      );
    });

    it("rejects shortcut scenarios that are invalid", () => {
      assert.equal(
        configError({ cli: { vus: "10", iterations: "6" } }).message,
        "There were problems with the specified script configuration:\n\t- scenario default has configuration errors: the number of iterations (6) can't be less than the number of VUs (10)",
      );
      assert.match(
        configError({ cli: { stage: ["10s:5", "10s:"] } }).message,
        /stage 2 doesn't have a target/,
      );
    });

    it("requires the segment to be in the sequence", () => {
      assert.match(
        configError({
          cli: {
            executionSegment: "1/4:1/2",
            executionSegmentSequence: "0,1/3,2/3,1",
          },
        }).message,
        /provided segment 1\/4:1\/2 can't be found in sequence 0,1\/3,2\/3,1/,
      );
    });

    it("checks summary trend stats and time unit", () => {
      assert.equal(
        configError({ cli: { summaryTrendStats: "coun" } }).message,
        "invalid trend stat 'coun', unknown format",
      );
      assert.equal(
        configError({ env: { K6_SUMMARY_TREND_STATS: "med,p(101)" } }).message,
        "invalid percentile trend stat value 'p(101)', provide a number between 0 and 100",
      );
      assert.equal(
        configError({ script: { summaryTimeUnit: "h" } }).message,
        "invalid summary time unit 'h', use 's', 'ms' or 'us'",
      );
    });

    it("turns malformed script options into a ConfigError", () => {
      assert.equal(
        configError({ script: { scenarios: { a: { executor: "nope" } } } })
          .message,
        "unknown executor type 'nope'",
      );
    });
  });

  describe("execution segment", () => {
    it("scales the plan for the segment", () => {
      const { options } = consolidate({
        script: { vus: 10, duration: "30s" },
        cli: {
          executionSegment: "1/3:2/3",
          executionSegmentSequence: "0,1/3,2/3,1",
        },
      });
      assert.deepEqual(
        describePlan(options.scenarios, options.executionTuple),
        {
          header:
            "(33.33%) 1 scenario, 3 max VUs, 1m0s max duration (incl. graceful stop):",
          scenarios: [{
            name: "default",
            description: "3 looping VUs for 30s (gracefulStop: 30s)",
          }],
        },
      );
    });
  });
});

describe("describeScenario", () => {
  it("uses k6's wording for each executor", () => {
    const full = tuple();
    const table: [Record<string, unknown>, string][] = [
      [
        {
          executor: "constant-vus",
          vus: 10,
          duration: "60s",
          gracefulStop: "10s",
          startTime: "70s",
          exec: "someFunc",
        },
        "10 looping VUs for 1m0s (exec: someFunc, startTime: 1m10s, gracefulStop: 10s)",
      ],
      [
        {
          executor: "ramping-vus",
          startVUs: 20,
          gracefulStop: "15s",
          gracefulRampDown: "10s",
          startTime: "23s",
          stages: [
            { duration: "60s", target: 30 },
            { duration: "130s", target: 10 },
          ],
        },
        "Up to 30 looping VUs for 3m10s over 2 stages (gracefulRampDown: 10s, startTime: 23s, gracefulStop: 15s)",
      ],
      [
        {
          executor: "ramping-vus",
          startVUs: 1,
          gracefulStop: "0s",
          gracefulRampDown: "0s",
          stages: [
            { duration: "10s", target: 10 },
            { duration: "0s", target: 11 },
            { duration: "0s", target: 1 },
            { duration: "10s", target: 5 },
          ],
        },
        "Up to 11 looping VUs for 20s over 4 stages (gracefulRampDown: 0s)",
      ],
      [
        {
          executor: "shared-iterations",
          iterations: 22,
          vus: 12,
          maxDuration: "100s",
        },
        "22 iterations shared among 12 VUs (maxDuration: 1m40s, gracefulStop: 30s)",
      ],
      [
        {
          executor: "per-vu-iterations",
          iterations: 23,
          vus: 13,
          gracefulStop: 0,
        },
        "23 iterations for each of 13 VUs (maxDuration: 10m0s)",
      ],
      [
        {
          executor: "constant-arrival-rate",
          rate: 30,
          timeUnit: "1m",
          duration: "10m",
          preAllocatedVUs: 20,
          maxVUs: 30,
        },
        "0.50 iterations/s for 10m0s (maxVUs: 20-30, gracefulStop: 30s)",
      ],
      [
        {
          executor: "constant-arrival-rate",
          rate: 30,
          duration: "30s",
          preAllocatedVUs: 2,
          maxVUs: 50,
        },
        "30.00 iterations/s for 30s (maxVUs: 2-50, gracefulStop: 30s)",
      ],
      [
        {
          executor: "ramping-arrival-rate",
          startRate: 10,
          timeUnit: "30s",
          preAllocatedVUs: 20,
          maxVUs: 50,
          stages: [
            { duration: "3m", target: 30 },
            { duration: "5m", target: 10 },
          ],
        },
        "Up to 1.00 iterations/s for 8m0s over 2 stages (maxVUs: 20-50, gracefulStop: 30s)",
      ],
    ];
    for (const [raw, expected] of table) {
      assert.equal(describeScenario(parseScenario("a", raw), full), expected);
    }
  });

  it("describes the segment's share", () => {
    const config = parseScenario("ishared", {
      executor: "shared-iterations",
      iterations: 22,
      vus: 12,
      maxDuration: "100s",
    });
    const table: [string, string, string][] = [
      ["0:1/3", "0,1/3,2/3,1", "8 iterations shared among 4 VUs"],
      ["1/3:2/3", "0,1/3,2/3,1", "7 iterations shared among 4 VUs"],
      [
        "12/13:1",
        "0,1/13,2/13,3/13,4/13,5/13,6/13,7/13,8/13,9/13,10/13,11/13,12/13,1",
        "0 iterations shared among 0 VUs",
      ],
    ];
    for (const [segment, sequence, expected] of table) {
      assert.equal(
        describeScenario(config, tuple(segment, sequence)),
        `${expected} (maxDuration: 1m40s, gracefulStop: 30s)`,
      );
    }
  });
});

describe("describePlan", () => {
  it("prints the header and the scenario lines", () => {
    const scenarios = parseScenarios({
      contacts: { executor: "shared-iterations", vus: 10, iterations: 100 },
      other: {
        executor: "per-vu-iterations",
        vus: 10,
        iterations: 10,
        startTime: "10s",
      },
    })!;
    assert.deepEqual(formatPlan(describePlan(scenarios, tuple())), [
      "     scenarios: (100.00%) 2 scenarios, 20 max VUs, 10m40s max duration (incl. graceful stop):",
      "              * contacts: 100 iterations shared among 10 VUs (maxDuration: 10m0s, gracefulStop: 30s)",
      "              * other: 10 iterations for each of 10 VUs (maxDuration: 10m0s, startTime: 10s, gracefulStop: 30s)",
    ]);
  });

  it("counts arrival-rate VUs that may be initialised mid-test", () => {
    const scenarios = parseScenarios({
      default: {
        executor: "constant-arrival-rate",
        rate: 30,
        duration: "30s",
        preAllocatedVUs: 2,
        maxVUs: 50,
      },
    })!;
    assert.equal(
      describePlan(scenarios, tuple()).header,
      "(100.00%) 1 scenario, 50 max VUs, 1m0s max duration (incl. graceful stop):",
    );
  });
});

describe("getExecutionRequirements", () => {
  const stagesExample = parseScenario("test", {
    executor: "ramping-vus",
    startVUs: 4,
    stages: [
      [6, 2],
      [1, 5],
      [5, 4],
      [1, 4],
      [4, 3],
      [4, 2],
      [1, 0],
      [1, 3],
    ].map(([target, seconds]) => ({ target, duration: seconds * s })),
  }) as RampingVUsScenario;
  const steps = (list: { timeOffset: number; plannedVUs: number }[]) =>
    list.map((step) => [step.timeOffset / s, step.plannedVUs]);

  it("plans ramping VUs like k6 (raw steps)", () => {
    const expected = [
      [0, 4],
      [1, 5],
      [2, 6],
      [3, 5],
      [4, 4],
      [5, 3],
      [6, 2],
      [7, 1],
      [8, 2],
      [9, 3],
      [10, 4],
      [11, 5],
      [12, 4],
      [13, 3],
      [14, 2],
      [15, 1],
      [16, 2],
      [17, 3],
      [18, 4],
      [20, 1],
    ];
    assert.deepEqual(
      steps(rampingVUsRawSteps(stagesExample, tuple(), false)),
      expected,
    );
    assert.deepEqual(steps(rampingVUsRawSteps(stagesExample, tuple(), true)), [
      ...expected,
      [23, 0],
    ]);
  });

  it("reserves VUs for graceful ramp-downs like k6", () => {
    const withStop = (gracefulStop: number, gracefulRampDown = 30 * s) =>
      steps(getExecutionRequirements(
        { ...stagesExample, gracefulStop, gracefulRampDown },
        tuple(),
      ));
    assert.deepEqual(withStop(30 * s), [
      [0, 4],
      [1, 5],
      [2, 6],
      [33, 5],
      [42, 4],
      [50, 1],
      [53, 0],
    ]);
    assert.deepEqual(withStop(80 * s), [
      [0, 4],
      [1, 5],
      [2, 6],
      [33, 5],
      [42, 4],
      [50, 1],
      [103, 0],
    ]);
    assert.deepEqual(withStop(3 * s), [[0, 4], [1, 5], [2, 6], [26, 0]]);
    assert.deepEqual(withStop(0), [[0, 4], [1, 5], [2, 6], [23, 0]]);
    assert.deepEqual(
      withStop(0, 0),
      steps(rampingVUsRawSteps(stagesExample, tuple(), true)),
    );
  });

  it("combines scenarios with their start times", () => {
    const scenarios = parseScenarios({
      someKey: {
        executor: "constant-vus",
        vus: 10,
        duration: "60s",
        gracefulStop: "10s",
        startTime: "70s",
      },
    })!;
    const plan = getFullExecutionRequirements(scenarios, tuple());
    assert.equal(getEndOffset(plan), 140 * s);
    assert.equal(getMaxPlannedVUs(plan), 10);
    const arrival = parseScenarios({
      varrival: {
        executor: "ramping-arrival-rate",
        startRate: 10,
        timeUnit: "30s",
        preAllocatedVUs: 20,
        maxVUs: 50,
        stages: [
          { duration: "3m", target: 30 },
          { duration: "5m", target: 10 },
        ],
      },
    })!;
    const arrivalPlan = getFullExecutionRequirements(arrival, tuple());
    assert.equal(getEndOffset(arrivalPlan), 510 * s);
    assert.equal(getMaxPlannedVUs(arrivalPlan), 20);
    assert.equal(getMaxPossibleVUs(arrivalPlan), 50);
  });
});

describe("the workers option (wsload's own)", () => {
  it("comes from the script, WSLOAD_WORKERS and --workers, the flag first", () => {
    assert.equal(consolidateOptions({}).workers, undefined);
    assert.equal(consolidateOptions({ script: { workers: 3 } }).workers, 3);
    assert.equal(
      consolidateOptions({
        script: { workers: 3 },
        env: { WSLOAD_WORKERS: "2" },
      }).workers,
      2,
    );
    assert.equal(
      consolidateOptions({
        script: { workers: 3 },
        env: { WSLOAD_WORKERS: "2" },
        cli: { workers: "1" },
      }).workers,
      1,
    );
  });

  it("must be at least one worker process", () => {
    assert.match(
      configError({ cli: { workers: "0" } }).message,
      /workers must be at least 1 \(worker processes\), got 0/,
    );
    assert.match(
      configError({ env: { WSLOAD_WORKERS: "many" } }).message,
      /invalid value 'many' for WSLOAD_WORKERS/,
    );
  });
});
