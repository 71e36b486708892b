// `wsload run` spread over worker processes: the same test gives the same
// counts and unique numbers with 1, 2 and 4 workers; thresholds see the
// merged metrics and abortOnFail stops every worker; outputs hold every
// worker's samples; Ctrl+C and a crashing worker end the run as they
// would with one thread, outputs complete.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import {
  assertExit,
  type CliResult,
  consoleMessages,
  csvRows,
  ndjsonPoints,
  readJSON,
  runCli,
  runInTurns,
  scriptPath,
  startCli,
  useServer,
  useTempDir,
} from "./_cli.ts";

const suite = useServer();
const dir = useTempDir();
const WORKERS = scriptPath("workers.js");
const THRESHOLDS = scriptPath("workers_thresholds.js");
const SIGNALLED = scriptPath("signal_outputs.js");

interface Iteration {
  readonly scenario: string;
  readonly vu: number;
  readonly vuInTest: number;
  readonly iteration: number;
  readonly iterationInInstance: number;
}

function records(result: CliResult): Iteration[] {
  return consoleMessages(result.stderr).map((text) => JSON.parse(text));
}

function of(list: readonly Iteration[], scenario: string): Iteration[] {
  return list.filter((record) => record.scenario === scenario);
}

function sorted(numbers: readonly number[]): number[] {
  return [...numbers].sort((a, b) => a - b);
}

type Metrics = Readonly<Record<string, Readonly<Record<string, number>>>>;

// Every sample the summary counted is in the NDJSON and CSV files.
function assertOutputsComplete(name: string, metrics: Metrics): void {
  const points = ndjsonPoints(dir.file(`${name}.json`));
  const rows = csvRows(dir.file(`${name}.csv`));
  const checks = metrics.checks.passes + metrics.checks.fails;
  for (
    const [metric, count] of [
      ["iterations", metrics.iterations.count],
      ["ws_msgs_sent", metrics.ws_msgs_sent.count],
      ["ws_sessions", metrics.ws_sessions.count],
      ["checks", checks],
    ] as const
  ) {
    assert.ok(count > 0, `${name}: some ${metric}`);
    assert.equal(points.get(metric), count, `${name}: NDJSON ${metric}`);
    assert.equal(rows.get(metric), count, `${name}: CSV ${metric}`);
  }
}

function outputFlags(name: string): string[] {
  return [
    "--out",
    `json=${dir.file(`${name}.json`)}`,
    "--out",
    `csv=${dir.file(`${name}.csv`)}`,
    "--summary-export",
    dir.file(`${name}-summary.json`),
  ];
}

// `wsload run -q --no-color --workers 2 <args>`.
function runTwoWorkers(args: readonly string[]): Promise<CliResult> {
  return runCli(["run", "-q", "--no-color", "--workers", "2", ...args]);
}

function summaryOf(name: string): Metrics {
  return readJSON(dir.file(`${name}-summary.json`)).metrics as Metrics;
}

