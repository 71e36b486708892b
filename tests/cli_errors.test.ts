// Errors that help: a mistyped flag or command names the closest one,
// option errors name the value and what is allowed (no Go internals),
// `serve` on a busy port says so in one line, Socket.on() with an unknown
// event warns once, and the demo prints a readable amount.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import process from "node:process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { spawn } from "node:child_process";
import {
  assertExit,
  logEntries,
  runCli,
  scriptPath,
  useServer,
} from "./_cli.ts";

const GO_INTERNALS =
  /strconv|envconfig|null\.(Int|Bool|String)|types\.Null|time: /;

describe("wsload: mistyped flags and commands", () => {
  it("suggests the closest flag of run", async () => {
    const result = await runCli(["run", "--vu", "3", "script.js"]);
    assertExit(result, 104);
    assert.equal(
      result.stderr,
      "wsload: unknown flag --vu (did you mean --vus?); see 'wsload run --help'\n",
    );
  });

  it("suggests a flag the input starts", async () => {
    const result = await runCli(["run", "--iter", "3", "script.js"]);
    assertExit(result, 104);
    assert.match(
      result.stderr,
      /unknown flag --iter \(did you mean --iterations\?\)/,
    );
  });

  it("suggests the closest flag of serve", async () => {
    const result = await runCli(["serve", "--prot", "1"]);
    assertExit(result, 104);
    assert.match(
      result.stderr,
      /unknown flag --prot \(did you mean --port\?\)/,
    );
  });

  it("suggests nothing for a flag far from every one", async () => {
    const result = await runCli(["run", "--zzzzzz", "script.js"]);
    assertExit(result, 104);
    assert.equal(
      result.stderr,
      "wsload: unknown flag --zzzzzz; see 'wsload run --help'\n",
    );
  });

  it("suggests the closest command", async () => {
    const result = await runCli(["rn", "script.js"]);
    assertExit(result, 104);
    assert.equal(
      result.stderr,
      'wsload: unknown command "rn" for "wsload" (did you mean run?); commands: run, merge, serve, version, help\n',
    );
  });

  it("says which flag lacks its value", async () => {
    const result = await runCli(["run", "script.js", "--out"]);
    assertExit(result, 104);
    assert.match(
      result.stderr,
      /^wsload: flag -o, --out <value> needs a value;/,
    );
  });
});

describe("wsload run: option errors without Go internals", () => {
  const cases: [string, string[], Record<string, string>, string][] = [
    [
      "-u abc",
      ["-u", "abc"],
      {},
      'invalid argument "abc" for "-u, --vus" flag: "abc" is not an integer',
    ],
    [
      "-d 1000",
      ["-d", "1000"],
      {},
      'invalid argument "1000" for "-d, --duration" flag: missing unit in duration "1000" (e.g. 1000ms or 1000s)',
    ],
    [
      "K6_VUS=x",
      [],
      { K6_VUS: "x" },
      `invalid value 'x' for K6_VUS: "x" is not an integer`,
    ],
    [
      "K6_DURATION=soon",
      [],
      { K6_DURATION: "soon" },
      `invalid value 'soon' for K6_DURATION: invalid duration "soon" (e.g. 30s, 1m30s, 500ms)`,
    ],
  ];
  for (const [name, flags, env, message] of cases) {
    it(`${name}: names the value and what is expected`, async () => {
      const result = await runCli(
        ["run", "-q", ...flags, scriptPath("env_echo.js")],
        { env },
      );
      assertExit(result, 104);
      const errors = logEntries(result.stderr).filter((e) =>
        e.level === "error"
      );
      assert.deepEqual(errors.map((e) => e.msg), [message]);
      assert.doesNotMatch(result.stderr, GO_INTERNALS);
    });
  }
});

describe("wsload serve: a busy port", () => {
  it("says so in one line and exits 1", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) =>
      blocker.listen(0, "127.0.0.1", resolve)
    );
    const { port } = blocker.address() as { port: number };
    try {
      const result = await runCli(["serve", "--port", String(port)]);
      assertExit(result, 1);
      assert.equal(
        result.stderr,
        `wsload serve: port ${port} on 127.0.0.1 is already in use; stop the program using it or pick another port with --port (0 picks a free one)\n`,
      );
      assert.equal(result.stdout, "");
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe("k6/ws: Socket.on() with an unknown event", () => {
  const server = useServer();

  it("warns once per run, naming the events there are", async () => {
    const result = await runCli(
      ["run", "-q", scriptPath("unknown_socket_event.js")],
      { env: { WS_URL: server.url("/ws-echo") } },
    );
    assertExit(result, 0);
    const warnings = logEntries(result.stderr).filter((e) =>
      e.level === "warning"
    );
    assert.equal(warnings.length, 1, result.stderr);
    assert.match(
      result.stderr,
      /msg="Socket\.on\(\): no socket fires an event named \\"mesage\\", so its handler never runs; the events are open, message, binaryMessage, ping, pong, close, error"/,
    );
  });
});

describe("the demo", () => {
  const underDeno = process.versions.deno !== undefined;
  it("prints the summary and a few console lines, not hundreds", {
    skip: underDeno
      ? false
      : "the demo is a Deno task of the repository (scripts/ is not in the npm build)",
    timeout: 60_000,
  }, async () => {
    const demo = fileURLToPath(new URL("../scripts/demo.ts", import.meta.url));
    const root = fileURLToPath(new URL("../", import.meta.url));
    const child = spawn(process.execPath, ["run", "-A", demo], {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => stdout += chunk);
    child.stderr.setEncoding("utf8").on("data", (chunk) => stderr += chunk);
    const code = await new Promise((resolve) => child.on("close", resolve));
    assert.equal(code, 0, stderr);
    assert.match(stdout, /ws_msgs_received\.+: \d+/);
    const printed = /The script's console printed (\d+) lines/.exec(stdout);
    assert.ok(printed, stdout);
    assert.ok(Number(printed[1]) > 100, "the chat example is chatty");
    const chatLines = stdout.split("\n").filter((line) =>
      /VU \d+:\d+/.test(line)
    );
    assert.ok(
      chatLines.length > 0 && chatLines.length <= 6,
      chatLines.join("\n"),
    );
    assert.equal(
      stderr.split("\n").filter((l) => /VU \d+:\d+/.test(l)).length,
      0,
    );
  });
});

describe("wsload run: what it does not support is warned about", () => {
  it("names unsupported K6_* variables and k6 outputs, and runs", async () => {
    const result = await runCli(
      ["run", "-q", "--out", "statsd", scriptPath("env_echo.js")],
      { env: { K6_VU: "3", K6_DNS: "ttl=1m", K6_VUS: "1" } },
    );
    assertExit(result, 0);
    const warnings = logEntries(result.stderr)
      .filter((entry) => entry.level === "warning")
      .map((entry) => entry.msg);
    assert.deepEqual(warnings, [
      "the environment variable K6_DNS is not supported by wsload and is ignored",
      "the environment variable K6_VU is not supported by wsload and is ignored (did you mean K6_VUS?)",
      "the 'statsd' output of k6 is not supported by wsload and is ignored (no samples are sent to it); wsload's outputs are: csv, experimental-prometheus-rw, influxdb, json, state, web-dashboard",
    ]);
  });
});
