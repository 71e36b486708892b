// The execution context: what sockets, timers and checks report into.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  addSampleListener,
  Context,
  currentContext,
  defaultContext,
  PendingWork,
} from "../context/context.ts";
import { Cancellation } from "../context/cancellation.ts";
import { WS_SESSIONS } from "../metrics/builtin.ts";
import type { Sample } from "../metrics/sample.ts";
import { DEFAULT_SYSTEM_TAGS } from "../metrics/tags.ts";

describe("Context", () => {
  describe("#emit", () => {
    it("sends a sample with the context's tags and metadata to its sink", () => {
      const samples: Sample[] = [];
      const context = new Context({
        tags: { scenario: "default" },
        metadata: { vu: "1" },
        sink: (sample) => samples.push(sample),
      });
      context.emit(WS_SESSIONS, 1);
      assert.equal(samples.length, 1);
      assert.equal(samples[0].metric, WS_SESSIONS);
      assert.equal(samples[0].value, 1);
      assert.deepEqual(samples[0].tags, { scenario: "default" });
      assert.deepEqual(samples[0].metadata, { vu: "1" });
      assert.ok(Math.abs(samples[0].time - Date.now()) < 1000);
    });
  });

  describe("#withGroup", () => {
    it("extends the group path and tag, and shares the sink", () => {
      const samples: Sample[] = [];
      const root = new Context({
        tags: { group: "" },
        sink: (sample) => samples.push(sample),
      });
      const inner = root.withGroup("a").withGroup("b");
      assert.equal(inner.group, "::a::b");
      assert.deepEqual(inner.tags, { group: "::a::b" });
      assert.equal(inner.root, root);
      inner.emit(WS_SESSIONS, 1);
      assert.equal(samples.length, 1);
    });

    it("leaves the tags alone when the group system tag is disabled", () => {
      const root = new Context({
        options: {
          systemTags: new Set(),
          userAgent: "x",
          throw: false,
          insecureSkipTLSVerify: false,
          tlsCA: [],
        },
      });
      assert.deepEqual(root.withGroup("a").tags, {});
      assert.ok(DEFAULT_SYSTEM_TAGS.has("group"));
    });
  });

  describe("#run", () => {
    it("makes the context current for the function and what it awaits", async () => {
      const context = new Context();
      assert.equal(currentContext(), defaultContext);
      const seen = await context.run(async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return currentContext();
      });
      assert.equal(seen, context);
      assert.equal(currentContext(), defaultContext);
    });
  });

  describe("#hold", () => {
    it("keeps pending work until every release, each counted once", async () => {
      const pending = new PendingWork();
      const context = new Context({ pending });
      const release = context.hold();
      const other = context.hold();
      let idle = false;
      const waiting = pending.idle().then(() => idle = true);
      release();
      release();
      await new Promise((resolve) => setTimeout(resolve, 1));
      assert.equal(idle, false);
      assert.equal(pending.size, 1);
      other();
      await waiting;
      assert.equal(idle, true);
    });
  });

  describe("#onCancel", () => {
    it("calls every handler once when the signal aborts, through one listener", () => {
      const controller = new AbortController();
      let listeners = 0;
      const add = controller.signal.addEventListener.bind(controller.signal);
      controller.signal.addEventListener =
        ((...args: Parameters<typeof add>) => {
          listeners++;
          add(...args);
        }) as typeof add;
      const context = new Context({ signal: controller.signal });
      const calls: number[] = [];
      const stops = Array.from(
        { length: 50 },
        (_, i) => context.onCancel(() => calls.push(i)),
      );
      stops[7]();
      context.withGroup("g").onCancel(() => calls.push(100));
      controller.abort();
      controller.abort();
      assert.equal(listeners, 1);
      assert.equal(calls.length, 50);
      assert.ok(!calls.includes(7));
      assert.ok(calls.includes(100));
    });

    it("calls a handler registered after the abort soon after", async () => {
      const controller = new AbortController();
      controller.abort();
      let called = false;
      new Context({ signal: controller.signal }).onCancel(() => called = true);
      await Promise.resolve();
      assert.equal(called, true);
    });

    it("follows a cancellation: handlers, then the signal, and cancelled", () => {
      const cancellation = new Cancellation();
      const context = new Context({ cancellation });
      const calls: string[] = [];
      context.onCancel(() => calls.push("first"));
      const signal = context.withTags({ a: "b" }).signal;
      signal.addEventListener("abort", () => calls.push("signal"));
      context.onCancel(() => calls.push("second"));
      assert.equal(context.cancelled, false);
      cancellation.cancel();
      assert.equal(context.cancelled, true);
      assert.equal(signal.aborted, true);
      assert.deepEqual(calls, ["first", "second", "signal"]);
    });

    it("gives the signal it was made with", () => {
      const controller = new AbortController();
      const context = new Context({ signal: controller.signal });
      assert.equal(context.signal, controller.signal);
      assert.equal(context.cancelled, false);
      controller.abort();
      assert.equal(context.cancelled, true);
    });
  });

  describe("#local", () => {
    it("creates a value once per context family", () => {
      const key = Symbol("k");
      const a = new Context();
      const b = new Context();
      const value = a.local(key, () => ({}));
      assert.equal(a.withGroup("g").local(key, () => ({})), value);
      assert.notEqual(b.local(key, () => ({})), value);
    });
  });

  describe("#countBytes / #takeBytes", () => {
    it("adds up and resets", () => {
      const context = new Context();
      context.countBytes(10, 20);
      context.withGroup("g").countBytes(1, 2);
      assert.deepEqual(context.takeBytes(), { sent: 11, received: 22 });
      assert.deepEqual(context.takeBytes(), { sent: 0, received: 0 });
    });
  });

  describe("#recordCheck / #recordGroup", () => {
    it("reports to the recorder with the context's group", () => {
      const seen: string[] = [];
      const context = new Context({
        recorder: {
          group: (path) => seen.push(`group ${path}`),
          check: (group, name, passed) =>
            seen.push(`check ${group} ${name} ${passed}`),
        },
      });
      const inner = context.withGroup("g");
      inner.recordGroup(inner.group);
      inner.recordCheck("ok", true);
      assert.deepEqual(seen, ["group ::g", "check ::g ok true"]);
    });
  });
});

