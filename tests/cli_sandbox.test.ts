// The sandbox of `wsload run`: script code may use the network and read
// its own files, nothing else — enforced by the runtime's permissions in
// the worker processes — and every way out fails with a message that says
// why; --no-sandbox gives a trusted script everything back.
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import process from "node:process";
import { before, describe, it } from "node:test";
import {
  assertExit,
  type CliResult,
  consoleMessages,
  logEntries,
  runCli,
  scriptPath,
  useTempDir,
} from "./_cli.ts";

const underDeno = process.versions.deno !== undefined;
const ESCAPES = scriptPath("sandbox_escapes.js");
const IMPORT = scriptPath("sandbox_import.js");
const SECRET = "do-not-leak-4711";
const SANDBOX =
  "wsload runs script code in a sandbox that allows the network and reading the script's files; run a trusted script with --no-sandbox to lift it";

const dir = useTempDir();
before(() => writeFileSync(dir.file("outside.txt"), "outside the folder\n"));

function run(args: readonly string[], script: string): Promise<CliResult> {
  return runCli([
    "run",
    "-q",
    "--no-color",
    "--no-include-system-env-vars",
    "-e",
    `OUTSIDE=${dir.file("outside.txt")}`,
    "-e",
    `WRITE_TO=${dir.file("written.txt")}`,
    ...args,
    script,
  ], { env: { WSLOAD_TEST_SECRET: SECRET } });
}

// The script errors of a run, by scenario.
function errors(result: CliResult): Map<string, string> {
  const found = new Map<string, string>();
  for (const entry of logEntries(result.stderr)) {
    if (entry.level === "error" && entry.fields.scenario) {
      found.set(entry.fields.scenario, entry.msg.split("\n")[0]);
    }
  }
  return found;
}

describe("the sandbox", () => {
  it("lets no script escape, and says why", async () => {
    const result = await run([], ESCAPES);
    assertExit(result, 0);
    assert.doesNotMatch(result.stderr, new RegExp(SECRET));
    assert.ok(!existsSync(dir.file("written.txt")), "no file was written");
    const failed = errors(result);
    assert.equal(
      failed.get("env"),
      `ReferenceError: process is not defined: k6 scripts have no Node.js process object, and ${SANDBOX}`,
    );
    assert.equal(
      failed.get("deno"),
      `ReferenceError: Deno is not defined: k6 scripts have no Deno namespace, and ${SANDBOX}`,
    );
    const outside = dir.file("outside.txt");
    const written = dir.file("written.txt");
    if (underDeno) {
      assert.deepEqual(consoleMessages(result.stderr), [
        "refused globalEnv: NotCapable",
      ]);
      assert.equal(
        failed.get("write"),
        `NotCapable: Requires write access to "${written}": ${SANDBOX}`,
      );
      assert.match(failed.get("spawn")!, /^NotCapable: Requires \w+ access/);
      assert.equal(
        failed.get("read"),
        `NotCapable: Requires read access to "${outside}": ${SANDBOX}`,
      );
    } else {
      // Node's permission model leaves the environment alone: the worker
      // has a minimal one, without the run's variables.
      assert.deepEqual(consoleMessages(result.stderr), [
        "escaped globalEnv: undefined",
      ]);
      const denied = (permission: string, resource: string) =>
        `Error: Access to this API has been restricted (${permission} to "${resource}"): ${SANDBOX}`;
      assert.equal(failed.get("write"), denied("FileSystemWrite", written));
      assert.match(
        failed.get("spawn")!,
        /^Error: Access to this API has been restricted.*: wsload runs script code in a sandbox/,
      );
      assert.equal(failed.get("read"), denied("FileSystemRead", outside));
    }
    assert.ok(
      [...failed.values()].every((text) => text.includes(SANDBOX)),
      [...failed.values()].join("\n"),
    );
  });

  it("lets open() read only what the script names, at init", async () => {
    const result = await run(["-e", "INIT_OPEN=1"], ESCAPES);
    assertExit(result, 107);
    const error = logEntries(result.stderr).find((e) => e.level === "error");
    assert.ok(error, result.stderr);
    assert.equal(error.fields.hint, "script exception");
    assert.match(error.msg.split("\n")[0], new RegExp(`: ${SANDBOX}$`));
  });

  it("refuses a node: import at load, naming it", async () => {
    const result = await run([], IMPORT);
    assertExit(result, 107);
    assert.match(
      result.stderr,
      /sandbox_import\.js:3:\d+: cannot import 'node:os', a Node\.js built-in module: scripts may import k6 modules/,
    );
  });

  it("gives a trusted script everything back under --no-sandbox", async () => {
    const result = await run(["--no-sandbox", "-e", "INIT_OPEN=1"], ESCAPES);
    assertExit(result, 0);
    const escaped = consoleMessages(result.stderr).sort();
    assert.deepEqual(
      escaped,
      [
        ...(underDeno ? ["escaped deno: outside the folder"] : []),
        `escaped env: ${SECRET}`,
        `escaped globalEnv: ${SECRET}`,
        "escaped open: outside the folder",
        "escaped read: outside the folder",
        "escaped spawn: started",
        "escaped write: done",
      ].sort(),
    );
    assert.ok(existsSync(dir.file("written.txt")));
    const imported = await run(["--no-sandbox"], IMPORT);
    assertExit(imported, 0);
    assert.deepEqual(consoleMessages(imported.stderr), [
      "escaped import: string",
    ]);
  });
});
