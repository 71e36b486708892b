/**
 * What the loader's emitted modules call at run time: each VU's own
 * instances of the script's modules (k6 evaluates every module once per
 * VU), and the helpers the transforms insert: sequential array methods,
 * `open()` relative to the calling module, and a clear stop for a k6
 * function wsload does not provide.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { TestAbortError } from "../../internal/test_abort.ts";
import { executionState } from "../../internal/execution_state.ts";
export { markBlocking as blocks } from "../../internal/blocking_mark.ts";

/** A module as the loader emits it: fills a namespace, for one VU. */
export type ModuleFactory = (
  instances: ModuleInstances,
  namespace: Record<string, unknown>,
) => Promise<void>;

/**
 * One VU's instances of a script's modules: each module's factory runs at
 * most once per VU, on first import; cycles get the namespace of the
 * module that is still being evaluated, as ES modules do.
 */
export class ModuleInstances {
  readonly #factories: readonly ModuleFactory[];
  readonly #namespaces: (Record<string, unknown> | undefined)[] = [];

  /**
   * Creates the instances of one VU (none is evaluated yet).
   *
   * @param factories The modules' factories, by module id.
   */
  constructor(factories: readonly ModuleFactory[]) {
    this.#factories = factories;
  }

  /**
   * The VU's instance of a module, evaluating it on first use.
   *
   * @param id The module's id.
   * @returns Its namespace, once evaluated.
   */
  load(id: number): Promise<Record<string, unknown>> {
    const known = this.#namespaces[id];
    if (known !== undefined) return Promise.resolve(known);
    const namespace: Record<string, unknown> = Object.create(null);
    Object.defineProperty(namespace, Symbol.toStringTag, { value: "Module" });
    this.#namespaces[id] = namespace;
    // Called unbound: a module's top-level `this` is undefined, as in ESM.
    const factory = this.#factories[id];
    return factory(this, namespace).then(() => namespace);
  }

  /**
   * Defines a module's exports on its namespace, in the order of their
   * names (as ES module namespaces list them): live bindings as getters,
   * fixed values as read-only properties, and the names whose value comes
   * once the module ran ({@link ModuleInstances.settle}) as `undefined`
   * until then.
   *
   * @param namespace The namespace.
   * @param getters Export name → a function reading the binding.
   * @param values Export name → its value, known now (hoisted functions).
   * @param later The names {@link ModuleInstances.settle} gives values.
   */
  exports(
    namespace: Record<string, unknown>,
    getters: Record<string, () => unknown>,
    values: Record<string, unknown> = {},
    later: readonly string[] = [],
  ): void {
    const names = [...Object.keys(getters), ...Object.keys(values), ...later]
      .sort();
    for (const name of names) {
      if (Object.hasOwn(getters, name)) {
        Object.defineProperty(namespace, name, {
          get: getters[name],
          enumerable: true,
        });
      } else {
        Object.defineProperty(namespace, name, {
          value: values[name],
          enumerable: true,
          configurable: !Object.hasOwn(values, name),
        });
      }
    }
  }

  /**
   * Gives the exports that are constants their values, once the module
   * ran: a data property per VU instead of a getter closure.
   *
   * @param namespace The namespace.
   * @param values Export name → its value.
   */
  settle(
    namespace: Record<string, unknown>,
    values: Record<string, unknown>,
  ): void {
    for (const name of Object.keys(values)) {
      Object.defineProperty(namespace, name, {
        value: values[name],
        configurable: false,
      });
    }
  }

  /**
   * `export * from …`: adds every export of another namespace but
   * `default` and the names the module defines itself.
   *
   * @param namespace The exporting module's namespace.
   * @param from The other namespace.
   */
  exportAll(namespace: Record<string, unknown>, from: object): void {
    for (const name of Object.keys(from)) {
      if (name === "default" || Object.hasOwn(namespace, name)) continue;
      Object.defineProperty(namespace, name, {
        get: () => (from as Record<string, unknown>)[name],
        enumerable: true,
      });
    }
  }
}

type Callback = (...args: unknown[]) => unknown;

/**
 * `list.forEach(fn)` when `fn` blocks in k6: on an array (or, for
 * `forEach`, a Map or Set) the calls run one at a time, each awaited, so
 * the order is k6's; anything else gets its own method.
 *
 * @param target The receiver.
 * @param method The array method's name.
 * @param args Its arguments (callback first).
 * @returns What the method returns.
 *
 * @example Sleep between elements, in order
 * ```ts
 * import { each } from "./instance.ts";
 * import assert from "node:assert/strict";
 *
 * const seen: number[] = [];
 * await each([1, 2, 3], "forEach", async (n: number) => {
 *   await new Promise((resolve) => setTimeout(resolve, 4 - n));
 *   seen.push(n);
 * });
 * assert.deepEqual(seen, [1, 2, 3]);
 * ```
 */
