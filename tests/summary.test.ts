import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { env } from "node:process";
import { describe, it } from "node:test";
import type {
  CheckSnapshot,
  EngineSnapshot,
  GroupSnapshot,
  MetricSnapshot,
  ThresholdSnapshot,
} from "../runner/engine/snapshot.ts";
import {
  formatFixedDuration,
  humanizeValue,
  jUnit,
  legacySummaryExport,
  renderRunHeader,
  renderSummary,
  roundDuration,
  summaryData,
  textSummary,
} from "../runner/summary/mod.ts";
import { ProgressDisplay, renderProgressBar } from "../runner/progress_bar.ts";
import {
  executorProgress,
  runStatusLine,
  waitingProgress,
} from "../runner/progress_line.ts";

// ---------------------------------------------------------------------------
// Golden files: whole-text comparison; UPDATE_GOLDEN=1 rewrites them (check
// every changed line against k6 before committing).

function goldenUrl(name: string): URL {
  return new URL(`./golden/summary/${name}`, import.meta.url);
}

function assertGolden(name: string, actual: string): void {
  if (env.UPDATE_GOLDEN === "1") {
    writeFileSync(goldenUrl(name), actual);
    return;
  }
  const expected = readFileSync(goldenUrl(name), "utf8");
  if (actual === expected) return;
  const actualLines = actual.split("\n");
  const expectedLines = expected.split("\n");
  const diff: string[] = [];
  for (let i = 0; i < Math.max(actualLines.length, expectedLines.length); i++) {
    if (actualLines[i] === expectedLines[i]) continue;
    diff.push(
      `line ${i + 1}:`,
      `  - golden: ${JSON.stringify(expectedLines[i])}`,
      `  + actual: ${JSON.stringify(actualLines[i])}`,
    );
  }
  assert.fail(
    `output differs from golden file ${name} (UPDATE_GOLDEN=1 rewrites it):\n${
      diff.join("\n")
    }`,
  );
}

// A realistic WebSocket test: scenarios `default` (chat, with groups) and
// `pingers`; ws_* metrics, a custom trend and counter, checks with failures,
// passing and failing thresholds, sub-metrics with and without a parent
// threshold. The same file feeds the k6 cross-check during development.
const wsSnapshot: EngineSnapshot = JSON.parse(
  readFileSync(goldenUrl("ws_snapshot.json"), "utf8"),
);

// ---------------------------------------------------------------------------
// Snapshot builders for small hand-made cases.

function metric(
  name: string,
  type: MetricSnapshot["type"],
  contains: MetricSnapshot["contains"],
  values: Record<string, number>,
  thresholds: [source: string, ok: boolean][] = [],
): MetricSnapshot {
  return {
    name,
    type,
    contains,
    values,
    thresholds: thresholds.map(([source, ok]): ThresholdSnapshot => ({
      source,
      ok,
      abortOnFail: false,
    })),
  };
}

function check(
  name: string,
  groupPath: string,
  id: string,
  passes: number,
  fails: number,
): CheckSnapshot {
  return { name, path: `${groupPath}::${name}`, id, passes, fails };
}

function group(
  name: string,
  path: string,
  parts: Partial<Pick<GroupSnapshot, "groups" | "checks" | "metrics">> = {},
): GroupSnapshot {
  return {
    name,
    path,
    id: "",
    groups: parts.groups ?? [],
    checks: parts.checks ?? [],
    metrics: parts.metrics ?? [],
  };
}

function snapshot(
  root: GroupSnapshot,
  durationMs = 1000,
  scenarios: Record<string, GroupSnapshot> = {},
): EngineSnapshot {
  return { durationMs, rootGroup: root, scenarios };
}

// k6's own fixture (internal/js/summary_test.go, createTestMetrics): vus,
// http_reqs with a failed threshold, checks, my_trend of 10, 15, 20 ms, and
// group `child` with check3 created before check2.
const K6_TREND_VALUES = {
  avg: 15,
  min: 10,
  med: 15,
  max: 20,
  "p(90)": k6Percentile([10, 15, 20], 90),
  "p(95)": k6Percentile([10, 15, 20], 95),
  "p(99)": k6Percentile([10, 15, 20], 99),
  "p(99.9)": k6Percentile([10, 15, 20], 99.9),
  count: 3,
};

// k6's TrendSink.P: linear interpolation between the neighbours of
// percentile × (n − 1) in the sorted values.
function k6Percentile(sorted: number[], percentile: number): number {
  const i = (percentile / 100) * (sorted.length - 1);
  const low = sorted[Math.floor(i)];
  const high = sorted[Math.ceil(i)];
  return low + (high - low) * (i - Math.floor(i));
}
const k6Fixture = snapshot({
  name: "",
  path: "",
  id: "d41d8cd98f00b204e9800998ecf8427e",
  groups: [{
    name: "child",
    path: "::child",
    id: "f41cbb53a398ec1c9fb3d33e20c9b040",
    groups: [],
    checks: [
      check("check1", "::child", "6289a7a06253a1c3f6137dfb25695563", 30, 0),
      check("check3", "::child", "c7553eca92d3e034b5808332296d304a", 10, 5),
      check("check2", "::child", "06f5922794bef0d4584ba76a49893e1f", 5, 10),
    ],
    metrics: [],
  }],
  checks: [],
  metrics: [
    metric("vus", "gauge", "default", { value: 1, min: 1, max: 1 }),
    metric("http_reqs", "counter", "default", { count: 3, rate: 3 }, [
      ["rate<100", false],
    ]),
    metric("checks", "rate", "default", { rate: 0.75, passes: 45, fails: 15 }, [
      ["rate>70", true],
    ]),
    metric("my_trend", "trend", "time", K6_TREND_VALUES, [
      ["my_trend<1000", false],
    ]),
  ],
});
const K6_DATA_STATS = [
  "avg",
  "min",
  "med",
  "max",
  "p(90)",
  "p(95)",
  "p(99)",
  "count",
];

