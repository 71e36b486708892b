/**
 * `deno task check`'s structure rules (as denoland/std's `_tools/` check
 * its packages), over the sources (tests, scripts, bench and examples
 * aside):
 *
 * 1. **No import cycles**, not even inside a folder. Only imports that run
 *    count: `import type` is erased, so types may refer to each other (an
 *    event's `target` is its socket, and the socket makes the event).
 * 2. **`_` files are private to their folder**: only files of the same
 *    folder import them.
 * 3. **`mod.ts` only re-exports** (and carries the folder's doc).
 * 4. **Every exported declaration has a doc comment.**
 *
 * Imports are read from the source text (static `import`/`export … from`
 * and `import("…")` with a literal), which `deno fmt` keeps regular.
 * Prints every violation; exits 1 if there is any.
 *
 * ```sh
 * deno run -A scripts/check_structure.ts
 * ```
 *
 * @module
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import process from "node:process";

/** Folders that are not the library's sources. */
const SKIPPED = new Set([
  "node_modules",
  "npm",
  "tests",
  "scripts",
  "bench",
  "examples",
  "docs",
  "types",
  "deploy",
]);

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s*"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)|(?:^|\n)\s*import\s*"([^"]+)"/g;

/** A source file and the local files it imports. */
interface SourceFile {
  readonly path: string;
  readonly text: string;
  /** Every local file it imports, types included. */
  readonly imports: readonly string[];
  /** The local files it imports at run time (no `import type`). */
  readonly runtimeImports: readonly string[];
}

function sourceFiles(root: string, folder = root): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (folder === root && SKIPPED.has(entry.name)) continue;
      found.push(...sourceFiles(root, path));
    } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
      found.push(path);
    }
  }
  return found;
}

function readSource(path: string): SourceFile {
  const text = readFileSync(path, "utf8");
  // Imports in doc comments (examples) are not the module's.
  const code = text.replace(/\/\*\*[\s\S]*?\*\//g, "");
  const imports: string[] = [];
  const runtimeImports: string[] = [];
  for (const match of code.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (!specifier.startsWith(".")) continue;
    const target = resolve(dirname(path), specifier);
    imports.push(target);
    if (!/^\s*(?:import|export)\s+type\b/.test(match[0])) {
      runtimeImports.push(target);
    }
  }
  return { path, text, imports, runtimeImports };
}

/** Every cycle of the import graph, each once, as a list of files. */
export function findCycles(
  files: ReadonlyMap<string, SourceFile>,
): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const seen = new Set<string>();
  const visit = (path: string): void => {
    state.set(path, "visiting");
    stack.push(path);
    for (const target of files.get(path)?.runtimeImports ?? []) {
      if (!files.has(target)) continue;
      if (state.get(target) === "visiting") {
        const cycle = stack.slice(stack.indexOf(target));
        const key = [...cycle].sort().join("\n");
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
      } else if (!state.has(target)) {
        visit(target);
      }
    }
    stack.pop();
    state.set(path, "done");
  };
  for (const path of [...files.keys()].sort()) {
    if (!state.has(path)) visit(path);
  }
  return cycles;
}

function privateImports(
  files: ReadonlyMap<string, SourceFile>,
  root: string,
): string[] {
  const problems: string[] = [];
  for (const file of files.values()) {
    for (const target of file.imports) {
      if (
        basename(target).startsWith("_") &&
        dirname(target) !== dirname(file.path)
      ) {
        problems.push(
          `${relative(root, file.path)} imports ${
            relative(root, target)
          }, private to ${relative(root, dirname(target)) || "."}/`,
        );
      }
    }
  }
  return problems;
}

function modFilesWithCode(
  files: ReadonlyMap<string, SourceFile>,
  root: string,
): string[] {
  const problems: string[] = [];
  for (const file of files.values()) {
    if (basename(file.path) !== "mod.ts" || dirname(file.path) === root) {
      continue;
    }
    const code = file.text.replace(/\/\*[\s\S]*?\*\//g, "").replace(
      /\/\/.*$/gm,
      "",
    );
    const statements = code.split(";").map((part) => part.trim()).filter(
      Boolean,
    );
    const other = statements.find((statement) =>
      !/^export\s+(?:type\s+)?(?:\*|\{[^}]*\})(?:\s+as\s+\w+)?\s+from\s+"[^"]+"$/
        .test(statement.replace(/\s+/g, " "))
    );
    if (other !== undefined) {
      problems.push(
        `${relative(root, file.path)} does more than re-export: ${
          other.split("\n")[0]
        }`,
      );
    }
  }
  return problems;
}

const DECLARATION =
  /^export\s+(?:default\s+)?(?:declare\s+)?(?:async\s+)?(?:abstract\s+)?(?:function\*?|class|const|let|var|interface|type|enum)\s+([\w$]+)/;

function undocumentedExports(
  files: ReadonlyMap<string, SourceFile>,
  root: string,
): string[] {
  const problems: string[] = [];
  for (const file of files.values()) {
    const lines = file.text.split("\n");
    // The implementation after documented overloads needs no doc of its own.
    const documented = new Set<string>();
    lines.forEach((line, index) => {
      const match = DECLARATION.exec(line);
      if (match === null) return;
      if (/^export\s+(?:async\s+)?function/.test(line)) {
        if (documented.has(match[1])) return;
        documented.add(match[1]);
      }
      let previous = index - 1;
      // Lint directives may stand between the doc and the declaration.
      while (
        previous >= 0 && /^\s*\/\/ deno-lint-ignore/.test(lines[previous])
      ) {
        previous--;
      }
      if (previous < 0 || !/\*\/\s*$/.test(lines[previous])) {
        problems.push(
          `${relative(root, file.path)}:${index + 1}: export ${
            match[1]
          } has no doc comment`,
        );
      }
    });
  }
  return problems;
}

/**
 * Checks a source tree.
 *
 * @param root The repository's root.
 * @returns Every violation, as a line of text.
 */
export function checkStructure(root: string): string[] {
  const files = new Map<string, SourceFile>();
  for (const path of sourceFiles(root)) {
    files.set(resolve(path), readSource(resolve(path)));
  }
  return [
    ...findCycles(files).map((cycle) =>
      `import cycle: ${
        [...cycle, cycle[0]].map((path) => relative(root, path)).join(" → ")
      }`
    ),
    ...privateImports(files, root),
    ...modFilesWithCode(files, root),
    ...undocumentedExports(files, root),
  ];
}

if ((import.meta as { main?: boolean }).main) {
  const root = resolve(process.argv[2] ?? ".");
  const problems = checkStructure(root);
  for (const problem of problems) console.log(problem);
  console.log(
    problems.length === 0
      ? "structure: ok"
      : `structure: ${problems.length} problem(s)`,
  );
  process.exit(problems.length === 0 ? 0 : 1);
}
