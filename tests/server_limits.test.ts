// `wsload serve` (and the embedded server under it) against clients that
// try to exhaust it: one that never reads, one that reads too late, a chat
// member that never reads, slowloris request heads, oversized messages and
// a relay partner that never comes. The server process's memory and file
// descriptors are read from /proc while it happens.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";
import {
  DEFAULT_SERVER_LIMITS,
  type Engine,
  SLOW_READER_REASON,
  startServer,
} from "../server/mod.ts";
import { type CliProcess, startCli } from "./_cli.ts";
import { NO_PROC, openFds, peakWhile, rssMiB } from "./_proc.ts";
import { clientFrame, closePayload, RawClient } from "./_raw_client.ts";

const ENGINES: readonly Engine[] = typeof Deno !== "undefined"
  ? ["deno", "node"]
  : ["node"];

/**
 * The stated bound: a client that never reads may grow `wsload serve` by
 * at most this much resident memory (its 16 MiB queue, the buffers of the
 * messages read meanwhile, and garbage not yet collected). Without the
 * bound the server grew by 2.7 GB in 8 s.
 */
const RSS_GROWTH_BOUND_MIB = 200;

/** A binary frame of `size` bytes of "a". */
function binaryFrame(size: number): Buffer {
  return clientFrame(2, Buffer.alloc(size, 0x61));
}

interface Serve {
  readonly cli: CliProcess;
  readonly port: number;
}

async function serve(...flags: string[]): Promise<Serve> {
  const cli = startCli(["serve", "--port", "0", ...flags], {
    killAfterMs: 120_000,
  });
  await cli.waitFor(/listening on http:\/\/127\.0\.0\.1:\d+/);
  const port = Number(/127\.0\.0\.1:(\d+)/.exec(cli.stdout())![1]);
  return { cli, port };
}

