// `--report FILE.html`: what the page's charts are built from (bucketed as
// samples arrive, in bounded memory), the page around them, and abort.
// Rendering in a browser is tested through the CLI (output_cli.test.ts).
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  CHECKS,
  ITERATIONS,
  VUS,
  WS_CONNECTING,
  WS_MSGS_RECEIVED,
  WS_MSGS_SENT,
  WS_PING,
  WS_SESSION_DURATION,
} from "../metrics/builtin.ts";
import type { Metric } from "../metrics/metric.ts";
import type { EngineSnapshot } from "../runner/engine/snapshot.ts";
import { HtmlReportOutput } from "../runner/output/mod.ts";
import { summaryData } from "../runner/summary/data.ts";

interface ChartData {
  bucketMs: number;
  times: number[];
  charts: {
    id: string;
    empty: boolean;
    unit: string;
    series: { label: string; values: (number | null)[] }[];
  }[];
}

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);
const logger = { warn: () => {}, error: () => {} };

function chartData(html: string): ChartData {
  const match =
    /<script id="wsload-data" type="application\/json">(.*?)<\/script>/s
      .exec(html);
  assert.ok(match, "the page embeds its chart data");
  return JSON.parse(match[1]);
}

function series(data: ChartData, chart: string, label: string) {
  const found = data.charts.find((c) => c.id === chart)?.series.find((s) =>
    s.label === label
  );
  assert.ok(found, `${chart} ${label}`);
  return found.values;
}

const SNAPSHOT: EngineSnapshot = {
  durationMs: 3000,
  rootGroup: {
    name: "",
    path: "",
    id: "d41d8cd98f00b204e9800998ecf8427e",
    groups: [],
    checks: [{
      name: "echoed <ok>",
      path: "::echoed <ok>",
      id: "x",
      passes: 3,
      fails: 1,
    }],
    metrics: [
      {
        name: "ws_msgs_sent",
        type: "counter",
        contains: "default",
        values: { count: 12, rate: 4 },
        thresholds: [{ source: "count>100", ok: false, abortOnFail: false }],
      },
      {
        name: "ws_connecting",
        type: "trend",
        contains: "time",
        values: {
          avg: 2,
          min: 1,
          med: 2,
          max: 3,
          "p(90)": 2.8,
          "p(95)": 2.9,
          count: 3,
        },
        thresholds: [{
          source: "p(95)<500",
          ok: true,
          value: 2.9,
          abortOnFail: false,
        }],
      },
    ],
  },
  scenarios: {},
};

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "wsload-output-report-"));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function report(
  name: string,
  samples: [Metric, number, number][],
  options: { maxBuckets?: number; scriptPath?: string } = {},
): Promise<HtmlReportOutput> {
  const output = new HtmlReportOutput(join(dir, name), {
    scriptPath: options.scriptPath ?? "script.js",
    logger,
    maxBuckets: options.maxBuckets,
    offsetMinutes: () => 0,
  });
  await output.start();
  for (const [metric, time, value] of samples) {
    output.add({ metric, time, value, tags: {} });
  }
  return output;
}

