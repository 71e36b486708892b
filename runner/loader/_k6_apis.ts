/**
 * What the auto-await transform knows of k6's functions: which block the
 * VU in k6 (and return a promise in wsload), which call a function
 * argument and return its result, and which take callbacks that run later.
 *
 * @module
 */

/**
 * k6 functions that block the VU in k6 and return a promise in wsload, by
 * the wsload module that provides them (`k6/k6` is the `k6` module).
 */
export const BLOCKING_APIS: Readonly<Record<string, ReadonlySet<string>>> = {
  "k6/k6": new Set(["sleep"]),
  "k6/ws": new Set(["connect"]),
  "k6/http": new Set([
    "request",
    "get",
    "post",
    "put",
    "patch",
    "del",
    "head",
    "options",
    "batch",
  ]),
};

/**
 * k6 functions that call a function argument at once and return what it
 * returns: they block when that function blocks. The value is the index
 * of the function argument; `check`'s argument is an object of functions.
 */
export const PASS_THROUGH_APIS: Readonly<
  Record<
    string,
    Readonly<
      Record<string, { readonly argument: number; readonly object?: boolean }>
    >
  >
> = {
  "k6/k6": {
    group: { argument: 1 },
    check: { argument: 1, object: true },
  },
};

/**
 * Methods that take a callback to run later, once per event or tick: an
 * async callback is fine there (wsload runs a VU's events one at a time).
 */
export const CALLBACK_SINKS: ReadonlySet<string> = new Set([
  "on",
  "addEventListener",
  "setTimeout",
  "setInterval",
  "then",
  "catch",
  "finally",
]);

/**
 * Array methods whose callback the transform can run one element at a
 * time, awaiting each call, when the callback blocks.
 */
export const SEQUENTIAL_METHODS: ReadonlySet<string> = new Set([
  "forEach",
  "map",
  "filter",
  "some",
  "every",
  "find",
  "findIndex",
  "findLast",
  "findLastIndex",
  "flatMap",
  "reduce",
]);
