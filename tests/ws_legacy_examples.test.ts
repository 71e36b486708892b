import assert from "node:assert/strict";
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { Context, DEFAULT_OPTIONS } from "../context/context.ts";
import type { Sample } from "../metrics/sample.ts";
import { startServer, type TestServer } from "../server/mod.ts";
import * as legacy from "../ws_legacy/mod.ts";

// The examples are k6 scripts: they import `k6/ws` and `k6` and read
// `__ENV`. This loader copies one into a temporary directory with those
// specifiers pointing at small shim modules, which hand over wsload's
// `ws_legacy` module and a `check` that records its results.

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
process.on("unhandledRejection", onUnhandled);

const WS_KEY = Symbol.for("wsload.tests.legacyExamples.k6/ws");
const K6_KEY = Symbol.for("wsload.tests.legacyExamples.k6");
const globals = globalThis as unknown as Record<string | symbol, unknown>;

// From tests/ (source) or npm/esm/tests/ (compiled by the npm build).
const CANDIDATES = ["../examples/", "../../../examples/"];

function exampleSource(name: string): string {
  const directory = CANDIDATES.map((path) => new URL(path, import.meta.url))
    .find((url) => existsSync(new URL(name, url)));
  assert.ok(directory, `example ${name} not found`);
  return readFileSync(new URL(name, directory), "utf8");
}

/** What one run of an example produced. */
interface ExampleRun {
  readonly logs: string[];
  readonly checks: { name: string; passed: boolean }[];
  readonly samples: Sample[];
  readonly errors: unknown[];
}

let scratch: string;
let loads = 0;

/** Runs an example's default function once with these `__ENV` values. */
async function runExample(
  name: string,
  env: Record<string, string>,
): Promise<ExampleRun> {
  const run: ExampleRun = { logs: [], checks: [], samples: [], errors: [] };
  const source = exampleSource(name)
    .replace(/from\s+(["'])k6\/ws\1/g, 'from "./k6_ws.mjs"')
    .replace(/from\s+(["'])k6\1/g, 'from "./k6.mjs"');
  assert.ok(source.includes("./k6_ws.mjs"), `${name} imports k6/ws`);
  const file = join(scratch, `${name.replace(/\.js$/, "")}_${loads++}.mjs`);
  writeFileSync(file, source);
  const check = (value: unknown, checks: Record<string, unknown>) => {
    let all = true;
    for (const [checkName, test] of Object.entries(checks)) {
      const passed = Boolean(
        typeof test === "function" ? test(value) : test,
      );
      run.checks.push({ name: checkName, passed });
      all &&= passed;
    }
    return all;
  };
  const context = new Context({
    options: { ...DEFAULT_OPTIONS, userAgent: "TestUserAgent" },
    sink: (sample) => run.samples.push(sample),
    onError: (error) => run.errors.push(error),
  });
  const log = console.log;
  globals[WS_KEY] = legacy;
  globals[K6_KEY] = { check };
  globals.__ENV = env;
  console.log = (...args: unknown[]) => run.logs.push(args.join(" "));
  try {
    const script = await import(pathToFileURL(file).href);
    await context.run(() => script.default());
    await context.pending.idle();
  } finally {
    console.log = log;
    delete globals.__ENV;
    delete globals[WS_KEY];
    delete globals[K6_KEY];
  }
  return run;
}

function count(run: ExampleRun, metric: string): number {
  return run.samples.filter((sample) => sample.metric.name === metric).length;
}

describe("examples/legacy_*.js", () => {
  let server: TestServer;

  before(async () => {
    server = await startServer();
    scratch = mkdtempSync(join(tmpdir(), "wsload-legacy-examples-"));
    // Shims look the modules up at call time: each run installs its own.
    const lookup = (key: symbol) =>
      `globalThis[Symbol.for(${JSON.stringify(key.description)})]`;
    writeFileSync(
      join(scratch, "k6_ws.mjs"),
      `export const connect = (...args) => ${lookup(WS_KEY)}.connect(...args);
export default { connect };
`,
    );
    writeFileSync(
      join(scratch, "k6.mjs"),
      `export const check = (...args) => ${lookup(K6_KEY)}.check(...args);
`,
    );
  });

  after(async () => {
    await server.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("legacy_timers.js pings on an interval and closes on a timeout", async () => {
    const run = await runExample("legacy_timers.js", {
      WS_URL: `${server.url}/echo`,
      PING_EVERY_MS: "100",
      CLOSE_AFTER_MS: "350",
    });
    const pings =
      run.logs.filter((line) =>
        line === "Pinging every 1sec (setInterval test)"
      ).length;
    const pongs = run.logs.filter((line) => line === "PONG!").length;
    assert.equal(run.logs[0], "connected");
    assert.ok(pings >= 2, `${pings} pings`);
    assert.ok(pongs >= pings - 1 && pongs <= pings, `${pongs} pongs`);
    assert.equal(count(run, "ws_ping"), pongs);
    assert.deepEqual(run.logs.slice(-2), [
      "2 seconds passed, closing the socket",
      "disconnected",
    ]);
    assert.deepEqual(run.checks, [{ name: "status is 101", passed: true }]);
    const [session] = run.samples.filter((s) =>
      s.metric.name === "ws_sessions"
    );
    assert.equal(session.tags.my_tag, "hello");
    assert.deepEqual(run.errors, []);
  });

  it("legacy_handlers.js runs both pong handlers, in order", async () => {
    const run = await runExample("legacy_handlers.js", {
      WS_URL: `${server.url}/echo`,
      PING_EVERY_MS: "100",
      CLOSE_AFTER_MS: "350",
    });
    const pongLines = run.logs.filter((line) => line.endsWith("PONG!"));
    assert.ok(pongLines.length >= 2, run.logs.join("\n"));
    for (let i = 0; i < pongLines.length; i += 2) {
      assert.deepEqual(pongLines.slice(i, i + 2), ["PONG!", "OTHER PONG!"]);
    }
    assert.equal(count(run, "ws_ping"), pongLines.length / 2);
    assert.equal(count(run, "ws_msgs_sent"), 1);
    assert.ok(
      !run.logs.some((line) => line.startsWith("An unexpected error")),
      run.logs.join("\n"),
    );
    assert.equal(run.logs.at(-1), "disconnected");
    assert.deepEqual(run.checks, [{ name: "status is 101", passed: true }]);
  });

  it("legacy_errors.js ignores websocket: close sent", async () => {
    const run = await runExample("legacy_errors.js", {
      WS_URL: `${server.url}/echo`,
    });
    assert.deepEqual(run.logs, []);
    // The send after close failed, and is counted all the same (as k6).
    assert.equal(count(run, "ws_msgs_sent"), 1);
    assert.deepEqual(run.checks, [{ name: "status is 101", passed: true }]);
  });

  it("legacy_errors.js fails its check when the dial fails", async () => {
    const listener = net.createServer();
    await new Promise<void>((resolve) =>
      listener.listen(0, "127.0.0.1", () => resolve())
    );
    const { port } = listener.address() as net.AddressInfo;
    await new Promise((resolve) => listener.close(resolve));
    const run = await runExample("legacy_errors.js", {
      WS_URL: `ws://127.0.0.1:${port}/`,
    });
    assert.deepEqual(run.logs, []);
    assert.deepEqual(run.checks, [{ name: "status is 101", passed: false }]);
    assert.equal(count(run, "ws_sessions"), 1);
    assert.deepEqual(run.errors, []);
  });

  it("never leaves an unhandled rejection", async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    process.off("unhandledRejection", onUnhandled);
    assert.deepEqual(unhandled, []);
  });
});