// The smallest run k6's command tests use: one check, a custom counter.
function minimalRun(root: Partial<GroupSnapshot> = {}): EngineSnapshot {
  return snapshot({
    ...group("", ""),
    checks: [check("TRUE is TRUE", "", "id", 1, 0)],
    metrics: [
      metric("checks", "rate", "default", { rate: 1, passes: 1, fails: 0 }),
      metric("custom_iterations", "counter", "default", { count: 1, rate: 1 }),
      metric("data_received", "counter", "data", { count: 0, rate: 0 }),
      metric("data_sent", "counter", "data", { count: 0, rate: 0 }),
      metric("iteration_duration", "trend", "time", {
        avg: 0.5,
        min: 0.5,
        med: 0.5,
        max: 0.5,
        "p(90)": 0.5,
        "p(95)": 0.5,
      }),
      metric("iterations", "counter", "default", { count: 1, rate: 1 }),
    ],
    ...root,
  });
}

// ---------------------------------------------------------------------------

describe("summaryData()", () => {
  it("builds k6's handleSummary data for k6's own fixture", () => {
    const data = summaryData(k6Fixture, { summaryTrendStats: K6_DATA_STATS });
    // k6's expectedHandleSummaryRawData (internal/js/summary_test.go).
    assert.deepEqual(JSON.parse(JSON.stringify(data)), {
      root_group: {
        name: "",
        path: "",
        id: "d41d8cd98f00b204e9800998ecf8427e",
        groups: [{
          name: "child",
          path: "::child",
          id: "f41cbb53a398ec1c9fb3d33e20c9b040",
          groups: [],
          checks: [
            {
              name: "check1",
              path: "::child::check1",
              id: "6289a7a06253a1c3f6137dfb25695563",
              passes: 30,
              fails: 0,
            },
            {
              name: "check3",
              path: "::child::check3",
              id: "c7553eca92d3e034b5808332296d304a",
              passes: 10,
              fails: 5,
            },
            {
              name: "check2",
              path: "::child::check2",
              id: "06f5922794bef0d4584ba76a49893e1f",
              passes: 5,
              fails: 10,
            },
          ],
        }],
        checks: [],
      },
      options: {
        summaryTrendStats: K6_DATA_STATS,
        summaryTimeUnit: "",
        noColor: false,
      },
      state: {
        isStdErrTTY: false,
        isStdOutTTY: false,
        testRunDurationMs: 1000,
      },
      metrics: {
        checks: {
          type: "rate",
          contains: "default",
          values: { passes: 45, fails: 15, rate: 0.75 },
          thresholds: { "rate>70": { ok: true } },
        },
        my_trend: {
          type: "trend",
          contains: "time",
          values: {
            max: 20,
            "p(90)": 19,
            "p(95)": 19.5,
            "p(99)": 19.9,
            count: 3,
            avg: 15,
            min: 10,
            med: 15,
          },
          thresholds: { "my_trend<1000": { ok: false } },
        },
        vus: {
          type: "gauge",
          contains: "default",
          values: { value: 1, min: 1, max: 1 },
        },
        http_reqs: {
          type: "counter",
          contains: "default",
          values: { count: 3, rate: 3 },
          thresholds: { "rate<100": { ok: false } },
        },
      },
    });
  });

  it("orders keys as k6's Go code lists them and metrics by name", () => {
    const data = summaryData(k6Fixture, { summaryTrendStats: K6_DATA_STATS });
    assert.deepEqual(Object.keys(data), [
      "root_group",
      "options",
      "state",
      "metrics",
      "setup_data",
    ]);
    assert.deepEqual(Object.keys(data.root_group), [
      "name",
      "path",
      "id",
      "groups",
      "checks",
    ]);
    assert.deepEqual(Object.keys(data.root_group.groups[0].checks[0]), [
      "name",
      "path",
      "id",
      "passes",
      "fails",
    ]);
    assert.deepEqual(Object.keys(data.options), [
      "summaryTrendStats",
      "summaryTimeUnit",
      "noColor",
    ]);
    assert.deepEqual(Object.keys(data.state), [
      "isStdOutTTY",
      "isStdErrTTY",
      "testRunDurationMs",
    ]);
    assert.deepEqual(Object.keys(data.metrics), [
      "checks",
      "http_reqs",
      "my_trend",
      "vus",
    ]);
    assert.deepEqual(Object.keys(data.metrics.my_trend), [
      "type",
      "contains",
      "values",
      "thresholds",
    ]);
    assert.deepEqual(Object.keys(data.metrics.my_trend.values), K6_DATA_STATS);
    assert.deepEqual(Object.keys(data.metrics.checks.values), [
      "rate",
      "passes",
      "fails",
    ]);
    assert.deepEqual(Object.keys(data.metrics.vus.values), [
      "value",
      "min",
      "max",
    ]);
  });

  it("lists the setup data key even without setup data", () => {
    const data = summaryData(k6Fixture, { summaryTrendStats: ["avg"] });
    assert.ok(Object.hasOwn(data, "setup_data"));
    assert.equal(data.setup_data, undefined);
    assert.ok(!JSON.stringify(data).includes("setup_data"));
  });

  it("passes a copy of the setup data", () => {
    const setupData = { token: "abc", rooms: [1, 2] };
    const data = summaryData(k6Fixture, {
      summaryTrendStats: ["avg"],
      setupData,
    });
    setupData.rooms.push(3);
    assert.deepEqual(data.setup_data, { token: "abc", rooms: [1, 2] });
    assert.equal(
      summaryData(k6Fixture, { summaryTrendStats: ["avg"], setupData: 5 })
        .setup_data,
      5,
    );
  });

  it("carries the run state and options", () => {
    const data = summaryData(wsSnapshot, {
      summaryTimeUnit: "ms",
      noColor: true,
      isStdOutTTY: true,
      isStdErrTTY: true,
    });
    assert.deepEqual(data.options, {
      summaryTrendStats: ["avg", "min", "med", "max", "p(90)", "p(95)"],
      summaryTimeUnit: "ms",
      noColor: true,
    });
    assert.deepEqual(data.state, {
      isStdOutTTY: true,
      isStdErrTTY: true,
      testRunDurationMs: 30412.5891,
    });
  });

  it("keeps sub-metrics under their name{tag:value} key after the parent", () => {
    const names = Object.keys(summaryData(wsSnapshot).metrics);
    const parent = names.indexOf("ws_session_duration");
    assert.equal(names[parent + 1], "ws_session_duration{scenario:pingers}");
    assert.deepEqual(
      summaryData(wsSnapshot).metrics["ws_msgs_received{group:::chat}"],
      {
        type: "counter",
        contains: "default",
        values: { count: 290123, rate: 290123 / 30.4125891 },
        thresholds: { "count>1000": { ok: true } },
      },
    );
  });

  it("throws RangeError when a trend stat was not computed", () => {
    assert.throws(
      () => summaryData(k6Fixture, { summaryTrendStats: ["p(99.99)"] }),
      {
        name: "RangeError",
        message:
          `Metric 'my_trend' has no 'p(99.99)' value; the summary needs the values computed for trend stats ["p(99.99)"]`,
      },
    );
  });

  it("matches the golden data of the WebSocket test", () => {
    assertGolden(
      "ws_data.json.golden",
      JSON.stringify(
        summaryData(wsSnapshot, { setupData: { room: 7 } }),
        null,
        2,
      ) +
        "\n",
    );
  });
});

