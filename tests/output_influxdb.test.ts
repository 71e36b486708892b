// --out influxdb against a real InfluxDB 1.x (Debian's influxd, started on
// loopback with a temporary data folder): the points come back with k6's
// layout (measurement = metric, tags, `value` field, tags as fields), and
// as many as the summary counted.
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

const INFLUXD = "/usr/bin/influxd";

interface Influx {
  readonly url: string;
  readonly stop: () => Promise<void>;
}

async function startInflux(): Promise<Influx> {
  const dir = mkdtempSync(join(tmpdir(), "wsload-influxdb-"));
  const [httpPort, rpcPort] = [await freePort(), await freePort()];
  const config = join(dir, "influxdb.conf");
  writeFileSync(
    config,
    `reporting-disabled = true
bind-address = "127.0.0.1:${rpcPort}"
[meta]
  dir = "${dir}/meta"
[data]
  dir = "${dir}/data"
  wal-dir = "${dir}/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:${httpPort}"
  log-enabled = false
[monitor]
  store-enabled = false
[continuous_queries]
  enabled = false
`,
  );
  const child: ChildProcess = spawn(INFLUXD, ["run", "-config", config], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk) => log += chunk);
  const exited = new Promise((resolve) => child.on("exit", resolve));
  const url = `http://127.0.0.1:${httpPort}`;
  const stop = async () => {
    child.kill("SIGTERM");
    await Promise.race([exited, sleep(5000)]);
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  };
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const response = await fetch(`${url}/ping`);
      await response.body?.cancel();
      if (response.status === 204) return { url, stop };
    } catch {
      // Not listening yet.
    }
    if (child.exitCode !== null) break;
    await sleep(100);
  }
  await stop();
  throw new Error(`influxd did not start:\n${log}`);
}

async function query(
  influx: Influx,
  db: string,
  q: string,
): Promise<{ columns: string[]; values: unknown[][] }[]> {
  const response = await fetch(
    `${influx.url}/query?${new URLSearchParams({ db, q, epoch: "ns" })}`,
  );
  const body = await response.json() as {
    results: {
      series?: { columns: string[]; values: unknown[][] }[];
      error?: string;
    }[];
  };
  assert.equal(body.results[0].error, undefined, q);
  return body.results[0].series ?? [];
}

describe("--out influxdb", {
  skip: existsSync(INFLUXD)
    ? false
    : `InfluxDB 1.x is not installed at ${INFLUXD} (CI installs it: apt-get install influxdb)`,
}, () => {
  const served = useServer();
  let influx: Influx;
  let result: CliResult;
  let summary: { metrics: Record<string, Record<string, number>> };
  const db = "wsload_test";
  let started = 0;

  before(async () => {
    influx = await startInflux();
    const dir = mkdtempSync(join(tmpdir(), "wsload-influx-run-"));
    started = Date.now();
    result = await runCli([
      "run",
      "-q",
      "--out",
      `influxdb=${influx.url}/${db}`,
      "--tag",
      "testid=influx run,1",
      "--summary-export",
      join(dir, "summary.json"),
      scriptPath("influxdb.js"),
    ], {
      env: {
        WS_URL: served.url("/ws-echo-multi"),
        K6_INFLUXDB_PUSH_INTERVAL: "200ms",
        K6_INFLUXDB_PROXY: "http://127.0.0.1:3128",
      },
    });
    summary = readJSON(join(dir, "summary.json")) as typeof summary;
    rmSync(dir, { recursive: true, force: true });
  });
  after(() => influx?.stop());

  it("runs, creating the database, and warns about the proxy it ignores", () => {
    assertExit(result, 0);
    const warnings = logEntries(result.stderr).filter((e) =>
      e.level !== "info"
    );
    assert.deepEqual(warnings.map((e) => e.msg), [
      "InfluxDBv1: K6_INFLUXDB_PROXY is not supported by wsload and is ignored",
    ]);
  });

  it("writes as many points per metric as the summary counts", async () => {
    for (
      const metric of [
        "ws_msgs_sent",
        "ws_msgs_received",
        "ws_sessions",
        "iterations",
        "checks",
      ]
    ) {
      const series = await query(
        influx,
        db,
        `SELECT count("value") FROM "${metric}"`,
      );
      const expected = metric === "checks"
        ? summary.metrics.checks.passes + summary.metrics.checks.fails
        : summary.metrics[metric].count;
      assert.ok(expected > 0, metric);
      assert.equal(series[0]?.values[0][1], expected, metric);
    }
    const sum = await query(
      influx,
      db,
      `SELECT sum("value") FROM "ws_msgs_sent"`,
    );
    assert.equal(sum[0].values[0][1], summary.metrics.ws_msgs_sent.count);
  });

  it("lays points out as k6 does: tags, the value field, url as a field", async () => {
    const tags = await query(influx, db, `SHOW TAG KEYS FROM "ws_connecting"`);
    // Empty tags (group at the top level, no subprotocol) are left out;
    // url is a field (K6_INFLUXDB_TAGS_AS_FIELDS defaults to vu,iter,url).
    assert.deepEqual(tags[0].values.map((row) => row[0]), [
      "name",
      "scenario",
      "status",
      "testid",
    ]);
    const fields = await query(
      influx,
      db,
      `SHOW FIELD KEYS FROM "ws_connecting"`,
    );
    assert.deepEqual(fields[0].values, [["url", "string"], ["value", "float"]]);
    const rows = await query(
      influx,
      db,
      `SELECT "value", "url", "testid", "status" FROM "ws_connecting" LIMIT 1`,
    );
    const [time, value, url, testid, status] = rows[0].values[0] as [
      number,
      number,
      string,
      string,
      string,
    ];
    assert.ok(value > 0 && value < 5000, `ws_connecting ${value} ms`);
    assert.equal(url, served.url("/ws-echo-multi"));
    assert.equal(testid, "influx run,1", "commas and spaces survive escaping");
    assert.equal(status, "101");
    assert.ok(
      Math.abs(time / 1e6 - started) < 60_000,
      "the timestamp is in nanoseconds of this run",
    );
  });

  it("writes checks as a rate with the check tag", async () => {
    const rows = await query(
      influx,
      db,
      `SELECT sum("value"), count("value") FROM "checks" GROUP BY "check"`,
    );
    assert.equal(rows.length, 1);
    assert.deepEqual(rows[0].values[0].slice(1), [
      summary.metrics.checks.passes,
      summary.metrics.checks.passes + summary.metrics.checks.fails,
    ]);
  });
});
