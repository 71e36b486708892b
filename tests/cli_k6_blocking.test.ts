// k6 scripts run unchanged: k6 blocks in sleep(), ws.connect() and group();
// wsload's loader makes the script wait there. Each case is a row of the
// issue that found the gap: the same script under k6 v0.48.0 and under
// wsload (tests/scripts/blocking/*; each file's comment gives k6's figures,
// which are this suite's expectations). Durations are k6's within 10%.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  assertExit,
  type CliResult,
  consoleMessages,
  readJSON,
  runCli,
  runInTurns,
  scriptPath,
  useServer,
  useTempDir,
} from "./_cli.ts";

/** What one script's run left behind. */
interface Run {
  readonly result: CliResult;
  readonly logs: string[];
  readonly metrics: Record<string, Record<string, number>>;
}

const SCRIPTS = [
  "sleep_only.js",
  "connect_check_sleep.js",
  "hold_then_sleep.js",
  "sequential_connects.js",
  "sleep_in_handler.js",
  "group_connect.js",
  "error_rate.js",
  "module_state.js",
  "experimental_timers.js",
  "shared_array.js",
  "typescript.ts",
  "websockets_events.js",
] as const;

function within10Percent(actual: number, expected: number, what: string) {
  assert.ok(
    Math.abs(actual - expected) <= expected * 0.1,
    `${what}: ${actual} is not within 10% of k6's ${expected}`,
  );
}

