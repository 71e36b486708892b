/**
 * Stack traces of script code as the user wrote it: the emitted modules'
 * paths, lines and columns mapped back through their source maps, and the
 * names the transforms introduce replaced by the user's.
 *
 * @module
 */
import {
  originalPositionFor,
  type SourceMapInput,
  TraceMap,
} from "@jridgewell/trace-mapping";

interface Entry {
  readonly name: string;
  readonly maps: readonly TraceMap[];
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Maps emitted locations back to the user's modules. */
export class PositionMapper {
  readonly #entries = new Map<string, Entry>();
  #pattern: RegExp | undefined;

  /**
   * Registers an emitted module.
   *
   * @param url Its `file:` URL.
   * @param path Its path.
   * @param name What the user's module is called (file or remote URL).
   * @param map The emitter's source map.
   * @param typeScriptMap The TypeScript transform's map, when it moved code.
   */
  add(
    url: string,
    path: string,
    name: string,
    map: string,
    typeScriptMap?: string,
  ): void {
    const maps = [new TraceMap(map as SourceMapInput)];
    if (typeScriptMap) maps.push(new TraceMap(typeScriptMap as SourceMapInput));
    const entry = { name, maps };
    this.#entries.set(url, entry);
    this.#entries.set(path, entry);
    this.#pattern = undefined;
  }

  /**
   * Rewrites a text: each `emitted:line:col` becomes `user:line:col`, any
   * other mention of an emitted module its user name, and the transforms'
   * names the user's.
   *
   * @param text A stack trace or message.
   * @returns The rewritten text.
   */
  map(text: string): string {
    if (this.#entries.size === 0) return authorNames(text);
    this.#pattern ??= new RegExp(
      `(${[...this.#entries.keys()].map(escape).join("|")})(?::(\\d+):(\\d+))?`,
      "g",
    );
    const mapped = text.replace(
      this.#pattern,
      (_, file: string, line?: string, column?: string) => {
        const entry = this.#entries.get(file)!;
        if (line === undefined || column === undefined) return entry.name;
        let position = { line: Number(line), column: Number(column) - 1 };
        for (const map of entry.maps) {
          const original = originalPositionFor(map, position);
          if (original.line === null || original.column === null) break;
          position = { line: original.line, column: original.column };
        }
        return `${entry.name}:${position.line}:${position.column + 1}`;
      },
    );
    return authorNames(mapped);
  }
}

/**
 * Shows a trace with the names the script's author wrote: the module
 * factory's frame becomes the module's top level, the named anonymous
 * default export `default`, reads of imported names the names.
 *
 * @param text A stack trace or message of script code.
 * @returns The same text without the transforms' names.
 *
 * @example Name the default function as k6 does
 * ```ts
 * import { authorNames } from "./_positions.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   authorNames("TypeError: __wsload_m1.login is not a function\n    at __wsload_default (file:///s.js:3:9)"),
 *   "TypeError: login is not a function\n    at default (file:///s.js:3:9)",
 * );
 * ```
 */
export function authorNames(text: string): string {
  return text
    .replace(/\b__wsload_default\b/g, "default")
    .replace(/\b__wsload_m\d+(?:\.|(?=\[))/g, "")
    .replace(/\bat (?:async )?__wsload_module \((.*)\)$/gm, "at $1");
}