describe("legacySummaryExport()", () => {
  it("writes k6's old JSON summary for k6's own fixture", () => {
    const data = summaryData(k6Fixture, { summaryTrendStats: K6_DATA_STATS });
    // k6's expectedOldJSONExportResult (internal/js/summary_test.go).
    assert.deepEqual(JSON.parse(legacySummaryExport(data)), {
      root_group: {
        name: "",
        path: "",
        id: "d41d8cd98f00b204e9800998ecf8427e",
        groups: {
          child: {
            name: "child",
            path: "::child",
            id: "f41cbb53a398ec1c9fb3d33e20c9b040",
            groups: {},
            checks: {
              check1: {
                name: "check1",
                path: "::child::check1",
                id: "6289a7a06253a1c3f6137dfb25695563",
                passes: 30,
                fails: 0,
              },
              check2: {
                name: "check2",
                path: "::child::check2",
                id: "06f5922794bef0d4584ba76a49893e1f",
                passes: 5,
                fails: 10,
              },
              check3: {
                name: "check3",
                path: "::child::check3",
                id: "c7553eca92d3e034b5808332296d304a",
                passes: 10,
                fails: 5,
              },
            },
          },
        },
        checks: {},
      },
      metrics: {
        checks: {
          value: 0.75,
          passes: 45,
          fails: 15,
          thresholds: { "rate>70": false },
        },
        http_reqs: { count: 3, rate: 3, thresholds: { "rate<100": true } },
        my_trend: {
          avg: 15,
          max: 20,
          med: 15,
          min: 10,
          "p(90)": 19,
          "p(95)": 19.5,
          "p(99)": 19.9,
          count: 3,
          thresholds: { "my_trend<1000": true },
        },
        vus: { value: 1, min: 1, max: 1 },
      },
    });
  });

  it("renames a rate's value last, after the thresholds, as k6 does", () => {
    const data = summaryData(k6Fixture, { summaryTrendStats: ["avg"] });
    const exported = JSON.parse(legacySummaryExport(data));
    assert.deepEqual(Object.keys(exported), ["root_group", "metrics"]);
    assert.deepEqual(Object.keys(exported.metrics.checks), [
      "passes",
      "fails",
      "thresholds",
      "value",
    ]);
  });

  it("matches the golden export of the WebSocket test", () => {
    assertGolden(
      "ws_export.json.golden",
      legacySummaryExport(summaryData(wsSnapshot, { setupData: { room: 7 } })),
    );
  });
});

