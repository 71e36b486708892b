// Option precedence end to end: config file < script options < K6_*
// environment < flags, with k6's wipe rule for execution options. The
// plan line `wsload run` prints before the test shows what won.
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  assertExit,
  type CliResult,
  consoleMessages,
  logEntries,
  runCli,
  scriptPath,
  useTempDir,
} from "./_cli.ts";

const SCRIPT = scriptPath("options_from_env.js");

/** The scenario lines of the plan, e.g. `default: 4 iterations shared among 2 VUs (…)`. */
function plan(result: CliResult): string[] {
  return [...result.stdout.matchAll(/^\s+\* (.+)$/gm)].map((match) => match[1]);
}

function warnings(result: CliResult): string[] {
  return logEntries(result.stderr).filter((entry) => entry.level === "warning")
    .map((entry) => entry.msg);
}

function run(
  scriptOptions: unknown,
  flags: string[] = [],
  env: Record<string, string> = {},
): Promise<CliResult> {
  return runCli(["run", "--summary-mode", "disabled", ...flags, SCRIPT], {
    env: { OPTIONS: JSON.stringify(scriptOptions), ...env },
  });
}

const SHARED = "(maxDuration: 10m0s, gracefulStop: 30s)";

describe("wsload run option precedence", () => {
  const folder = useTempDir();

  it("takes the script's options", async () => {
    const result = await run({ vus: 2, iterations: 4 });
    assertExit(result, 0);
    assert.deepEqual(plan(result), [
      `default: 4 iterations shared among 2 VUs ${SHARED}`,
    ]);
    assert.match(result.stdout, /running \(.*\), 0\/2 VUs, 4 complete/);
  });

  it("lets K6_* variables override the script", async () => {
    const result = await run({ vus: 2, iterations: 4 }, [], {
      K6_ITERATIONS: "6",
      K6_VUS: "3",
    });
    assertExit(result, 0);
    assert.deepEqual(plan(result), [
      `default: 6 iterations shared among 3 VUs ${SHARED}`,
    ]);
  });

  it("lets flags override K6_* variables", async () => {
    const result = await run(
      { vus: 2, iterations: 4 },
      ["-i", "8", "-u", "4"],
      {
        K6_ITERATIONS: "6",
        K6_VUS: "3",
      },
    );
    assertExit(result, 0);
    assert.deepEqual(plan(result), [
      `default: 8 iterations shared among 4 VUs ${SHARED}`,
    ]);
  });

  it("does not read options from -e values (they only fill __ENV)", async () => {
    const result = await run({ vus: 2, iterations: 4 }, [
      "-e",
      "K6_ITERATIONS=10",
    ]);
    assertExit(result, 0);
    assert.deepEqual(plan(result), [
      `default: 4 iterations shared among 2 VUs ${SHARED}`,
    ]);
  });

  it("lets the script override the config file, which fills the rest", async () => {
    const config = folder.file("config.json");
    writeFileSync(
      config,
      JSON.stringify({ vus: 3, iterations: 9, summaryTrendStats: ["count"] }),
    );
    const fromConfig = await runCli(["run", "-c", config, SCRIPT], {
      env: { OPTIONS: "{}" },
    });
    assertExit(fromConfig, 0);
    assert.deepEqual(plan(fromConfig), [
      `default: 9 iterations shared among 3 VUs ${SHARED}`,
    ]);
    assert.match(fromConfig.stdout, /iteration_duration\.+: count=9\b/);

    const fromScript = await runCli(["run", "-c", config, SCRIPT], {
      env: { OPTIONS: JSON.stringify({ vus: 2, iterations: 4 }) },
    });
    assertExit(fromScript, 0);
    assert.deepEqual(plan(fromScript), [
      `default: 4 iterations shared among 2 VUs ${SHARED}`,
    ]);
    assert.match(fromScript.stdout, /iteration_duration\.+: count=4\b/);
  });

  describe("the wipe rule", () => {
    const scenarios = {
      scenarios: {
        main: { executor: "per-vu-iterations", vus: 1, iterations: 1 },
      },
    };

    it("replaces the script's scenarios by a flag's shortcut, with k6's warning", async () => {
      const result = await run(scenarios, ["--iterations", "3"]);
      assertExit(result, 0);
      assert.deepEqual(plan(result), [
        `default: 3 iterations shared among 1 VUs ${SHARED}`,
      ]);
      assert.ok(
        warnings(result).includes(
          '"cli" level configuration overrode scenarios configuration entirely',
        ),
        result.stderr,
      );
    });

    it("does the same for a K6_* variable", async () => {
      const result = await run(scenarios, [], { K6_DURATION: "1s" });
      assertExit(result, 0);
      assert.deepEqual(plan(result), [
        "default: 1 looping VUs for 1s (gracefulStop: 30s)",
      ]);
      assert.ok(
        warnings(result).includes(
          '"env" level configuration overrode scenarios configuration entirely',
        ),
        result.stderr,
      );
    });

    it("replaces them by a lone --vus too (k6 v2.1+), with k6's warning", async () => {
      const result = await run(scenarios, ["--vus", "2"]);
      assertExit(result, 0);
      assert.deepEqual(plan(result), [
        `default: 2 iterations shared among 2 VUs ${SHARED}`,
      ]);
      assert.ok(
        warnings(result).includes("`vus=2` overrides scenarios configuration"),
        result.stderr,
      );
    });

    it("keeps the script's scenarios when no higher tier sets execution", async () => {
      const result = await run(scenarios, ["--tag", "team=ws"], {
        K6_SETUP_TIMEOUT: "5s",
      });
      assertExit(result, 0);
      assert.equal(plan(result).length, 1);
      assert.match(plan(result)[0], /^main: 1 iterations for each of 1 VUs/);
      assert.deepEqual(warnings(result), []);
    });
  });

  describe("run settings from K6_* variables (a flag wins)", () => {
    const SUMMARY = scriptPath("handle_summary.js");

    it("K6_SUMMARY_MODE and K6_SUMMARY_EXPORT", async () => {
      const exported = folder.file("from_env.json");
      const disabled = await runCli(["run", "-q", SUMMARY], {
        env: { MODE: "falsy", K6_SUMMARY_MODE: "disabled" },
      });
      assertExit(disabled, 0);
      assert.equal(disabled.stdout, "");
      const flagWins = await runCli(
        ["run", "-q", "--summary-mode", "compact", SUMMARY],
        {
          env: {
            MODE: "falsy",
            K6_SUMMARY_MODE: "disabled",
            K6_SUMMARY_EXPORT: exported,
          },
        },
      );
      assertExit(flagWins, 0);
      assert.match(flagWins.stdout, /█ TOTAL RESULTS/);
      assert.ok(existsSync(exported), "K6_SUMMARY_EXPORT written");
    });

    it("rejects an invalid K6_SUMMARY_MODE with 104", async () => {
      const result = await runCli(["run", "-q", SUMMARY], {
        env: { K6_SUMMARY_MODE: "pretty" },
      });
      assertExit(result, 104);
      assert.match(result.stderr, /"pretty" for K6_SUMMARY_MODE/);
    });

    it("K6_INCLUDE_SYSTEM_ENV_VARS and --[no-]include-system-env-vars", async () => {
      const ECHO = scriptPath("env_echo.js");
      const seen = async (flags: string[], env: Record<string, string>) => {
        const result = await runCli(
          ["run", "-q", "-e", "FROM_FLAG=f", ...flags, ECHO],
          { env: { FROM_PROCESS: "p", ...env } },
        );
        assertExit(result, 0);
        return JSON.parse(consoleMessages(result.stderr)[0]);
      };
      assert.deepEqual(await seen([], {}), { fromProcess: "p", fromFlag: "f" });
      assert.deepEqual(await seen(["--no-include-system-env-vars"], {}), {
        fromProcess: null,
        fromFlag: "f",
      });
      assert.deepEqual(
        await seen([], { K6_INCLUDE_SYSTEM_ENV_VARS: "false" }),
        { fromProcess: null, fromFlag: "f" },
      );
      assert.deepEqual(
        await seen(["--include-system-env-vars"], {
          K6_INCLUDE_SYSTEM_ENV_VARS: "false",
        }),
        { fromProcess: "p", fromFlag: "f" },
      );
    });

    it("K6_CONFIG names the config file", async () => {
      const config = folder.file("k6_config.json");
      writeFileSync(config, JSON.stringify({ vus: 2, iterations: 5 }));
      const result = await runCli(["run", SCRIPT], {
        env: { OPTIONS: "{}", K6_CONFIG: config },
      });
      assertExit(result, 0);
      assert.deepEqual(plan(result), [
        `default: 5 iterations shared among 2 VUs ${SHARED}`,
      ]);
    });
  });
});
