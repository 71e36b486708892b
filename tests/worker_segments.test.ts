// How a run's share of the test is split among its worker processes
// (runner/workers/segments.ts, runner/options/nested_tuple.ts): the parts
// add up to the instance's plan and keep its numbers, for the whole test
// and for an --execution-segment of it.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  ExecutionSegment,
  ExecutionSegmentSequence,
  type ExecutionShare,
  ExecutionTuple,
  iterationTuple,
  parseScenarios,
  type ScenarioConfig,
  SegmentedIndex,
  sharedIterationsCount,
} from "../runner/options/mod.ts";
import { type IterationInfo, Scheduler } from "../runner/execution/mod.ts";
import { workerShares } from "../runner/workers/segments.ts";

const INSTANCES: readonly [string, string][] = [
  ["0:1", ""],
  ["0:1/2", "0,1/2,1"],
  ["1/2:1", "0,1/2,1"],
  ["1/3:2/3", "0,1/3,2/3,1"],
  ["0:1/4", "0,1/4,1"],
  ["1/4:3/4", "0,1/4,3/4,1"],
];

function instanceOf([segment, sequence]: [string, string]): ExecutionTuple {
  return ExecutionTuple.create(
    ExecutionSegment.parse(segment),
    sequence === "" ? undefined : ExecutionSegmentSequence.parse(sequence),
  );
}

// [test-wide, instance-wide] numbers of a share's first `count` elements.
function numbers(share: ExecutionShare, count: number): [number, number][] {
  const inTest = new SegmentedIndex(share);
  const inInstance = new SegmentedIndex(share.instanceOffsets());
  return Array.from(
    { length: count },
    () => [inTest.next()[1], inInstance.next()[1]],
  );
}

function byTestNumber(list: [number, number][]): [number, number][] {
  return [...list].sort((a, b) => a[0] - b[0]);
}

function scenario(raw: Record<string, unknown>): ScenarioConfig {
  return parseScenarios({ s: raw })!.s;
}

describe("a run's share split among workers", () => {
  it("gives the workers VU counts that add up to the instance's, keeping its numbers", () => {
    for (const spec of INSTANCES) {
      const instance = instanceOf(spec);
      for (const workers of [1, 2, 3, 4]) {
        const shares = workerShares(instance, workers);
        for (let vus = 0; vus <= 25; vus++) {
          const what = `${spec} × ${workers} workers, ${vus} VUs`;
          const counts = shares.map((share) => share.scale(vus));
          const total = instance.scale(vus);
          assert.equal(counts.reduce((a, b) => a + b, 0), total, what);
          const split = shares.flatMap((share, i) => numbers(share, counts[i]));
          // The instance alone: test-wide numbers, and 1…n in the instance.
          const whole = numbers(instance, total);
          assert.deepEqual(byTestNumber(split), whole, what);
        }
      }
    }
  });

  it("splits shared iterations and arrival-rate starts as the instance has them", () => {
    const shared = scenario({
      executor: "shared-iterations",
      vus: 7,
      iterations: 40,
    }) as ScenarioConfig & { executor: "shared-iterations" };
    const rate = scenario({
      executor: "constant-arrival-rate",
      rate: 10,
      duration: "1s",
      preAllocatedVUs: 5,
      maxVUs: 9,
    });
    for (const spec of INSTANCES) {
      const instance = instanceOf(spec);
      for (const workers of [2, 3, 4]) {
        const what = `${spec} × ${workers} workers`;
        const shares = workerShares(instance, workers);
        const counts = shares.map((share) =>
          sharedIterationsCount(shared, share)
        );
        const total = sharedIterationsCount(shared, instance);
        assert.equal(counts.reduce((a, b) => a + b, 0), total, what);
        const split = shares.flatMap((share, i) =>
          counts[i] === 0
            ? []
            : numbers(iterationTuple(shared, share)!, counts[i])
        );
        const whole = numbers(iterationTuple(shared, instance)!, total);
        assert.deepEqual(byTestNumber(split), whole, `${what}: iterations`);
        // Arrival rates: which of the test's iterations each share starts.
        const starts = shares.flatMap((share) => {
          const tuple = iterationTuple(rate, share);
          return tuple ? numbers(tuple, 60) : [];
        }).filter(([n]) => n <= 60);
        const own = numbers(iterationTuple(rate, instance)!, 60)
          .filter(([n]) => n <= 60);
        assert.deepEqual(byTestNumber(starts), own, `${what}: arrival rate`);
        const rates = shares.map((share) => share.segment.length);
        assert.ok(
          Math.abs(rates.reduce((a, b) => a + b, 0) - instance.segment.length) <
            1e-12,
          `${what}: rates add up`,
        );
      }
    }
  });

  it("runs the same iterations with the same numbers in 1, 2 and 4 schedulers", async () => {
    const scenarios = parseScenarios({
      shared: { executor: "shared-iterations", vus: 5, iterations: 23 },
      perVU: {
        executor: "per-vu-iterations",
        vus: 3,
        iterations: 4,
        startTime: "0s",
      },
    })!;
    const runs = new Map<number, string[]>();
    for (const workers of [1, 2, 4]) {
      const seen: string[] = [];
      await Promise.all(
        workerShares(ExecutionTuple.create(), workers).map(async (share) => {
          const scheduler = new Scheduler<number>(
            { scenarios, executionTuple: share },
            {
              initVU: (id) => Promise.resolve(id.idInInstance),
              runIteration: (vu: number, info: IterationInfo) => {
                seen.push(
                  [
                    info.scenario.name,
                    `vu ${vu}=${info.vu.idInTest}`,
                    `iteration ${info.scenario.iterationInInstance}=${info.scenario.iterationInTest}`,
                  ].join(" "),
                );
                return Promise.resolve("completed");
              },
            },
          );
          await scheduler.run();
        }),
      );
      runs.set(workers, seen.sort());
    }
    const numbersOf = (lines: string[], name: string, what: RegExp) =>
      lines.filter((line) => line.startsWith(name)).map((line) =>
        what.exec(line)![0]
      ).sort();
    const one = runs.get(1)!;
    assert.equal(one.length, 23 + 12);
    for (const workers of [2, 4]) {
      const split = runs.get(workers)!;
      // Shared iterations: the same iteration numbers (k6 re-segments them
      // by VUs); which VU runs which one differs. Per-VU iterations are
      // numbered by each part's stripes, as by k6's segments: unique.
      assert.deepEqual(
        numbersOf(split, "shared", /iteration \S+/),
        numbersOf(one, "shared", /iteration \S+/),
      );
      const perVU = numbersOf(split, "perVU", /iteration \S+/);
      assert.equal(perVU.length, 12);
      assert.equal(new Set(perVU).size, 12);
      // As many VUs, each with one number in the test and the same one in
      // the instance (k6 numbers a segment's VUs by its stripes: with two
      // scenarios at once the numbers may skip one, never repeat).
      const vus = new Set(numbersOf(split, "", /vu \S+/));
      assert.equal(vus.size, new Set(numbersOf(one, "", /vu \S+/)).size);
      for (const vu of vus) assert.match(vu, /^vu (\d+)=\1$/);
    }
  });
});
