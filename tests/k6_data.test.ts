// k6/data's SharedArray, against what k6 v0.48.0 does with the same calls
// (tests/scripts/blocking/shared_array.js shows it under wsload run).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SharedArray } from "../k6/data.ts";
import { createHarness } from "./_k6_harness.ts";

describe("k6/data SharedArray", () => {
  it("calls its function once per name and process; every reader gets the same data", () => {
    let calls = 0;
    const make = () => {
      calls++;
      return [{ id: 1, tags: ["a"] }, { id: 2, tags: [] }];
    };
    const first = new SharedArray("users-once", make);
    const second = new SharedArray("users-once", make);
    assert.equal(calls, 1);
    assert.deepEqual([...second], [{ id: 1, tags: ["a"] }, {
      id: 2,
      tags: [],
    }]);
    assert.equal(first.length, 2);
  });

  it("is an array of deeply frozen copies that no reader can change", () => {
    const data = new SharedArray("frozen", () => [{ nested: { value: 1 } }]);
    assert.ok(Array.isArray(data));
    assert.ok(Object.isFrozen(data[0]) && Object.isFrozen(data[0].nested));
    assert.notEqual(data[0], data[0]); // a fresh copy per read, as in k6
    assert.throws(() => {
      (data[0].nested as { value: number }).value = 2;
    }, TypeError);
    for (
      const write of [
        () => ((data as unknown[])[0] = {}),
        () => ((data as unknown[]).length = 0),
        () => (data as unknown[]).push(1),
      ]
    ) {
      assert.throws(write, /^TypeError: SharedArray is immutable$/);
    }
    assert.equal(data[5], undefined);
    assert.deepEqual(Object.keys(data), ["0"]);
  });

  it("supports iteration and array methods", () => {
    const data = new SharedArray("methods", () => [1, 2, 3]);
    assert.deepEqual([...data], [1, 2, 3]);
    assert.deepEqual(data.filter((n: number) => n > 1), [2, 3]);
    assert.deepEqual(data.map((n: number) => n * 2), [2, 4, 6]);
    assert.equal(data.indexOf(3), 2);
    assert.ok(1 in data && !(3 in data));
  });

  it("refuses what k6 refuses, with k6's texts", () => {
    assert.throws(
      () => new SharedArray("", () => []),
      /^Error: empty name provided to SharedArray's constructor$/,
    );
    assert.throws(
      () => new SharedArray("not a function", 5 as unknown as () => []),
      /^Error: a function is expected as the second argument of SharedArray's constructor$/,
    );
    assert.throws(
      // deno-lint-ignore require-await
      () => new SharedArray("async", (async () => []) as unknown as () => []),
      /^Error: SharedArray constructor does not support async functions as second argument$/,
    );
    assert.throws(
      () => new SharedArray("object", () => ({}) as unknown as []),
      /^Error: only arrays can be made into SharedArray$/,
    );
    createHarness({ stage: "vu" }).run(() => {
      assert.throws(
        () => new SharedArray("in a VU", () => []),
        /^Error: new SharedArray must be called in the init context$/,
      );
    });
  });
});
