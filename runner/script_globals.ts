/**
 * What a script sees as globals under `wsload run`: `console` (the run
 * log), `open()`, and the per-VU `__VU`, `__ITER` and `__ENV`. The loader
 * injects `console`, `open` and the k6 timers into every script module as
 * imports (so they shadow the runtime's globals only inside scripts); the
 * double-underscore variables are getters on `globalThis`, answering for
 * whichever VU's code is running (thousands of VUs share one event loop).
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { executionState } from "../k6/_state.ts";
import type { ScriptConsole } from "./script_console.ts";

let activeConsole: ScriptConsole | undefined;
let scriptDirectory = ".";

/**
 * Points the script globals at a run: its console and the folder `open()`
 * resolves relative paths against.
 *
 * @param console The run's script console.
 * @param directory The main script's folder.
 */
export function bindScriptGlobals(
  console: ScriptConsole,
  directory: string,
): void {
  activeConsole = console;
  scriptDirectory = directory;
  installVUGlobals();
}

function forward(method: keyof ScriptConsole) {
  return (...args: unknown[]): void => {
    if (activeConsole) activeConsole[method](...args);
    else globalThis.console[method === "warn" ? "warn" : "log"](...args);
  };
}

/** The `console` injected into scripts. */
export const console: ScriptConsole = {
  log: forward("log"),
  info: forward("info"),
  debug: forward("debug"),
  warn: forward("warn"),
  error: forward("error"),
};

/**
 * k6's `open(path, mode)`: reads a file relative to the main script's
 * folder, as text, or as an `ArrayBuffer` with mode `"b"`.
 *
 * @param path The file.
 * @param mode `"b"` for binary.
 * @returns The content.
 * @throws {TypeError} For a mode other than `""` or `"b"`.
 * @throws {Error} When the file cannot be read.
 */
export function open(path: string, mode?: string): string | ArrayBuffer {
  if (mode !== undefined && mode !== "" && mode !== "b") {
    throw new TypeError(`open() mode must be "" or "b", got "${mode}"`);
  }
  const bytes = readFileSync(resolve(scriptDirectory, String(path)));
  if (mode === "b") {
    return bytes.buffer.slice(
      bytes.byteOffset,
      bytes.byteOffset + bytes.byteLength,
    );
  }
  return bytes.toString("utf8");
}

let installed = false;

function installVUGlobals(): void {
  if (installed) return;
  installed = true;
  const define = (name: string, get: () => unknown) =>
    Object.defineProperty(globalThis, name, { get, configurable: true });
  define("__VU", () => executionState()?.vu.idInInstance ?? 0);
  define("__ITER", () => executionState()?.vu.iterationInInstance ?? 0);
  define("__ENV", () => executionState()?.env ?? {});
}
