// GJSON paths of res.json(selector), on the document of GJSON's README.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getPath } from "../http/_gjson.ts";

const DOC = {
  name: { first: "Tom", last: "Anderson" },
  age: 37,
  children: ["Sara", "Alex", "Jack"],
  "fav.movie": "Deer Hunter",
  friends: [
    { first: "Dale", last: "Murphy", age: 44, nets: ["ig", "fb", "tw"] },
    { first: "Roger", last: "Craig", age: 68, nets: ["fb", "tw"] },
    { first: "Jane", last: "Murphy", age: 47, nets: ["ig", "tw"] },
  ],
};

function value(path: string): unknown {
  const result = getPath(DOC, path);
  return result.exists ? result.value : undefined;
}

describe("GJSON paths", () => {
  const cases: [string, unknown][] = [
    ["name.last", "Anderson"],
    ["age", 37],
    ["children", ["Sara", "Alex", "Jack"]],
    ["children.#", 3],
    ["children.1", "Alex"],
    ["child*.2", "Jack"],
    ["c?ildren.0", "Sara"],
    ["fav\\.movie", "Deer Hunter"],
    ["friends.#.first", ["Dale", "Roger", "Jane"]],
    ["friends.1.last", "Craig"],
    ['friends.#(last=="Murphy").first', "Dale"],
    ['friends.#(last=="Murphy")#.first', ["Dale", "Jane"]],
    ["friends.#(age>45)#.last", ["Craig", "Murphy"]],
    ['friends.#(first%"D*").last', "Murphy"],
    ['friends.#(first!%"D*").last', "Craig"],
    ['friends.#(nets.#(=="fb"))#.first', ["Dale", "Roger"]],
    ["children|@reverse", ["Jack", "Alex", "Sara"]],
    ["children|@reverse|0", "Jack"],
    ["name.@keys", ["first", "last"]],
    ["friends.#.nets|@flatten|#", 7],
    ["@this.age", 37],
    ["name.middle", undefined],
    ["children.5", undefined],
    ['friends.#(last=="Nobody").first', undefined],
    ["", undefined],
  ];
  for (const [path, expected] of cases) {
    it(`${path || "(empty)"} → ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(value(path), expected);
    });
  }
});
