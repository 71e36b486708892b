/**
 * Loads a k6 script so that it runs on wsload, unchanged:
 *
 * - every module of the script (the file, the local modules it imports,
 *   remote `https://` modules) is read, its TypeScript types removed, and
 *   parsed; a syntax error names the user's file, line and column;
 * - the auto-await analysis finds where k6 blocks (`sleep()`,
 *   `ws.connect()`, `http.*`, and every function that calls them, across
 *   modules) and awaits there;
 * - each module becomes a factory that every VU calls for its own
 *   instance, as k6 evaluates every module per VU (`__ENV`, `__VU` and
 *   `open()` work at any module's top level; module state is per VU);
 * - k6's modules resolve to wsload's, once per process; `console`, `open`
 *   and the timers are provided where the module does not declare them.
 *
 * The emitted modules are written to a temporary folder and imported,
 * which works the same under Deno and Node; stack traces are mapped back
 * to the user's files, lines and columns.
 *
 * @module
 */
import { rmSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, extname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { AnyNode, Program } from "acorn";
import { type AwaitPlan, planAwaits } from "./_auto_await.ts";
import { emitModule, type InjectedGlobal } from "./_emit.ts";
import { modulesInCycles } from "./_cycles.ts";
import { forEachNode, type ImportTarget, ScriptModule } from "./_module.ts";
import { parseModule } from "./_parse.ts";
import {
  fetchRemote,
  isTypeScript,
  type ModuleSource,
  readLocal,
  stripTypes,
} from "./_source.ts";
import {
  type EmittedFile,
  importScript,
  type RunnableScript,
  type ScriptManifest,
} from "./import.ts";
import { k6ModulePath, wsloadModuleURL } from "./k6_modules.ts";
import { refusedImport, withheldGlobals } from "./sandbox.ts";
import { ScriptError } from "./script_error.ts";

/** A prepared script, with the removal of its temporary modules. */
export interface PreparedScript extends ScriptManifest {
  /** Removes the temporary modules. */
  dispose(): Promise<void>;
  /** Removes the temporary modules at once, for a process about to exit. */
  disposeNow(): void;
}

/** A loaded script: prepared and imported into this process. */
export interface LoadedScript extends RunnableScript {
  /** See {@link ScriptManifest.warnings}. */
  readonly warnings: readonly string[];
  /** Removes the temporary modules. */
  dispose(): Promise<void>;
  /** Removes the temporary modules at once, for a process about to exit. */
  disposeNow(): void;
}

/** Options of {@link loadScript}. */
export interface LoadOptions {
  /** The environment: `SSL_CERT_FILE` adds trusted CAs for remote modules. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Make the script wait where k6 blocks (default); `false` runs it as
   * written (k6's `--compatibility-mode=base`).
   */
  readonly autoAwait?: boolean;
  /**
   * Script code will run sandboxed (default): `node:`, `npm:`, `jsr:` and
   * bare imports are refused, reads of `process` and `Deno` throw a clear
   * error. `false` passes such imports to the runtime (`--no-sandbox`).
   */
  readonly sandbox?: boolean;
}

const NO_AWAITS: AwaitPlan = Object.freeze({
  awaited: new Set(),
  madeAsync: new Set(),
  sequenced: new Set(),
  marked: new Set(),
  warnings: [],
}) as AwaitPlan;

const SCRIPT_EXTENSIONS = new Set([
  ".js",
  ".mjs",
  ".cjs",
  ".ts",
  ".mts",
  ".cts",
]);
const ENTRY_EXTENSIONS = new Set([".js", ".mjs", ".ts", ".mts"]);

const GLOBALS: readonly InjectedGlobal[] = [
  ...["setTimeout", "clearTimeout", "setInterval", "clearInterval"].map((
    name,
  ) => ({ name, url: wsloadModuleURL("k6/timers") })),
  { name: "console", url: wsloadModuleURL("runner/script_globals") },
  { name: "open", url: "" },
];
const RUNTIME_URL = wsloadModuleURL("runner/loader/instance");

/** A module found while walking the imports. */
interface Found {
  readonly id: number;
  /** Absolute path, or `https:` URL. */
  readonly location: string;
  /** What messages and stack traces call it. */
  readonly name: string;
  readonly remote: boolean;
}

/** A module read and parsed. */
interface Parsed extends Found {
  readonly source: ModuleSource;
  readonly program: Program;
  readonly targets: Map<string, ImportTarget>;
  /** Where `open()` resolves relative paths. */
  readonly openBase: string;
}

function isScriptPath(path: string): boolean {
  return SCRIPT_EXTENSIONS.has(extname(path).toLowerCase());
}

function specifiersOf(program: Program): { value: string; node: AnyNode }[] {
  const found: { value: string; node: AnyNode }[] = [];
  forEachNode(program, (node) => {
    const source = node.type === "ImportDeclaration" ||
        node.type === "ExportAllDeclaration" ||
        node.type === "ExportNamedDeclaration" ||
        node.type === "ImportExpression"
      ? node.source
      : undefined;
    if (source?.type === "Literal" && typeof source.value === "string") {
      found.push({ value: source.value, node: source });
    }
  });
  return found;
}

/**
 * Reads, transforms and writes out a script and everything it imports;
 * nothing of it is imported or run. A worker process runs it with
 * {@link importScript}.
 *
 * @param path The script file (`.js`, `.mjs`, `.ts`, `.mts`).
 * @param options The environment, auto-await and sandbox rules.
 * @returns The prepared script.
 * @throws {ScriptError} When a module cannot be read, fetched or parsed,
 * imports a k6 module wsload does not provide, or (sandboxed) imports
 * something else than k6 modules, local files and `https://` modules
 * (k6's exit code 107).
 *
 * @example Prepare a script, then import it
 * ```ts ignore
 * import { importScript, prepareScript } from "./load.ts";
 *
 * const prepared = await prepareScript("examples/chat.js");
 * const script = await importScript(prepared); // in the worker
 * const exports = await script.instantiate(); // the init code of one VU
 * await prepared.dispose();
 * ```
 */
export async function prepareScript(
  path: string,
  options: LoadOptions = {},
): Promise<PreparedScript> {
  const entry = resolve(path);
  if (!ENTRY_EXTENSIONS.has(extname(entry).toLowerCase())) {
    throw new ScriptError(
      `unsupported script type '${
        extname(entry) || basename(entry)
      }': wsload runs .js, .mjs, .ts and .mts scripts`,
    );
  }
  const sandbox = options.sandbox ?? true;
  const parsed = await readGraph(entry, options.env ?? {}, sandbox);
  const modules = parsed.map((module) =>
    new ScriptModule(
      module.id,
      module.name,
      module.source.code,
      module.program,
      module.targets,
    )
  );
  const plan = options.autoAwait === false ? NO_AWAITS : planAwaits(modules);
  const warnings = [...plan.warnings];
  const k6Exports = await exportsOfK6Modules(parsed);
  const cyclic = modulesInCycles(parsed);
  const folder = await mkdtemp(join(tmpdir(), "wsload-script-"));
  const reads = new Set<string>();
  const files: EmittedFile[] = [];
  try {
    for (const module of modules) {
      const found = parsed[module.id];
      if (!found.remote) reads.add(dirname(found.location));
      const emitted = emitModule(module, {
        plan,
        globals: GLOBALS,
        withheld: withheldGlobals(sandbox),
        runtimeURL: RUNTIME_URL,
        k6Exports: (name) => k6Exports.get(name) ?? new Set(),
        openBase: found.openBase,
        inCycle: cyclic.has(module.id),
        warn: (message) => warnings.push(message),
      });
      for (const opened of emitted.opened) {
        reads.add(resolve(found.openBase, opened));
      }
      const file = join(
        folder,
        `${module.id}_${
          basename(new URL(found.name).pathname).replace(/\.[^.]*$/, "")
        }.mjs`,
      );
      await writeFile(file, emitted.code);
      files.push({
        url: pathToFileURL(file).href,
        file,
        name: found.name,
        map: emitted.map,
        typeScriptMap: found.source.map,
      });
    }
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
  return {
    path: entry,
    folder,
    modules: files,
    warnings,
    reads: [...reads],
    sandbox,
    dispose: () => rm(folder, { recursive: true, force: true }),
    disposeNow: () => rmSync(folder, { recursive: true, force: true }),
  };
}

/**
 * Loads a script and everything it imports into this process: {@link
 * prepareScript} and {@link importScript} (nothing of it runs until
 * {@link LoadedScript.instantiate}).
 *
 * @param path The script file (`.js`, `.mjs`, `.ts`, `.mts`).
 * @param options The environment, auto-await and sandbox rules.
 * @returns The loaded script.
 * @throws {ScriptError} See {@link prepareScript} and {@link importScript}.
 *
 * @example Load a script and instantiate it for one VU
 * ```ts ignore
 * import { loadScript } from "./load.ts";
 *
 * const script = await loadScript("examples/chat.js");
 * const exports = await script.instantiate(); // the init code of one VU
 * console.log(Object.keys(exports)); // ["options", "default"]
 * await script.dispose();
 * ```
 */
export async function loadScript(
  path: string,
  options: LoadOptions = {},
): Promise<LoadedScript> {
  const prepared = await prepareScript(path, options);
  let runnable: RunnableScript;
  try {
    runnable = await importScript(prepared);
  } catch (error) {
    await prepared.dispose();
    throw error;
  }
  return {
    ...runnable,
    warnings: prepared.warnings,
    dispose: prepared.dispose,
    disposeNow: prepared.disposeNow,
  };
}

/** Reads and parses the entry and every module it imports, breadth first. */
async function readGraph(
  entry: string,
  env: Readonly<Record<string, string | undefined>>,
  sandbox: boolean,
): Promise<Parsed[]> {
  const found: Found[] = [];
  const byLocation = new Map<string, Found>();
  const discover = (location: string, remote: boolean): Found => {
    const known = byLocation.get(location);
    if (known) return known;
    const module: Found = {
      id: found.length,
      location,
      name: remote ? location : pathToFileURL(location).href,
      remote,
    };
    found.push(module);
    byLocation.set(location, module);
    return module;
  };
  discover(entry, false);
  // Each URL is fetched once; a redirect's target is known by both URLs.
  const fetched = new Map<string, Promise<{ text: string; url: string }>>();
  const fetchOnce = (url: string) => {
    let answer = fetched.get(url);
    if (answer === undefined) {
      answer = fetchRemote(url, env);
      fetched.set(url, answer);
      answer.then((result) => {
        if (!fetched.has(result.url)) fetched.set(result.url, answer!);
      }, () => {});
    }
    return answer;
  };
  const parsed: Parsed[] = [];
  for (let i = 0; i < found.length; i++) {
    const module = found[i];
    let text: string;
    let base = module.location;
    if (module.remote) {
      const answer = await fetchOnce(module.location);
      text = answer.text;
      base = answer.url;
    } else {
      text = await readLocal(module.location);
    }
    const source = isTypeScript(module.location)
      ? await stripTypes(text, module.name)
      : { code: text, original: text };
    const program = parseModule(source.code, module.name, source.original);
    const targets = new Map<string, ImportTarget>();
    for (const { value, node } of specifiersOf(program)) {
      if (targets.has(value)) continue;
      const where = () => {
        const start = node.loc?.start;
        return start
          ? `${module.name}:${start.line}:${start.column + 1}`
          : module.name;
      };
      let path: string | undefined;
      try {
        path = k6ModulePath(value);
      } catch (error) {
        throw new ScriptError(`${where()}: ${(error as Error).message}`);
      }
      if (path !== undefined) {
        targets.set(value, {
          kind: "k6",
          module: path,
          specifier: value,
          url: wsloadModuleURL(path),
        });
        continue;
      }
      const target = resolveSpecifier(value, base, module.remote);
      if (target === undefined) {
        // node:, npm:, jsr:, package names: the runtime's, outside the sandbox.
        if (sandbox) {
          throw new ScriptError(`${where()}: ${refusedImport(value)}`);
        }
        targets.set(value, { kind: "asset", url: value });
        continue;
      }
      if (target.script) {
        targets.set(value, {
          kind: "script",
          id: discover(target.location, target.remote).id,
        });
      } else {
        targets.set(value, { kind: "asset", url: target.location });
      }
    }
    parsed.push({
      ...module,
      source,
      program,
      targets,
      openBase: module.remote ? dirname(entry) : dirname(module.location),
    });
  }
  return parsed;
}

/** Where a relative, `file:` or `https:` specifier points. */
function resolveSpecifier(
  specifier: string,
  base: string,
  baseIsRemote: boolean,
):
  | { location: string; script: boolean; remote: boolean }
  | undefined {
  if (/^https?:\/\//i.test(specifier)) {
    return { location: specifier, script: true, remote: true };
  }
  const relative = specifier.startsWith("./") || specifier.startsWith("../") ||
    specifier.startsWith("/");
  if (baseIsRemote && relative) {
    return {
      location: new URL(specifier, base).href,
      script: true,
      remote: true,
    };
  }
  let location: string | undefined;
  if (relative) location = resolve(dirname(base), specifier);
  else if (specifier.startsWith("file:")) location = fileURLToPath(specifier);
  if (location === undefined) return undefined;
  return isScriptPath(location)
    ? { location, script: true, remote: false }
    : { location: pathToFileURL(location).href, script: false, remote: false };
}

/** The names each k6 module the script imports provides. */
async function exportsOfK6Modules(
  parsed: readonly Parsed[],
): Promise<Map<string, Set<string>>> {
  const names = new Map<string, Set<string>>();
  for (const module of parsed) {
    for (const target of module.targets.values()) {
      if (target.kind !== "k6" || names.has(target.module)) continue;
      const namespace = await import(target.url) as Record<string, unknown>;
      const provided = new Set(Object.keys(namespace));
      const object = namespace.default;
      if (typeof object === "object" && object !== null) {
        for (const key of Object.keys(object)) provided.add(key);
      }
      names.set(target.module, provided);
    }
  }
  return names;
}
