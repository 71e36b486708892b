// The WebSocket examples of the k6 documentation, run by `wsload run` with
// their imports unchanged (tests/scripts/docs_*.js; each file names its
// page). Only the server URL differs: it comes from __ENV.WS_URL, pointing at
// the embedded server. Each URL carries `?example=<script>` so the server's
// request log tells the examples apart. The pages websocket/_index.md and
// k6-ws/socket/_index.md are left out: their code is that of
// websocket-onopen.md and socket-on.md.
//
// The runs are started together (a few at a time) before the tests, which
// then check one run each: the whole set takes about as long as its longest
// example (examples/websockets.md, 7-10 s).
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { before, describe, it } from "node:test";
import {
  assertExit,
  type CliResult,
  consoleMessages,
  readJSON,
  runCli,
  runInTurns,
  scriptPath,
  useServer,
  useTempDir,
} from "./_cli.ts";

interface Example {
  /** The script in tests/scripts/, without `.js`. */
  readonly script: string;
  /** The server path the example talks to. */
  readonly path: string;
  /**
   * The example never closes its socket (as on the k6 page): it runs as one
   * 2 s constant-vus scenario with gracefulStop 0s, and its iteration is
   * interrupted at the end, closing the socket.
   */
  readonly endless?: boolean;
}

const ECHO = "/echo"; // like echo.websocket.org: a greeting, then echoes
const EXAMPLES: readonly Example[] = [
  { script: "docs_examples_websockets", path: "/ws-echo-multi" },
  { script: "docs_websockets_chat", path: "/chat/docs" },
  { script: "docs_websockets_params", path: ECHO },
  { script: "docs_websocket_addeventlistener", path: ECHO },
  { script: "docs_websocket_close", path: ECHO },
  { script: "docs_websocket_onclose", path: ECHO },
  // The page shows the error listener: its socket must fail to open.
  { script: "docs_websocket_onerror", path: "/status/404" },
  { script: "docs_websocket_onmessage", path: ECHO },
  { script: "docs_websocket_onopen", path: ECHO },
  { script: "docs_websocket_onping", path: "/ws-server-ping" },
  { script: "docs_websocket_onpong", path: ECHO },
  { script: "docs_websocket_ping", path: ECHO },
  { script: "docs_websocket_send", path: ECHO },
  { script: "docs_ws_connect", path: ECHO },
  { script: "docs_ws_params", path: ECHO },
  { script: "docs_ws_socket_close", path: ECHO },
  { script: "docs_ws_socket_on", path: ECHO },
  { script: "docs_ws_socket_ping", path: ECHO, endless: true },
  { script: "docs_ws_socket_send", path: ECHO, endless: true },
  {
    script: "docs_ws_socket_sendbinary",
    path: "/ws-echo-multi",
    endless: true,
  },
  { script: "docs_ws_socket_setinterval", path: ECHO, endless: true },
  { script: "docs_ws_socket_settimeout", path: ECHO },
  // The same page with explicit awaits: scripts that await keep working.
  { script: "docs_ws_socket_settimeout_await", path: ECHO },
  { script: "docs_protocols_websockets_1", path: ECHO, endless: true },
  { script: "docs_protocols_websockets_2", path: ECHO, endless: true },
  { script: "docs_protocols_websockets_3", path: ECHO, endless: true },
  { script: "docs_protocols_websockets_4", path: ECHO },
  { script: "docs_protocols_websockets_5", path: ECHO },
];
const PARALLEL_RUNS = 5;

/** What one example's run left behind. */
interface ExampleRun {
  readonly result: CliResult;
  readonly logs: string[];
  readonly metrics: Record<string, Record<string, number>>;
}