describe("renderSummary()", () => {
  describe("compact", () => {
    it("matches the golden summary of the WebSocket test", () => {
      assertGolden("ws_compact.txt", renderSummary(wsSnapshot));
    });

    it("matches the golden summary with colours", () => {
      assertGolden(
        "ws_compact_color.txt",
        renderSummary(wsSnapshot, { colors: true }),
      );
    });

    it("prints k6's check totals and metric lines (k6's command tests)", () => {
      const text = renderSummary(minimalRun());
      assert.ok(text.includes("checks_total.......: 1"), text);
      assert.ok(text.includes("checks_succeeded...: 100.00% 1 out of 1"), text);
      assert.ok(text.includes("checks_failed......: 0.00%   0 out of 1"), text);
      assert.ok(text.includes("CUSTOM\n    custom_iterations....: 1"), text);
      assert.ok(text.includes("iterations...........: 1"), text);
    });

    it("prints neither thresholds nor check totals when there are none", () => {
      const text = renderSummary(snapshot(group("", "", {
        metrics: [
          metric("iterations", "counter", "default", { count: 1, rate: 1 }),
          metric("vus", "gauge", "default", { value: 1, min: 1, max: 1 }),
        ],
      })));
      assert.equal(
        text,
        "\n\n  █ TOTAL RESULTS \n\n" +
          "    EXECUTION\n" +
          "    iterations...: 1 1/s\n" +
          "    vus..........: 1 min=1 max=1\n" +
          "\n\n\n",
      );
    });

    it("hides checks, group_duration and the HTTP timing breakdown", () => {
      const root = group("", "", {
        metrics: [
          metric("group_duration", "trend", "time", K6_TREND_VALUES),
          metric("http_req_waiting", "trend", "time", K6_TREND_VALUES),
          metric("http_reqs", "counter", "default", { count: 3, rate: 3 }),
          metric("http_req_duration", "trend", "time", K6_TREND_VALUES),
          metric("checks_custom", "counter", "default", { count: 1, rate: 1 }),
        ],
      });
      const compact = renderSummary(snapshot(root), { trendStats: ["max"] });
      assert.ok(!compact.includes("group_duration"));
      assert.ok(!compact.includes("http_req_waiting"));
      // k6 matches hidden names by prefix.
      assert.ok(!compact.includes("checks_custom"));
      assert.ok(
        compact.includes(
          "    HTTP\n" +
            "    http_req_duration...: max=20ms\n" +
            "    http_reqs...........: 3 3/s\n",
        ),
        compact,
      );
      const full = renderSummary(snapshot(root), {
        mode: "full",
        trendStats: ["max"],
      });
      assert.ok(full.includes("http_req_waiting"));
      assert.ok(!full.includes("group_duration"));
    });

    it("prints a percentile threshold's value even when it is no trend column", () => {
      const text = renderSummary(wsSnapshot, { trendStats: ["avg", "count"] });
      assert.ok(text.includes("    ✓ 'p(95)<500' p(95)=121.87ms\n"), text);
      assert.ok(text.includes("    ✗ 'med<10' med=\n"), text);
      assert.ok(
        // Trend columns are padded to the widest value, the last one too.
        text.includes(
          "    msg_rtt..................: avg=12.34ms count=200 \n",
        ),
        text,
      );
    });

    it("prints every time in the summary time unit", () => {
      const text = renderSummary(wsSnapshot, { timeUnit: "ms" });
      assert.ok(
        text.includes(
          "    ws_connecting............: avg=67.55ms    min=0.07ms     med=78.18ms    max=214.54ms   p(90)=107.75ms   p(95)=121.87ms  \n",
        ),
        text,
      );
      assert.ok(text.includes("'p(95)<35000' p(95)=30131.20ms"), text);
    });

    it("drops the dots when the report has a single metric (k6's quirk)", () => {
      const text = renderSummary(snapshot(group("", "", {
        metrics: [metric("ws_sessions", "counter", "default", {
          count: 2,
          rate: 2,
        })],
      })));
      assert.ok(text.includes("\n    ws_sessions: 2 2/s\n"), text);
    });

    it("renders handleSummary data like the snapshot it came from", () => {
      const fromData = renderSummary(summaryData(wsSnapshot));
      // The data has no p(99) for msg_rtt's threshold; k6 prints nothing.
      const expected = renderSummary(wsSnapshot).replace(
        "p(99)=87.65ms",
        "p(99)=",
      );
      assert.equal(fromData, expected);
    });
  });

  describe("full", () => {
    it("matches the golden summary of the WebSocket test", () => {
      assertGolden("ws_full.txt", renderSummary(wsSnapshot, { mode: "full" }));
    });

    it("keeps the groups in code order, nested ones indented (k6's test)", () => {
      const nested = group("C", "::C", {
        groups: [group("B", "::C::B", {
          groups: [group("A", "::C::B::A", {
            groups: [group("too much nesting", "::C::B::A::too much nesting")],
          })],
        })],
      });
      const root = group("", "", {
        groups: [group("E", "::E"), group("D", "::D"), nested],
        metrics: minimalRun().rootGroup.metrics,
      });
      const text = renderSummary(snapshot(root), { mode: "full" });
      assert.match(
        text,
        /^ {2}█ GROUP: E\s*^ {2}█ GROUP: D\s*^ {2}█ GROUP: C\s*^ {4}↳ GROUP: B\s*^ {6}↳ GROUP: A\s*^ {8}↳ GROUP: too much nesting\s*/m,
      );
      // In a named scenario the same groups appear only under the scenario.
      const scenario = renderSummary(
        snapshot(root, 1000, { local: root }),
        { mode: "full" },
      );
      assert.ok(!scenario.includes("█ GROUP:"));
      assert.match(
        scenario,
        /█ SCENARIO: local[^]*↳ GROUP: E\s*\n {4}↳ GROUP: D\s*\n {4}↳ GROUP: C\s*\n {6}↳ GROUP: B\s*\n {8}↳ GROUP: A\s*\n {10}↳ GROUP: too much nesting\s*/,
      );
    });

    it("sorts scenarios by name and skips the default one", () => {
      const root = minimalRun().rootGroup;
      const text = renderSummary(
        snapshot(root, 1000, { zeta: root, default: root, alpha: root }),
        { mode: "full" },
      );
      const titles = text.split("\n").filter((line) => line.includes("█"));
      assert.deepEqual(titles, [
        "  █ TOTAL RESULTS ",
        "  █ SCENARIO: alpha ",
        "  █ SCENARIO: zeta ",
      ]);
    });
  });

  describe("legacy", () => {
    it("matches the golden summary of the WebSocket test", () => {
      assertGolden(
        "ws_legacy.txt",
        renderSummary(wsSnapshot, { mode: "legacy" }),
      );
    });

    // k6's TestTextSummary (internal/js/summary_test.go).
    const checksOut = "     █ child\n\n" +
      "       ✓ check1\n" +
      "       ✗ check3\n        ↳  66% — ✓ 10 / ✗ 5\n" +
      "       ✗ check2\n        ↳  33% — ✓ 5 / ✗ 10\n\n" +
      "   ✓ checks......: 75.00% 45 out of 60\n";
    const countOut = "   ✗ http_reqs...: 3      3/s\n";
    const gaugeOut = "     vus.........: 1      min=1        max=1\n";
    const cases: [string[], string][] = [
      [
        ["avg", "min", "med", "max", "p(90)", "p(95)", "p(99.9)"],
        "   ✗ my_trend....: avg=15ms min=10ms med=15ms max=20ms p(90)=19ms " +
        "p(95)=19.5ms p(99.9)=19.99ms\n",
      ],
      [["count"], "   ✗ my_trend....: count=3\n"],
      [["avg", "count"], "   ✗ my_trend....: avg=15ms count=3\n"],
    ];
    for (const [trendStats, trendOut] of cases) {
      it(`prints k6's expected text with trend stats ${trendStats}`, () => {
        assert.equal(
          renderSummary(k6Fixture, { mode: "legacy", trendStats }),
          "\n" + checksOut + countOut + trendOut + gaugeOut + "\n",
        );
      });
    }

    it("keeps sub-metrics under their parent (k6's TestTextSummaryWithSubMetrics)", () => {
      const root = group("", "", {
        metrics: [
          metric("my_parent", "counter", "default", { count: 11, rate: 11 }),
          metric("my_parent_post", "counter", "default", {
            count: 22,
            rate: 22,
          }),
          metric("my_parent{sub:1}", "counter", "default", {
            count: 1,
            rate: 1,
          }),
          metric("my_parent_post{sub:2}", "counter", "default", {
            count: 2,
            rate: 2,
          }),
        ],
      });
      assert.equal(
        renderSummary(snapshot(root), { mode: "legacy" }),
        "\n" +
          "     my_parent........: 11 11/s\n" +
          "       { sub:1 }......: 1  1/s\n" +
          "     my_parent_post...: 22 22/s\n" +
          "       { sub:2 }......: 2  2/s\n" +
          "\n",
      );
    });

    it("renders handleSummary data like the snapshot it came from", () => {
      assert.equal(
        renderSummary(summaryData(wsSnapshot), { mode: "legacy" }),
        renderSummary(wsSnapshot, { mode: "legacy" }),
      );
    });
  });

  describe("colours", () => {
    it("emits k6's SGR sequences in the compact summary", () => {
      const text = renderSummary(k6Fixture, {
        colors: true,
        trendStats: ["avg"],
      });
      assert.ok(text.includes("  █ \x1b[1mTHRESHOLDS\x1b[0m \n"));
      assert.ok(text.includes("    \x1b[1mHTTP\x1b[0m\n"));
      assert.ok(
        text.includes(
          "    http_reqs\x1b[2;37m...:\x1b[0m \x1b[36m3\x1b[0m \x1b[2;36m3/s\x1b[0m",
        ),
        JSON.stringify(text),
      );
      assert.ok(
        text.includes(
          "\x1b[32m✓\x1b[0m \x1b[37m'rate>70'\x1b[0m \x1b[37mrate\x1b[0m=\x1b[36m75.00%\x1b[0m",
        ),
      );
      assert.ok(text.includes("\x1b[31m✗ check3\x1b[0m\n      \x1b[31m↳  66%"));
    });

    it("emits the legacy summary's SGR sequences (colour before style)", () => {
      const text = renderSummary(k6Fixture, {
        mode: "legacy",
        colors: true,
        trendStats: ["avg"],
      });
      assert.ok(text.includes("\x1b[32m       ✓ check1\x1b[0m"));
      assert.ok(
        text.includes(
          "   \x1b[31m✗\x1b[0m http_reqs\x1b[2m...:\x1b[0m \x1b[36m3\x1b[0m      \x1b[36;2m3/s\x1b[0m",
        ),
        JSON.stringify(text),
      );
    });

    it("emits no escape sequence when colours are off", () => {
      for (const mode of ["compact", "full", "legacy"] as const) {
        assert.ok(!renderSummary(wsSnapshot, { mode }).includes("\x1b"));
      }
    });
  });

  it("throws RangeError for an unknown mode", () => {
    assert.throws(
      () =>
        renderSummary(wsSnapshot, {
          mode: "disabled" as unknown as "compact",
        }),
      {
        name: "RangeError",
        message:
          "Unknown summary mode 'disabled'; expected one of compact, full, legacy",
      },
    );
  });

  it("throws RangeError when data lacks a requested trend column", () => {
    const data = summaryData(k6Fixture, { summaryTrendStats: ["avg"] });
    for (const mode of ["compact", "legacy"] as const) {
      assert.throws(() => renderSummary(data, { mode, trendStats: ["max"] }), {
        name: "RangeError",
      });
    }
  });
});

