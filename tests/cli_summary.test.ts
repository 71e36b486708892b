// What `wsload run` prints and writes around a test: the end-of-test
// summary in every mode (compared with golden files), `--summary-export`,
// `handleSummary`'s return contract, `--quiet`, colour settings and the
// progress lines of a non-terminal stdout.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import process from "node:process";
import { before, describe, it } from "node:test";
import {
  assertExit,
  type CliResult,
  golden,
  logEntries,
  readJSON,
  runCli,
  scriptPath,
  useServer,
  useTempDir,
} from "./_cli.ts";

const RESULTS = scriptPath("results.js");
const HANDLE_SUMMARY = scriptPath("handle_summary.js");

// Rates per second and byte counts depend on timing and on the handshake
// (port digits, User-Agent): placeholders keep the goldens stable. Byte
// lines lose their column padding too, since it follows the value's width.
function maskVolatile(text: string): string {
  return text
    .replace(/\b\d+(?:\.\d+)?\/s\b/g, "<n>/s")
    .replace(
      /^(\s*(?:[✓✗] )?data_(?:received|sent)\.+: ).*$/gm,
      "$1<bytes> <bytes>/s",
    );
}

function goldenURL(name: string): URL {
  return new URL(`./golden/cli/${name}`, import.meta.url);
}

// UPDATE_GOLDEN=1 rewrites the golden files (check every change against k6).
function assertGolden(name: string, actual: string): void {
  if (process.env.UPDATE_GOLDEN === "1") {
    writeFileSync(goldenURL(name), actual);
    return;
  }
  const expected = golden(name);
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
    `summary differs from golden file ${name} (UPDATE_GOLDEN=1 rewrites it):\n${
      diff.join("\n")
    }`,
  );
}

function md5(text: string): string {
  return createHash("md5").update(text).digest("hex");
}