describe("HtmlReportOutput", () => {
  describe("charts", () => {
    it("aggregates each second: VUs, messages per second, percentiles, pass rate", async () => {
      const samples: [Metric, number, number][] = [];
      // Second 0: 2 VUs, 4 sent, 2 received, handshakes 1..10 ms, 1 of 2
      // checks passed. Second 1: nothing but 6 sent. Second 2: 3 VUs.
      samples.push([VUS, T0, 2]);
      for (let i = 0; i < 4; i++) samples.push([WS_MSGS_SENT, T0 + i * 10, 1]);
      samples.push([WS_MSGS_RECEIVED, T0 + 50, 1], [
        WS_MSGS_RECEIVED,
        T0 + 60,
        1,
      ]);
      for (let ms = 1; ms <= 10; ms++) {
        samples.push([WS_CONNECTING, T0 + 100 + ms, ms]);
      }
      samples.push([CHECKS, T0 + 200, 1], [CHECKS, T0 + 210, 0]);
      for (let i = 0; i < 6; i++) {
        samples.push([WS_MSGS_SENT, T0 + 1000 + i * 10, 1]);
      }
      samples.push([VUS, T0 + 2000, 3], [WS_SESSION_DURATION, T0 + 2999, 40]);
      // Iterations in seconds 0 and 2, a ping in second 1, a custom trend
      // in second 2 (its chart comes last, after the built-in ones).
      samples.push([ITERATIONS, T0 + 300, 1], [ITERATIONS, T0 + 2100, 1]);
      samples.push([WS_PING, T0 + 1500, 3]);
      const rtt: Metric = {
        name: "msg_rtt",
        type: "trend",
        contains: "time",
      } as Metric;
      samples.push([rtt, T0 + 2200, 7]);
      const output = await report("seconds.html", samples);
      await output.stop({
        snapshot: SNAPSHOT,
        data: summaryData(SNAPSHOT),
        exitCode: 99,
      });
      const data = chartData(readFileSync(join(dir, "seconds.html"), "utf8"));
      assert.equal(data.bucketMs, 1000);
      assert.deepEqual(data.times, [T0 / 1000, T0 / 1000 + 1, T0 / 1000 + 2]);
      assert.deepEqual(
        series(data, "vus", "vus"),
        [2, 2, 3],
        "carried forward",
      );
      assert.deepEqual(series(data, "ws_messages", "sent"), [4, 6, 0]);
      assert.deepEqual(series(data, "ws_messages", "received"), [2, 0, 0]);
      assert.deepEqual(series(data, "checks", "passed"), [50, null, null]);
      const p50 = series(data, "ws_connecting", "p50")[0]!;
      assert.ok(Math.abs(p50 - 5) / 5 <= 0.2, `p50 ${p50} near 5 ms`);
      assert.deepEqual(series(data, "ws_connecting", "max"), [10, null, null]);
      assert.deepEqual(series(data, "ws_session_duration", "max"), [
        null,
        null,
        40,
      ]);
      // The last interval ends at the last sample (999 ms in).
      assert.deepEqual(series(data, "iterations", "iterations"), [
        1,
        0,
        1000 / 999,
      ]);
      assert.deepEqual(series(data, "ws_ping", "max"), [null, 3, null]);
      assert.deepEqual(series(data, "msg_rtt", "max"), [null, null, 7]);
      assert.deepEqual(data.charts.map((chart) => chart.id), [
        "vus",
        "iterations",
        "ws_messages",
        "ws_connecting",
        "ws_session_duration",
        "ws_ping",
        "checks",
        "msg_rtt",
      ]);
      assert.equal(data.charts.every((chart) => !chart.empty), true);
    });

    it("marks charts of metrics the run never had as empty", async () => {
      const output = await report("empty.html", [[VUS, T0, 1]]);
      output.abort();
      const data = chartData(readFileSync(join(dir, "empty.html"), "utf8"));
      assert.deepEqual(
        data.charts.map((chart) => [chart.id, chart.empty]),
        [
          ["vus", false],
          ["iterations", true],
          ["ws_messages", true],
          ["ws_connecting", true],
          ["ws_session_duration", true],
          ["ws_ping", true],
          ["checks", true],
        ],
      );
    });

    it("doubles the interval instead of keeping more buckets", async () => {
      // Two hours of one sample a second, at most 600 buckets.
      const samples: [Metric, number, number][] = [];
      for (let second = 0; second < 7200; second++) {
        samples.push([WS_MSGS_SENT, T0 + second * 1000, 1]);
      }
      const output = await report("long.html", samples);
      output.abort();
      const data = chartData(readFileSync(join(dir, "long.html"), "utf8"));
      assert.equal(data.bucketMs, 16_000);
      assert.equal(data.times.length, 450);
      const sent = series(data, "ws_messages", "sent");
      assert.ok(
        sent.slice(0, -1).every((value) => value === 1),
        "still 1 per second",
      );
      // The last interval ends at its last sample: 16 over 15 s.
      assert.equal(sent.at(-1), 16 / 15);
    });

    it("joins a last stub of less than half an interval to the one before", async () => {
      const output = await report("stub.html", [
        [WS_MSGS_SENT, T0, 1],
        [WS_MSGS_SENT, T0 + 500, 1],
        [WS_MSGS_SENT, T0 + 1000, 1],
        [WS_MSGS_SENT, T0 + 1100, 1],
      ]);
      output.abort();
      const data = chartData(readFileSync(join(dir, "stub.html"), "utf8"));
      assert.deepEqual(data.times, [T0 / 1000]);
      // 4 messages over the 1.1 s the run covered.
      const [rate] = series(data, "ws_messages", "sent");
      assert.ok(Math.abs(rate! - 4 / 1.1) < 1e-9, `${rate}`);
    });
  });

  describe("#stop", () => {
    it("writes the title, the exit code and the summary tables", async () => {
      const output = await report("tables.html", [[VUS, T0, 1]], {
        scriptPath: "<chat>.js",
      });
      await output.stop({
        snapshot: SNAPSHOT,
        data: summaryData(SNAPSHOT),
        exitCode: 99,
      });
      const html = readFileSync(join(dir, "tables.html"), "utf8");
      assert.match(html, /<title>wsload report · &#60;chat&#62;\.js<\/title>/);
      assert.match(html, /Started <b>2026-01-02 03:04:05 UTC<\/b>/);
      assert.match(html, /Duration <b>3s<\/b>/);
      assert.match(html, /exit 99 · thresholds crossed/);
      assert.match(
        html,
        /<td class="name">ws_msgs_sent<\/td><td class="name">count&#62;100<\/td><td class="num">count=12<\/td><td><span class="badge bad">✗ failed<\/span>/,
      );
      assert.match(html, /p\(95\)=2\.9ms/);
      assert.match(html, /✗ echoed &#60;ok&#62;/);
      assert.match(html, /<td class="num">75\.00%<\/td>/);
      assert.doesNotMatch(
        html,
        /<(script|link|img)[^>]+(src|href)=/,
        "nothing to fetch",
      );
    });
  });

  describe("tables", () => {
    /** The report of a run with `count` distinct check names, one failing. */
    async function reportWithChecks(name: string, count: number) {
      const checks = Array.from({ length: count }, (_, index) => ({
        name: `check number ${index}`,
        path: `::check number ${index}`,
        id: String(index),
        passes: 1,
        // The last one fails: it must be among the rows shown.
        fails: index === count - 1 ? 2 : 0,
      }));
      const snapshot: EngineSnapshot = {
        ...SNAPSHOT,
        rootGroup: { ...SNAPSHOT.rootGroup, checks },
      };
      const output = await report(name, [[VUS, T0, 1]]);
      await output.stop({ snapshot, data: summaryData(snapshot), exitCode: 0 });
      return readFileSync(join(dir, name), "utf8");
    }

    it("show at most 100 checks, the failing first, and count the others", async () => {
      const html = await reportWithChecks("many-checks.html", 200_000);
      const shown = html.match(/<td class="wrap">[✓✗] check number \d+/g)!;
      assert.equal(shown.length, 100);
      assert.ok(shown.includes('<td class="wrap">✗ check number 199999'));
      assert.match(
        html,
        /<tr class="more"><td colspan="5">… and 199900 more checks \(0 of them with failures\), not shown/,
      );
      assert.match(
        html,
        /Checks <span class="totals">· 200000 of 200002 passed/,
      );
    });

    it("keep the page the same size whatever the cardinality", async () => {
      const small = await reportWithChecks("2k-checks.html", 2_000);
      const large = await reportWithChecks("200k-checks.html", 200_000);
      // Only the numbers in the counting row and the totals grow.
      assert.ok(
        Math.abs(large.length - small.length) < 100,
        `${small.length} vs ${large.length} bytes`,
      );
      assert.ok(large.length < 1024 * 1024, `${large.length} bytes`);
    });
  });

  describe("#abort", () => {
    it("writes the charts at once, without the summary", async () => {
      const output = await report("abort.html", [[VUS, T0, 4]]);
      output.abort();
      const html = readFileSync(join(dir, "abort.html"), "utf8");
      assert.match(html, /stopped at once: no summary/);
      assert.doesNotMatch(html, /id="thresholds"/);
      assert.deepEqual(series(chartData(html), "vus", "vus"), [4]);
    });
  });

  describe("#start", () => {
    it("rejects with Go's text when the directory does not exist", async () => {
      const file = join(dir, "missing", "report.html");
      const output = new HtmlReportOutput(file, { scriptPath: "s.js", logger });
      await assert.rejects(output.start(), {
        message: `open ${file}: no such file or directory`,
      });
    });
  });
});