describe("humanizeValue()", () => {
  const time = { type: "trend", contains: "time" } as const;
  const data = { type: "counter", contains: "data" } as const;
  const plain = { type: "counter", contains: "default" } as const;
  const rate = { type: "rate", contains: "default" } as const;
  const table = (
    kind: Parameters<typeof humanizeValue>[1],
    rows: [number, string][],
    timeUnit?: string,
  ) => {
    for (const [value, expected] of rows) {
      assert.equal(humanizeValue(value, kind, timeUnit), expected, `${value}`);
    }
  };

  it("picks the time unit per value and truncates to two decimals", () => {
    table(time, [
      [0, "0s"],
      [0.0005, "500ns"],
      [0.0009999, "999ns"],
      [0.001, "1µs"],
      [0.0012345, "1.23µs"],
      [0.07239, "72.39µs"],
      [0.99999, "999.99µs"],
      [1, "1ms"],
      [1.999, "1.99ms"],
      [121.8777, "121.87ms"],
      [999.999, "999.99ms"],
      [1000, "1s"],
      [30131.6, "30.13s"],
      [59999.999, "59.99s"],
    ]);
  });

  it("prints minutes and hours with whole seconds", () => {
    table(time, [
      [60000, "1m0s"],
      [60000.5, "1m0s"],
      [65432.1, "1m5s"],
      [119999, "1m59s"],
      [640000, "10m40s"],
      [3600000, "1h0m0s"],
      [3723000, "1h2m3s"],
      [90061000, "25h1m1s"],
    ]);
  });

  it("prints every time in --summary-time-unit, rounded to two decimals", () => {
    table(
      time,
      [[121.8777, "121.88ms"], [0, "0.00ms"], [90000, "90000.00ms"]],
      "ms",
    );
    table(time, [[121.8777, "0.12s"], [90000, "90.00s"]], "s");
    table(time, [[0.0015, "1.50µs"], [2, "2000.00µs"]], "us");
    // Anything else picks the unit per value.
    table(time, [[121.8777, "121.87ms"]], "m");
    table(time, [[121.8777, "121.87ms"]], "");
  });

  it("prints bytes in decimal units", () => {
    table(data, [
      [0, "0 B"],
      [9, "9 B"],
      [9.5, "9.5 B"],
      [10, "10 B"],
      [999, "999 B"],
      [1000, "1.0 kB"],
      [1049, "1.0 kB"],
      [1050, "1.1 kB"],
      [9949, "9.9 kB"],
      [9950, "10 kB"],
      [74000, "74 kB"],
      // Rounding after picking the unit, as k6 does.
      [999999, "1000 kB"],
      [2_234_567, "2.2 MB"],
      [60_123_456, "60 MB"],
      [1e9, "1.0 GB"],
    ]);
  });

  it("prints plain numbers with up to six decimals", () => {
    table(plain, [
      [0, "0"],
      [3, "3"],
      [1.5, "1.5"],
      [1 / 3, "0.333333"],
      [2 / 3, "0.666667"],
      [9831.422080183, "9831.42208"],
    ]);
  });

  it("prints rates as percentages truncated to two decimals", () => {
    table(rate, [
      [0, "0.00%"],
      [1, "100.00%"],
      [0.97109, "97.10%"],
      [0.99999, "99.99%"],
      [2 / 120, "1.66%"],
    ]);
  });

  it("prints a counter of time per second in time units", () => {
    const timeCounter = { type: "counter", contains: "time" } as const;
    assert.equal(humanizeValue(1500, timeCounter), "1.5s");
  });
});

