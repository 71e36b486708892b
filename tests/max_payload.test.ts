// One limit on received message size for both modules: 64 MiB unless a
// socket's `maxPayload` param says otherwise. k6 has none, so a server could
// make a VU buffer any size (a 1 GiB message grew one VU to 3.2 GB).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type RawServer, startRawServer } from "../server/mod.ts";
import {
  DEFAULT_MAX_PAYLOAD,
  WebSocket,
  type WebSocketParams,
} from "../websockets/mod.ts";
import ws from "../ws_legacy/mod.ts";

const MiB = 1024 * 1024;

describe("the default message limit", () => {
  let oversized: RawServer;
  before(async () => {
    // One byte over the default: every transport must refuse it.
    oversized = await startRawServer("oversized", { size: 64 * MiB + 1 });
  });
  after(() => oversized?.close());

  it("is 64 MiB", () => {
    assert.equal(DEFAULT_MAX_PAYLOAD, 64 * MiB);
  });

  it("k6/websockets: a larger message fails the connection (error, close 1009)", async () => {
    const events = await socketEvents(oversized.url, {});
    assert.deepEqual(events, [
      "open",
      "error websocket: read limit exceeded",
      "close 1009",
    ]);
  });

  it("k6/ws: a larger message ends the session (close 1001, as k6 for a read failure)", async () => {
    const events = await legacyEvents(oversized.url, null);
    assert.deepEqual(events, ["open", "close 1001"]);
  });
});

describe("the maxPayload param", () => {
  let small: RawServer;
  before(async () => {
    small = await startRawServer("oversized", { size: 4096 });
  });
  after(() => small?.close());

  it("k6/websockets: lowers the limit", async () => {
    assert.deepEqual(await socketEvents(small.url, { maxPayload: 4095 }), [
      "open",
      "error websocket: read limit exceeded",
      "close 1009",
    ]);
    assert.deepEqual(
      (await socketEvents(small.url, { maxPayload: 4096 }, true)).slice(0, 2),
      ["open", "message 4096"],
    );
  });

  it("k6/ws: lowers the limit", async () => {
    assert.deepEqual(await legacyEvents(small.url, { maxPayload: 4095 }), [
      "open",
      "close 1001",
    ]);
    assert.deepEqual(
      (await legacyEvents(small.url, { maxPayload: 4096 }, true)).slice(0, 2),
      ["open", "message 4096"],
    );
  });

  it("k6/ws: refuses a value that is not a positive integer", () => {
    const wrongType = { maxPayload: "1" } as unknown as { maxPayload: number };
    assert.throws(() => ws.connect(small.url, wrongType, () => {}), {
      name: "TypeError",
      message:
        'Invalid ws.connect() param "maxPayload": expected a number of bytes, got string "1"',
    });
    assert.throws(() => ws.connect(small.url, { maxPayload: 0 }, () => {}), {
      name: "RangeError",
      message:
        'Invalid ws.connect() param "maxPayload": expected a positive integer number of bytes, got 0',
    });
  });
});

/** The events of one k6/websockets socket, as text. */
function socketEvents(
  url: string,
  params: WebSocketParams,
  closeOnMessage = false,
): Promise<string[]> {
  const events: string[] = [];
  const socket = new WebSocket(url, null, params);
  socket.binaryType = "arraybuffer";
  socket.onopen = () => events.push("open");
  socket.onmessage = (event) => {
    events.push(`message ${String(event.data).length}`);
    if (closeOnMessage) socket.close();
  };
  socket.onerror = (event) => events.push(`error ${event.error}`);
  return new Promise((resolve) => {
    socket.onclose = (event) => {
      events.push(`close ${event.code}`);
      resolve(events);
    };
  });
}

/** The events of one k6/ws session, as text. */
async function legacyEvents(
  url: string,
  params: Record<string, unknown> | null,
  closeOnMessage = false,
): Promise<string[]> {
  const events: string[] = [];
  await ws.connect(url, params, (socket) => {
    socket.on("open", () => events.push("open"));
    socket.on("message", (data: string) => {
      events.push(`message ${data.length}`);
      if (closeOnMessage) socket.close();
    });
    socket.on("error", (error) => events.push(`error ${error.error()}`));
    socket.on("close", (code: number) => events.push(`close ${code}`));
  });
  return events;
}
