import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import type { Sample } from "../metrics/sample.ts";
import {
  consolidateOptions,
  type ConsolidationInput,
  ExecutionSegment,
  ExecutionSegmentSequence,
  ExecutionTuple,
  parseScenarios,
} from "../runner/options/mod.ts";
import {
  type ExecutionHooks,
  type IterationInfo,
  type IterationOutcome,
  type RunResult,
  Scheduler,
  type SchedulerOptions,
} from "../runner/execution/mod.ts";

interface Call {
  readonly vu: number;
  readonly info: IterationInfo;
  /** ms since the run started. */
  readonly start: number;
  end?: number;
  outcome?: IterationOutcome;
}

interface HarnessOptions {
  /** How long each iteration takes, ms. */
  readonly iterationMs?: number | ((info: IterationInfo) => number);
  /** Make initVU fail for this VU number. */
  readonly failInitAt?: number;
  /** Make runIteration reject on every iteration. */
  readonly reject?: boolean;
}

// A fake runner: VUs are their numbers, iterations wait a few ms (or until
// their signal aborts) and record what the scheduler asked for.
function harness(options: SchedulerOptions, settings: HarnessOptions = {}) {
  const calls: Call[] = [];
  const samples: Sample[] = [];
  const warnings: string[] = [];
  const errors: string[] = [];
  const initialized: number[] = [];
  let running = 0;
  let maxConcurrent = 0;
  let t0 = performance.now();
  const hooks: ExecutionHooks<number> = {
    async initVU(id) {
      await sleep(1);
      if (id.idInInstance === settings.failInitAt) {
        throw new Error(`init of VU ${id.idInInstance} failed`);
      }
      initialized.push(id.idInInstance);
      return id.idInInstance;
    },
    async runIteration(vu, info, signal) {
      const call: Call = { vu, info, start: performance.now() - t0 };
      calls.push(call);
      running++;
      maxConcurrent = Math.max(maxConcurrent, running);
      const ms = typeof settings.iterationMs === "function"
        ? settings.iterationMs(info)
        : settings.iterationMs ?? 10;
      const finished = await sleep(ms, true, { signal }).catch(() => false);
      running--;
      call.end = performance.now() - t0;
      call.outcome = finished ? "completed" : "interrupted";
      if (settings.reject) throw new Error("boom");
      return call.outcome;
    },
    sink: (sample) => samples.push(sample),
    logger: {
      warn: (message) => warnings.push(message),
      error: (message) => errors.push(message),
    },
  };
  const scheduler = new Scheduler(options, hooks);
  return {
    scheduler,
    calls,
    samples,
    warnings,
    errors,
    initialized,
    get maxConcurrent() {
      return maxConcurrent;
    },
    async run(signal?: AbortSignal): Promise<RunResult & { wallMs: number }> {
      await scheduler.init();
      t0 = performance.now();
      const result = await scheduler.run(signal);
      return { ...result, wallMs: performance.now() - t0 };
    },
    values(metric: string): number[] {
      return samples.filter((s) => s.metric.name === metric).map((s) =>
        s.value
      );
    },
  };
}

function scenarios(raw: Record<string, unknown>): SchedulerOptions {
  return { scenarios: parseScenarios(raw)! };
}

