/**
 * The `k6/data` module of a script run by `wsload run`: `SharedArray`,
 * read-only data made once per process in the init stage and shared by
 * every VU, as in k6.
 *
 * As in k6, the array keeps each element as JSON and gives a fresh,
 * deeply frozen copy on each read (so no VU can change another's data,
 * and `data[0] === data[0]` is false); writes throw `SharedArray is
 * immutable`. It is a real array to `Array.isArray`, and array methods
 * (`filter`, `map`, iteration) work on it.
 *
 * @example Test data for every VU, read once
 * ```ts ignore
 * import { SharedArray } from "k6/data";
 *
 * const users = new SharedArray("users", () => JSON.parse(open("./users.json")));
 * export default function () {
 *   const user = users[__VU % users.length];
 * }
 * ```
 *
 * @module
 */
import { executionState } from "../internal/execution_state.ts";

const arrays = new Map<string, readonly string[]>();

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) {
      deepFreeze((value as Record<string, unknown>)[key]);
    }
  }
  return value;
}

function isIndex(key: string | symbol, length: number): boolean {
  if (typeof key !== "string") return false;
  const index = Number(key);
  return Number.isInteger(index) && index >= 0 && index < length &&
    String(index) === key;
}

function immutable(): never {
  throw new TypeError("SharedArray is immutable");
}

function isAsyncFunction(value: unknown): boolean {
  return typeof value === "function" &&
    value.constructor?.name === "AsyncFunction";
}

/** The elements' JSON, made once per name and process. */
function shared(name: string, make: () => unknown): readonly string[] {
  const known = arrays.get(name);
  if (known !== undefined) return known;
  const value = make.call(undefined);
  if (!Array.isArray(value)) {
    throw new Error("only arrays can be made into SharedArray");
  }
  const json = Object.freeze(
    value.map((element) => JSON.stringify(element) ?? "null"),
  );
  arrays.set(name, json);
  return json;
}

/**
 * An array of data shared by all VUs; see the module doc.
 *
 * @example A shared array outside a run
 * ```ts
 * import { SharedArray } from "./data.ts";
 * import assert from "node:assert/strict";
 *
 * const data = new SharedArray("doc example", () => [{ id: 1 }, { id: 2 }]);
 * assert.equal(data.length, 2);
 * assert.equal(data[1].id, 2);
 * assert.ok(Object.isFrozen(data[0]));
 * assert.throws(() => { (data as unknown[])[0] = {}; }, /SharedArray is immutable/);
 * ```
 */
// deno-lint-ignore no-explicit-any
export interface SharedArray<T = any> extends ReadonlyArray<T> {}

/** The `SharedArray` constructor. */
export const SharedArray: {
  /**
   * Makes (once per name and process) or finds a shared array.
   *
   * @param name Its name: the same name gives the same data.
   * @param make Returns the array; called only for the first VU.
   * @throws {Error} Outside the init stage, for an empty name, a `make`
   * that is not a (non-async) function, or that does not return an array.
   */
  // deno-lint-ignore no-explicit-any
  new <T = any>(name: string, make: () => T[]): SharedArray<T>;
} = function SharedArray(
  this: unknown,
  name: unknown,
  make: unknown,
): unknown {
  if (new.target === undefined) {
    throw new TypeError("SharedArray must be called with new");
  }
  const stage = executionState()?.stage;
  if (stage !== undefined && stage !== "init") {
    throw new Error("new SharedArray must be called in the init context");
  }
  const key = String(name ?? "");
  if (key === "" || name === undefined) {
    throw new Error("empty name provided to SharedArray's constructor");
  }
  if (isAsyncFunction(make)) {
    throw new Error(
      "SharedArray constructor does not support async functions as second argument",
    );
  }
  if (typeof make !== "function") {
    throw new Error(
      "a function is expected as the second argument of SharedArray's constructor",
    );
  }
  const json = shared(key, make as () => unknown);
  return new Proxy<unknown[]>([], {
    get(target, property, receiver) {
      if (property === "length") return json.length;
      if (isIndex(property, json.length)) {
        return deepFreeze(JSON.parse(json[Number(property)]));
      }
      return Reflect.get(target, property, receiver);
    },
    has(target, property) {
      return isIndex(property, json.length) || Reflect.has(target, property);
    },
    ownKeys() {
      return [...json.keys()].map(String).concat("length");
    },
    getOwnPropertyDescriptor(target, property) {
      if (isIndex(property, json.length)) {
        return {
          value: deepFreeze(JSON.parse(json[Number(property)])),
          writable: false,
          enumerable: true,
          configurable: true,
        };
      }
      if (property === "length") {
        return {
          ...Reflect.getOwnPropertyDescriptor(target, property),
          value: json.length,
        };
      }
      return Reflect.getOwnPropertyDescriptor(target, property);
    },
    set: immutable,
    defineProperty: immutable,
    deleteProperty: immutable,
    setPrototypeOf: immutable,
  });
} as never;

/** The `k6/data` default export. */
const data: { readonly SharedArray: typeof SharedArray } = Object.freeze({
  SharedArray,
});

export default data;
