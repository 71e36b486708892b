/**
 * What a sandboxed worker may read: the script's files (the folder of each
 * of its local modules, each file a literal `open("…")` names), the
 * temporary folder of its emitted modules, wsload's own package, and the
 * `node_modules` folders Node resolves wsload's dependencies from. Nothing
 * else: not the user's home, not `/etc`, not the config or output files of
 * the run (the coordinator reads and writes those).
 *
 * @module
 */
import { existsSync, realpathSync } from "node:fs";
import { dirname, join, parse } from "node:path";
import { fileURLToPath } from "node:url";
import type { ScriptManifest } from "../loader/import.ts";

// This file is runner/workers/read_allowances.{ts,js}: the package root
// (the repository, or the npm package's esm/ folder) is two folders up.
const PACKAGE_URL = new URL("../../", import.meta.url);

/**
 * wsload's own files: its package root, when it runs from files (not from
 * a remote URL, as `deno run jsr:…` does, where Deno's cache serves it).
 *
 * @returns The folder, or `undefined`.
 */
export function packageRoot(): string | undefined {
  if (PACKAGE_URL.protocol !== "file:") return undefined;
  return fileURLToPath(PACKAGE_URL).replace(/[\\/]$/, "");
}

// The folder of the package.json that holds wsload's modules (the npm
// package's root above esm/): Node reads it to know they are ES modules.
function manifestFolder(root: string): string {
  for (let at = root;; at = dirname(at)) {
    if (existsSync(join(at, "package.json"))) return at;
    if (at === parse(at).root) return root;
  }
}

// Where Node looks for the dependencies of a module in `folder`: every
// node_modules folder on the way up.
function nodeModulesAbove(folder: string): string[] {
  const found: string[] = [];
  const { root } = parse(folder);
  for (let at = folder;; at = dirname(at)) {
    const candidate = join(at, "node_modules");
    if (existsSync(candidate)) found.push(candidate);
    if (at === root) break;
  }
  return found;
}

// Node's permission model checks real paths; a symlinked folder (a
// temporary folder under a linked /tmp, a linked node_modules) is allowed
// by both names.
function withRealPaths(paths: Iterable<string>): string[] {
  const all = new Set<string>();
  for (const path of paths) {
    all.add(path);
    try {
      all.add(realpathSync(path));
    } catch {
      // A file the script may open later; it need not exist yet.
    }
  }
  return [...all];
}

/**
 * The paths a sandboxed worker of a script may read.
 *
 * @param script The prepared script.
 * @returns Absolute paths (folders are allowed with their contents).
 *
 * @example
 * ```ts ignore
 * import { readAllowances } from "./read_allowances.ts";
 * import { prepareScript } from "../loader/mod.ts";
 *
 * const script = await prepareScript("examples/chat.js");
 * console.log(readAllowances(script)); // [".../examples", "/tmp/wsload-script-…", …]
 * ```
 */
export function readAllowances(script: ScriptManifest): string[] {
  const paths = [...script.reads, script.folder];
  const root = packageRoot();
  if (root !== undefined) {
    paths.push(manifestFolder(root), ...nodeModulesAbove(root));
  }
  return withRealPaths(paths);
}