describe("textSummary()", () => {
  it("matches the jslib's golden text for the WebSocket test", () => {
    assertGolden(
      "ws_text_summary.txt",
      textSummary(summaryData(wsSnapshot), { enableColors: false }),
    );
  });

  it("prints rate metrics as ✓ passes ✗ fails", () => {
    const text = textSummary(
      summaryData(k6Fixture, { summaryTrendStats: ["avg"] }),
      { enableColors: false },
    );
    assert.ok(text.includes("   ✓ checks......: 75.00% ✓ 45  ✗ 15 \n"), text);
    assert.ok(text.includes("     vus.........: 1      min=1 max=1"), text);
  });

  it("enables colours by default and takes the indent from the options", () => {
    const data = summaryData(k6Fixture, { summaryTrendStats: ["avg"] });
    assert.ok(textSummary(data).includes("\x1b[36m"));
    const indented = textSummary(data, { indent: "→", enableColors: false });
    assert.ok(indented.startsWith("→    █ child\n"), indented);
    assert.ok(indented.includes("\n→  ✓ checks"), indented);
  });

  it("lets the options override the data's trend columns and time unit", () => {
    const data = summaryData(k6Fixture, { summaryTrendStats: K6_DATA_STATS });
    const text = textSummary(data, {
      enableColors: false,
      summaryTrendStats: ["max"],
      summaryTimeUnit: "s",
    });
    assert.ok(text.includes("   ✗ my_trend....: max=0.02s\n"), text);
  });

  it("throws TypeError without trend columns", () => {
    const { options: _, ...bare } = summaryData(k6Fixture, {
      summaryTrendStats: ["avg"],
    });
    assert.throws(() => textSummary(bare), { name: "TypeError" });
  });
});

describe("jUnit()", () => {
  it("matches the jslib's golden XML for the WebSocket test", () => {
    assertGolden("ws_junit.xml.golden", jUnit(summaryData(wsSnapshot)));
  });

  it("escapes names and takes the suite name from the options", () => {
    const xml = jUnit(
      {
        metrics: {
          'ws_connecting{url:ws://a/?x=1&y="2"}': {
            type: "trend",
            contains: "time",
            values: {},
            thresholds: { "p(95)<'5'": { ok: false } },
          },
        },
      },
      { name: "<chat>" },
    );
    assert.equal(
      xml,
      '<?xml version="1.0"?>\n<testsuites tests="1" failures="1">\n' +
        '<testsuite name="&lt;chat&gt;" tests="1" failures="1">' +
        '<testcase name="ws_connecting{url:ws://a/?x=1&amp;y=&quot;2&quot;} - p(95)&lt;&#39;5&#39;"><failure message="failed" /></testcase>' +
        "\n</testsuite >\n</testsuites >",
    );
  });

  it("writes an empty suite without thresholds", () => {
    assert.equal(
      jUnit({ metrics: {} }),
      '<?xml version="1.0"?>\n<testsuites tests="0" failures="0">\n' +
        '<testsuite name="k6 thresholds" tests="0" failures="0">\n</testsuite >\n</testsuites >',
    );
  });
});

describe("formatFixedDuration()", () => {
  // k6's TestGetFixedLengthDuration (internal/ui/pb/helpers_test.go).
  const S = 1000;
  const M = 60 * S;
  const H = 60 * M;
  const cases: [number, number, string][] = [
    [0, 0, "0.0s"],
    [1 * S, 0, "1.0s"],
    [9 * S + 940, 0, "9.9s"],
    [9 * S + 950, 0, "10.0s"],
    [1100, 0, "1.1s"],
    [-1100, 0, "1.1s"],
    [1100, 10 * S, "01.1s"],
    [1100, 1 * M, "0m01.1s"],
    [1100, -1 * M, "0m01.1s"],
    [-1100, -1 * M, "0m01.1s"],
    [1100, 10 * M, "00m01.1s"],
    [1100, H, "0h00m01.1s"],
    [1100, 10 * H, "00h00m01.1s"],
    [183 * S, 10 * M, "03m03.0s"],
    [183 * S, 120 * M, "0h03m03.0s"],
    [183 * S, 10 * H, "00h03m03.0s"],
    [183 * S, 25 * H, "0d00h03m03.0s"],
    [25 * H, 25 * H, "1d01h00m00.0s"],
    [482 * H, 25 * H, "20d02h00m00.0s"],
    [482 * H, 4800 * H, "020d02h00m00.0s"],
    [482 * H + 671 * S + 65, 9_223_372_036_854.775, "000020d02h11m11.1s"],
  ];
  for (const [ms, maxMs, expected] of cases) {
    it(`formats ${ms}ms with max ${maxMs}ms as ${expected}`, () => {
      assert.equal(formatFixedDuration(ms, maxMs), expected);
    });
  }
});

describe("roundDuration()", () => {
  it("rounds half away from zero, like Go's Duration.Round", () => {
    assert.equal(roundDuration(640_049, 100), 640_000);
    assert.equal(roundDuration(640_050, 100), 640_100);
    assert.equal(roundDuration(-640_050, 100), -640_100);
    assert.equal(roundDuration(59_999.99, 100), 60_000);
  });
});

describe("runStatusLine()", () => {
  const base = {
    started: true,
    elapsedMs: 12_800,
    maxDurationMs: 640_000,
    activeVUs: 5,
    initializedVUs: 20,
    maxVUs: 20,
    completeIterations: 200,
    interruptedIterations: 0,
  };

  it("pads the time and VU counts to the widest values", () => {
    assert.equal(
      runStatusLine(base),
      "running (00m12.8s), 05/20 VUs, 200 complete and 0 interrupted iterations",
    );
    assert.equal(
      runStatusLine({ ...base, maxVUs: 1000, maxDurationMs: 30_000 }),
      "running (12.8s), 0005/0020 VUs, 200 complete and 0 interrupted iterations",
    );
  });

  it("shows no time before the start, and the paused state", () => {
    assert.equal(
      runStatusLine({ ...base, started: false }),
      "running, 05/20 VUs, 200 complete and 0 interrupted iterations",
    );
    assert.equal(
      runStatusLine({ ...base, paused: true, interruptedIterations: 3 }),
      "paused (00m12.8s), 05/20 VUs, 200 complete and 3 interrupted iterations",
    );
  });
});

