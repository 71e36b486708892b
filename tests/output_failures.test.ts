// A file the user asked for that cannot be written completely fails the
// run: exit 255 (k6's code for an error without a code of its own) and an
// error naming the file, instead of k6's log line and exit 0. /dev/full
// stands for a full disk (every write fails with ENOSPC); a folder removed
// during the run for files that vanish while being written.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runCli, scriptPath, startCli, useServer, useTempDir } from "./_cli.ts";

const FULL = "/dev/full";
const NO_FULL = existsSync(FULL)
  ? false
  : `needs ${FULL} (Linux) to stand for a full disk`;
const SCRIPT = scriptPath("write_targets.js");

const suite = useServer();
const dir = useTempDir();

function run(flags: readonly string[], env: Record<string, string> = {}) {
  return runCli([
    "run",
    "-q",
    "--no-color",
    "-e",
    `URL=${suite.server.url}`,
    ...Object.entries(env).flatMap(([name, value]) => [
      "-e",
      `${name}=${value}`,
    ]),
    ...flags,
    SCRIPT,
  ]);
}

describe("a write that fails on a full disk", { skip: NO_FULL }, () => {
  for (
    const [flags, message] of [
      [
        ["--out", `json=${FULL}`],
        `output json (${FULL}) failed: could not write '${FULL}': no space left on device`,
      ],
      [
        ["--out", `csv=${FULL}`],
        `output csv (${FULL}) failed: could not write '${FULL}': no space left on device`,
      ],
      [
        ["--report", FULL],
        `output report (${FULL}) failed: could not write '${FULL}': no space left on device`,
      ],
      [
        ["--summary-export", FULL],
        `could not write the summary to '${FULL}': no space left on device`,
      ],
      [
        ["--console-output", FULL],
        `could not write the console output to '${FULL}': no space left on device`,
      ],
    ] as const
  ) {
    it(`${flags.join(" ")}: exit 255, the file named`, async () => {
      const { code, stderr } = await run(flags);
      assert.equal(code, 255, stderr);
      assert.ok(stderr.includes(message), stderr);
    });
  }

  it("keeps the exit code of crossed thresholds", async () => {
    const { code, stderr } = await run(["--out", `json=${FULL}`], {
      FAIL_THRESHOLD: "1",
    });
    assert.equal(code, 99, stderr);
    assert.match(stderr, /could not write '\/dev\/full'/);
  });
});

describe("files whose folder is removed during the run", () => {
  it("exit 255, each file named", async () => {
    const folder = dir.file("removed");
    mkdirSync(folder);
    const json = join(folder, "out.json");
    const csv = join(folder, "out.csv");
    const summary = join(folder, "summary.json");
    const cli = startCli([
      "run",
      "--no-color",
      "-e",
      `URL=${suite.server.url}`,
      "-e",
      "DURATION=3s",
      "--out",
      `json=${json}`,
      "--out",
      `csv=${csv}`,
      "--summary-export",
      summary,
      SCRIPT,
    ]);
    await cli.waitFor(/msg=iteration/);
    rmSync(folder, { recursive: true });
    const { code, stderr } = await cli.done;
    assert.equal(code, 255, stderr);
    for (const file of [json, csv]) {
      assert.ok(
        stderr.includes(
          `could not write '${file}': the file (or its folder) was removed during the run`,
        ),
        stderr,
      );
    }
    assert.ok(
      stderr.includes(
        `could not write the summary to '${summary}': no such file or directory`,
      ),
      stderr,
    );
  });
});

it("a run whose files are all written exits 0", async () => {
  const { code, stderr } = await run([
    "--out",
    `json=${dir.file("ok.json")}`,
    "--summary-export",
    dir.file("ok-summary.json"),
  ]);
  assert.equal(code, 0, stderr);
});
