// Runner rules a k6 user relies on without thinking about them: a stray
// rejected promise does not end the run, console output can go to a file,
// interrupted iterations still count their network bytes, an aborted test
// drops no iterations, exec.test.options has k6's shape, and many VUs do
// not make the runtime warn about listeners.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  assertExit,
  consoleMessages,
  logEntries,
  readJSON,
  runCli,
  scriptPath,
  useServer,
  useTempDir,
} from "./_cli.ts";

type Metrics = Record<string, Record<string, number>>;

describe("wsload run runtime rules", () => {
  const served = useServer();
  const folder = useTempDir();

  it("logs unhandled promise rejections and finishes the run", async () => {
    const result = await runCli(["run", scriptPath("unhandled_rejection.js")]);
    assertExit(result, 0);
    const uncaught = logEntries(result.stderr).filter((entry) =>
      entry.level === "error" && entry.msg.startsWith("Uncaught (in promise)")
    );
    assert.equal(uncaught.length, 8, result.stderr);
    assert.ok(uncaught.some((entry) => entry.msg.includes("async boom")));
    assert.ok(uncaught.some((entry) => entry.msg.includes("rejected value")));
    assert.match(result.stdout, /iterations\.+: 4 /);
  });

  it("writes the script's console to --console-output", async () => {
    const file = folder.file("console.log");
    const result = await runCli([
      "run",
      "-q",
      "--console-output",
      file,
      scriptPath("console_output.js"),
    ]);
    assertExit(result, 0);
    assert.deepEqual(consoleMessages(result.stderr), []);
    assert.deepEqual(consoleMessages(readFileSync(file, "utf8")), [
      "iteration 0",
      "iteration 1",
      "iteration 2",
    ]);
  });

  it("fails at start when --console-output cannot be opened (exit 104)", async () => {
    const result = await runCli([
      "run",
      "--console-output",
      folder.file("missing/dir/console.log"),
      scriptPath("console_output.js"),
    ]);
    assertExit(result, 104);
    assert.match(result.stderr, /could not open the console output file/);
  });

  it("counts the bytes of interrupted iterations but not their later samples", async () => {
    const exported = folder.file("interrupted.json");
    const result = await runCli([
      "run",
      "-q",
      "-e",
      `WS_URL=${served.url("")}`,
      "--summary-export",
      exported,
      scriptPath("interrupted_socket.js"),
    ]);
    assertExit(result, 0);
    const metrics = readJSON(exported).metrics as Metrics;
    assert.ok(metrics.data_sent?.count > 0, JSON.stringify(metrics.data_sent));
    assert.ok(metrics.data_received?.count > 0);
    assert.equal(metrics.ws_sessions?.count, 2);
    // The sockets were closed by the interruption: k6 reports no session
    // duration for them, and no iteration completed.
    assert.equal(metrics.ws_session_duration, undefined);
    assert.equal(metrics.iterations, undefined);
  });

  it("reports no dropped iterations after exec.test.abort() (exit 108)", async () => {
    const exported = folder.file("aborted.json");
    const result = await runCli([
      "run",
      "-q",
      "--summary-export",
      exported,
      scriptPath("abort_early.js"),
    ]);
    assertExit(result, 108);
    const metrics = readJSON(exported).metrics as Metrics;
    assert.equal(metrics.dropped_iterations, undefined);
    assert.ok(metrics.iterations.count < 100);
  });

  it("shows exec.test.options in k6's shape", async () => {
    const result = await runCli(["run", "-q", scriptPath("abort_early.js")]);
    const options = JSON.parse(consoleMessages(result.stderr)[0]);
    const scenario = options.scenarios.many;
    assert.equal(scenario.maxDuration, "30s");
    assert.equal(scenario.gracefulStop, "30s");
    assert.equal(options.setupTimeout, "1m0s");
    assert.ok(Array.isArray(options.systemTags));
    assert.ok(options.systemTags.includes("scenario"));
    assert.equal(options.executionTuple, undefined);
  });

  it("runs many VUs without listener-leak warnings", async () => {
    const result = await runCli([
      "run",
      "-q",
      "--vus",
      "30",
      "--iterations",
      "60",
      scriptPath("console_output.js"),
    ]);
    assertExit(result, 0);
    assert.doesNotMatch(result.stderr, /MaxListenersExceeded/);
  });
});