describe("a run split among worker processes", () => {
  const counts = [1, 2, 4] as const;
  let runs: Map<string, Promise<CliResult>>;
  // Started once the server runs; the tests below await their run.
  before(() => {
    runs = runInTurns(
      counts.map((workers) => [
        String(workers),
        () =>
          runCli([
            "run",
            "-q",
            "--no-color",
            "--workers",
            String(workers),
            "-e",
            `URL=${suite.server.url}`,
            ...outputFlags(`split-${workers}`),
            WORKERS,
          ]),
      ]),
      1,
    );
  });

  it("runs the same iterations, sessions, messages and checks with 1, 2 and 4 workers", async () => {
    const one = records(await runs.get("1")!);
    for (const workers of counts) {
      const result = await runs.get(String(workers))!;
      assertExit(result, 0);
      const split = records(result);
      assert.equal(of(split, "shared").length, 23);
      assert.equal(of(split, "perVU").length, 12);
      // The same iterations of the executors that divide a fixed amount of
      // work (VUs run them in another order); time-based ones vary.
      for (const scenario of ["shared", "rate", "rampingRate"]) {
        assert.deepEqual(
          sorted(of(split, scenario).map((r) => r.iteration)),
          sorted(of(one, scenario).map((r) => r.iteration)),
          `${workers} workers: ${scenario}`,
        );
      }
      const metrics = summaryOf(`split-${workers}`);
      const first = summaryOf("split-1");
      for (
        const metric of ["ws_sessions", "ws_msgs_sent", "ws_msgs_received"]
      ) {
        assert.equal(metrics[metric].count, first[metric].count, metric);
      }
      assert.equal(metrics.ws_sessions.count, 35);
      assert.deepEqual(
        [metrics.checks.passes, metrics.checks.fails],
        [35, 0],
      );
      assert.equal(metrics.vus_max.max, 23);
    }
  });

  it("numbers VUs and iterations uniquely across workers (__VU, idInTest, iterationInTest)", async () => {
    for (const workers of counts) {
      const split = records(await runs.get(String(workers))!);
      const vuScenario = new Map<number, string>();
      for (const record of split) {
        // The whole test is this instance: its numbers are the test's.
        assert.equal(record.vu, record.vuInTest);
        assert.equal(record.iteration, record.iterationInInstance);
        // Every scenario runs at once: a VU belongs to one.
        const known = vuScenario.get(record.vu);
        assert.ok(
          known === undefined || known === record.scenario,
          `${workers} workers: VU ${record.vu} in ${known} and ${record.scenario}`,
        );
        vuScenario.set(record.vu, record.scenario);
      }
      for (const scenario of ["shared", "perVU", "rate", "rampingRate"]) {
        const iterations = of(split, scenario).map((r) => r.iteration);
        assert.equal(
          new Set(iterations).size,
          iterations.length,
          `${workers} workers: ${scenario} iterations unique`,
        );
      }
    }
  });

  it("writes every worker's samples to the outputs", async () => {
    for (const workers of counts) {
      await runs.get(String(workers));
      assertOutputsComplete(`split-${workers}`, summaryOf(`split-${workers}`));
    }
  });

  it("evaluates thresholds on the merged metrics", async () => {
    const result = await runTwoWorkers([THRESHOLDS]);
    assertExit(result, 99);
    assert.match(
      result.stderr,
      /level=error msg="thresholds on metrics 'work' have been crossed"/,
    );
    assert.match(result.stdout, /work\.+: 12 /);
  });

  it("stops every worker when a threshold with abortOnFail is crossed", async () => {
    const result = await runTwoWorkers(["-e", "MODE=abort", THRESHOLDS]);
    assertExit(result, 99);
    assert.match(
      result.stderr,
      /thresholds on metrics 'work' were crossed; at least one has abortOnFail enabled, stopping test prematurely/,
    );
    assert.ok(result.elapsedMs < 20_000, `stopped early: ${result.elapsedMs}`);
  });

  it("stops every worker when a script calls exec.test.abort() in one", async () => {
    const result = await runTwoWorkers(["-e", "MODE=testAbort", THRESHOLDS]);
    assertExit(result, 108);
    assert.match(result.stderr, /level=error msg="test aborted: enough"/);
    assert.match(result.stdout, /TOTAL RESULTS/);
    assert.ok(result.elapsedMs < 20_000, `stopped early: ${result.elapsedMs}`);
  });

  it("stops every worker gracefully on Ctrl+C, outputs complete", async () => {
    const child = startCli([
      "run",
      "--no-color",
      "--workers",
      "2",
      "-e",
      `URL=${suite.server.url}`,
      ...outputFlags("interrupted"),
      SIGNALLED,
    ]);
    await child.waitFor(/msg=open source=console/);
    await sleep(1000); // iterations complete on both workers
    child.signal("SIGINT");
    const result = await child.done;
    assertExit(result, 105);
    assert.match(result.stdout, /TOTAL RESULTS/);
    assertOutputsComplete("interrupted", summaryOf("interrupted"));
  });

  it("reports a crashing worker, fails the run and keeps the other workers' samples", async () => {
    const result = await runTwoWorkers([
      "-e",
      `URL=${suite.server.url}`,
      "-e",
      "CRASH=1",
      ...outputFlags("crashed"),
      WORKERS,
    ]);
    assertExit(result, 255);
    assert.match(
      result.stderr,
      /level=error msg="worker 1 stopped unexpectedly \(exit code 3\)"/,
    );
    assert.match(result.stdout, /TOTAL RESULTS/);
    const metrics = summaryOf("crashed");
    const points = ndjsonPoints(dir.file("crashed.json"));
    assert.equal(points.get("iterations"), metrics.iterations.count);
    assert.equal(
      points.get("checks"),
      metrics.checks.passes + metrics.checks.fails,
    );
  });
});