async function stop(server: Serve | undefined): Promise<void> {
  if (server === undefined) return;
  server.cli.signal("SIGTERM");
  const { code } = await server.cli.done;
  assert.equal(code, 0, server.cli.stderr());
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} after ${ms} ms`)), ms);
    }),
  ]);
}

/** One message echoed by `/echo` through a well-behaved client. */
async function echoOnce(port: number, path = "/echo"): Promise<string> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
  const messages: string[] = [];
  await new Promise<void>((resolve, reject) => {
    ws.on("error", reject);
    ws.on("open", () => ws.send("still here"));
    ws.on("message", (data) => {
      messages.push(String(data));
      if (String(data) === "still here") ws.close(1000);
    });
    ws.on("close", () => resolve());
  });
  return messages.at(-1)!;
}

/** Closes with `code`/`reason` seen by a `ws` client. */
function closeOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    ws.on("close", (code, reason) => resolve({ code, reason: String(reason) }))
  );
}

describe("wsload serve", () => {
  let server: Serve | undefined;
  before(async () => {
    server = await serve();
  });
  after(() => stop(server));

  it("answers with its limits", () => {
    assert.match(
      server!.cli.stdout(),
      /limits: 16777216 bytes per message, 16777216 bytes queued per client, request head within 10000 ms/,
    );
  });

  it(
    `drops a client that never reads; the server grows by < ${RSS_GROWTH_BOUND_MIB} MiB and keeps serving`,
    {
      skip: NO_PROC,
    },
    async () => {
      const { cli, port } = server!;
      assert.equal(await echoOnce(port), "still here");
      const baseline = rssMiB(cli.pid)!;
      const fdsBefore = openFds(cli.pid)!;
      const client = await RawClient.connect(port, "/echo");
      // 256 MiB of 64 KiB echoes asked for; the server stops queuing them
      // at 16 MiB and drops the client a second later.
      const flooded = client.flood(binaryFrame(64 * 1024), 4096);
      const dropped = (async () => {
        await flooded;
        // Its descriptor for the client is gone.
        while (openFds(cli.pid)! > fdsBefore) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })();
      const peak = await peakWhile(
        () => rssMiB(cli.pid),
        withTimeout(dropped, 30_000, "the server did not drop the client"),
      );
      assert.ok(
        peak - baseline < RSS_GROWTH_BOUND_MIB,
        `the server grew from ${baseline.toFixed(0)} to ${peak.toFixed(0)} MiB`,
      );
      // The client learns it once it reads.
      await withTimeout(client.readToEnd(), 5_000, "the client is still open");
      assert.equal(await echoOnce(port), "still here");
    },
  );

  it("sends a client that reads too late close 1008 before dropping it", async () => {
    const client = await RawClient.connect(server!.port, "/echo");
    // Enough echoes to fill the kernel's buffers (several MiB on loopback)
    // and the 16 MiB queue; then the client reads what there is.
    await client.flood(binaryFrame(64 * 1024), 640);
    const { head, frames } = await withTimeout(
      client.readToEnd(),
      20_000,
      "the connection did not end",
    );
    assert.match(head, /^HTTP\/1\.1 101 /);
    const close = frames.find((frame) => frame.opcode === 8);
    assert.ok(close, `no close frame among ${frames.length} frames`);
    assert.deepEqual(closePayload(close.payload), {
      code: 1008,
      reason: SLOW_READER_REASON,
    });
    // Echoes stopped at the bound: nothing follows the close frame.
    assert.equal(frames.at(-1), close);
  });

  it("drops a chat member that never reads; the others go on chatting", async () => {
    const { port } = server!;
    const silent = await RawClient.connect(port, "/chat/limits");
    const talker = new WebSocket(`ws://127.0.0.1:${port}/chat/limits`);
    const events: { event: string; user: string; message: string }[] = [];
    let heard = 0;
    let onHeard = () => {};
    const left = new Promise<void>((resolve, reject) => {
      talker.on("message", (data) => {
        const event = JSON.parse(String(data));
        events.push(event);
        if (event.event === "CHAT_MSG") heard++, onHeard();
        if (event.event === "USER_LEFT") resolve();
      });
      talker.on(
        "close",
        (code, reason) =>
          reject(new Error(`the talker was closed: ${code} ${reason}`)),
      );
    });
    await new Promise((resolve) => talker.on("open", resolve));
    talker.send(JSON.stringify({ event: "SET_NAME", new_name: "talker" }));
    const text = JSON.stringify({ event: "SAY", message: "x".repeat(60_000) });
    // The talker reads its own broadcasts before sending more (a loaded
    // machine must not make it a slow reader too); the silent member
    // never reads, so its queue alone fills.
    for (let sent = 0; sent < 1000 && !silent.isClosed;) {
      for (let batch = 0; batch < 50; batch++, sent++) talker.send(text);
      await withTimeout(
        new Promise<void>((resolve) => {
          onHeard = () => heard >= sent && resolve();
          onHeard();
        }),
        30_000,
        `the talker heard ${heard} of its ${sent} messages`,
      );
    }
    await withTimeout(left, 30_000, "the silent member was not dropped");
    assert.deepEqual(events.find((event) => event.event === "USER_LEFT"), {
      event: "USER_LEFT",
      room: "limits",
      user: "anonymous",
      message: "anonymous left",
    });
    await withTimeout(
      silent.readToEnd(),
      5_000,
      "the silent member is still open",
    );
    const chatted = events.filter((event) => event.event === "CHAT_MSG");
    assert.ok(chatted.length > 0, "the talker heard its own messages");
    // Broadcasts of the flood may still be on their way: "after" comes
    // once they are through, in order.
    const after = new Promise((resolve) =>
      talker.on("message", (data) => {
        const { message } = JSON.parse(String(data));
        if (message === "after") resolve(message);
      })
    );
    talker.send(JSON.stringify({ event: "SAY", message: "after" }));
    assert.equal(
      await withTimeout(after, 10_000, "the talker's next message was lost"),
      "after",
    );
    talker.close(1000);
    await closeOf(talker);
  });
});