function options(input: ConsolidationInput): SchedulerOptions {
  return consolidateOptions(input);
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function between(value: number, min: number, max: number, what: string) {
  assert.ok(
    value >= min && value <= max,
    `${what}: ${value} not in [${min}, ${max}]`,
  );
}

describe("Scheduler", () => {
  describe("shared-iterations", () => {
    it("runs exactly the iterations, shared among the VUs", async () => {
      const h = harness(options({ cli: { vus: "3", iterations: "20" } }));
      const result = await h.run();
      assert.equal(h.calls.length, 20);
      assert.equal(result.completedIterations, 20);
      assert.equal(result.interruptedIterations, 0);
      assert.deepEqual(
        h.calls.map((c) => c.info.scenario.iterationInTest).sort((a, b) =>
          a - b
        ),
        Array.from({ length: 20 }, (_, i) => i),
      );
      assert.deepEqual([...new Set(h.calls.map((c) => c.vu))].sort(), [
        1,
        2,
        3,
      ]);
      assert.ok(h.maxConcurrent <= 3);
      assert.deepEqual(h.values("dropped_iterations"), []);
      const progress = h.scheduler.progress().scenarios[0];
      assert.equal(progress.status, "done");
      assert.equal(progress.iterationsDone, 20);
      assert.equal(progress.iterationsTotal, 20);
      assert.equal(progress.progress, 1);
    });

    it("drops the iterations not started by maxDuration", async () => {
      const h = harness(
        scenarios({
          s: {
            executor: "shared-iterations",
            vus: 2,
            iterations: 100,
            maxDuration: "1s",
            gracefulStop: "0s",
          },
        }),
        { iterationMs: 200 },
      );
      const result = await h.run();
      const started = h.calls.length;
      between(started, 9, 12, "started iterations");
      assert.equal(result.interruptedIterations, 2);
      assert.equal(result.completedIterations, started - 2);
      assert.deepEqual(h.values("dropped_iterations"), [100 - started]);
      const dropped = h.samples.find((s) =>
        s.metric.name === "dropped_iterations"
      );
      assert.deepEqual(dropped?.tags, { scenario: "s" });
      assert.equal(h.scheduler.progress().scenarios[0].status, "interrupted");
      between(result.wallMs, 950, 1500, "run time");
    });
  });

  describe("per-vu-iterations", () => {
    it("runs the same number of iterations on every VU", async () => {
      const h = harness(
        scenarios({
          p: { executor: "per-vu-iterations", vus: 3, iterations: 4 },
        }),
      );
      const result = await h.run();
      assert.equal(result.completedIterations, 12);
      for (const vu of [1, 2, 3]) {
        const mine = h.calls.filter((c) => c.vu === vu);
        assert.deepEqual(
          mine.map((c) => c.info.vu.iterationInScenario),
          [0, 1, 2, 3],
        );
        assert.deepEqual(
          mine.map((c) => c.info.vu.iterationInInstance),
          [0, 1, 2, 3],
        );
      }
      assert.equal(h.scheduler.progress().scenarios[0].iterationsPerVU, 4);
    });

    it("drops each VU's remaining iterations at maxDuration, tagged with the VU", async () => {
      const h = harness(
        {
          ...scenarios({
            p: {
              executor: "per-vu-iterations",
              vus: 2,
              iterations: 10,
              maxDuration: "1s",
              gracefulStop: "0s",
            },
          }),
          tags: { run: "x" },
          systemTags: new Set(["scenario", "vu"]),
        },
        { iterationMs: 300 },
      );
      const result = await h.run();
      // Starts at 0, 300, 600 and 900 ms; the last is cut at 1 s.
      assert.equal(result.completedIterations, 6);
      assert.equal(result.interruptedIterations, 2);
      const dropped = h.samples
        .filter((s) => s.metric.name === "dropped_iterations")
        .map((s) => ({ value: s.value, tags: s.tags }))
        .sort((a, b) => a.tags.vu.localeCompare(b.tags.vu));
      assert.deepEqual(dropped, [
        { value: 6, tags: { run: "x", scenario: "p", vu: "1" } },
        { value: 6, tags: { run: "x", scenario: "p", vu: "2" } },
      ]);
    });
  });

  describe("constant-vus", () => {
    it("loops a fixed number of VUs for the duration and samples vus", async () => {
      const h = harness(options({ cli: { vus: "2", duration: "1200ms" } }), {
        iterationMs: 100,
      });
      let midRun: ReturnType<typeof h.scheduler.progress> | undefined;
      const probe = sleep(500).then(() => midRun = h.scheduler.progress());
      const result = await h.run();
      await probe;
      // ~12 iterations per VU; the ones in flight at the end finish within
      // the 30 s graceful stop, so none is interrupted.
      between(result.completedIterations, 18, 26, "completed");
      assert.equal(result.interruptedIterations, 0);
      between(result.wallMs, 1150, 1600, "run time");
      assert.equal(midRun?.scenarios[0].status, "running");
      assert.equal(midRun?.scenarios[0].activeVUs, 2);
      assert.equal(midRun?.activeVUs, 2);
      between(
        midRun?.scenarios[0].progress ?? 0,
        0.3,
        0.6,
        "progress at 500ms",
      );
      assert.deepEqual(new Set(h.values("vus_max")), new Set([2]));
      const vus = h.values("vus");
      // Sampled each second only (k6's ticker): 1 s into a 1.2 s run, 2 active.
      assert.deepEqual(vus, [2], `vus samples: ${vus}`);
      assert.equal(h.scheduler.progress().scenarios[0].status, "done");
    });

    it("interrupts iterations still running when gracefulStop expires", async () => {
      const h = harness(
        options({
          script: {
            scenarios: {
              c: {
                executor: "constant-vus",
                vus: 1,
                duration: "1s",
                gracefulStop: "200ms",
              },
            },
          },
        }),
        { iterationMs: 700 },
      );
      const result = await h.run();
      assert.equal(result.completedIterations, 1);
      assert.equal(result.interruptedIterations, 1);
      assert.deepEqual(h.calls.map((c) => c.outcome), [
        "completed",
        "interrupted",
      ]);
      between(h.calls[1].end!, 1150, 1450, "interrupted at");
      between(result.wallMs, 1150, 1500, "run time");
    });
  });

  describe("ramping-vus", () => {
    it("follows the stages' VU targets", async () => {
      const h = harness(
        scenarios({
          r: {
            executor: "ramping-vus",
            startVUs: 1,
            stages: [
              { duration: "400ms", target: 3 },
              { duration: "300ms", target: 3 },
              { duration: "300ms", target: 0 },
            ],
            gracefulRampDown: "0s",
          },
        }),
        { iterationMs: 20 },
      );
      const result = await h.run();
      assert.equal(h.maxConcurrent, 3);
      assert.equal(h.initialized.length, 3);
      const firstOf = (vu: number) => h.calls.find((c) => c.vu === vu)!.start;
      // VU 2 joins at 200 ms, VU 3 at 400 ms.
      between(firstOf(1), 0, 50, "VU 1 starts");
      between(firstOf(2), 180, 300, "VU 2 starts");
      between(firstOf(3), 380, 500, "VU 3 starts");
      const lastOf = (vu: number) =>
        h.calls.filter((c) => c.vu === vu).pop()!.end!;
      // Ramping down from 3 to 0 over 300 ms: VU 3 stops at 800 ms.
      between(lastOf(3), 750, 900, "VU 3 stops");
      between(result.wallMs, 980, 1300, "run time");
      assert.equal(h.scheduler.progress().scenarios[0].maxVUs, 3);
    });

    it("interrupts surplus VUs' iterations after gracefulRampDown", async () => {
      const h = harness(
        scenarios({
          r: {
            executor: "ramping-vus",
            startVUs: 2,
            stages: [
              { duration: "300ms", target: 2 },
              { duration: "0s", target: 1 },
              { duration: "700ms", target: 1 },
            ],
            gracefulRampDown: "100ms",
          },
        }),
        { iterationMs: 600 },
      );
      const result = await h.run();
      // VU 2 ramps down at 300 ms; its iteration is cut at 400 ms. VU 1
      // runs 0-600 and 600-1200 (within the 30 s graceful stop).
      assert.equal(result.interruptedIterations, 1);
      assert.equal(result.completedIterations, 2);
      const interrupted = h.calls.find((c) => c.outcome === "interrupted")!;
      between(interrupted.end!, 380, 550, "interrupted at");
      between(result.wallMs, 1150, 1500, "run time");
    });

    it("lets surplus VUs finish their iteration within gracefulRampDown", async () => {
      const h = harness(
        scenarios({
          r: {
            executor: "ramping-vus",
            startVUs: 2,
            stages: [
              { duration: "300ms", target: 2 },
              { duration: "0s", target: 1 },
              { duration: "700ms", target: 1 },
            ],
            gracefulRampDown: "1s",
          },
        }),
        { iterationMs: 600 },
      );
      const result = await h.run();
      assert.equal(result.interruptedIterations, 0);
      assert.equal(result.completedIterations, 3);
      assert.equal(h.calls.filter((c) => c.vu === 2).length, 1);
    });
  });

  describe("constant-arrival-rate", () => {
    it("starts iterations evenly at the rate", async () => {
      const h = harness(
        scenarios({
          a: {
            executor: "constant-arrival-rate",
            rate: 20,
            timeUnit: "1s",
            duration: "1s",
            preAllocatedVUs: 5,
          },
        }),
        { iterationMs: 30 },
      );
      const result = await h.run();
      between(h.calls.length, 19, 21, "started");
      assert.equal(result.completedIterations, h.calls.length);
      assert.deepEqual(h.values("dropped_iterations"), []);
      h.calls.forEach((call, i) =>
        between(call.start, i * 50 - 5, i * 50 + 40, `start ${i}`)
      );
      assert.deepEqual(
        h.calls.map((c) => c.info.scenario.iterationInInstance),
        h.calls.map((_, i) => i),
      );
      assert.equal(h.scheduler.progress().scenarios[0].rate, 20);
    });

    it("accounts for every planned start at 1000 iterations per second", async () => {
      const h = harness(
        scenarios({
          a: {
            executor: "constant-arrival-rate",
            rate: 1000,
            duration: "1s",
            preAllocatedVUs: 20,
          },
        }),
        { iterationMs: 2 },
      );
      await h.run();
      // Each planned start either ran or was counted as dropped (how many
      // run depends on the machine's load, which a test must not assert).
      const dropped = h.values("dropped_iterations").reduce((a, b) => a + b, 0);
      between(h.calls.length + dropped, 990, 1000, "started + dropped");
      assert.ok(h.calls.length > 0);
    });

    it("initialises VUs up to maxVUs, then drops iterations and warns once", async () => {
      const h = harness(
        scenarios({
          a: {
            executor: "constant-arrival-rate",
            rate: 20,
            duration: "1s",
            preAllocatedVUs: 1,
            maxVUs: 2,
          },
        }),
        { iterationMs: 300 },
      );
      const result = await h.run();
      const dropped = sum(h.values("dropped_iterations"));
      assert.ok(dropped >= 10, `dropped ${dropped}`);
      between(h.calls.length + dropped, 19, 21, "started + dropped");
      assert.equal(result.completedIterations, h.calls.length);
      assert.deepEqual(h.initialized, [1, 2]);
      assert.deepEqual(h.warnings, [
        "Insufficient VUs, reached 2 active VUs and cannot initialize more",
      ]);
      assert.deepEqual(new Set(h.calls.map((c) => c.vu)), new Set([1, 2]));
    });
  });

  describe("ramping-arrival-rate", () => {
    it("starts iterations following the ramped rate", async () => {
      const h = harness(
        scenarios({
          a: {
            executor: "ramping-arrival-rate",
            startRate: 0,
            timeUnit: "1s",
            preAllocatedVUs: 5,
            stages: [
              { duration: "500ms", target: 20 },
              { duration: "500ms", target: 20 },
            ],
          },
        }),
        { iterationMs: 20 },
      );
      await h.run();
      // 5 iterations while ramping to 20/s, 10 more at 20/s (the one due
      // exactly at the end does not start).
      between(h.calls.length, 13, 15, "started");
      const starts = h.calls.map((c) => c.start);
      between(starts[0], 200, 300, "first start (area reaches 1 at 224 ms)");
      const firstGap = starts[1] - starts[0];
      const lastGap = starts.at(-1)! - starts.at(-2)!;
      assert.ok(firstGap > lastGap, `${firstGap} > ${lastGap}`);
    });
  });

  describe("#run", () => {
    it("starts scenarios at their startTime and lends them the same VUs", async () => {
      const h = harness(
        options({
          script: {
            scenarios: {
              first: {
                executor: "constant-vus",
                vus: 2,
                duration: "1s",
                gracefulStop: "0s",
              },
              second: {
                executor: "shared-iterations",
                vus: 2,
                iterations: 4,
                startTime: "1s",
                exec: "other",
                env: { A: "1" },
                tags: { t: "x" },
              },
            },
          },
        }),
        { iterationMs: 100 },
      );
      assert.equal(h.scheduler.maxPlannedVUs, 2);
      const result = await h.run();
      assert.deepEqual(h.initialized.sort(), [1, 2]);
      const second = h.calls.filter((c) => c.info.scenario.name === "second");
      assert.equal(second.length, 4);
      for (const call of second) {
        assert.ok(call.start >= 990, `second starts at ${call.start}`);
        assert.equal(call.info.scenario.exec, "other");
        assert.deepEqual(call.info.scenario.env, { A: "1" });
        assert.deepEqual(call.info.scenario.tags, { t: "x" });
      }
      // __ITER counts on across scenarios; the scenario's own count restarts.
      const firstOnVU1 =
        h.calls.filter((c) => c.vu === 1 && c.info.scenario.name === "first")
          .length;
      const secondOnVU1 = second.filter((c) => c.vu === 1);
      assert.equal(secondOnVU1[0].info.vu.iterationInInstance, firstOnVU1);
      assert.equal(secondOnVU1[0].info.vu.iterationInScenario, 0);
      between(result.wallMs, 1150, 1600, "run time");
    });

    it("reports scenarios waiting for their start time", async () => {
      const h = harness(
        scenarios({
          later: { executor: "shared-iterations", startTime: "300ms" },
        }),
      );
      const running = h.run();
      await sleep(100);
      assert.equal(h.scheduler.progress().scenarios[0].status, "waiting");
      await running;
      assert.equal(h.scheduler.progress().scenarios[0].status, "done");
    });

    it("interrupts everything at once when aborted", async () => {
      const h = harness(
        options({
          script: {
            scenarios: {
              now: { executor: "constant-vus", vus: 2, duration: "10s" },
              later: {
                executor: "shared-iterations",
                startTime: "5s",
              },
            },
          },
        }),
        { iterationMs: 5000 },
      );
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 200);
      const result = await h.run(controller.signal);
      assert.equal(result.aborted, true);
      assert.equal(result.completedIterations, 0);
      assert.equal(result.interruptedIterations, 2);
      assert.ok(h.calls.every((c) => c.info.scenario.name === "now"));
      between(result.wallMs, 150, 600, "run time");
      const [now, later] = h.scheduler.progress().scenarios;
      assert.equal(now.status, "interrupted");
      assert.equal(later.status, "waiting");
    });

    it("rejects with the error of a VU that cannot be initialised", async () => {
      const h = harness(options({ cli: { vus: "3", iterations: "3" } }), {
        failInitAt: 2,
      });
      await assert.rejects(h.run(), { message: "init of VU 2 failed" });
      assert.equal(h.calls.length, 0);
    });

    it("runs only once", async () => {
      const h = harness(options({}));
      await h.run();
      await assert.rejects(h.scheduler.run(), {
        message: "a Scheduler can run only once",
      });
      assert.equal(h.calls.length, 1);
    });

    it("counts a rejected iteration as a full one and logs it", async () => {
      const h = harness(options({ cli: { vus: "1", iterations: "2" } }), {
        reject: true,
      });
      const result = await h.run();
      assert.equal(result.completedIterations, 2);
      assert.equal(h.errors.length, 2);
      assert.match(
        h.errors[0],
        /^Uncaught error in iteration of scenario default: Error: boom/,
      );
    });

    it("splits work between execution segments without overlap", async () => {
      const sequence = ExecutionSegmentSequence.parse("0,1/3,2/3,1");
      const parts = await Promise.all(sequence.segments.map(async (segment) => {
        const h = harness({
          ...scenarios({
            s: { executor: "shared-iterations", vus: 10, iterations: 100 },
          }),
          executionTuple: ExecutionTuple.create(
            ExecutionSegment.parse(segment.toString()),
            sequence,
          ),
        }, { iterationMs: 0 });
        await h.run();
        return h;
      }));
      assert.deepEqual(parts.map((h) => h.initialized.length), [4, 3, 3]);
      const vuIds = parts.flatMap((
        h,
      ) => [...new Set(h.calls.map((c) => c.info.vu.idInTest))]);
      assert.deepEqual(
        vuIds.sort((a, b) => a - b),
        Array.from({ length: 10 }, (_, i) => i + 1),
      );
      const iterations = parts.flatMap((h) =>
        h.calls.map((c) => c.info.scenario.iterationInTest)
      );
      assert.deepEqual(
        iterations.sort((a, b) => a - b),
        Array.from({ length: 100 }, (_, i) => i),
      );
    });
  });
});
