/**
 * Which modules of a script take part in an import cycle: their exports
 * can be read while they are still being evaluated, so the emitter keeps
 * them live bindings (see `_emit.ts`).
 *
 * @module
 */
import type { ImportTarget } from "./_module.ts";

/** What the search needs of a module: its id and import targets. */
export interface ModuleEdges {
  /** Its id (its index in the script's module table). */
  readonly id: number;
  /** Where its import specifiers, static and literal dynamic, lead. */
  readonly targets: ReadonlyMap<string, ImportTarget>;
}

/**
 * The ids of the modules that can reach themselves through the imports of
 * script modules.
 *
 * @param modules The script's modules, indexed by id.
 * @returns The ids of the modules in a cycle.
 *
 * @example Two modules importing each other, and one importing them
 * ```ts
 * import { modulesInCycles } from "./_cycles.ts";
 * import assert from "node:assert/strict";
 *
 * const imports = (...ids: number[]) =>
 *   new Map(ids.map((id) => [`./${id}.js`, { kind: "script", id } as const]));
 * const cyclic = modulesInCycles([
 *   { id: 0, targets: imports(1) },
 *   { id: 1, targets: imports(2) },
 *   { id: 2, targets: imports(1) },
 * ]);
 * assert.deepEqual([...cyclic].sort(), [1, 2]);
 * ```
 */
export function modulesInCycles(
  modules: readonly ModuleEdges[],
): Set<number> {
  const next = modules.map((module) => {
    const ids: number[] = [];
    for (const target of module.targets.values()) {
      if (target.kind === "script") ids.push(target.id);
    }
    return ids;
  });
  const cyclic = new Set<number>();
  // A script has a handful of modules: one search per module is enough.
  for (const start of modules) {
    const seen = new Set<number>();
    const stack = [...next[start.id]];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (id === start.id) {
        cyclic.add(id);
        break;
      }
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...next[id]);
    }
  }
  return cyclic;
}
