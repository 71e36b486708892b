/**
 * Which wsload module stands in for each module a k6 script may import:
 * the k6 built-ins and the jslib URLs the k6 docs use. Nothing is fetched
 * from the network.
 *
 * @module
 */

// Paths relative to the repository root (and to the npm package's root).
const BUILTINS: Readonly<Record<string, string>> = {
  "k6": "k6/k6",
  "k6/metrics": "k6/metrics",
  "k6/execution": "k6/execution",
  "k6/timers": "k6/timers",
  // k6 0.43–0.49 had the timers here; the xk6-websockets examples use it.
  "k6/experimental/timers": "k6/timers",
  "k6/http": "k6/http",
  "k6/encoding": "k6/encoding",
  "k6/crypto": "k6/crypto",
  "k6/data": "k6/data",
  "k6/ws": "k6/ws",
  "k6/websockets": "k6/websockets",
  "k6/experimental/websockets": "k6/experimental_websockets",
  // The xk6-websockets extension's name for the same module.
  "k6/x/websockets": "k6/websockets",
};

const JSLIBS: readonly (readonly [RegExp, string])[] = [
  [/^https:\/\/jslib\.k6\.io\/k6-utils\/[^/]+\/index\.js$/, "k6/utils"],
  [
    /^https:\/\/jslib\.k6\.io\/k6-summary\/[^/]+\/index\.js$/,
    "runner/summary/jslib",
  ],
];

// This file is runner/loader/k6_modules.{ts,js}: the root is two folders
// up, and modules share its extension (.ts from source, .js in the npm build).
const here = import.meta.url;
const extension = here.slice(here.lastIndexOf("."));

/** The k6 module specifiers wsload provides, for error messages. */
export const SUPPORTED_MODULES: readonly string[] = Object.freeze([
  ...Object.keys(BUILTINS),
  "https://jslib.k6.io/k6-utils/<version>/index.js",
  "https://jslib.k6.io/k6-summary/<version>/index.js",
]);

/**
 * The wsload module (its path from the package root, e.g. `k6/ws`) that
 * implements a k6 module specifier.
 *
 * @param specifier What the script imports.
 * @returns The path, or `undefined` when the specifier is not a k6 module.
 * @throws {Error} For a k6 module wsload does not provide.
 */
export function k6ModulePath(specifier: string): string | undefined {
  let path: string | undefined = BUILTINS[specifier];
  if (path === undefined) {
    path = JSLIBS.find(([pattern]) => pattern.test(specifier))?.[1];
  }
  if (path !== undefined) return path;
  if (specifier === "k6" || specifier.startsWith("k6/")) {
    const kind = specifier.startsWith("k6/x/")
      ? `the k6 extension '${specifier}' is not available in wsload`
      : `wsload does not provide the k6 module '${specifier}'`;
    throw new Error(
      `${kind}; supported modules: ${SUPPORTED_MODULES.join(", ")}`,
    );
  }
  return undefined;
}

/**
 * The URL of the wsload module that implements a k6 module specifier.
 *
 * @param specifier What the script imports, e.g. `k6/ws`.
 * @returns A `file:` URL, or `undefined` when the specifier is not a k6
 * module (a relative path, an npm name, another URL).
 * @throws {Error} For a k6 module wsload does not provide (`k6/browser`,
 * `k6/x/...` extensions, ...), naming the supported ones.
 *
 * @example
 * ```ts
 * import { k6ModuleURL } from "./k6_modules.ts";
 * import assert from "node:assert/strict";
 *
 * assert.match(k6ModuleURL("k6/ws")!, /\/k6\/ws\.(ts|js)$/);
 * assert.equal(k6ModuleURL("./lib.js"), undefined);
 * ```
 */
export function k6ModuleURL(specifier: string): string | undefined {
  const path = k6ModulePath(specifier);
  return path === undefined ? undefined : wsloadModuleURL(path);
}

/**
 * The URL of a wsload module by its path from the package root.
 *
 * @param path E.g. `k6/timers` (no extension).
 * @returns Its `file:` URL.
 */
export function wsloadModuleURL(path: string): string {
  return new URL(`../../${path}${extension}`, here).href;
}
