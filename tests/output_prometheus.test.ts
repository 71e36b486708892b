// --out experimental-prometheus-rw against a real Prometheus (Debian's
// prometheus, started on loopback with the remote-write receiver and
// native histograms): the series have k6's names and labels, and PromQL
// over them gives the run's summary: totals, rates, trend stats (times in
// seconds), native histograms, stale markers, and the sum over the
// instances of a split test.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import {
  assertExit,
  type CliResult,
  logEntries,
  readJSON,
  runCli,
  scriptPath,
  useServer,
} from "./_cli.ts";
import { freePort } from "./_net.ts";

const PROMETHEUS = "/usr/bin/prometheus";

interface Prometheus {
  readonly url: string;
  readonly stop: () => Promise<void>;
}

async function startPrometheus(): Promise<Prometheus> {
  const dir = mkdtempSync(join(tmpdir(), "wsload-prometheus-"));
  const port = await freePort();
  writeFileSync(
    join(dir, "prometheus.yml"),
    "global:\n  scrape_interval: 1m\n",
  );
  const child: ChildProcess = spawn(PROMETHEUS, [
    `--config.file=${join(dir, "prometheus.yml")}`,
    `--storage.tsdb.path=${join(dir, "data")}`,
    `--web.listen-address=127.0.0.1:${port}`,
    "--web.enable-remote-write-receiver",
    "--enable-feature=native-histograms",
  ], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk) => log += chunk);
  const exited = new Promise((resolve) => child.on("exit", resolve));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    child.kill("SIGTERM");
    await Promise.race([exited, sleep(5000)]);
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  };
  for (let attempt = 0; attempt < 150; attempt++) {
    try {
      const response = await fetch(`${url}/-/ready`);
      await response.body?.cancel();
      if (response.status === 200) return { url, stop };
    } catch {
      // Not listening yet.
    }
    if (child.exitCode !== null) break;
    await sleep(100);
  }
  await stop();
  throw new Error(`prometheus did not start:\n${log}`);
}

type Summary = { metrics: Record<string, Record<string, number>> };

