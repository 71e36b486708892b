// A run's sockets against the process's limit on open files. Deno and Node
// raise the soft limit to the hard one at start (neither lets a program
// call setrlimit itself), so a low soft limit costs nothing; a plan with
// more VUs than the hard limit allows is warned about before any VU starts.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { describe, it } from "node:test";
import { runCli, scriptPath, useServer } from "./_cli.ts";

const SKIP = existsSync("/proc/self/limits") && existsSync("/bin/sh")
  ? false
  : "needs Linux (/proc/self/limits) and sh to set the child's ulimit";
const SCRIPT = scriptPath("many_sockets.js");
const WARNING =
  /level=warning msg="this test runs up to 400 VUs, each with at least one socket, but this process may open only 256 files/;

const suite = useServer();

function run(openFiles: { soft: number; hard: number }) {
  return runCli([
    "run",
    "-q",
    "--no-color",
    "-e",
    `URL=${suite.server.url}`,
    "-e",
    "VUS=400",
    SCRIPT,
  ], { openFiles, killAfterMs: 60_000 });
}

describe("open-file limits", { skip: SKIP }, () => {
  it("a soft limit under the sockets is raised to the hard one: all 400 open", async () => {
    const { code, stderr } = await run({ soft: 256, hard: 4096 });
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stderr, /too many open files|may open only/);
  });

  it("a hard limit under the sockets is warned about before the run starts", async () => {
    const { code, stderr } = await run({ soft: 256, hard: 256 });
    assert.match(stderr, WARNING);
    // The warning comes first: before any socket failed.
    const warned = stderr.search(WARNING);
    const failed = stderr.search(/msg="dial tcp/);
    assert.ok(failed === -1 || warned < failed, stderr);
    // And it was right: not every socket opened, with Go's text.
    assert.equal(code, 99, stderr);
    assert.match(
      stderr,
      /msg="dial tcp 127\.0\.0\.1:\d+: socket: too many open files"/,
    );
  });
});
