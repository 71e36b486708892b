/**
 * What the loader refuses or withholds when script code runs sandboxed
 * (the default of `wsload run`): imports of anything but k6 modules, local
 * files and `https://` modules, and the runtime globals k6 scripts do not
 * have. The runtime's permission system is what enforces the sandbox (see
 * `runner/workers/`); these rules turn its failures into clear messages at
 * the place the script asks for more.
 *
 * @module
 */
import type { WithheldGlobal } from "./_emit.ts";

/** The flag that lifts the sandbox, as messages name it. */
export const NO_SANDBOX_FLAG = "--no-sandbox";

const SANDBOX_NOTE =
  `wsload runs script code in a sandbox that allows the network and reading the script's files; run a trusted script with ${NO_SANDBOX_FLAG} to lift it`;

/** `require` does not exist in ES modules, sandbox or not. */
const REQUIRE: WithheldGlobal = {
  name: "require",
  message:
    "require is not defined: wsload runs scripts as ES modules; use import for k6 modules, local files and https:// modules",
};

/**
 * The runtime globals a module's code may not read: `process` and `Deno`
 * in the sandbox, `require` always.
 *
 * @param sandbox Whether the script runs sandboxed.
 * @returns The withheld globals with their messages.
 *
 * @example
 * ```ts
 * import { withheldGlobals } from "./sandbox.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(withheldGlobals(true).map((g) => g.name), ["require", "process", "Deno"]);
 * assert.deepEqual(withheldGlobals(false).map((g) => g.name), ["require"]);
 * ```
 */
export function withheldGlobals(sandbox: boolean): readonly WithheldGlobal[] {
  if (!sandbox) return [REQUIRE];
  return [
    REQUIRE,
    {
      name: "process",
      message:
        `process is not defined: k6 scripts have no Node.js process object, and ${SANDBOX_NOTE}`,
    },
    {
      name: "Deno",
      message:
        `Deno is not defined: k6 scripts have no Deno namespace, and ${SANDBOX_NOTE}`,
    },
  ];
}

function kindOf(specifier: string): string {
  if (specifier.startsWith("node:")) return "a Node.js built-in module";
  if (specifier.startsWith("npm:")) return "an npm package";
  if (specifier.startsWith("jsr:")) return "a JSR package";
  if (/^[a-z][a-z0-9+.-]*:/i.test(specifier)) {
    return `a ${specifier.slice(0, specifier.indexOf(":") + 1)} URL`;
  }
  return "a package name, which k6 does not resolve";
}

/**
 * Why an import is refused in the sandbox.
 *
 * @param specifier What the script imports.
 * @returns The message (the loader adds where).
 *
 * @example
 * ```ts
 * import { refusedImport } from "./sandbox.ts";
 * import assert from "node:assert/strict";
 *
 * assert.match(refusedImport("node:fs"), /^cannot import 'node:fs', a Node\.js built-in module/);
 * ```
 */
export function refusedImport(specifier: string): string {
  return `cannot import '${specifier}', ${
    kindOf(specifier)
  }: scripts may import k6 modules (k6, k6/http, k6/ws, ...), local files ('./lib.js') and https:// modules; ${SANDBOX_NOTE}`;
}

/**
 * Why script code hit the runtime's permission system, for the end of the
 * error it got (Deno's `NotCapable`, Node's `ERR_ACCESS_DENIED`).
 */
export const PERMISSION_HINT: string = SANDBOX_NOTE;

/**
 * Whether an error comes from the runtime's permission system.
 *
 * @param error What script code threw.
 * @returns `true` for Deno's `NotCapable` and Node's `ERR_ACCESS_DENIED`.
 *
 * @example
 * ```ts
 * import { isPermissionError } from "./sandbox.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(isPermissionError(Object.assign(new Error(), { code: "ERR_ACCESS_DENIED" })));
 * assert.ok(!isPermissionError(new TypeError("x")));
 * ```
 */
export function isPermissionError(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === "NotCapable" || code === "ERR_ACCESS_DENIED";
}