describe("k6 documentation examples under wsload run", () => {
  const folder = useTempDir();
  const served = useServer();
  let runs = new Map<string, Promise<ExampleRun>>();

  before(() => {
    const interruptConfig = folder.file("interrupt_after_2s.json");
    writeFileSync(
      interruptConfig,
      JSON.stringify({
        scenarios: {
          default: {
            executor: "constant-vus",
            vus: 1,
            duration: "2s",
            gracefulStop: "0s",
          },
        },
      }),
    );
    const start = async (example: Example): Promise<ExampleRun> => {
      const exportPath = folder.file(`${example.script}.json`);
      const result = await runCli([
        "run",
        "-q",
        "--summary-trend-stats",
        "avg,min,max,count",
        "--summary-export",
        exportPath,
        ...(example.endless ? ["--config", interruptConfig] : []),
        scriptPath(`${example.script}.js`),
      ], {
        env: {
          WS_URL: served.url(`${example.path}?example=${example.script}`),
        },
      });
      let metrics = {};
      try {
        metrics = readJSON(exportPath).metrics as ExampleRun["metrics"];
      } catch {
        // No export: the exit-code assertion shows the run's output.
      }
      return { result, logs: consoleMessages(result.stderr), metrics };
    };
    runs = runInTurns(
      EXAMPLES.map((example) => [example.script, () => start(example)]),
      PARALLEL_RUNS,
    );
  });

  async function ran(script: string): Promise<ExampleRun> {
    const run = await runs.get(script)!;
    assertExit(run.result, 0);
    assert.doesNotMatch(run.result.stderr, /level=error/);
    return run;
  }

  function count(run: ExampleRun, metric: string): number {
    return run.metrics[metric]?.count ?? 0;
  }

  function assertSessions(run: ExampleRun, sessions: number): void {
    assert.equal(
      count(run, "ws_sessions"),
      sessions,
      JSON.stringify(run.metrics),
    );
    assert.ok(run.metrics.ws_connecting?.avg > 0, "ws_connecting recorded");
  }

  function assertChecksPassed(run: ExampleRun, passes: number): void {
    assert.equal(
      run.metrics.checks?.passes,
      passes,
      JSON.stringify(run.metrics),
    );
    assert.equal(run.metrics.checks?.fails, 0);
  }

  // `expected` must appear in `logs` in this order (other lines may come between).
  function assertInOrder(logs: string[], expected: (string | RegExp)[]): void {
    let at = 0;
    for (const line of expected) {
      const found = logs.findIndex((log, index) =>
        index >= at &&
        (typeof line === "string" ? log === line : line.test(log))
      );
      assert.ok(
        found >= 0,
        `${line} not logged in order in:\n${logs.join("\n")}`,
      );
      at = found + 1;
    }
  }

  function requestOf(script: string) {
    return served.server.requests.find((request) =>
      request.target.endsWith(`?example=${script}`)
    );
  }

  function messagesOf(script: string) {
    const request = requestOf(script);
    assert.ok(request, `no request from ${script}`);
    return served.server.messages.filter((message) =>
      message.path === request.path
    );
  }

  describe("k6/ws", () => {
    it("examples/websockets.md: 10 VUs chat, check, sleep(1) after the session", async () => {
      const run = await ran("docs_examples_websockets");
      assertSessions(run, 10);
      assertChecksPassed(run, 10);
      assert.equal(count(run, "iterations"), 10);
      for (let vu = 1; vu <= 10; vu++) {
        assertInOrder(run.logs, [
          `VU ${vu}: connected`,
          `VU ${vu} received message: Hello!`,
          /passed, leaving the website$/,
          `VU ${vu}: disconnected`,
        ]);
      }
      assert.ok(count(run, "ws_msgs_sent") >= 20);
      assert.ok(count(run, "ws_msgs_received") >= 20);
      // A session lasts 6-9 s (3-6 s, then 3 s to the close), then sleep(1).
      assert.ok(
        run.metrics.iteration_duration.min >= 6900,
        JSON.stringify(run.metrics.iteration_duration),
      );
    });

    it("connect.md: opens and closes", async () => {
      const run = await ran("docs_ws_connect");
      assertSessions(run, 1);
      assert.deepEqual(run.logs, ["WebSocket connection established!"]);
      assert.equal(count(run, "iterations"), 1);
    });

    it("params.md: sends the header", async () => {
      const run = await ran("docs_ws_params");
      assertSessions(run, 1);
      assert.deepEqual(run.logs, ["WebSocket connection established!"]);
      assert.equal(
        requestOf("docs_ws_params")?.headers["x-myheader"],
        "k6test",
      );
    });

    it("socket-close.md: closes on open", async () => {
      const run = await ran("docs_ws_socket_close");
      assertSessions(run, 1);
      assert.equal(count(run, "iterations"), 1);
    });

    it("socket-on.md: handlers, pings every second, closes after 2 s", async () => {
      const run = await ran("docs_ws_socket_on");
      assertSessions(run, 1);
      assertChecksPassed(run, 1);
      assertInOrder(run.logs, [
        "connected",
        /^Received message: /,
        "Pinging every 1sec (setInterval test)",
        "PONG!",
        "OTHER PONG!",
        "2 seconds passed, closing the socket",
        "disconnected",
      ]);
      assert.equal(count(run, "ws_msgs_sent"), 1);
      assert.ok(count(run, "ws_msgs_received") >= 1);
      assert.ok(run.metrics.ws_ping?.count >= 1);
    });

    it("socket-ping.md: gets its pong; closed when the scenario ends", async () => {
      const run = await ran("docs_ws_socket_ping");
      assertSessions(run, 1);
      assert.deepEqual(run.logs, ["connection is alive"]);
      assert.equal(run.metrics.ws_ping?.count, 1);
      assert.equal(count(run, "iterations"), 0); // interrupted
    });

    it("socket-send.md: the server gets both messages", async () => {
      const run = await ran("docs_ws_socket_send");
      assertSessions(run, 1);
      assert.equal(count(run, "ws_msgs_sent"), 2);
      assert.deepEqual(
        messagesOf("docs_ws_socket_send").map((message) => message.data)
          .filter((data) =>
            data === "my-message" || data === '{"data":"hola"}'
          ),
        ["my-message", '{"data":"hola"}'],
      );
    });

    it("socket-sendbinary.md: sends open('./file.pdf', 'b'), gets it back", async () => {
      const run = await ran("docs_ws_socket_sendbinary");
      assertSessions(run, 1);
      assert.equal(count(run, "ws_msgs_sent"), 1);
      assert.equal(count(run, "ws_msgs_received"), 1);
      const file = readFileSync(scriptPath("file.pdf"));
      const sent = messagesOf("docs_ws_socket_sendbinary").flatMap((message) =>
        message.data instanceof Uint8Array
          ? [Uint8Array.from(message.data)]
          : []
      );
      assert.deepEqual(sent, [Uint8Array.from(file)]);
    });

    it("socket-setinterval.md: pings every second until the scenario ends", async () => {
      const run = await ran("docs_ws_socket_setinterval");
      assertSessions(run, 1);
      assertInOrder(run.logs, [
        "connected",
        "Pinging every 1sec (setInterval test)",
        "PONG!",
      ]);
      assert.ok(run.metrics.ws_ping?.count >= 1);
    });

    for (
      const [script, style] of [
        ["docs_ws_socket_settimeout", "unchanged"],
        ["docs_ws_socket_settimeout_await", "with explicit awaits"],
      ]
    ) {
      it(`socket-settimeout.md (${style}): timers, then connect returns at T0+2, sleep(2), as in k6`, async () => {
        // k6 v0.48.0 logs these lines in this order; iteration 4.0 s.
        const run = await ran(script);
        assertSessions(run, 1);
        assert.deepEqual(run.logs, [
          "T0: Script started",
          "T0: Entered WebSockets run loop",
          "T0+1: This is printed",
          "T0+2: Closing socket",
          "T0+2: Exited WebSockets run loop",
          "T0+4: Script finished",
        ]);
        assert.ok(
          run.metrics.ws_session_duration.min >= 1900,
          JSON.stringify(run.metrics.ws_session_duration),
        );
        assert.ok(
          run.metrics.iteration_duration.min >= 3900 &&
            run.metrics.iteration_duration.max <= 4400,
          JSON.stringify(run.metrics.iteration_duration),
        );
      });
    }

    describe("using-k6/protocols/websockets.md", () => {
      it("block 1: logs the greeting; the close handler runs when the scenario ends", async () => {
        const run = await ran("docs_protocols_websockets_1");
        assertSessions(run, 1);
        assertInOrder(run.logs, [
          "connected",
          /^Message received: {2}Request served by /,
          "disconnected",
        ]);
        assert.equal(count(run, "ws_msgs_received"), 1);
      });

      it("block 2: error handler only; no error", async () => {
        const run = await ran("docs_protocols_websockets_2");
        assertSessions(run, 1);
        assert.deepEqual(run.logs, []);
      });

      it("block 3: pings until the scenario ends, then the close handler", async () => {
        const run = await ran("docs_protocols_websockets_3");
        assertSessions(run, 1);
        assertInOrder(run.logs, [
          "connected",
          "Pinging every 1sec (setInterval test)",
          "PONG!",
          "disconnected",
        ]);
      });

      it("block 4: closes after 2 s; the check passes", async () => {
        const run = await ran("docs_protocols_websockets_4");
        assertSessions(run, 1);
        assertChecksPassed(run, 1);
        assert.deepEqual(run.logs, [
          "connected",
          "2 seconds passed, closing the socket",
          "disconnected",
        ]);
      });

      it("block 5: pings, two pong handlers, closes after 2 s", async () => {
        const run = await ran("docs_protocols_websockets_5");
        assertSessions(run, 1);
        assertChecksPassed(run, 1);
        assertInOrder(run.logs, [
          "connected",
          "Pinging every 1sec (setInterval test)",
          "PONG!",
          "OTHER PONG!",
          "2 seconds passed, closing the socket",
          "disconnected",
        ]);
        assert.equal(count(run, "ws_msgs_sent"), 1);
      });
    });
  });

  describe("k6/websockets", () => {
    it("_index.md: four chat sockets per VU leave after the session", async () => {
      const run = await ran("docs_websockets_chat");
      assertSessions(run, 4);
      for (let id = 0; id < 4; id++) {
        assertInOrder(run.logs, [
          new RegExp(`^VU 1:${id}: \\d+ms passed, leaving the chat$`),
          `VU 1:${id}: disconnected`,
        ]);
      }
      // SET_NAME and LEAVE per socket; every socket hears the others.
      assert.ok(count(run, "ws_msgs_sent") >= 8);
      assert.ok(count(run, "ws_msgs_received") >= 16);
      assert.equal(count(run, "iterations"), 1);
    });

    it("params.md: sends the header", async () => {
      const run = await ran("docs_websockets_params");
      assertSessions(run, 1);
      assert.deepEqual(run.logs, ["WebSocket connection established!"]);
      assert.equal(
        requestOf("docs_websockets_params")?.headers["x-myheader"],
        "k6test",
      );
    });

    it("websocket-addeventlistener.md: both message handlers run", async () => {
      const run = await ran("docs_websocket_addeventlistener");
      assertSessions(run, 1);
      assert.deepEqual(run.logs, [
        "connected",
        "onmessage event handler!",
        "addEventListener event handler!",
      ]);
      assert.ok(count(run, "ws_msgs_sent") >= 1);
      assert.equal(count(run, "ws_msgs_received"), 1);
    });

    it("websocket-close.md: closes on open", async () => {
      const run = await ran("docs_websocket_close");
      assertSessions(run, 1);
      assert.deepEqual(run.logs, ["connection closed"]);
      assert.equal(count(run, "iterations"), 1);
    });

    it("websocket-onclose.md: the close handler runs", async () => {
      const run = await ran("docs_websocket_onclose");
      assertSessions(run, 1);
      assert.deepEqual(run.logs, [
        "WebSocket connection established!",
        "WebSocket connection closed!",
      ]);
    });

    it("websocket-onerror.md: the error handler runs on a failed handshake", async () => {
      const run = await ran("docs_websocket_onerror");
      assertSessions(run, 1);
      assert.equal(run.logs.length, 1);
      assert.equal(count(run, "iterations"), 1);
    });

    it("websocket-onmessage.md: gets the greeting, closes", async () => {
      const run = await ran("docs_websocket_onmessage");
      assertSessions(run, 1);
      assert.equal(run.logs[0], "a message received");
      assert.equal(count(run, "ws_msgs_received"), 1);
    });

    it("websocket-onopen.md: opens and closes", async () => {
      const run = await ran("docs_websocket_onopen");
      assertSessions(run, 1);
      assert.deepEqual(run.logs, ["WebSocket connection established!"]);
    });

    it("websocket-onping.md: sees the server's ping, then closes", async () => {
      const run = await ran("docs_websocket_onping");
      assertSessions(run, 1);
      assert.deepEqual(run.logs, [
        "A ping happened!",
        "WebSocket connection closed!",
      ]);
    });

    it("websocket-onpong.md: pings, gets the pong", async () => {
      const run = await ran("docs_websocket_onpong");
      assertSessions(run, 1);
      assert.deepEqual(run.logs, ["A pong happened!"]);
      assert.equal(run.metrics.ws_ping?.count, 1);
    });

    it("websocket-ping.md: pings and closes", async () => {
      const run = await ran("docs_websocket_ping");
      assertSessions(run, 1);
      assert.equal(run.logs[0], "WebSocket connection established!");
      // The ping and the close frame (k6/websockets counts both).
      assert.equal(count(run, "ws_msgs_sent"), 2);
    });

    it("websocket-send.md: the server gets the message", async () => {
      const run = await ran("docs_websocket_send");
      assertSessions(run, 1);
      assert.ok(count(run, "ws_msgs_sent") >= 1);
      assert.ok(
        messagesOf("docs_websocket_send").some((message) =>
          message.data === "lorem ipsum"
        ),
      );
    });
  });
});
