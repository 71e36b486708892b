/**
 * The worker side of the loader: imports a script that `prepareScript` (`load.ts`) wrote out, in the process that runs it (a worker of
 * `wsload run`), without the parser and transforms that wrote it.
 *
 * @module
 */
import { PositionMapper } from "./_positions.ts";
import { type ModuleFactory, ModuleInstances } from "./instance.ts";
import { ScriptError } from "./script_error.ts";

/** One emitted module, as the loader wrote it. */
export interface EmittedFile {
  /** Its `file:` URL. */
  readonly url: string;
  /** Its path. */
  readonly file: string;
  /** The user's module it stands for (file URL or remote URL). */
  readonly name: string;
  /** The emitter's source map. */
  readonly map: string;
  /** The TypeScript transform's map, when it moved code. */
  readonly typeScriptMap?: string;
}

/**
 * A script read, transformed and written out, but not imported: plain
 * data a worker process receives to run it.
 */
export interface ScriptManifest {
  /** The script's absolute path. */
  readonly path: string;
  /** The temporary folder of the emitted modules. */
  readonly folder: string;
  /** The emitted modules, by module id (the script's entry is 0). */
  readonly modules: readonly EmittedFile[];
  /**
   * Places where the script cannot keep k6's order or uses a k6 function
   * wsload lacks: `file:line:col: text`, for the run log.
   */
  readonly warnings: readonly string[];
  /**
   * What the script's code reads: the folder of every local module and
   * every file a literal `open("…")` names (the sandbox's read allowances).
   */
  readonly reads: readonly string[];
  /** Whether it was loaded for sandboxed code (the loader's refusals). */
  readonly sandbox: boolean;
}

/** A script imported into this process, ready to be instantiated per VU. */
export interface RunnableScript {
  /** The script's absolute path. */
  readonly path: string;
  /**
   * Evaluates the script's modules for one VU (k6 runs init code per
   * VU) and returns the main module's exports.
   */
  instantiate(): Promise<Readonly<Record<string, unknown>>>;
  /**
   * Rewrites a text (a stack trace) to name the user's files, lines,
   * columns and functions instead of the emitted ones.
   */
  mapPaths(text: string): string;
}

/**
 * Imports a prepared script's modules into this process (their top level
 * defines each module's factory; no script code runs yet).
 *
 * @param manifest What {@link prepareScript} wrote.
 * @returns The script, ready to be instantiated per VU.
 * @throws {ScriptError} When a module fails to import (the message names
 * the user's file, line and column).
 */
export async function importScript(
  manifest: ScriptManifest,
): Promise<RunnableScript> {
  const positions = new PositionMapper();
  for (const module of manifest.modules) {
    positions.add(
      module.url,
      module.file,
      module.name,
      module.map,
      module.typeScriptMap,
    );
  }
  const factories: ModuleFactory[] = [];
  for (const [id, module] of manifest.modules.entries()) {
    try {
      const namespace = await import(module.url);
      factories[id] = namespace.__wsload_module as ModuleFactory;
    } catch (error) {
      throw new ScriptError(
        positions.map(String((error as Error)?.stack ?? error)),
        { cause: error },
      );
    }
  }
  return {
    path: manifest.path,
    async instantiate() {
      const exports = await new ModuleInstances(factories).load(0);
      return Object.freeze(exports);
    },
    mapPaths: (text) => positions.map(text),
  };
}