describe("addSampleListener", () => {
  it("hears the default context's samples until removed", () => {
    const values: number[] = [];
    const stop = addSampleListener((sample) => values.push(sample.value));
    defaultContext.emit(WS_SESSIONS, 3);
    stop();
    defaultContext.emit(WS_SESSIONS, 4);
    assert.deepEqual(values, [3]);
  });
});

describe("Cancellation", () => {
  it("runs every handler once, in order, even one another unregisters", () => {
    const cancellation = new Cancellation();
    const calls: number[] = [];
    let stopThird = () => {};
    cancellation.onCancel(() => {
      calls.push(1);
      stopThird();
    });
    const stopSecond = cancellation.onCancel(() => calls.push(2));
    stopThird = cancellation.onCancel(() => calls.push(3));
    stopSecond();
    cancellation.cancel();
    cancellation.cancel();
    assert.deepEqual(calls, [1, 3]);
  });

  it("makes its signal on first use, aborted when it was cancelled", () => {
    const cancellation = new Cancellation();
    cancellation.cancel();
    assert.equal(cancellation.signal.aborted, true);
    assert.equal(cancellation.signal, cancellation.signal);
  });

  it("resolves whenCancelled() on cancellation, and at once after it", async () => {
    const cancellation = new Cancellation();
    let resolved = false;
    const waiting = cancellation.whenCancelled().then(() => resolved = true);
    await Promise.resolve();
    assert.equal(resolved, false);
    cancellation.cancel();
    await waiting;
    assert.equal(resolved, true);
    await cancellation.whenCancelled();
  });

  it("is cancelled when the signal it follows aborts, or already is", () => {
    const controller = new AbortController();
    const following = new Cancellation(controller.signal);
    assert.equal(following.cancelled, false);
    controller.abort();
    assert.equal(following.cancelled, true);
    assert.equal(new Cancellation(controller.signal).cancelled, true);
  });
});
