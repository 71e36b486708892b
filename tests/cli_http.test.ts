// k6's HTTP examples (tests/scripts/docs_http_*.js, each naming its page)
// and a login → token → WebSocket script under `wsload run`, against the
// embedded HTTP server. The docs' host names (quickpizza.grafana.com,
// test.k6.io, k6.io) reach it through the `hosts` option of a config file,
// so the scripts keep their URLs.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { before, describe, it } from "node:test";
import {
  assertExit,
  type CliResult,
  consoleMessages,
  logEntries,
  readJSON,
  runCli,
  scriptPath,
  useTempDir,
} from "./_cli.ts";
import { useHttpServers } from "./_http.ts";

interface Run {
  readonly result: CliResult;
  readonly summary: Record<string, unknown>;
}

interface ExportedMetric {
  readonly count?: number;
  readonly passes?: number;
  readonly fails?: number;
  readonly value?: number;
}

function metricsOf(run: Run): Record<string, ExportedMetric> {
  return run.summary.metrics as Record<string, ExportedMetric>;
}

function checksOf(run: Run): { passes: number; fails: number } {
  const checks = metricsOf(run).checks;
  return { passes: checks?.passes ?? 0, fails: checks?.fails ?? 0 };
}

describe("k6's HTTP examples under wsload run", () => {
  const folder = useTempDir();
  const servers = useHttpServers();
  let config = "";

  before(() => {
    config = folder.file("hosts.json");
    const plain = `127.0.0.1:${servers.plain.port}`;
    const tls = `127.0.0.1:${servers.tls.port}`;
    const hosts: Record<string, string> = {};
    for (const name of ["quickpizza.grafana.com", "test.k6.io", "k6.io"]) {
      hosts[`${name}:80`] = plain;
      hosts[`${name}:443`] = tls;
    }
    writeFileSync(
      config,
      JSON.stringify({ hosts, insecureSkipTLSVerify: true }),
    );
  });

  async function run(script: string, ...flags: string[]): Promise<Run> {
    const exportPath = folder.file(`${script}.summary.json`);
    const result = await runCli([
      "run",
      "-q",
      "--config",
      config,
      "--summary-export",
      exportPath,
      ...flags,
      scriptPath(`${script}.js`),
    ]);
    assertExit(result, 0);
    return { result, summary: readJSON(exportPath) };
  }

  const EXAMPLES: readonly [
    script: string,
    requests: number,
    checks: number,
  ][] = [
    ["docs_http_get", 1, 0],
    ["docs_http_request", 2, 0],
    ["docs_http_params", 1, 0],
    ["docs_http_batch", 2, 3],
    ["docs_http_batch_objects", 3, 1],
    ["docs_http_cookies", 2, 9],
    ["docs_http_cookies_set", 2, 5],
    ["docs_http_auth", 2, 6],
    ["docs_http_json", 1, 2],
    ["docs_http_async_request", 2, 0],
  ];
  for (const [script, requests, checks] of EXAMPLES) {
    it(`${script}: ${requests} requests, ${checks} checks pass`, async () => {
      const result = await run(script);
      assert.equal(metricsOf(result).http_reqs.count, requests);
      assert.equal(metricsOf(result).http_req_failed.value, 0);
      assert.deepEqual(checksOf(result), { passes: checks, fails: 0 });
    });
  }

  it("docs_http_request and docs_http_async_request log what k6 logs", async () => {
    for (const script of ["docs_http_request", "docs_http_async_request"]) {
      const { result } = await run(script);
      assert.equal(consoleMessages(result.stderr)[0], "Bert");
    }
    const { result } = await run("docs_http_request");
    assert.deepEqual(consoleMessages(result.stderr), ["Bert", "name=Bert"]);
  });

  it("docs_http_expected_statuses: one of two requests failed", async () => {
    const { summary } = await run("docs_http_expected_statuses");
    const failed = (summary.metrics as Record<string, ExportedMetric>)
      .http_req_failed;
    assert.equal(failed.passes, 1);
    assert.equal(failed.fails, 1);
  });

  it("docs_http_url: 100 requests, one name tag", async () => {
    const samples = folder.file("url.ndjson");
    const result = await run("docs_http_url", "--out", `json=${samples}`);
    assert.equal(metricsOf(result).http_reqs.count, 100);
    const names = new Set(
      readFileSync(samples, "utf8").split("\n").filter(Boolean)
        .map((line) => JSON.parse(line))
        .filter((line) => line.type === "Point" && line.metric === "http_reqs")
        .map((line) => `${line.data.tags.name} ${line.data.tags.url}`),
    );
    assert.deepEqual([...names], [
      "https://test.k6.io?id=${} https://test.k6.io?id=${}",
    ]);
  });

  it("the summary has k6's HTTP section", async () => {
    const { result } = await run("docs_http_batch");
    assert.match(result.stdout, /\n {4}HTTP\n/);
    for (
      const line of [
        /http_req_duration\.+: avg=/,
        /\{ expected_response:true \}\.+: avg=/,
        /http_req_failed\.+: 0\.00% 0 out of 2/,
        /http_reqs\.+: 2 /,
      ]
    ) assert.match(result.stdout, line);
    const legacy = await run("docs_http_batch", "--summary-mode=legacy");
    for (
      const name of [
        "http_req_blocked",
        "http_req_connecting",
        "http_req_tls_handshaking",
        "http_req_sending",
        "http_req_waiting",
        "http_req_receiving",
      ]
    ) assert.match(legacy.result.stdout, new RegExp(`${name}\\.+: avg=`));
  });

  for (const tls of [false, true]) {
    it(
      `log in over HTTP, then open a WebSocket with the token (${
        tls ? "TLS" : "plain"
      })`,
      async () => {
        const server = tls ? servers.tls : servers.plain;
        const { result, summary } = await run(
          "http_login_ws",
          "-e",
          `BASE_URL=${server.url}`,
          "-e",
          `WS_URL=${server.wsUrl}`,
        );
        const metrics = summary.metrics as Record<string, ExportedMetric>;
        assert.deepEqual(checksOf({ result, summary }), {
          passes: 7,
          fails: 0,
        });
        assert.equal(metrics.http_reqs.count, 2);
        assert.equal(metrics.ws_sessions.count, 2);
        assert.equal(metrics.ws_msgs_received.count, 2);
        assert.ok((metrics.data_received.count ?? 0) > 0);
      },
    );
  }

  it("failures: k6's error codes in the samples and a warning each", async () => {
    const samples = folder.file("failures.ndjson");
    const exportPath = folder.file("failures.summary.json");
    const result = await runCli([
      "run",
      "-q",
      "--out",
      `json=${samples}`,
      "--summary-export",
      exportPath,
      "-e",
      `BASE_URL=${servers.plain.url}`,
      scriptPath("http_failures.js"),
    ]);
    assertExit(result, 0);
    const codes = readFileSync(samples, "utf8").split("\n").filter(Boolean)
      .map((line) => JSON.parse(line))
      .filter((line) => line.type === "Point" && line.metric === "http_reqs")
      .map((line) => [line.data.tags.error_code, line.data.tags.error]);
    assert.deepEqual(codes, [
      ["1212", "dial: connection refused"],
      ["1101", "lookup: no such host"],
      ["1220", "read: connection reset by peer"],
      ["1000", "EOF"],
      ["1050", "request timeout"],
      ["1404", undefined],
    ]);
    const warnings = logEntries(result.stderr).filter((entry) =>
      entry.msg === "Request Failed"
    );
    assert.equal(warnings.length, 5);
    assert.deepEqual(consoleMessages(result.stderr), [
      "1212 1101 1220 1000 1050 1404",
    ]);
  });
});
