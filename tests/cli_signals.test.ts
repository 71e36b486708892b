// Every signal that stops a run gracefully — k6's SIGINT and SIGTERM, and
// SIGHUP (the terminal was closed), which k6 leaves to Go's default of
// dying on the spot — must leave every output complete: the NDJSON and CSV
// files with every sample the summary counted, the HTML report with its
// summary tables, and the summary export. A closed terminal also means
// stdout and stderr are gone: the run must not die writing to them.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, it } from "node:test";
import {
  csvRows,
  ndjsonPoints,
  scriptPath,
  startCli,
  useServer,
  useTempDir,
} from "./_cli.ts";

const suite = useServer();
const dir = useTempDir();

interface Outputs {
  readonly json: string;
  readonly csv: string;
  readonly report: string;
  readonly summary: string;
}

function outputsFor(name: string): Outputs {
  return {
    json: dir.file(`${name}.json`),
    csv: dir.file(`${name}.csv`),
    report: dir.file(`${name}.html`),
    summary: dir.file(`${name}-summary.json`),
  };
}

function assertComplete(outputs: Outputs): void {
  const summary = JSON.parse(readFileSync(outputs.summary, "utf8"));
  const sent = summary.metrics.ws_msgs_sent.count;
  const checks = summary.metrics.checks.passes + summary.metrics.checks.fails;
  assert.ok(sent > 0, "messages were sent before the signal");
  const points = ndjsonPoints(outputs.json);
  const rows = csvRows(outputs.csv);
  for (const [metric, count] of [["ws_msgs_sent", sent], ["checks", checks]]) {
    assert.equal(points.get(metric as string), count, `NDJSON ${metric}`);
    assert.equal(rows.get(metric as string), count, `CSV ${metric}`);
  }
  assert.deepEqual(rows, points, "the CSV has a row per NDJSON point");
  const report = readFileSync(outputs.report, "utf8");
  assert.ok(report.endsWith("</html>\n"), "the report is whole");
  assert.match(report, /<section id="metrics">/, "with the summary tables");
  assert.match(report, /exit 105 · interrupted/);
}

async function interrupted(
  signal: "SIGINT" | "SIGTERM" | "SIGHUP",
  name: string,
  { closeOutput = false } = {},
) {
  const outputs = outputsFor(name);
  const run = startCli([
    "run",
    "-e",
    `URL=${suite.server.url}`,
    "--out",
    `json=${outputs.json}`,
    "--out",
    `csv=${outputs.csv}`,
    "--report",
    outputs.report,
    "--summary-export",
    outputs.summary,
    "--no-color",
    scriptPath("signal_outputs.js"),
  ], { killAfterMs: 60_000 });
  await run.waitFor(/msg=open/);
  // A few CSV save intervals (1 s) and JSON flushes into the run.
  await sleep(2500);
  if (closeOutput) run.closeOutput();
  run.signal(signal);
  return { outputs, result: await run.done };
}

describe("wsload run stopped by a signal", () => {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    it(`${signal}: exits 105 with every output complete`, async () => {
      const { outputs, result } = await interrupted(signal, signal);
      assert.equal(result.code, 105, result.stderr);
      assert.match(
        result.stderr,
        /Stopping the test in response to the signal/,
      );
      assert.match(result.stdout, /checks_succeeded\.+: /, "the summary");
      assertComplete(outputs);
    });
  }

  it("SIGHUP after the terminal went away: exits 105 with every output complete", async () => {
    const { outputs, result } = await interrupted("SIGHUP", "hangup", {
      closeOutput: true,
    });
    assert.equal(result.code, 105);
    assertComplete(outputs);
  });
});

describe("wsload serve stopped by a signal", () => {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    it(`${signal}: stops listening and exits 0`, async () => {
      const serve = startCli(["serve", "--port", "0"]);
      await serve.waitFor(/listening on/);
      serve.signal(signal);
      const { code, stderr, stdout } = await serve.done;
      assert.equal(code, 0, stdout + stderr);
    });
  }
});