export async function each(
  target: unknown,
  method: string,
  ...args: unknown[]
): Promise<unknown> {
  const [callback, thisArg] = args as [Callback, unknown];
  if (
    method === "forEach" && (target instanceof Map || target instanceof Set)
  ) {
    for (const [key, value] of [...target.entries()]) {
      await callback.call(thisArg, value, key, target);
    }
    return undefined;
  }
  if (!Array.isArray(target) || typeof callback !== "function") {
    return (target as Record<string, Callback>)[method](...args);
  }
  const list = target as unknown[];
  const call = (index: number) =>
    callback.call(thisArg, list[index], index, list);
  switch (method) {
    case "forEach":
      for (let i = 0; i < list.length; i++) if (i in list) await call(i);
      return undefined;
    case "map": {
      const result = new Array(list.length);
      for (let i = 0; i < list.length; i++) {
        if (i in list) result[i] = await call(i);
      }
      return result;
    }
    case "filter": {
      const result: unknown[] = [];
      for (let i = 0; i < list.length; i++) {
        if (i in list && await call(i)) result.push(list[i]);
      }
      return result;
    }
    case "flatMap": {
      const result: unknown[] = [];
      for (let i = 0; i < list.length; i++) {
        if (!(i in list)) continue;
        const value = await call(i);
        if (Array.isArray(value)) result.push(...value);
        else result.push(value);
      }
      return result;
    }
    case "some":
      for (let i = 0; i < list.length; i++) {
        if (i in list && await call(i)) return true;
      }
      return false;
    case "every":
      for (let i = 0; i < list.length; i++) {
        if (i in list && !await call(i)) return false;
      }
      return true;
    case "find":
    case "findIndex":
      for (let i = 0; i < list.length; i++) {
        if (await call(i)) return method === "find" ? list[i] : i;
      }
      return method === "find" ? undefined : -1;
    case "findLast":
    case "findLastIndex":
      for (let i = list.length - 1; i >= 0; i--) {
        if (await call(i)) return method === "findLast" ? list[i] : i;
      }
      return method === "findLast" ? undefined : -1;
    case "reduce": {
      let i = 0;
      let accumulator: unknown;
      if (args.length >= 2) {
        accumulator = args[1];
      } else {
        while (i < list.length && !(i in list)) i++;
        if (i >= list.length) {
          throw new TypeError("Reduce of empty array with no initial value");
        }
        accumulator = list[i++];
      }
      for (; i < list.length; i++) {
        if (i in list) {
          accumulator = await callback(accumulator, list[i], i, list);
        }
      }
      return accumulator;
    }
    default:
      return (list as unknown as Record<string, Callback>)[method](...args);
  }
}

const OPEN_OUTSIDE_INIT =
  'the "open" function is only available in the init stage (i.e. the global scope), see https://k6.io/docs/using-k6/test-life-cycle for more information';

/**
 * k6's `open(path, mode)` for one module: reads a file relative to the
 * module's folder (as k6 resolves it), as text, or as an `ArrayBuffer`
 * with mode `"b"`; only in the init stage, as in k6.
 *
 * @param base The module's folder.
 * @returns The module's `open`.
 *
 * @example Read a file next to the script
 * ```ts
 * import { openFrom } from "./instance.ts";
 * import assert from "node:assert/strict";
 *
 * const open = openFrom(".");
 * assert.match(open("deno.json") as string, /"name"/);
 * assert.ok(open("deno.json", "b") instanceof ArrayBuffer);
 * ```
 */
export function openFrom(
  base: string,
): (path: string, mode?: string) => string | ArrayBuffer {
  return (path, mode) => {
    const stage = executionState()?.stage;
    if (stage !== undefined && stage !== "init") {
      throw new Error(OPEN_OUTSIDE_INIT);
    }
    if (mode !== undefined && mode !== "" && mode !== "b") {
      throw new TypeError(`open() mode must be "" or "b", got "${mode}"`);
    }
    const bytes = readFileSync(resolve(base, String(path)));
    if (mode === "b") {
      return bytes.buffer.slice(
        bytes.byteOffset,
        bytes.byteOffset + bytes.byteLength,
      );
    }
    return bytes.toString("utf8");
  };
}

/**
 * Stands in for a k6 function wsload does not provide: when it is used,
 * the test stops with a script error saying so (k6's exit code 107), and
 * the calling code unwinds. Outside `wsload run` it just throws.
 *
 * @param message What is missing (from the loader).
 * @param callable Whether the script calls it (a value read fails at once).
 * @returns A function that stops the test when called.
 * @throws {TestAbortError} Under `wsload run`, for a value read.
 * @throws {Error} Elsewhere.
 *
 * @example Outside a run, a call throws the message
 * ```ts
 * import { missing } from "./instance.ts";
 * import assert from "node:assert/strict";
 *
 * const slep = missing("k6 has no 'slep' in wsload", true);
 * assert.throws(() => slep(), /has no 'slep'/);
 * ```
 */
export function missing(message: string, callable: boolean): () => never {
  const stop = (): never => {
    const state = executionState();
    if (state === undefined) throw new Error(message);
    state.test.stopWithScriptError(message);
    throw new TestAbortError(message);
  };
  if (!callable) stop();
  return stop;
}

/**
 * What a read of a withheld runtime global (`process`, `Deno`, `require`)
 * becomes in a sandboxed script: a `ReferenceError`, as k6 throws for a
 * name it does not define, with the loader's explanation.
 *
 * @param message The explanation.
 * @returns Never.
 * @throws {ReferenceError} Always.
 *
 * @example
 * ```ts
 * import { withheld } from "./instance.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => withheld("process is not defined"), ReferenceError);
 * ```
 */
export function withheld(message: string): never {
  throw new ReferenceError(message);
}
