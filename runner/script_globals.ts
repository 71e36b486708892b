/**
 * What a script sees as globals under `wsload run`: `console` (the run
 * log) and the per-VU `__VU`, `__ITER` and `__ENV`. The loader injects
 * `console`, `open` (runner/loader/instance.ts) and the k6 timers into
 * every script module (so they shadow the runtime's globals only inside
 * scripts); the
 * double-underscore variables are getters on `globalThis`, answering for
 * whichever VU's code is running (thousands of VUs share one event loop).
 *
 * @module
 */
import { executionState } from "../internal/execution_state.ts";
import type { ScriptConsole } from "./script_console.ts";

let activeConsole: ScriptConsole | undefined;

/**
 * Points the script globals at a run's console.
 *
 * @param console The run's script console.
 */
export function bindScriptGlobals(console: ScriptConsole): void {
  activeConsole = console;
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
