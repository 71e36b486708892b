// Failures are visible in the terminal: failed connections and uncaught
// script errors are logged, the first few in full and the rest as counts;
// a refused connection sends no bytes (data_sent).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import {
  assertExit,
  type CliResult,
  logEntries,
  readJSON,
  runCli,
  scriptPath,
  useTempDir,
} from "./_cli.ts";

// A port nothing listens on: taken from the system, then let go.
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("wsload run: every connection refused", () => {
  const folder = useTempDir();
  let result: CliResult;
  let url: string;
  before(async () => {
    url = `ws://127.0.0.1:${await closedPort()}/echo`;
    result = await runCli([
      "run",
      "-q",
      "--summary-export",
      join(folder.path, "summary.json"),
      "--report",
      join(folder.path, "report.html"),
      scriptPath("refused_connections.js"),
    ], { env: { WS_URL: url } });
  });

  it("logs the first five failed connections in full", () => {
    assertExit(result, 0);
    const failed = logEntries(result.stderr).filter((entry) =>
      entry.msg === "WebSocket connection failed"
    );
    assert.equal(failed.length, 5);
    for (const entry of failed) {
      assert.equal(entry.level, "warning");
      assert.match(entry.fields.error, /connection refused/);
      assert.equal(entry.fields.url, url);
    }
  });

  // The 4 sockets of the iterations that throw are closed by the failure
  // (not refused): 12 + 8 refusals.
  it("counts the rest, so all 20 refusals are accounted for", () => {
    const counted = logEntries(result.stderr)
      .map((entry) =>
        /^(\d+) more WebSocket connection failures? (?:was|were) not logged: (\d+) × (.+)$/
          .exec(entry.msg)
      )
      .filter((match) => match !== null);
    assert.ok(counted.length >= 1, result.stderr);
    const unlogged = counted.reduce((sum, match) => sum + Number(match[1]), 0);
    assert.equal(unlogged, 20 - 5);
    const last = counted.at(-1)!;
    assert.equal(Number(last[2]), 20, "the last count has the total by text");
    assert.match(last[3], /connection refused/);
  });

  it("logs the first five script errors with their stack, then a count", () => {
    const entries = logEntries(result.stderr);
    const errors = entries.filter((entry) =>
      entry.level === "error" && entry.msg.startsWith("Error: boom")
    );
    assert.equal(errors.length, 4, "iterations 8 to 11 threw");
    assert.match(errors[0].msg, /refused_connections\.js:\d+/);
    assert.equal(
      entries.filter((entry) =>
        /more script errors? (?:was|were)/.test(entry.msg)
      )
        .length,
      0,
      "four errors are all logged",
    );
  });

  it("counts no bytes sent", () => {
    const summary = readJSON(join(folder.path, "summary.json")) as {
      metrics: Record<string, { count?: number }>;
    };
    assert.equal(summary.metrics.ws_sessions.count, 24);
    assert.equal(summary.metrics.data_sent?.count ?? 0, 0);
  });
});

describe("wsload run: many script errors", () => {
  it("logs five with their stack and counts the others by message", async () => {
    const result = await runCli(
      ["run", "-q", "-i", "40", scriptPath("iteration_error_always.js")],
    );
    assertExit(result, 0);
    const entries = logEntries(result.stderr);
    const full = entries.filter((entry) => entry.msg.startsWith("Error: "));
    assert.equal(full.length, 5);
    assert.equal(full[0].fields.source, "stacktrace");
    const counts = entries.map((entry) =>
      /^(\d+) more script errors? (?:was|were) not logged: (.+)$/.exec(
        entry.msg,
      )
    ).filter((match) => match !== null);
    assert.equal(
      counts.reduce((sum, match) => sum + Number(match[1]), 0),
      35,
    );
    assert.match(
      counts.at(-1)![2],
      /20 × Error: even iteration; 20 × Error: odd iteration/,
    );
  });
});

describe("the report of a run whose every connection was refused", () => {
  it("lists the failures by text with their counts", async () => {
    const url = `ws://127.0.0.1:${await closedPort()}/echo`;
    const folder = mkdtempSync(join(tmpdir(), "wsload-failures-"));
    try {
      const result = await runCli([
        "run",
        "-q",
        "--report",
        join(folder, "report.html"),
        scriptPath("refused_connections.js"),
      ], { env: { WS_URL: url } });
      assertExit(result, 0);
      const html = readFileSync(join(folder, "report.html"), "utf8");
      const section = /<section id="errors">([\s\S]*?)<\/section>/.exec(html);
      assert.ok(section, "an errors section");
      const rows = [...section[1].matchAll(
        /<tr class="fail"><td class="wrap name">([^<]*)<\/td><td>([^<]*)<\/td><td class="num">(\d+)<\/td><\/tr>/g,
      )].map((match) => [match[1], match[2], Number(match[3])]);
      // Most frequent first: the refusals, then each distinct script error.
      assert.equal(rows.length, 5, section[1]);
      assert.match(String(rows[0][0]), /connection refused/);
      assert.deepEqual(rows[0].slice(1), ["connection failed", 20]);
      assert.deepEqual(
        rows.slice(1),
        [8, 9, 10, 11].map((i) => [
          `Error: boom in iteration ${i}`,
          "script error",
          1,
        ]),
      );
      assert.match(
        section[1],
        /<h2>Errors <span class="totals">· 24<\/span><\/h2>/,
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