describe("k6's blocking calls under wsload run (same figures as k6 v0.48.0)", () => {
  const folder = useTempDir();
  const served = useServer();
  let runs = new Map<string, Promise<Run>>();

  before(() => {
    const start = async (script: string): Promise<Run> => {
      const exported = folder.file(`${script}.json`);
      const result = await runCli([
        "run",
        "-q",
        "--summary-trend-stats",
        "avg,min,max,count",
        "--summary-export",
        exported,
        scriptPath(`blocking/${script}`),
      ], {
        env: {
          WS_URL: served.url("/ws/echo"),
          BAD_URL: "ws://127.0.0.1:1/",
          WORKLOAD: "w2",
        },
      });
      let metrics = {};
      try {
        metrics = readJSON(exported).metrics as Run["metrics"];
      } catch {
        // No export: the exit-code assertion shows the run's output.
      }
      return { result, logs: consoleMessages(result.stderr), metrics };
    };
    // A few at a time: each script's timing is checked against k6's.
    runs = runInTurns(
      SCRIPTS.map((script) => [script, () => start(script)]),
      3,
    );
  });

  async function ran(script: string, exitCode = 0): Promise<Run> {
    const run = await runs.get(script)!;
    assertExit(run.result, exitCode);
    return run;
  }

  it("sleep(1) alone: 3 iterations in 3 s, not hundreds of thousands", async () => {
    const { metrics } = await ran("sleep_only.js");
    assert.equal(metrics.iterations.count, 3);
    within10Percent(metrics.iteration_duration.avg, 1000, "iteration");
  });

  it("the docs pattern connect + check + sleep(1): 10 sessions in 5 s with 2 VUs", async () => {
    const { metrics } = await ran("connect_check_sleep.js");
    assert.equal(metrics.ws_sessions.count, 10);
    assert.equal(metrics.iterations.count, 10);
    assert.equal(metrics.checks.passes, 10);
    assert.equal(metrics.checks.fails, 0);
  });

  it("a socket held 1 s then sleep(1): 3 iterations of 2 s in 5 s", async () => {
    const { metrics } = await ran("hold_then_sleep.js");
    assert.equal(metrics.iterations.count, 3);
    within10Percent(metrics.iteration_duration.avg, 2000, "iteration");
    within10Percent(metrics.ws_session_duration.avg, 1000, "session");
  });

  it("three sequential connects: one 3 s iteration, 12 of 12 checks", async () => {
    const { metrics } = await ran("sequential_connects.js");
    assert.equal(metrics.checks.passes, 12);
    assert.equal(metrics.checks.fails, 0);
    assert.equal(metrics.ws_sessions.count, 3);
    within10Percent(metrics.iteration_duration.avg, 3000, "iteration");
  });

  it("sleep(0.5) in an open handler holds the socket's events: 0.5 s session, k6's log order", async () => {
    const { metrics, logs } = await ran("sleep_in_handler.js");
    const iteration = [
      "open handler done after 500+ ms",
      "message ping-1",
      "connect returned",
    ];
    assert.deepEqual(logs, [...iteration, ...iteration]);
    within10Percent(metrics.ws_session_duration.min, 504, "session");
  });

  it("a group around a connect lasts as long as the socket: 1 s", async () => {
    const { metrics, logs } = await ran("group_connect.js");
    assert.deepEqual(logs, ["group returned 101", "group returned 101"]);
    within10Percent(metrics.group_duration.min, 1004, "group");
  });

  it("errRate.add(!check(res, …)) sees the boolean: 3 errors of 3, threshold fails (99)", async () => {
    const { metrics, logs } = await ran("error_rate.js", 99);
    assert.deepEqual(logs, Array(3).fill("check returned boolean false"));
    assert.equal(metrics.errors.passes, 3);
    assert.equal(metrics.errors.fails, 0);
  });

  it("a local module gets __ENV, __VU, open() and its own state per VU", async () => {
    const { logs } = await ran("module_state.js");
    assert.deepEqual(logs.sort(), [
      "vu=1 init=1 workload=w2 text=lib data count=1",
      "vu=1 init=1 workload=w2 text=lib data count=2",
      "vu=2 init=2 workload=w2 text=lib data count=1",
      "vu=2 init=2 workload=w2 text=lib data count=2",
    ]);
  });

  it("k6/experimental/timers resolves to the timers", async () => {
    const { logs } = await ran("experimental_timers.js");
    assert.deepEqual(logs, ["done", "tick"]);
  });

  it("k6/data's SharedArray: made once, read by every VU, frozen", async () => {
    const { logs } = await ran("shared_array.js");
    assert.deepEqual(logs.sort(), [
      "made once",
      "vu 1: ada of 2, frozen true, array true",
      "vu 2: grace of 2, frozen true, array true",
    ]);
  });

  it("a TypeScript script runs, with its error at the user's line and column", async () => {
    const { metrics, result } = await ran("typescript.ts");
    assert.equal(metrics.checks.passes, 1);
    assert.match(
      result.stderr,
      /Error: typed connect\\n {4}at default \(file:\/\/\/[^)]*blocking\/typescript\.ts:22:9\)/,
    );
  });

  it("k6/websockets events wait while the VU sleeps, in k6's order; timers fire on time", async () => {
    const { logs } = await ran("websockets_events.js");
    // k6 v0.48.0 logs "timer" after "open": it holds timers during sleep()
    // too (k6 issue 2964); wsload fires them on time (a listed difference).
    assert.deepEqual(logs, [
      "before sleep",
      "timer",
      "after sleep",
      "open",
      "msg a",
      "after sleep in a",
      "second listener a",
      "msg b",
      "second listener b",
      "close",
    ]);
  });
});

describe("--compatibility-mode", () => {
  it("base runs scripts as written; extended (the default) waits where k6 blocks", async () => {
    const script = scriptPath("blocking/order.js");
    const extended = await runCli(["run", "-q", script]);
    assertExit(extended, 0);
    assert.deepEqual(consoleMessages(extended.stderr), [
      "slept 200+ ms",
      "after",
    ]);
    const base = await runCli([
      "run",
      "-q",
      "--compatibility-mode=base",
      script,
    ]);
    assertExit(base, 0);
    assert.deepEqual(consoleMessages(base.stderr), ["slept <200 ms", "after"]);
    const fromEnv = await runCli(["run", "-q", script], {
      env: { K6_COMPATIBILITY_MODE: "base" },
    });
    assert.deepEqual(consoleMessages(fromEnv.stderr), [
      "slept <200 ms",
      "after",
    ]);
  });

  it("refuses other modes with k6's text and exit code", async () => {
    const result = await runCli([
      "run",
      "--compatibility-mode=foo",
      scriptPath("blocking/order.js"),
    ]);
    assertExit(result, 255);
    assert.match(
      result.stderr,
      /invalid compatibility mode "foo"\. Use: "extended", "base"/,
    );
  });
});
