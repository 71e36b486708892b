/**
 * The source transform behind the script loader (pure: text in, text out).
 *
 * Every module: import specifiers are replaced by their resolved URLs, and
 * `console`, `open` and the k6 timers are injected as imports at the end (so
 * line numbers stay).
 *
 * The entry script additionally becomes a factory, because k6 runs a
 * script's init code once per VU (`const sessionDuration =
 * randomIntBetween(...)` differs per VU): its body moves into `export async
 * function __wsload_init()`, which returns the script's exports; its
 * import and re-export statements stay at module level (blanked in place,
 * appended at the end). `export` keywords are blanked in place, so lines and
 * most columns are unchanged.
 *
 * @module
 */
import { parse } from "es-module-lexer";

/** The name of the factory the entry script exports. */
export const INIT_FUNCTION = "__wsload_init";
const DEFAULT_LOCAL = "__wsload_default";

/**
 * Shows a stack trace with the names the script's author wrote: the
 * factory's frame becomes the module's top level, the named anonymous
 * default export `default`.
 *
 * @param stack A stack trace of script code.
 * @returns The same trace without the transform's names.
 *
 * @example Name the default function as k6 does
 * ```ts
 * import { authorNames } from "./_script_transform.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   authorNames("Error: x\n    at __wsload_default (file:///s.js:3:9)"),
 *   "Error: x\n    at default (file:///s.js:3:9)",
 * );
 * ```
 */
export function authorNames(stack: string): string {
  return stack
    .replace(new RegExp(`\\b${DEFAULT_LOCAL}\\b`, "g"), "default")
    .replace(
      new RegExp(`\\bat (?:async )?${INIT_FUNCTION} \\((.*)\\)$`, "gm"),
      "at $1",
    );
}

/** A parse failure, with the lexer's message. */
export class TransformError extends Error {}

/** A module's import specifiers that need resolving, in order. */
export function importSpecifiers(source: string, name: string): string[] {
  return lex(source, name)[0].flatMap((entry) =>
    (entry.type === "static" || entry.type === "dynamic" ||
        entry.type === "reexport-star") &&
      typeof entry.specifier === "string"
      ? [entry.specifier]
      : []
  );
}

function lex(source: string, name: string): ReturnType<typeof parse> {
  try {
    return parse(source, name);
  } catch (error) {
    throw new TransformError(`${name}: ${(error as Error).message}`);
  }
}

/** Inputs of {@link transformModule}. */
export interface TransformOptions {
  /** The file name (for error messages). */
  readonly name: string;
  /** Resolved URL per specifier (specifiers missing here stay as written). */
  readonly resolved: ReadonlyMap<string, string>;
  /** Whether this is the entry script (becomes a per-VU factory). */
  readonly entry: boolean;
  /** Bindings to inject: local name → module URL. */
  readonly inject: readonly (readonly [string, string])[];
}

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

// Replaces a range by spaces, keeping its line breaks (lines stay put).
function blank(source: string, start: number, end: number): string {
  return source.slice(start, end).replace(/[^\n]/g, " ");
}

function withStatementEnd(source: string, end: number): number {
  const match = /^[ \t]*;/.exec(source.slice(end));
  return match ? end + match[0].length : end;
}

function declaredOrImported(
  source: string,
  clauses: string,
  name: string,
): boolean {
  return new RegExp(`\\b(?:function|class|const|let|var)\\s+${name}\\b`).test(
    source,
  ) ||
    new RegExp(
      `(?:[{,]\\s*|\\bas\\s+|\\bimport\\s+)${name}\\s*(?:[,}]|\\bfrom\\b)`,
    ).test(clauses);
}

/**
 * Transforms one module of a script.
 *
 * @param source The module's JavaScript (or TypeScript, under Deno).
 * @param options Resolution, entry flag and injected bindings.
 * @returns The transformed source.
 * @throws {TransformError} When the source cannot be lexed.
 */
export function transformModule(
  source: string,
  options: TransformOptions,
): string {
  const { body, returned, trailer } = rewrite(source, options);
  if (!options.entry) return `${body}\n${trailer}\n`;
  return `export async function ${INIT_FUNCTION}() {${body}\nreturn { ${returned} };\n}\n${trailer}\n`;
}

/**
 * A module's code as a classic script, lines unchanged: its module syntax
 * neutralised as in the entry's factory, inside an async function. Node
 * tells where a script's syntax error is, but not a module's.
 *
 * @param source The module's JavaScript.
 * @param name The file name (for lexer errors).
 * @returns The script text.
 * @throws {TransformError} When the source cannot be lexed.
 *
 * @example Compile a module as a script
 * ```ts
 * import { checkableScript } from "./_script_transform.ts";
 * import assert from "node:assert/strict";
 *
 * const source = 'import { sleep } from "k6";\nexport default function () {}\n';
 * const script = checkableScript(source, "script.js");
 * assert.doesNotThrow(() => new Function(`return ${script}`));
 * assert.equal(script.split("\n").length, source.split("\n").length + 1);
 * ```
 */
