// `wsload run` exit codes, as k6 gives them, each with a log message that
// names the problem. Every test spawns the real CLI.
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  assertExit,
  logEntries,
  runCli,
  scriptPath,
  startCli,
  useTempDir,
} from "./_cli.ts";

const OPTIONS = scriptPath("options_from_env.js");
const CONTROL = scriptPath("exit_control.js");
const LIFECYCLE = scriptPath("exit_lifecycle.js");
const SIGNAL = scriptPath("exit_signal.js");

function errors(stderr: string): string[] {
  return logEntries(stderr).filter((entry) => entry.level === "error").map((
    entry,
  ) => entry.msg);
}

function runWithOptions(options: unknown) {
  return runCli(["run", "-q", OPTIONS], {
    env: { OPTIONS: JSON.stringify(options) },
  });
}

describe("wsload run exit codes", () => {
  const folder = useTempDir();

  describe("0 (success)", () => {
    it("after a run without errors, with the summary on stdout", async () => {
      const result = await runCli(["run", "-q", CONTROL]);
      assertExit(result, 0);
      assert.match(result.stdout, /TOTAL RESULTS/);
      assert.match(result.stdout, /✓ the check/);
      assert.deepEqual(errors(result.stderr), []);
    });
  });

  describe("99 (thresholds crossed)", () => {
    it("at the end of the test, naming the metrics", async () => {
      const result = await runCli(["run", "-q", CONTROL], {
        env: { CHECK: "fail", THRESHOLD: JSON.stringify("rate>0.5") },
      });
      assertExit(result, 99);
      assert.ok(
        errors(result.stderr).includes(
          "thresholds on metrics 'checks' have been crossed",
        ),
        result.stderr,
      );
      assert.match(result.stdout, /✗ 'rate>0\.5' rate=0\.00%/);
    });

    it("with abortOnFail: stops early, runs teardown, prints the summary", async () => {
      const result = await runCli(["run", "-q", CONTROL], {
        env: {
          CHECK: "fail",
          DURATION: "20s",
          THRESHOLD: JSON.stringify({
            threshold: "rate>0.5",
            abortOnFail: true,
          }),
        },
      });
      assertExit(result, 99);
      // Thresholds are evaluated every 2 s: far before the 20 s end.
      assert.ok(result.elapsedMs < 15_000, `took ${result.elapsedMs} ms`);
      assert.ok(
        errors(result.stderr).includes(
          "thresholds on metrics 'checks' were crossed; at least one has abortOnFail enabled, stopping test prematurely",
        ),
        result.stderr,
      );
      assert.match(result.stderr, /msg="teardown ran"/);
      assert.match(result.stdout, /TOTAL RESULTS/);
    });
  });

  describe("104 (invalid configuration)", () => {
    const cases: [string, unknown, RegExp][] = [
      [
        "a negative iteration count",
        { iterations: -1 },
        /iterations \(-1\)/,
      ],
      [
        "duration and stages in one tier",
        { duration: "1s", stages: [{ duration: "1s", target: 1 }] },
        /^using `duration` and `stages` options simultaneously is not allowed$/,
      ],
      [
        "an unknown executor",
        { scenarios: { main: { executor: "sometimes-vus" } } },
        /unknown executor type 'sometimes-vus'/,
      ],
      [
        "a malformed threshold expression",
        { thresholds: { iterations: ["count<<1"] } },
        /"count<<1"/,
      ],
      [
        "an aggregation the metric type lacks",
        { thresholds: { iterations: ["p(95)<1"] } },
        /unsupported aggregation method p on metric of type counter/,
      ],
      [
        "a threshold on an unknown metric",
        { thresholds: { no_such_metric: ["count<1"] } },
        /no metric name "no_such_metric" found/,
      ],
      [
        "a scenario whose exec function the script does not export",
        {
          scenarios: {
            main: { executor: "shared-iterations", exec: "missing" },
          },
        },
        /executor main: function 'missing' not found in exports/,
      ],
    ];
    for (const [name, options, message] of cases) {
      it(`for ${name}`, async () => {
        const result = await runWithOptions(options);
        assertExit(result, 104);
        assert.ok(
          errors(result.stderr).some((text) => message.test(text)),
          `no error matching ${message} in:\n${result.stderr}`,
        );
        assert.doesNotMatch(result.stdout, /TOTAL RESULTS/);
      });
    }

    const flagCases: [string, string[], RegExp][] = [
      ["an unknown flag", ["--bogus"], /unknown flag --bogus;/],
      [
        "a flag without its value",
        ["--vus"],
        /flag -u, --vus <value> needs a value/,
      ],
      ["a non-numeric --vus", ["--vus", "many"], /"many" for "-u, --vus"/],
      [
        "a bad --duration",
        ["--duration", "soon"],
        /"soon" for "-d, --duration"/,
      ],
      [
        "an unknown --summary-mode",
        ["--summary-mode", "pretty"],
        /"pretty" for "--summary-mode"/,
      ],
      [
        "a bad -e name",
        ["-e", "1ST=x"],
        /invalid environment variable name '1ST'/,
      ],
      [
        "a bad --summary-trend-stats",
        ["--summary-trend-stats", "p(101)"],
        /'p\(101\)'/,
      ],
    ];
    for (const [name, flags, message] of flagCases) {
      it(`for ${name}`, async () => {
        // The flags go last, so a flag without its value has none.
        const result = await runCli(["run", "-q", OPTIONS, ...flags]);
        assertExit(result, 104);
        assert.ok(
          message.test(result.stderr) ||
            errors(result.stderr).some((text) => message.test(text)),
          `no error matching ${message} in:\n${result.stderr}`,
        );
      });
    }
  });

  describe("105 (interrupted)", () => {
    it("on SIGINT: stops gracefully, runs teardown, prints the summary", async () => {
      const run = startCli(["run", SIGNAL]);
      await run.waitFor(/msg="iteration started"/);
      run.signal("SIGINT");
      const result = await run.done;
      assertExit(result, 105);
      assert.ok(result.elapsedMs < 15_000, `took ${result.elapsedMs} ms`);
      assert.match(result.stderr, /msg="teardown finished"/);
      assert.match(result.stdout, /TOTAL RESULTS/);
    });

    it("on SIGINT in setup(): stops it at once, skips teardown, prints the summary", async () => {
      const run = startCli(["run", "-q", LIFECYCLE], {
        env: { WHERE: "slow-setup", SETUP_TIMEOUT: "30s" },
      });
      await run.waitFor(/msg="setup started"/);
      run.signal("SIGINT");
      const result = await run.done;
      assertExit(result, 105);
      // setup() would sleep 10 s.
      assert.ok(result.elapsedMs < 8_000, `took ${result.elapsedMs} ms`);
      assert.doesNotMatch(result.stderr, /teardown ran/);
      assert.match(result.stdout, /TOTAL RESULTS/);
    });

    it("on a second SIGINT: exits at once, even in teardown, leaving no files", async () => {
      // The script's temporary copies go to TMPDIR.
      const tmp = folder.file("second_sigint");
      mkdirSync(tmp);
      const run = startCli(["run", "-q", SIGNAL], {
        env: { SLOW_TEARDOWN: "1", TMPDIR: tmp },
      });
      await run.waitFor(/msg="iteration started"/);
      run.signal("SIGINT");
      await run.waitFor(/msg="teardown started"/);
      run.signal("SIGINT");
      const result = await run.done;
      assertExit(result, 105);
      // The teardown would sleep 20 s.
      assert.ok(result.elapsedMs < 15_000, `took ${result.elapsedMs} ms`);
      assert.doesNotMatch(result.stderr, /teardown finished/);
      assert.doesNotMatch(result.stdout, /TOTAL RESULTS/);
      assert.deepEqual(readdirSync(tmp), []);
    });
  });

  describe("107 (script exception)", () => {
    it("for a syntax error, naming the file, line and column with a code frame, as k6", async () => {
      const path = folder.file("syntax_error.js");
      writeFileSync(path, "export default function () {\n  const x = ;\n}\n");
      const result = await runCli(["run", "-q", path]);
      assertExit(result, 107);
      // k6 v0.48.0: SyntaxError: file:///…/syntax_error.js: Unexpected token (2:12)
      // followed by the lines around it and a caret under the column.
      const message = logEntries(result.stderr).map((entry) => entry.msg)
        .join("\n");
      assert.match(
        message,
        /^SyntaxError: file:\/\/\/.*syntax_error\.js: Unexpected token \(2:12\)$/m,
      );
      assert.match(message, /^> 2 \| {3}const x = ;$/m);
      assert.match(message, /^ {4}\| {13}\^$/m);
      assert.doesNotMatch(message, /__wsload|wsload-script-/);
    });

    it("for an import of a k6 module wsload does not provide", async () => {
      const result = await runCli([
        "run",
        "-q",
        scriptPath("exit_unknown_module.js"),
      ]);
      assertExit(result, 107);
      assert.match(
        result.stderr,
        /wsload does not provide the k6 module 'k6\/browser'/,
      );
    });

    for (const where of ["init", "setup"]) {
      it(`for an exception in ${where === "init" ? "init code" : "setup()"}`, async () => {
        const result = await runCli(["run", "-q", LIFECYCLE], {
          env: { WHERE: where },
        });
        assertExit(result, 107);
        const error = logEntries(result.stderr).find((entry) =>
          entry.level === "error"
        );
        assert.ok(error, result.stderr);
        assert.match(
          error.msg,
          new RegExp(
            `^Error: broken ${where === "init" ? "init code" : "setup"}\\n`,
          ),
        );
        // Only the script's frames, as k6 shows them.
        const frames = error.msg.split("\n").slice(1);
        assert.ok(frames.length > 0, error.msg);
        for (const frame of frames) {
          assert.match(frame, /^ {4}at .*exit_lifecycle\.js:\d+:\d+\)?$/);
        }
        assert.equal(error.fields.hint, "script exception");
        // setup() failed: k6 does not call teardown(), and prints the
        // summary (init code failed: there is none).
        assert.doesNotMatch(result.stderr, /teardown ran/);
        if (where === "init") assert.equal(result.stdout, "");
        else assert.match(result.stdout, /TOTAL RESULTS/);
      });
    }
  });

  describe("100 (setup timeout)", () => {
    it("when setup() outlasts setupTimeout", async () => {
      const result = await runCli(["run", "-q", LIFECYCLE], {
        env: { WHERE: "slow-setup" },
      });
      assertExit(result, 100);
      assert.ok(
        errors(result.stderr).includes(
          "setup() execution timed out after 1 seconds",
        ),
        result.stderr,
      );
      assert.ok(result.elapsedMs < 9_000, `took ${result.elapsedMs} ms`);
      assert.doesNotMatch(result.stderr, /teardown ran/);
      assert.match(result.stdout, /TOTAL RESULTS/);
    });
  });

  describe("108 (exec.test.abort())", () => {
    it("stops the test with the reason; teardown and summary still run", async () => {
      const result = await runCli(["run", "-q", CONTROL], {
        env: { ACTION: "abort", DURATION: "20s" },
      });
      assertExit(result, 108);
      assert.ok(result.elapsedMs < 15_000, `took ${result.elapsedMs} ms`);
      assert.ok(
        errors(result.stderr).includes("test aborted: enough"),
        result.stderr,
      );
      assert.match(result.stderr, /msg="teardown ran"/);
      assert.match(result.stdout, /TOTAL RESULTS/);
    });
  });

  describe("108 (exec.test.abort() in init code)", () => {
    it("stops before the test starts, without a script exception", async () => {
      const result = await runCli(["run", "-q", LIFECYCLE], {
        env: { WHERE: "init-abort" },
      });
      assertExit(result, 108);
      assert.deepEqual(errors(result.stderr), ["test aborted: stop in init"]);
      assert.doesNotMatch(result.stdout, /TOTAL RESULTS/);
    });
  });

  describe("110 (exec.test.fail())", () => {
    it("lets the test run to its end, then fails it", async () => {
      const result = await runCli(["run", "-q", CONTROL], {
        env: { ACTION: "fail" },
      });
      assertExit(result, 110);
      assert.ok(
        errors(result.stderr).includes("test marked as failed: not good"),
        result.stderr,
      );
      // More iterations ran after the fourth one failed the test.
      const iterations = /iterations\.+: (\d+)/.exec(result.stdout);
      assert.ok(iterations && Number(iterations[1]) > 4, result.stdout);
    });
  });
});
