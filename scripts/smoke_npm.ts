/**
 * The npm package tried as a new Node user would: `npm pack` the build in
 * `npm/`, check what the tarball holds (publint, attw, no tests or sources),
 * `npm install` it into an empty folder, then
 *
 * - the `wsload` bin starts the embedded server (`wsload serve`),
 * - `import { WebSocket } from "wsload"` pings it and gets a pong,
 * - `import ws from "wsload/ws"` runs a legacy connect and gets 101,
 * - `npx wsload run script.js` runs a k6 script against it (exit 0).
 *
 * Run after `deno task build:npm`; `deno task test` runs it as its last
 * suite. Alone: `deno run -A scripts/smoke_npm.ts`.
 *
 * @module
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Totals } from "./_junit.ts";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

function sh(
  command: string,
  args: string[],
  cwd: string,
): { status: number; output: string; stdout: string } {
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    shell: process.platform === "win32",
  });
  return {
    status: result.status ?? 1,
    output: `${result.stdout ?? ""}${result.stderr ?? ""}`,
    stdout: result.stdout ?? "",
  };
}

function waitForLine(
  child: ChildProcess,
  pattern: RegExp,
  timeoutMs: number,
): Promise<RegExpMatchArray> {
  return new Promise((resolvePromise, reject) => {
    let seen = "";
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${pattern}: ${seen}`)),
      timeoutMs,
    );
    child.stdout?.on("data", (chunk) => {
      seen += String(chunk);
      const match = pattern.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolvePromise(match);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ${pattern}: ${seen}`));
    });
  });
}

/**
 * Runs the smoke test.
 *
 * @returns One test per step.
 */
export async function smokeTestNpmPackage(): Promise<Totals> {
  const totals: Totals = { passed: 0, failed: 0, failures: [] };
  const record = (name: string, ok: boolean, detail = "") => {
    console.log(
      `${ok ? "ok  " : "FAIL"} npm package: ${name}${
        ok || !detail ? "" : `\n${detail}`
      }`,
    );
    if (ok) totals.passed++;
    else {
      totals.failed++;
      totals.failures.push(`npm package: ${name}`);
    }
    return ok;
  };
  const packageDir = resolve("npm");
  const work = mkdtempSync(join(tmpdir(), "wsload-smoke-"));
  let server: ChildProcess | undefined;
  try {
    const publint = sh("npx", ["--no-install", "publint", packageDir], ".");
    record(
      "publint",
      publint.status === 0 && /All good/.test(publint.output),
      publint.output,
    );
    const attw = sh("npx", [
      "--no-install",
      "attw",
      "--pack",
      packageDir,
      "--profile",
      "esm-only",
    ], ".");
    record("attw --profile esm-only", attw.status === 0, attw.output);

    const pack = sh(
      npm,
      ["pack", "--pack-destination", work, "--json"],
      packageDir,
    );
    const tarball = readdirSync(work).find((name) => name.endsWith(".tgz"));
    if (
      !record(
        "npm pack",
        pack.status === 0 && tarball !== undefined,
        pack.output,
      )
    ) return totals;
    const files: string[] = (JSON.parse(pack.stdout)[0].files as {
      path: string;
    }[])
      .map((file) => file.path);
    const stray = files.filter((path) =>
      path.includes("/tests/") ||
      (path.endsWith(".ts") && !path.endsWith(".d.ts")) || /_deno\./.test(path)
    );
    record(
      "tarball has no tests, sources or Deno-only files",
      stray.length === 0,
      stray.join("\n"),
    );

    const consumer = join(work, "consumer");
    mkdirSync(consumer);
    writeFileSync(
      join(consumer, "package.json"),
      JSON.stringify({ name: "consumer", private: true, type: "module" }),
    );
    const install = sh(npm, [
      "install",
      "--no-audit",
      "--no-fund",
      join(work, tarball!),
    ], consumer);
    if (
      !record(
        "npm install wsload-<version>.tgz",
        install.status === 0,
        install.output,
      )
    ) return totals;

    // The bin itself, not through npx: killing npx would leave its child running.
    server = spawn(
      "node",
      [
        join(consumer, "node_modules", ".bin", "wsload"),
        "serve",
        "--port",
        "0",
      ],
      { cwd: consumer, stdio: ["ignore", "pipe", "pipe"] },
    );
    let url: string;
    try {
      url =
        (await waitForLine(server, /echo: (ws:\/\/[^\s]+)\/echo/, 30_000))[1];
      record("wsload serve (the package's bin under Node)", true);
    } catch (error) {
      record(
        "wsload serve (the package's bin under Node)",
        false,
        String(error),
      );
      return totals;
    }

    writeFileSync(
      join(consumer, "ping.mjs"),
      `import { WebSocket } from "wsload";
const ws = new WebSocket(process.argv[2] + "/ws-echo-multi");
ws.onopen = () => ws.ping();
ws.onpong = () => { console.log("pong"); ws.close(); };
ws.onerror = (e) => console.log("error", e.error);
`,
    );
    const ping = sh("node", ["ping.mjs", url], consumer);
    record(
      'import { WebSocket } from "wsload": ping gets a pong',
      ping.status === 0 && ping.output.trim() === "pong",
      ping.output,
    );

    writeFileSync(
      join(consumer, "legacy.mjs"),
      `import ws from "wsload/ws";
const response = await ws.connect(process.argv[2] + "/ws-echo", null, (socket) => {
  socket.on("open", () => socket.send("hello"));
  socket.on("message", (data) => { console.log(data); socket.close(); });
});
console.log(response.status);
`,
    );
    const legacy = sh("node", ["legacy.mjs", url], consumer);
    record(
      'import ws from "wsload/ws": connect gets 101',
      legacy.status === 0 && legacy.output.trim() === "hello\n101",
      legacy.output,
    );

    writeFileSync(
      join(consumer, "script.js"),
      `import { check } from "k6";
import { WebSocket } from "k6/websockets";
export const options = { iterations: 2, thresholds: { checks: ["rate==1"] } };
export default function () {
  const ws = new WebSocket(__ENV.WS_URL + "/ws-echo");
  ws.onopen = () => ws.send("hi");
  ws.onmessage = (e) => { check(e.data, { "echoed": (d) => d === "hi" }); ws.close(); };
}
`,
    );
    const run = sh("npx", [
      "--no-install",
      "wsload",
      "run",
      "-q",
      "-e",
      `WS_URL=${url}`,
      "script.js",
    ], consumer);
    record(
      "npx wsload run script.js",
      run.status === 0 && /✓ echoed/.test(run.output) &&
        /ws_msgs_received/.test(run.output),
      run.output,
    );
  } finally {
    if (server && server.exitCode === null) {
      const exited = new Promise((done) => server!.on("exit", done));
      server.kill("SIGINT");
      await Promise.race([
        exited,
        new Promise((done) => setTimeout(done, 5000)),
      ]);
      server.kill("SIGKILL");
    }
    rmSync(work, { recursive: true, force: true });
  }
  return totals;
}

if (import.meta.main) {
  const totals = await smokeTestNpmPackage();
  console.log(`${totals.passed} passed, ${totals.failed} failed`);
  process.exit(totals.failed === 0 ? 0 : 1);
}