export function checkableScript(source: string, name: string): string {
  const { body } = rewrite(source, {
    name,
    resolved: new Map(),
    entry: true,
    inject: [],
  });
  return `(async function () {${body}\n})`;
}

interface Rewritten {
  /** The module's text with specifiers resolved (and, for the entry, module syntax blanked). */
  readonly body: string;
  /** The entry's exports as object literal entries (`"name": local`). */
  readonly returned: string;
  /** The moved imports and the injected ones. */
  readonly trailer: string;
}

function rewrite(source: string, options: TransformOptions): Rewritten {
  const [imports, exports] = lex(source, options.name);
  const edits: Edit[] = [];
  const moved: string[] = [];
  let clauses = "";
  const specifierText = (
    start: number,
    end: number,
    specifier: string,
    quoted: boolean,
  ) => {
    const url = options.resolved.get(specifier);
    const text = source.slice(start, end);
    if (url === undefined) return text;
    return quoted ? JSON.stringify(url) : url;
  };

  for (const entry of imports) {
    if (entry.type === "dynamic") {
      if (
        typeof entry.specifier === "string" &&
        options.resolved.has(entry.specifier)
      ) {
        edits.push({
          start: entry.start,
          end: entry.end,
          text: specifierText(entry.start, entry.end, entry.specifier, true),
        });
      }
      continue;
    }
    if (entry.type !== "static" && entry.type !== "reexport-star") continue;
    clauses += `${source.slice(entry.importStart, entry.start)}\n`;
    const specifier = typeof entry.specifier === "string"
      ? entry.specifier
      : undefined;
    const rewritten = specifier === undefined
      ? source.slice(entry.importStart, entry.importEnd)
      : source.slice(entry.importStart, entry.start) +
        specifierText(entry.start, entry.end, specifier, false) +
        source.slice(entry.end, entry.importEnd);
    if (options.entry) {
      // Import statements cannot live inside the factory: blank them here,
      // append them at the end (imports are hoisted, so order is kept).
      const end = withStatementEnd(source, entry.importEnd);
      edits.push({
        start: entry.importStart,
        end,
        text: blank(source, entry.importStart, end),
      });
      moved.push(`${rewritten};`);
    } else if (specifier !== undefined && options.resolved.has(specifier)) {
      edits.push({
        start: entry.start,
        end: entry.end,
        text: specifierText(entry.start, entry.end, specifier, false),
      });
    }
  }

  const names: [string, string][] = [];
  if (options.entry) {
    const done = new Set<number>();
    for (const entry of exports) {
      if (entry.type !== "direct") continue; // re-exports moved with the imports
      if (!entry.typeOnly) {
        names.push([
          entry.name,
          entry.name === "default"
            ? (entry.localName ?? DEFAULT_LOCAL)
            : entry.localName ?? entry.name,
        ]);
      }
      if (done.has(entry.exportStart)) continue;
      done.add(entry.exportStart);
      const start = entry.exportStart;
      const rest = source.slice(start + "export".length);
      if (/^\s*\{/.test(rest)) {
        const close = source.indexOf("}", start);
        const end = withStatementEnd(source, close + 1);
        edits.push({ start, end, text: blank(source, start, end) });
      } else if (entry.name === "default" && !entry.typeOnly) {
        const keyword = /^\s*default\s+/.exec(rest)!;
        const declarationStart = start + "export".length + keyword[0].length;
        const declaration =
          /^(async\s+function\s*\*?|function\s*\*?|class)(?=[\s({])/.exec(
            source.slice(declarationStart),
          );
        if (declaration && entry.localName === undefined) {
          // An anonymous declaration gets a name (stays hoisted).
          edits.push({ start, end: declarationStart, text: "" });
          edits.push({
            start: declarationStart + declaration[0].length,
            end: declarationStart + declaration[0].length,
            text: ` ${DEFAULT_LOCAL}`,
          });
        } else if (declaration) {
          edits.push({
            start,
            end: declarationStart,
            text: blank(source, start, declarationStart),
          });
        } else {
          edits.push({
            start,
            end: declarationStart,
            text: `const ${DEFAULT_LOCAL} = `,
          });
        }
      } else {
        edits.push({ start, end: start + "export".length, text: "      " });
      }
    }
  }

  edits.sort((a, b) => a.start - b.start);
  let output = "";
  let last = 0;
  for (const edit of edits) {
    output += source.slice(last, edit.start) + edit.text;
    last = edit.end;
  }
  output += source.slice(last);

  const injected = new Map<string, string[]>();
  for (const [name, url] of options.inject) {
    if (!declaredOrImported(source, clauses, name)) {
      injected.set(url, [...(injected.get(url) ?? []), name]);
    }
  }
  const trailer = [
    ...moved,
    ...[...injected].map(([url, list]) =>
      `import { ${list.join(", ")} } from ${JSON.stringify(url)};`
    ),
  ].join(" ");
  const returned = names.map(([exported, local]) =>
    `${JSON.stringify(exported)}: ${local}`
  ).join(", ");
  return { body: output, returned, trailer };
}
