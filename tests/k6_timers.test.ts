import { describe, it } from "node:test";
import assert from "node:assert/strict";
import timers, {
  clearInterval,
  clearTimeout,
  setInterval,
  setTimeout,
} from "../k6/timers.ts";
import { currentContext } from "../context/context.ts";
import { createHarness, delay } from "./_k6_harness.ts";

describe("setTimeout", () => {
  it("calls the callback once, with its arguments and globalThis as this", async () => {
    const h = createHarness();
    const calls: unknown[][] = [];
    let self: unknown;
    const id = h.run(() =>
      setTimeout(
        function (this: unknown, ...args: unknown[]) {
          self = this;
          calls.push(args);
        },
        5,
        "a",
        2,
      )
    );
    assert.equal(typeof id, "number");
    await h.context.pending.idle();
    await delay(20);
    assert.deepEqual(calls, [["a", 2]]);
    assert.equal(self, globalThis);
  });

  it("keeps the iteration alive until it fired", async () => {
    const h = createHarness();
    let fired = false;
    h.run(() => setTimeout(() => (fired = true), 20));
    assert.equal(h.context.pending.size, 1);
    await h.context.pending.idle();
    assert.equal(fired, true);
    assert.equal(h.context.pending.size, 0);
  });

  it("runs the callback in the context that set it", async () => {
    const h = createHarness();
    const group = h.context.withGroup("timers");
    let seen: string | undefined;
    group.run(() => setTimeout(() => (seen = currentContext().group), 1));
    await h.context.pending.idle();
    assert.equal(seen, "::timers");
  });

  it("treats a negative or missing delay as 0 and returns distinct ids", async () => {
    const h = createHarness();
    const order: number[] = [];
    const first = h.run(() => setTimeout(() => order.push(1), -50));
    const second = h.run(() => setTimeout(() => order.push(2)));
    assert.notEqual(first, second);
    await h.context.pending.idle();
    assert.deepEqual(order, [1, 2]);
  });

  it("reports the callback's exception and releases the iteration", async () => {
    const h = createHarness();
    const failure = new Error("timer failed");
    h.run(() =>
      setTimeout(() => {
        throw failure;
      }, 1)
    );
    await h.context.pending.idle();
    assert.deepEqual(h.errors, [failure]);
  });

  it("reports an async callback's rejection after waiting for it", async () => {
    const h = createHarness();
    const failure = new Error("late failure");
    h.run(() =>
      setTimeout(async () => {
        await delay(10);
        throw failure;
      }, 1)
    );
    await h.context.pending.idle();
    await delay(0);
    assert.deepEqual(h.errors, [failure]);
  });

  it("refuses a non-function callback (k6's text)", () => {
    const h = createHarness();
    assert.throws(
      // deno-lint-ignore no-explicit-any
      () => h.run(() => setTimeout("code" as any, 1)),
      {
        name: "TypeError",
        message: "setTimeout's callback isn't a callable function",
      },
    );
    assert.equal(h.context.pending.size, 0);
  });
});

describe("clearTimeout", () => {
  it("cancels the call and releases the iteration", async () => {
    const h = createHarness();
    let fired = false;
    const id = h.run(() => setTimeout(() => (fired = true), 10));
    h.run(() => clearTimeout(id));
    assert.equal(h.context.pending.size, 0);
    await delay(30);
    assert.equal(fired, false);
  });

  it("ignores unknown ids and other iterations' timers", async () => {
    const h = createHarness();
    const other = createHarness();
    let fired = false;
    const id = h.run(() => setTimeout(() => (fired = true), 5));
    other.run(() => clearTimeout(id));
    h.run(() => clearTimeout(123456789));
    h.run(() => clearTimeout());
    await h.context.pending.idle();
    assert.equal(fired, true);
  });
});

describe("setInterval", () => {
  it("repeats until cleared, holding the iteration meanwhile", async () => {
    const h = createHarness();
    let ticks = 0;
    const id = h.run(() =>
      setInterval(() => {
        ticks++;
        if (ticks === 3) clearInterval(id);
      }, 5)
    );
    assert.equal(h.context.pending.size, 1);
    await h.context.pending.idle();
    assert.equal(ticks, 3);
    await delay(30);
    assert.equal(ticks, 3, "no tick after clearInterval");
  });

  it("keeps going after an exception, reporting each one", async () => {
    const h = createHarness();
    let ticks = 0;
    const id = h.run(() =>
      setInterval(() => {
        if (++ticks === 2) clearInterval(id);
        throw new Error(`tick ${ticks}`);
      }, 2)
    );
    await h.context.pending.idle();
    assert.deepEqual(h.errors.map((e) => (e as Error).message), [
      "tick 1",
      "tick 2",
    ]);
  });

  it("refuses a non-function callback (k6's text)", () => {
    const h = createHarness();
    assert.throws(
      // deno-lint-ignore no-explicit-any
      () => h.run(() => setInterval(null as any, 1)),
      { message: "setInterval's callback isn't a callable function" },
    );
  });
});

describe("clearInterval", () => {
  it("clears a timeout as well (k6 treats both alike)", async () => {
    const h = createHarness();
    let fired = false;
    const id = h.run(() => setTimeout(() => (fired = true), 5));
    h.run(() => clearInterval(id));
    await delay(20);
    assert.equal(fired, false);
    assert.equal(h.context.pending.size, 0);
  });
});

describe("interrupted iteration", () => {
  it("stops every timer, releases the iteration and warns per timer", async () => {
    const h = createHarness();
    let fired = 0;
    const timeout = h.run(() => setTimeout(() => fired++, 10));
    const interval = h.run(() => setInterval(() => fired++, 10));
    assert.equal(h.context.pending.size, 2);
    h.controller.abort();
    assert.equal(h.context.pending.size, 0);
    await delay(40);
    assert.equal(fired, 0);
    assert.deepEqual(h.warnings, [
      `setTimeout ${timeout} was stopped because the VU iteration was interrupted`,
      `setInterval ${interval} was stopped because the VU iteration was interrupted`,
    ]);
  });

  it("does not start timers any more", async () => {
    const h = createHarness();
    h.controller.abort();
    let fired = false;
    h.run(() => setTimeout(() => (fired = true), 1));
    assert.equal(h.context.pending.size, 0);
    await delay(20);
    assert.equal(fired, false);
  });
});

describe("default export", () => {
  it("holds the four functions", () => {
    assert.deepEqual(timers, {
      setTimeout,
      clearTimeout,
      setInterval,
      clearInterval,
    });
  });
});