describe("wsload run output", () => {
  const served = useServer();
  const folder = useTempDir();

  describe("end-of-test summary of a deterministic run", () => {
    const modes = ["compact", "full", "legacy", "disabled"] as const;
    const runs = new Map<string, Promise<CliResult>>();

    before(() => {
      for (const mode of modes) {
        runs.set(
          mode,
          runCli([
            "run",
            "-q",
            "--summary-trend-stats",
            "count",
            "--summary-mode",
            mode,
            "--summary-export",
            folder.file(`results_${mode}.json`),
            RESULTS,
          ], { env: { WS_URL: served.url("/ws-echo-multi") } }),
        );
      }
    });

    for (const mode of ["compact", "full", "legacy"] as const) {
      it(`--summary-mode ${mode} matches golden/cli/summary_${mode}.txt`, async () => {
        const result = await runs.get(mode)!;
        assertExit(result, 99);
        assertGolden(`summary_${mode}.txt`, maskVolatile(result.stdout));
      });
    }

    it("--summary-mode disabled prints and exports nothing, keeps the exit code", async () => {
      const result = await runs.get("disabled")!;
      assertExit(result, 99);
      assert.equal(result.stdout, "");
      assert.equal(existsSync(folder.file("results_disabled.json")), false);
      assert.ok(
        logEntries(result.stderr).some((entry) =>
          entry.msg ===
            "thresholds on metrics 'checks, messages' have been crossed"
        ),
        result.stderr,
      );
    });

    describe("--summary-export", () => {
      // deno-lint-ignore no-explicit-any
      let exported: any;

      before(async () => {
        await runs.get("compact");
        exported = readJSON(folder.file("results_compact.json"));
      });

      it("has root_group and metrics, without options and state", () => {
        assert.deepEqual(Object.keys(exported).sort(), [
          "metrics",
          "root_group",
        ]);
      });

      it("flattens metrics; thresholds map to true when FAILED", () => {
        const { metrics } = exported;
        assert.equal(metrics.iterations.count, 6);
        assert.ok(metrics.iterations.rate > 0);
        assert.deepEqual(metrics.iterations.thresholds, { "count==6": false });
        assert.deepEqual(metrics.messages.thresholds, { "count>100": true });
        assert.equal(metrics.messages.count, 12);
        assert.deepEqual(metrics.checks, {
          passes: 8,
          fails: 4,
          thresholds: { "rate==1": true },
          value: 8 / 12,
        });
        assert.deepEqual(metrics.delivered, {
          passes: 4,
          fails: 2,
          value: 4 / 6,
        });
        assert.deepEqual(metrics.queue, { value: 20, min: 0, max: 20 });
        assert.deepEqual(metrics.latency.thresholds, { "p(95)<50": false });
        assert.deepEqual(metrics["latency{kind:slow}"], {
          count: 6,
          thresholds: { "p(99)<100": false },
        });
        assert.equal(metrics.ws_sessions.count, 6);
        assert.equal(metrics.ws_msgs_sent.count, 12);
        assert.equal(metrics.ws_msgs_received.count, 12);
        assert.equal(metrics.ws_connecting.count, 6);
      });

      it("keys groups and checks by name, with k6's ids", () => {
        const root = exported.root_group;
        assert.equal(root.name, "");
        assert.equal(root.path, "");
        assert.equal(root.id, md5(""));
        assert.deepEqual(root.checks, {
          "first iteration": {
            name: "first iteration",
            path: "::first iteration",
            id: md5("::first iteration"),
            passes: 2,
            fails: 4,
          },
        });
        assert.deepEqual(root.groups, {
          login: {
            name: "login",
            path: "::login",
            id: md5("::login"),
            groups: {},
            checks: {
              "logged in": {
                name: "logged in",
                path: "::login::logged in",
                id: md5("::login::logged in"),
                passes: 6,
                fails: 0,
              },
            },
          },
        });
      });
    });
  });

  describe("handleSummary(data)", () => {
    function runHandleSummary(
      mode: string,
      flags: string[] = [],
      env: Record<string, string> = {},
    ): Promise<CliResult> {
      return runCli(["run", "-q", ...flags, HANDLE_SUMMARY], {
        env: {
          MODE: mode,
          TEXT_FILE: folder.file(`${mode}.txt`),
          BINARY_FILE: folder.file(`${mode}.bin`),
          ...env,
        },
      });
    }

    it("prints and writes exactly what it returns, instead of the summary", async () => {
      const exported = folder.file("handle_summary_export.json");
      const result = await runHandleSummary("files", [
        "--summary-export",
        exported,
      ]);
      assertExit(result, 0);
      assert.equal(result.stdout, "custom stdout\n");
      assert.equal(result.stderr, "custom stderr\n");
      assert.equal(
        readFileSync(folder.file("files.txt"), "utf8"),
        '{"from":"setup"}',
      );
      assert.deepEqual(
        [...readFileSync(folder.file("files.bin"))],
        [1, 2, 3],
      );
      // --summary-export is written on top of what handleSummary returns.
      const data = readJSON(exported);
      assert.deepEqual(data.setup_data, { from: "setup" });
      assert.ok("metrics" in data);
    });

    it("falls back to the default summary when it returns a falsy value", async () => {
      const result = await runHandleSummary("falsy");
      assertExit(result, 0);
      assert.match(result.stdout, /█ TOTAL RESULTS/);
      assert.doesNotMatch(result.stderr, /level=error/);
    });

    it("logs its exception and falls back to the default summary", async () => {
      const result = await runHandleSummary("throw");
      assertExit(result, 0);
      assert.match(result.stdout, /█ TOTAL RESULTS/);
      const error = logEntries(result.stderr).find((entry) =>
        entry.level === "error"
      );
      assert.ok(error, result.stderr);
      assert.match(error.msg, /^Error: summary broke\n/);
      assert.match(error.msg, /handle_summary\.js:\d+/);
    });

    it("prints nothing when it returns {}", async () => {
      const result = await runHandleSummary("empty");
      assertExit(result, 0);
      assert.equal(result.stdout, "");
      assert.equal(result.stderr, "");
    });

    it("is skipped by --summary-mode disabled", async () => {
      const result = await runHandleSummary("files", [
        "--summary-mode",
        "disabled",
      ], { TEXT_FILE: folder.file("disabled.txt") });
      assertExit(result, 0);
      assert.equal(result.stdout, "");
      assert.equal(existsSync(folder.file("disabled.txt")), false);
      assert.equal(result.stderr, "");
    });

    describe("data.options.noColor", () => {
      const cases: [string, string[], Record<string, string>, boolean][] = [
        ["by default", [], {}, false],
        ["with --no-color", ["--no-color"], {}, true],
        ["with NO_COLOR set, even empty", [], { NO_COLOR: "" }, true],
        ["with K6_NO_COLOR=1", [], { K6_NO_COLOR: "1" }, true],
        ["with an empty K6_NO_COLOR", [], { K6_NO_COLOR: "" }, false],
      ];
      for (const [name, flags, env, noColor] of cases) {
        it(`is ${noColor} ${name}`, async () => {
          const result = await runHandleSummary("options", flags, env);
          assertExit(result, 0);
          const { options, state } = JSON.parse(result.stdout);
          assert.equal(options.noColor, noColor);
          assert.deepEqual(options.summaryTrendStats, [
            "avg",
            "min",
            "med",
            "max",
            "p(90)",
            "p(95)",
          ]);
          assert.equal(state.isStdOutTTY, false);
          assert.equal(state.isStdErrTTY, false);
          assert.ok(state.testRunDurationMs >= 0);
        });
      }
    });
  });

  describe("--quiet", () => {
    it("without it: the run header and a progress frame come before the summary", async () => {
      const result = await runCli(["run", HANDLE_SUMMARY], {
        env: { MODE: "falsy" },
      });
      assertExit(result, 0);
      const header = result.stdout.indexOf("execution: local");
      const progress = result.stdout.indexOf("running (");
      const summary = result.stdout.indexOf("█ TOTAL RESULTS");
      assert.ok(header >= 0 && header < progress && progress < summary);
      assert.match(
        result.stdout,
        /\* default: 1 iterations shared among 1 VUs \(maxDuration: 10m0s, gracefulStop: 30s\)/,
      );
    });

    it("with it: no header, no progress, the summary still", async () => {
      const result = await runCli(["run", "--quiet", HANDLE_SUMMARY], {
        env: { MODE: "falsy" },
      });
      assertExit(result, 0);
      assert.doesNotMatch(result.stdout, /execution: local|running \(/);
      assert.match(result.stdout, /█ TOTAL RESULTS/);
    });
  });

  describe("progress on a stdout that is not a terminal", () => {
    it("prints a new frame every second, without escape codes", async () => {
      const result = await runCli(["run", scriptPath("progress.js")]);
      assertExit(result, 0);
      assert.ok(!result.stdout.includes("\x1b"), "no escape codes");
      assert.ok(!result.stdout.includes("\r"), "no carriage returns");
      const frames = [
        ...result.stdout.matchAll(
          /^running \((\d+)\.(\d)s\), \d\/2 VUs, \d+ complete and \d+ interrupted iterations\ndefault /gm,
        ),
      ];
      // 3 s at one frame per second, plus the final frame.
      assert.ok(
        frames.length >= 3 && frames.length <= 6,
        `${frames.length} frames:\n${result.stdout}`,
      );
      const elapsed = frames.map(([, seconds, tenths]) =>
        Number(seconds) + Number(tenths) / 10
      );
      for (let i = 1; i < elapsed.length; i++) {
        assert.ok(elapsed[i] >= elapsed[i - 1], `${elapsed}`);
      }
      assert.match(result.stdout, /^default ✓ \[ 100% \] 2 VUs {2}3s$/m);
    });
  });
});
