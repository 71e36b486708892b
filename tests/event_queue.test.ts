// The per-VU event loop (context/event_queue.ts): what runs when.
import assert from "node:assert/strict";
import { setImmediate } from "node:timers";
import { describe, it } from "node:test";
import { VUEventLoop } from "../context/event_queue.ts";

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("VUEventLoop and EventQueue", () => {
  it("run events at once while the VU is free", () => {
    const loop = new VUEventLoop();
    const order: string[] = [];
    loop.root.run(() => order.push("a"));
    loop.root.run(() => order.push("b"));
    assert.deepEqual(order, ["a", "b"]);
    assert.equal(loop.root.free, true);
  });

  it("hold events while the VU blocks, then run them in order after the code that awaited", async () => {
    const loop = new VUEventLoop();
    const order: string[] = [];
    const unblock = loop.block();
    loop.root.run(() => order.push("event 1"));
    loop.root.run(() => order.push("event 2"));
    assert.equal(loop.root.free, false);
    const awaited = Promise.resolve().then(() => order.push("continuation"));
    unblock();
    unblock(); // idempotent
    await awaited;
    assert.deepEqual(order, ["continuation"]);
    await turn();
    assert.deepEqual(order, ["continuation", "event 1", "event 2"]);
  });

  it("stop draining when an event blocks the VU again", async () => {
    const loop = new VUEventLoop();
    const order: string[] = [];
    let unblockAgain = () => {};
    const unblock = loop.block();
    loop.root.run(() => {
      order.push("blocks");
      unblockAgain = loop.block();
    });
    loop.root.run(() => order.push("waits"));
    unblock();
    await turn();
    assert.deepEqual(order, ["blocks"]);
    unblockAgain();
    await turn();
    assert.deepEqual(order, ["blocks", "waits"]);
  });

  it("resume() puts the rest of an interrupted event ahead of the waiting ones", async () => {
    const loop = new VUEventLoop();
    const order: string[] = [];
    const unblock = loop.block();
    loop.root.run(() => order.push("later event"));
    loop.root.resume(() => order.push("rest of the event"));
    unblock();
    await turn();
    assert.deepEqual(order, ["rest of the event", "later event"]);
  });

  it("a child queue (ws.connect) runs while its parent's events wait until it closes", async () => {
    const loop = new VUEventLoop();
    const order: string[] = [];
    const child = loop.root.child();
    loop.root.run(() => order.push("parent event"));
    child.run(() => order.push("child event"));
    assert.deepEqual(order, ["child event"]);
    child.close();
    child.close(); // idempotent
    await turn();
    assert.deepEqual(order, ["child event", "parent event"]);
  });

  it("a block holds every queue of the VU", async () => {
    const loop = new VUEventLoop();
    const order: string[] = [];
    const child = loop.root.child();
    const unblock = loop.block();
    child.run(() => order.push("child event"));
    assert.deepEqual(order, []);
    unblock();
    await turn();
    assert.deepEqual(order, ["child event"]);
  });
});