describe("wsload serve --header-timeout --max-message", () => {
  let server: Serve | undefined;
  before(async () => {
    server = await serve("--header-timeout", "1000", "--max-message", "1024");
  });
  after(() => stop(server));

  it(
    "answers slowloris request heads 408 after the timeout and frees their descriptors",
    {
      skip: NO_PROC,
    },
    async () => {
      const { cli, port } = server!;
      const baseline = openFds(cli.pid)!;
      const clients = await Promise.all(
        Array.from({ length: 200 }, () => RawClient.connect(port, "", false)),
      );
      const started = performance.now();
      for (const client of clients) {
        client.socket.write("GET /echo HTTP/1.1\r\n");
      }
      const dribble = setInterval(() => {
        for (const client of clients) {
          if (!client.isClosed) client.socket.write("X-Slow: 1\r\n");
        }
      }, 100);
      try {
        const answers = await withTimeout(
          Promise.all(clients.map((client) => client.readToEnd())),
          10_000,
          "slowloris connections still open",
        );
        const elapsed = performance.now() - started;
        for (const { head } of answers) {
          assert.match(head, /^HTTP\/1\.1 408 Request Timeout\r\n/);
        }
        assert.ok(elapsed >= 900, `answered after ${elapsed} ms`);
      } finally {
        clearInterval(dribble);
      }
      // The server's own descriptors for them are gone too.
      let fds = openFds(cli.pid)!;
      for (let i = 0; i < 50 && fds > baseline + 2; i++) {
        await new Promise((r) => setTimeout(r, 100));
        fds = openFds(cli.pid)!;
      }
      assert.ok(fds <= baseline + 2, `${fds} descriptors, ${baseline} before`);
    },
  );

  for (const path of ["/echo", "/ws-echo-multi"]) {
    it(`closes a message over --max-message with 1009 (${path})`, async () => {
      const ws = new WebSocket(`ws://127.0.0.1:${server!.port}${path}`);
      ws.on("error", () => {});
      ws.on("open", () => ws.send("x".repeat(1025)));
      assert.equal((await closeOf(ws)).code, 1009);
      const fits = new WebSocket(`ws://127.0.0.1:${server!.port}${path}`);
      const echoed = new Promise((resolve) =>
        fits.on("message", (data) => {
          if (String(data).length === 1024) resolve(String(data).length);
        })
      );
      fits.on("open", () => fits.send("x".repeat(1024)));
      assert.equal(await echoed, 1024);
      fits.close(1000);
      await closeOf(fits);
    });
  }

  it("refuses bad limit flags with exit 104", async () => {
    const cli = startCli(["serve", "--max-queue", "lots"]);
    const { code, stderr } = await cli.done;
    assert.equal(code, 104);
    assert.match(
      stderr,
      /invalid argument "lots" for "--max-queue" flag: expected a positive integer/,
    );
  });
});

for (const engine of ENGINES) {
  describe(`startServer, engine ${engine}`, () => {
    it("drops a client that never reads its echoes", async () => {
      const server = await startServer({
        engine,
        record: false,
        limits: { maxQueuedBytes: 64 * 1024 },
      });
      try {
        const client = await RawClient.connect(server.port, "/echo");
        await client.flood(binaryFrame(64 * 1024), 1024);
        const { frames } = await withTimeout(
          client.readToEnd(),
          20_000,
          "the client was not dropped",
        );
        assert.ok(frames.length < 1024, `${frames.length} echoes`);
      } finally {
        await server.close();
      }
    });

    it("closes a relay sender whose partner never comes with 1008", async () => {
      const server = await startServer({
        engine,
        limits: { maxQueuedBytes: 64 * 1024 },
      });
      try {
        const ws = new WebSocket(`${server.url}/ws/couple/1001`);
        ws.on("open", () => {
          // The 65th goes over: the sender is closed, with nothing after.
          for (let i = 0; i < 65; i++) ws.send("y".repeat(1024));
        });
        assert.deepEqual(await closeOf(ws), {
          code: 1008,
          reason: "relay queue full: the partner is not connected",
        });
      } finally {
        await server.close();
      }
    });

    it("refuses limits that are not positive integers", () => {
      assert.throws(
        () => startServer({ engine, limits: { maxMessageBytes: 0 } }),
        {
          name: "RangeError",
          message:
            "Option limits.maxMessageBytes must be a positive integer, got 0",
        },
      );
      assert.throws(
        // @ts-expect-error: an unknown limit
        () => startServer({ engine, limits: { maxConnections: 5 } }),
        {
          name: "TypeError",
          message:
            "Unknown option limits.maxConnections; known: maxMessageBytes, maxQueuedBytes, headerTimeoutMs",
        },
      );
    });
  });
}

it("has the documented defaults", () => {
  assert.deepEqual(DEFAULT_SERVER_LIMITS, {
    maxMessageBytes: 16 * 1024 * 1024,
    maxQueuedBytes: 16 * 1024 * 1024,
    headerTimeoutMs: 10_000,
  });
});
