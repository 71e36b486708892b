/**
 * `deno task demo` / `npm run demo`: the main job of wsload in one command.
 * Starts the embedded chat server in-process, then runs the k6 docs' chat
 * example (examples/chat.js, imports unchanged) through `wsload run` with a
 * few VUs for about ten seconds, and prints k6's end-of-test summary.
 *
 * The example logs every chat line it receives (hundreds in ten seconds);
 * they go to a file (`--console-output`, as in k6), and the demo shows a
 * few of them after the summary.
 *
 * @module
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { main } from "../cli.ts";
import { startServer } from "../server/mod.ts";

const SHOWN_LINES = 6;

const dir = mkdtempSync(join(tmpdir(), "wsload-demo-"));
const consoleFile = join(dir, "console.log");
const server = await startServer({ engine: "node", record: false });
let exitCode = 1;
try {
  exitCode = await main([
    "run",
    "--env",
    `CHAT_URL=${server.url}/ws`,
    "--vus",
    "4",
    "--duration",
    "10s",
    "--console-output",
    consoleFile,
    "examples/chat.js",
  ]);
  const lines = readFileSync(consoleFile, "utf8").split("\n").filter(Boolean);
  // The log lines are logfmt: keep what the script printed.
  const messages = lines.map((line) =>
    /msg="((?:[^"\\]|\\.)*)"/.exec(line)?.[1] ?? line
  );
  // One example of each kind of line, not six copies of the first.
  const kinds = new Map<string, string>();
  for (const message of messages) {
    const kind = message.replace(/VU \d+:\d+/g, "VU").replace(/\d+/g, "N");
    if (!kinds.has(kind)) kinds.set(kind, message.replaceAll('\\"', '"'));
  }
  const shown = [...kinds.values()].slice(0, SHOWN_LINES);
  console.log(
    `The script's console printed ${messages.length} lines (they went to a file with --console-output); ${shown.length} kinds of them:`,
  );
  for (const message of shown) console.log(`  ${message}`);
} finally {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);
