/**
 * Loads a k6 script (`.js` or `.ts`) so that it runs on wsload: every
 * module of the script (the file and the local modules it imports) is
 * copied to a temporary folder with its k6 imports pointed at wsload's
 * modules, and with `console`, `open` and the k6 timers injected as
 * imports, then imported. This works the same under Deno and Node (no
 * loader hooks or import maps needed). Line numbers are kept (the injected
 * imports go at the end of each file) and stack traces are mapped back to
 * the original paths.
 *
 * Resolution: k6 specifiers and jslib URLs → wsload modules; relative and
 * `file:` imports of `.js/.mjs/.ts/.mts` files → their rewritten copies;
 * other relative files (JSON, …) → the original file; bare npm names and
 * other URLs are left as they are.
 *
 * @module
 */
import { rmSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, extname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Script } from "node:vm";
import { init } from "es-module-lexer";
import {
  checkableScript,
  importSpecifiers,
  INIT_FUNCTION,
  TransformError,
  transformModule,
} from "./_script_transform.ts";
import { k6ModuleURL, wsloadModuleURL } from "./script_modules.ts";

/** A script that failed to load: syntax error, missing file, bad import. */
export class ScriptError extends Error {
  /** k6's exit code for script errors. */
  readonly exitCode = 107;

  /**
   * Creates the error.
   *
   * @param message What went wrong.
   * @param options The cause.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ScriptError";
  }
}

/** A loaded script. */
export interface LoadedScript {
  /** The script's absolute path. */
  readonly path: string;
  /**
   * Runs the script's init code once more and returns its exports: k6 runs
   * init code per VU, so each VU gets its own instance (module-level state
   * such as `const sessionDuration = randomIntBetween(...)` differs per VU).
   * Modules the script imports are evaluated once per process.
   */
  instantiate(): Promise<Readonly<Record<string, unknown>>>;
  /** Replaces temporary file URLs in a text (a stack trace) with the originals. */
  mapPaths(text: string): string;
  /** Removes the temporary copies. */
  dispose(): Promise<void>;
  /** Removes the temporary copies at once, for a process about to exit. */
  disposeNow(): void;
}

const SCRIPT_EXTENSIONS = new Set([".js", ".mjs", ".ts", ".mts"]);
const TS_EXTENSIONS = new Set([".ts", ".mts"]);
const INJECTED: readonly (readonly [string, string])[] = [
  ["setTimeout", "k6/timers"],
  ["clearTimeout", "k6/timers"],
  ["setInterval", "k6/timers"],
  ["clearInterval", "k6/timers"],
  ["console", "runner/script_globals"],
  ["open", "runner/script_globals"],
].map(([name, module]) => [name, wsloadModuleURL(module)] as const);

type StripTypes = (source: string) => string;
let typeStripper: Promise<StripTypes | undefined> | undefined;

// Deno runs TypeScript itself. Node >= 22.13 has module.stripTypeScriptTypes;
// older Node can use the `amaro` package (Node's own stripper) if installed.
function loadTypeStripper(): Promise<StripTypes | undefined> {
  return typeStripper ??= (async () => {
    if ("Deno" in globalThis) return undefined;
    const nodeModule = await import("node:module") as {
      stripTypeScriptTypes?: (
        code: string,
        options?: { mode?: string },
      ) => string;
    };
    const strip = nodeModule.stripTypeScriptTypes;
    if (strip) return (source: string) => strip(source, { mode: "strip" });
    try {
      const amaro = await import("amaro" + "") as {
        transformSync(
          code: string,
          options: { mode: string },
        ): { code: string };
      };
      return (source: string) =>
        amaro.transformSync(source, { mode: "strip-only" }).code;
    } catch {
      return () => {
        throw new ScriptError(
          "TypeScript scripts need Deno, Node >= 22.13, or the 'amaro' npm package installed next to wsload",
        );
      };
    }
  })();
}

function isScriptFile(path: string): boolean {
  return SCRIPT_EXTENSIONS.has(extname(path).toLowerCase());
}

/**
 * Loads a script and everything it imports locally, and evaluates its
 * module once (its init code runs when {@link LoadedScript.instantiate} is
 * called).
 *
 * @param path The script file (`.js`, `.mjs`, `.ts`, `.mts`).
 * @returns The loaded script.
 * @throws {ScriptError} When a file cannot be read or lexed, a k6 module is
 * not provided by wsload, or a module has a syntax error (k6 exit code 107).
 *
 * @example
 * ```ts ignore
 * import { loadScript } from "./script_loader.ts";
 *
 * const script = await loadScript("examples/chat.js");
 * const exports = await script.instantiate(); // init code of one VU
 * console.log(Object.keys(exports)); // ["default"]
 * await script.dispose();
 * ```
 */
export async function loadScript(path: string): Promise<LoadedScript> {
  const entry = resolve(path);
  if (!isScriptFile(entry)) {
    throw new ScriptError(
      `unsupported script type '${
        extname(entry) || basename(entry)
      }': wsload runs .js, .mjs, .ts and .mts scripts`,
    );
  }
  await init;
  const folder = await mkdtemp(join(tmpdir(), "wsload-script-"));
  const copies = new Map<string, string>(); // original path → copy URL
  const sources = new Map<string, string>(); // original path → its JavaScript
  const strip = await loadTypeStripper();
  let counter = 0;

  async function copy(original: string, isEntry: boolean): Promise<string> {
    const known = copies.get(original);
    if (known) return known;
    const stripping = strip !== undefined &&
      TS_EXTENSIONS.has(extname(original).toLowerCase());
    const target = join(
      folder,
      `${counter++}_${basename(original, extname(original))}${
        stripping ? ".mjs" : extname(original)
      }`,
    );
    const url = pathToFileURL(target).href;
    copies.set(original, url);
    let source: string;
    try {
      source = await readFile(original, "utf8");
    } catch (error) {
      throw new ScriptError(
        `cannot read script '${original}': ${(error as Error).message}`,
        { cause: error },
      );
    }
    if (stripping) source = strip(source);
    sources.set(original, source);
    try {
      const resolved = new Map<string, string>();
      for (const specifier of importSpecifiers(source, original)) {
        const url = await resolveSpecifier(specifier, original);
        if (url !== specifier) resolved.set(specifier, url);
      }
      await writeFile(
        target,
        transformModule(source, {
          name: original,
          resolved,
          entry: isEntry,
          inject: INJECTED,
        }),
      );
    } catch (error) {
      if (error instanceof ScriptError) throw error;
      throw new ScriptError(
        error instanceof TransformError
          ? error.message
          : `${original}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    return url;
  }

  async function resolveSpecifier(
    specifier: string,
    importer: string,
  ): Promise<string> {
    const k6 = k6ModuleURL(specifier);
    if (k6 !== undefined) return k6;
    let target: string | undefined;
    if (
      specifier.startsWith("./") || specifier.startsWith("../") ||
      specifier.startsWith("/")
    ) {
      target = resolve(dirname(importer), specifier);
    } else if (specifier.startsWith("file:")) {
      target = fileURLToPath(specifier);
    }
    if (target === undefined) return specifier;
    return isScriptFile(target)
      ? await copy(target, false)
      : pathToFileURL(target).href;
  }

  let namespace: Record<string, unknown>;
  try {
    namespace = await import(await copy(entry, true));
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    if (error instanceof ScriptError) throw error;
    const text = mapAll(String((error as Error)?.stack ?? error), copies);
    const located = error instanceof SyntaxError &&
        ![...copies.keys()].some((original) => text.includes(original))
      ? locateSyntaxError(error, sources)
      : undefined;
    throw new ScriptError(located ?? text, { cause: error });
  }
  const { [INIT_FUNCTION]: factory, ...reexports } = namespace;
  return {
    path: entry,
    async instantiate() {
      const own = await (factory as () => Promise<Record<string, unknown>>)();
      return Object.freeze({ ...reexports, ...own });
    },
    mapPaths: (text) => mapAll(text, copies),
    dispose: () => rm(folder, { recursive: true, force: true }),
    disposeNow: () => rmSync(folder, { recursive: true, force: true }),
  };
}

// Node reports a module's syntax error without its file and line (Deno
// gives them). Compiled as a script, the same code is located: the first
// module whose script fails with the same message is the one.
function locateSyntaxError(
  error: SyntaxError,
  sources: ReadonlyMap<string, string>,
): string | undefined {
  const message = `SyntaxError: ${error.message}`;
  for (const [path, source] of sources) {
    try {
      new Script(checkableScript(source, path), { filename: path });
    } catch (failure) {
      const stack = String((failure as Error)?.stack ?? "");
      const end = stack.indexOf(message);
      if (stack.startsWith(`${path}:`) && end >= 0) {
        return stack.slice(0, end + message.length);
      }
    }
  }
  return undefined;
}

function mapAll(text: string, copies: Map<string, string>): string {
  let mapped = text;
  for (const [original, url] of copies) {
    mapped = mapped.replaceAll(url, pathToFileURL(original).href);
    mapped = mapped.replaceAll(fileURLToPath(url), original);
  }
  return mapped;
}