describe("--out experimental-prometheus-rw", {
  skip: existsSync(PROMETHEUS)
    ? false
    : `Prometheus is not installed at ${PROMETHEUS} (CI installs it: apt-get install prometheus)`,
}, () => {
  const served = useServer();
  let prometheus: Prometheus;
  const dir = mkdtempSync(join(tmpdir(), "wsload-prometheus-run-"));
  const results = new Map<string, { run: CliResult; summary: Summary }>();

  // One scalar from PromQL, or undefined when the result is empty.
  async function query(promql: string): Promise<number | undefined> {
    const response = await fetch(
      `${prometheus.url}/api/v1/query?${new URLSearchParams({
        query: promql,
      })}`,
    );
    const body = await response.json() as {
      status: string;
      error?: string;
      data: { result: { value: [number, string] }[] };
    };
    assert.equal(body.status, "success", `${promql}: ${body.error}`);
    const [first] = body.data.result;
    return first === undefined ? undefined : Number(first.value[1]);
  }

  async function run(
    testid: string,
    env: Record<string, string>,
    extra: string[] = [],
  ): Promise<void> {
    const exportFile = join(dir, `${testid}.json`);
    const result = await runCli([
      "run",
      "-q",
      "--no-thresholds",
      "--out",
      "experimental-prometheus-rw",
      "--tag",
      `testid=${testid}`,
      "--summary-export",
      exportFile,
      ...extra,
      scriptPath("split_run.js"),
    ], {
      env: {
        WS_URL: served.url("/ws-echo-multi"),
        K6_PROMETHEUS_RW_SERVER_URL: `${prometheus.url}/api/v1/write`,
        K6_PROMETHEUS_RW_PUSH_INTERVAL: "300ms",
        ...env,
      },
    });
    results.set(testid, {
      run: result,
      summary: readJSON(exportFile) as Summary,
    });
  }

  before(async () => {
    prometheus = await startPrometheus();
    await Promise.all([
      run("stats", {
        K6_PROMETHEUS_RW_TREND_STATS: "p(95),avg,min,med,max,count,sum",
      }),
      run("native", { K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: "true" }),
      run("stale", { K6_PROMETHEUS_RW_STALE_MARKERS: "true" }),
    ]);
    // Two instances of a split test, told apart by a tag (as the pods of
    // deploy/kubernetes/job.yaml are).
    await Promise.all([0, 1].map((index) =>
      run(`split-${index}`, {}, [
        "--instance",
        `${index}/2`,
        "--tag",
        `instance=${index}`,
        "--tag",
        "testid=split",
      ])
    ));
  });
  after(async () => {
    await prometheus?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs without a warning", () => {
    for (const [testid, { run }] of results) {
      assertExit(run, 0);
      const warnings = logEntries(run.stderr).filter((e) => e.level !== "info");
      assert.deepEqual(warnings, [], testid);
    }
  });

  it("pushes counters as k6_<name>_total, equal to the summary's counts", async () => {
    const { summary } = results.get("stats")!;
    for (
      const name of [
        "ws_sessions",
        "ws_msgs_sent",
        "ws_msgs_received",
        "iterations",
        "echoes",
        "data_sent",
        "data_received",
      ]
    ) {
      assert.equal(
        await query(`sum(k6_${name}_total{testid="stats"})`),
        summary.metrics[name].count,
        name,
      );
    }
    assert.equal(
      await query(`k6_checks_rate{testid="stats", check="echoed"}`),
      summary.metrics.checks.value,
    );
  });

  it("pushes trend stats as k6_<name>_<stat>, times in seconds", async () => {
    const { summary } = results.get("stats")!;
    const values = summary.metrics.values;
    assert.equal(await query(`k6_values_count{testid="stats"}`), 20_000);
    assert.equal(await query(`k6_values_sum{testid="stats"}`), 200_010_000);
    assert.equal(await query(`k6_values_max{testid="stats"}`), values.max);
    assert.equal(await query(`k6_values_avg{testid="stats"}`), values.avg);
    assert.equal(await query(`k6_values_p95{testid="stats"}`), values["p(95)"]);
    const connecting = summary.metrics.ws_connecting;
    assert.equal(
      await query(`k6_ws_connecting_count{testid="stats", group="::echo"}`),
      connecting.count,
    );
    assert.equal(
      await query(`k6_ws_connecting_max{testid="stats", group="::echo"}`),
      connecting.max / 1000,
    );
  });

  it("pushes trends as native histograms when asked", async () => {
    const { summary } = results.get("native")!;
    assert.equal(
      await query(`histogram_count(k6_values{testid="native"})`),
      20_000,
    );
    assert.equal(
      await query(`histogram_sum(k6_values{testid="native"})`),
      200_010_000,
    );
    const p95 = await query(
      `histogram_quantile(0.95, k6_values{testid="native"})`,
    );
    // Schema 3 buckets are 9% wide.
    assert.ok(Math.abs(p95! / 19_000 - 1) < 0.09, `${p95}`);
    const connecting = summary.metrics.ws_connecting;
    assert.equal(
      await query(
        `histogram_count(sum(k6_ws_connecting_seconds{testid="native"}))`,
      ),
      connecting.count,
    );
    const seconds = await query(
      `histogram_sum(sum(k6_ws_connecting_seconds{testid="native"}))`,
    );
    assert.ok(
      Math.abs(seconds! - connecting.avg * connecting.count / 1000) < 1e-9,
    );
    assert.equal(await query(`k6_values_p99{testid="native"}`), undefined);
  });

  it("marks every series stale at the end when asked", async () => {
    const { summary } = results.get("stale")!;
    assert.equal(await query(`k6_iterations_total{testid="stale"}`), undefined);
    // k6's default trend stat, p(99), as Grafana's k6 dashboard reads it.
    const p99 = await query(
      `max_over_time(k6_values_p99{testid="stale"}[10m])`,
    );
    assert.ok(Math.abs(p99! / 19_800 - 1) <= 0.01, `${p99}`);
    assert.equal(
      await query(`max_over_time(k6_iterations_total{testid="stale"}[10m])`),
      summary.metrics.iterations.count,
    );
    assert.equal(
      await query(`k6_iterations_total{testid="stats"}`),
      results.get("stats")!.summary.metrics.iterations.count,
    );
  });

  it("adds up the instances of a split test", async () => {
    const counts = [0, 1].map((index) =>
      results.get(`split-${index}`)!.summary.metrics.iterations.count
    );
    assert.deepEqual(counts, [100, 100]);
    assert.equal(
      await query(`sum(k6_iterations_total{testid="split"})`),
      200,
    );
    assert.equal(
      await query(`count(k6_iterations_total{testid="split"})`),
      2,
    );
  });
});

describe("--out experimental-prometheus-rw without a server", () => {
  it("logs the failed pushes and finishes the run", async () => {
    const port = await freePort();
    const result = await runCli([
      "run",
      "-q",
      "--no-thresholds",
      "--iterations",
      "1",
      "--out",
      "experimental-prometheus-rw",
      scriptPath("split_run.js"),
    ], {
      env: {
        WS_URL: "ws://127.0.0.1:1/",
        K6_PROMETHEUS_RW_SERVER_URL: `http://127.0.0.1:${port}/api/v1/write`,
      },
    });
    assertExit(result, 0);
    assert.match(
      result.stderr,
      /Prometheus remote write: failed to send the time series data to the endpoint: HTTP POST request failed: .*ECONNREFUSED/,
    );
  });

  it("refuses a bad setting with k6's exit code 104", async () => {
    const result = await runCli([
      "run",
      "--out",
      "experimental-prometheus-rw",
      scriptPath("split_run.js"),
    ], { env: { K6_PROMETHEUS_RW_TREND_STATS: "p(95),p(101)" } });
    assert.equal(result.code, 104);
    assert.match(
      result.stderr,
      /could not create the 'experimental-prometheus-rw' output: K6_PROMETHEUS_RW_TREND_STATS: invalid percentile trend stat value 'p\(101\)', provide a number between 0 and 100/,
    );
  });
});