describe("executorProgress()", () => {
  it("constant-vus: VUs and elapsed/duration, then just the duration", () => {
    assert.deepEqual(
      executorProgress({
        executor: "constant-vus",
        vus: 10,
        elapsedMs: 13_500,
        durationMs: 30_000,
      }),
      { progress: 0.45, right: ["10 VUs", "13.5s/30s"] },
    );
    assert.deepEqual(
      executorProgress({
        executor: "constant-vus",
        vus: 10,
        elapsedMs: 30_001,
        durationMs: 30_000,
      }),
      { progress: 1, right: ["10 VUs", "30s"] },
    );
  });

  it("ramping-vus: active/max VUs, total in the fixed format too", () => {
    assert.deepEqual(
      executorProgress({
        executor: "ramping-vus",
        activeVUs: 7,
        maxVUs: 10,
        elapsedMs: 13_500,
        durationMs: 30_000,
      }),
      { progress: 0.45, right: ["07/10 VUs", "13.5s/30.0s"] },
    );
    assert.deepEqual(
      executorProgress({
        executor: "ramping-vus",
        activeVUs: 0,
        maxVUs: 10,
        elapsedMs: 120_500,
        durationMs: 120_000,
      }),
      { progress: 1, right: ["00/10 VUs", "2m0s"] },
    );
  });

  it("shared-iterations: iterations done of the total", () => {
    assert.deepEqual(
      executorProgress({
        executor: "shared-iterations",
        vus: 10,
        iterations: 100,
        doneIterations: 7,
        elapsedMs: 2_700,
        maxDurationMs: 600_000,
      }),
      {
        progress: 0.07,
        right: ["10 VUs", "00m02.7s/10m0s", "007/100 shared iters"],
      },
    );
  });

  it("per-vu-iterations: iterations done and per VU", () => {
    assert.deepEqual(
      executorProgress({
        executor: "per-vu-iterations",
        vus: 10,
        iterationsPerVU: 10,
        doneIterations: 100,
        elapsedMs: 2_800,
        maxDurationMs: 600_000,
      }),
      {
        progress: 1,
        right: ["10 VUs", "00m02.8s/10m0s", "100/100 iters, 10 per VU"],
      },
    );
    assert.deepEqual(
      executorProgress({
        executor: "per-vu-iterations",
        vus: 2,
        iterationsPerVU: 5,
        doneIterations: 4,
        elapsedMs: 600_001,
        maxDurationMs: 600_000,
      }),
      { progress: 1, right: ["2 VUs", "10m0s", "04/10 iters, 5 per VU"] },
    );
  });

  it("arrival rates: running/active VUs and the rate padded to the widest", () => {
    assert.deepEqual(
      executorProgress({
        executor: "constant-arrival-rate",
        runningVUs: 2,
        activeVUs: 5,
        maxVUs: 50,
        ratePerSecond: 30,
        elapsedMs: 13_500,
        durationMs: 30_000,
      }),
      { progress: 0.45, right: ["02/05 VUs", "13.5s/30s", "30.00 iters/s"] },
    );
    assert.deepEqual(
      executorProgress({
        executor: "ramping-arrival-rate",
        runningVUs: 2,
        activeVUs: 5,
        maxVUs: 50,
        ratePerSecond: 2.5,
        maxRatePerSecond: 300,
        elapsedMs: 13_500,
        durationMs: 30_000,
      }),
      { progress: 0.45, right: ["02/05 VUs", "13.5s/30s", "002.50 iters/s"] },
    );
  });

  it("throws TypeError for an unknown executor", () => {
    assert.throws(
      () =>
        executorProgress(
          { executor: "externally-controlled" } as unknown as Parameters<
            typeof executorProgress
          >[0],
        ),
      {
        name: "TypeError",
        message: /Unknown executor 'externally-controlled'/,
      },
    );
  });

  it("waiting: the time left until the start", () => {
    assert.deepEqual(waitingProgress(5_000, 10_000), {
      progress: 0,
      right: ["waiting", "05.0s"],
    });
  });
});

describe("renderProgressBar()", () => {
  // k6's TestProgressBarRender (internal/ui/pb/progressbar_test.go).
  const cases: [Parameters<typeof renderProgressBar>, string][] = [
    [
      [{ left: "left", progress: 0 }],
      "left   [--------------------------------------]",
    ],
    [
      [{ left: "left", progress: 0, status: "done" }],
      "left ✓ [--------------------------------------]",
    ],
    [
      [{ left: "left", progress: 0, right: ["right"] }],
      "left   [--------------------------------------] right",
    ],
    [
      [{ left: "left", progress: 0.5, right: ["right"] }],
      "left   [==================>-------------------] right",
    ],
    [
      [{ left: "left", progress: 1, right: ["right"] }],
      "left   [======================================] right",
    ],
    [
      [{ left: "left", progress: -1, right: ["right"] }],
      "left   [--------------------------------------] right",
    ],
    [
      [{ left: "left", progress: 2, right: ["right"] }],
      "left   [======================================] right",
    ],
    [
      [{ left: "left", progress: 0.2, right: ["constProgress"] }],
      "left   [======>-------------------------------] constProgress",
    ],
    [[{ left: "", progress: 0.25, right: [""] }, { width: 0 }], "   [  25% ] "],
    [
      [{ left: "left_truncated", progress: 0 }, { maxLeft: 10 }],
      "left_tr...   [--------------------------------------]",
    ],
  ];
  for (const [args, expected] of cases) {
    it(`renders ${JSON.stringify(expected)}`, () => {
      assert.equal(renderProgressBar(...args), expected);
    });
  }

  it("shows every status mark and rounds the percentage like Go", () => {
    const marks =
      (["running", "waiting", "stopping", "interrupted", "done"] as const)
        .map((status) =>
          renderProgressBar({ left: "s", status, progress: 0.125 }, {
            width: 8,
          })
        );
    assert.deepEqual(marks, [
      "s   [  12% ]",
      "s • [  12% ]",
      "s ↓ [  12% ]",
      "s ✗ [  12% ]",
      "s ✓ [  12% ]",
    ]);
  });
});

describe("ProgressDisplay", () => {
  const status =
    "running (00m12.8s), 05/20 VUs, 200 complete and 0 interrupted iterations";
  const bars = [
    {
      left: "warmup",
      status: "done",
      progress: 1,
      right: ["10 VUs", "00m02.7s/10m0s", "100/100 shared iters"],
    },
    { left: "load", progress: 0.45, right: ["07/10 VUs", "13.5s/30.0s"] },
  ] as const;

  describe("#render", () => {
    it("prints percentages and aligned columns when stdout is no terminal", () => {
      const display = new ProgressDisplay({ tty: false, colors: false });
      assert.equal(
        display.render([status, ...bars]),
        "\n" + status + "\n" +
          "warmup ✓ [ 100% ] 10 VUs     00m02.7s/10m0s  100/100 shared iters\n" +
          "load     [  45% ] 07/10 VUs  13.5s/30.0s    \n",
      );
    });

    it("redraws in place on a terminal, with k6's colours", () => {
      const display = new ProgressDisplay({
        tty: true,
        colors: true,
        termWidth: 200,
      });
      const frame = display.render([status, bars[1]]);
      assert.equal(
        frame,
        "\x1b[K\n" + status + "\x1b[K\n" +
          "load   [================>\x1b[2m---------------------\x1b[22m] 07/10 VUs  13.5s/30.0s\x1b[K\n" +
          "\r\x1b[J\x1b[3A",
      );
      const done = display.render([status, {
        ...bars[1],
        status: "done",
        progress: 1,
      }], true);
      assert.ok(
        done.endsWith(
          "load \x1b[32m✓\x1b[0m [======================================\x1b[2m\x1b[22m] 07/10 VUs  13.5s/30.0s\x1b[K\n",
        ),
        JSON.stringify(done),
      );
    });

    it("shrinks the bars over the next frames to fit a narrow terminal", () => {
      const display = new ProgressDisplay({
        tty: true,
        colors: false,
        termWidth: 60,
      });
      const rows = [status, bars[1]];
      // The 72-column status line and the 70-column bar line wrap once each.
      const first = display.render(rows);
      assert.equal(
        first.split("\n")[2],
        "load   [================>---------------------] 07/10 VUs  13.5s/30.0s\x1b[K",
      );
      assert.ok(first.endsWith("\x1b[5A"));
      for (let frame = 0; frame < 2; frame++) {
        const next = display.render(rows);
        assert.equal(
          next.split("\n")[2],
          "load   [===========>---------------] 07/10 VUs  13.5s/30.0s\x1b[K",
        );
        assert.ok(next.endsWith("\x1b[4A"));
      }
    });

    it("falls back to percentages when even the narrowest bar does not fit", () => {
      const display = new ProgressDisplay({
        tty: true,
        colors: false,
        termWidth: 30,
      });
      const rows = [status, bars[1]];
      display.render(rows);
      assert.equal(
        display.render(rows).split("\n")[2],
        "load   [  45% ] 07/10 VUs  13.5s/30.0s\x1b[K",
      );
    });

    it("throws RangeError for a terminal width that is no positive integer", () => {
      for (const termWidth of [0, -80, 80.5, NaN]) {
        assert.throws(
          () => new ProgressDisplay({ tty: true, colors: false, termWidth }),
          { name: "RangeError", message: /Invalid terminal width/ },
        );
      }
      const display = new ProgressDisplay({ tty: true, colors: false });
      assert.equal(display.termWidth, 80);
      assert.throws(() => (display.termWidth = 0), RangeError);
    });

    it("pads the left column to the longest name, at least Init's", () => {
      const display = new ProgressDisplay({ tty: false, colors: false });
      const frame = display.render([status, { left: "a", progress: 0 }]);
      assert.equal(frame.split("\n")[2], "a      [   0% ]");
    });
  });
});

describe("renderRunHeader()", () => {
  const plan = {
    header:
      "(100.00%) 2 scenarios, 20 max VUs, 10m40s max duration (incl. graceful stop):",
    scenarios: [
      {
        name: "warmup",
        description:
          "100 iterations shared among 10 VUs (maxDuration: 10m0s, gracefulStop: 30s)",
      },
      {
        name: "load",
        description:
          "10 looping VUs for 30s (startTime: 10s, gracefulStop: 30s)",
      },
    ],
  };

  it("prints k6's lines with the outputs joined", () => {
    assert.equal(
      renderRunHeader({
        script: "chat.js",
        outputs: ["json (results.json)", "csv (results.csv)"],
        plan,
      }),
      "\n" +
        "     execution: local\n" +
        "        script: chat.js\n" +
        "        output: json (results.json), csv (results.csv)\n" +
        "\n" +
        "     scenarios: (100.00%) 2 scenarios, 20 max VUs, 10m40s max duration (incl. graceful stop):\n" +
        "              * warmup: 100 iterations shared among 10 VUs (maxDuration: 10m0s, gracefulStop: 30s)\n" +
        "              * load: 10 looping VUs for 30s (startTime: 10s, gracefulStop: 30s)\n" +
        "\n",
    );
  });

  it("colours the values cyan and adds the dashboard and profiling lines", () => {
    const text = renderRunHeader({
      script: "chat.js",
      webDashboard: " http://127.0.0.1:5665",
      profiling: "http://localhost:6565/debug/pprof/",
      plan,
      colors: true,
    });
    assert.equal(
      text.split("\n").slice(1, 7).join("\n"),
      "     execution: \x1b[36mlocal\x1b[0m\n" +
        "        script: \x1b[36mchat.js\x1b[0m\n" +
        " web dashboard:\x1b[36m http://127.0.0.1:5665\x1b[0m\n" +
        "        output: \x1b[36m-\x1b[0m\n" +
        "     profiling: \x1b[36mhttp://localhost:6565/debug/pprof/\x1b[0m\n",
    );
    assert.ok(
      text.includes(
        `     scenarios: \x1b[36m${plan.header}\x1b[0m\n              * warmup:`,
      ),
    );
  });
});
