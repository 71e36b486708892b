/**
 * Writes one module of a script as wsload runs it: a factory that a VU
 * calls to get its own instance of the module (k6 evaluates every module
 * once per VU), with the auto-await plan applied.
 *
 * ```text
 * export async function __wsload_module(__wsload, __wsload_ns) {<header>
 * …the module's code, imports blanked, `export` keywords removed, calls
 *   awaited where k6 blocks, imported names read from the imported
 *   module's instance…
 * }
 * import … from "<wsload's k6 modules>"; <injected globals>
 * ```
 *
 * The header defines the namespace's exports and then instantiates the
 * imported script modules in import order. An export whose variable is
 * never assigned again is a plain property: a hoisted function's from the
 * start, a constant's once the module ran (`__wsload.settle()` at its end;
 * until then it reads `undefined`, as under k6's CommonJS transform). The
 * others, and every export of a module in an import cycle (whose importers
 * may read it while it runs), are getters: live bindings, as ESM has. (A
 * getter is a closure per VU and export.) k6's modules and other files
 * stay real imports: one instance per process. Every edit is recorded in a
 * source map back to the user's code.
 *
 * @module
 */
import type { AnyNode, CallExpression, Identifier } from "acorn";
import type { Variable } from "eslint-scope";
import MagicString from "magic-string";
import type { AwaitPlan } from "./_auto_await.ts";
import { closest } from "../suggest.ts";
import { memberName } from "./_auto_await.ts";
import {
  exportName,
  type ImportTarget,
  type ModuleDeclaration,
  type ScriptModule,
  specifierOf,
} from "./_module.ts";

/** The name of the factory each emitted module exports. */
export const FACTORY = "__wsload_module";
/** Its first parameter: the VU's module instances and runtime helpers. */
const RUNTIME = "__wsload";
/** Its second parameter: the namespace object to fill. */
const NAMESPACE = "__wsload_ns";
/** The local name of an anonymous default export. */
export const DEFAULT_LOCAL = "__wsload_default";

/**
 * When a fixed export's value is known: at the factory's start (a hoisted
 * function declaration) or at its end (a constant, a class).
 */
type Fixed = "start" | "end";

/**
 * Whether a module variable keeps the value its declaration gave it, and
 * from when: `undefined` when code assigns it again (a live binding).
 */
function fixedness(variable: Variable | undefined): Fixed | undefined {
  if (variable === undefined || variable.defs.length !== 1) return undefined;
  if (variable.references.some((ref) => ref.isWrite() && !ref.init)) {
    return undefined;
  }
  const definition = variable.defs[0];
  if (definition.type === "FunctionName") return "start";
  if (definition.type === "ClassName") return "end";
  return definition.type === "Variable" ? "end" : undefined;
}

/** Globals the loader provides to scripts, when a module does not declare them. */
export interface InjectedGlobal {
  /** The name. */
  readonly name: string;
  /** The module that exports it under that name. */
  readonly url: string;
}

/**
 * Globals of the runtime that k6 scripts do not have and the sandbox
 * withholds (`process`, `Deno`, `require`): a read fails at once with a
 * message saying why; `typeof name` is `"undefined"`, as in k6.
 */
export interface WithheldGlobal {
  /** The name. */
  readonly name: string;
  /** The message of the `ReferenceError` a read throws. */
  readonly message: string;
}

/** What the emitter needs beyond the module and the plan. */
export interface EmitContext {
  /** The auto-await plan of the whole script. */
  readonly plan: AwaitPlan;
  /** Globals to provide (`console`, `open`, the timers). */
  readonly globals: readonly InjectedGlobal[];
  /** The URL of the loader's runtime helpers (instance.ts). */
  readonly runtimeURL: string;
  /** The names each k6 module really exports (for unsupported ones). */
  readonly k6Exports: (module: string) => ReadonlySet<string>;
  /** The runtime globals script code may not use (none outside the sandbox). */
  readonly withheld?: readonly WithheldGlobal[];
  /**
   * The module imports itself through others (static or literal dynamic
   * imports): its exports may be read while it is still being evaluated.
   */
  readonly inCycle?: boolean;
  /** The folder (or URL) `open()` resolves against in this module. */
  readonly openBase: string;
  /** Receives a warning for each unsupported k6 function the module uses. */
  readonly warn: (message: string) => void;
}

/** An emitted module. */
export interface EmittedModule {
  /** The code. */
  readonly code: string;
  /** Maps generated positions to the user's (version 3 source map). */
  readonly map: string;
  /**
   * The paths the module's `open()` calls name as string literals (as
   * written): files the sandbox must let the script read.
   */
  readonly opened: readonly string[];
}

// An export name as an import clause writes it (a string when not an identifier).
function bindingName(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}

function namespaceVariable(id: number): string {
  return `__wsload_m${id}`;
}

function property(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name)
    ? `.${name}`
    : `[${JSON.stringify(name)}]`;
}

// Replaces a range by spaces, keeping its line breaks (lines stay put).
function blank(text: string): string {
  return text.replace(/[^\n\r]/g, " ");
}

/**
 * Emits one module.
 *
 * @param module The module.
 * @param context The plan and resolutions.
 * @returns Its code and source map.
 */
export function emitModule(
  module: ScriptModule,
  context: EmitContext,
): EmittedModule {
  return new Emitter(module, context).emit();
}

class Emitter {
  readonly #module: ScriptModule;
  readonly #context: EmitContext;
  readonly #code: MagicString;
  /**
   * The namespace's exports: name → the expression that reads it, and
   * when its value is known for good (`undefined`: a live binding).
   */
  readonly #exports = new Map<
    string,
    { readonly expression: string; readonly fixed: Fixed | undefined }
  >();
  /** Script modules to instantiate first, in import order. */
  readonly #loads: number[] = [];
  /** `export * from` sources: expressions of namespaces. */
  readonly #stars: string[] = [];
  /** Import statements for the end of the file. */
  readonly #trailer: string[] = [];
  #k6Counter = 0;

  constructor(module: ScriptModule, context: EmitContext) {
    this.#module = module;
    this.#context = context;
    this.#code = new MagicString(module.source);
  }

  emit(): EmittedModule {
    const source = this.#module.source;
    // A hashbang is only allowed at the very start; the header goes there.
    if (source.startsWith("#!")) this.#code.update(0, 2, "//");
    for (const declaration of this.#module.declarations) {
      this.#declaration(declaration);
    }
    this.#importReferences();
    this.#dynamicImports();
    this.#unsupportedMembers();
    this.#awaits();
    this.#globals();
    this.#withheld();
    const getters: string[] = [];
    const values: string[] = [];
    const settled: string[] = [];
    const later: string[] = [];
    for (const [name, { expression, fixed }] of this.#exports) {
      // Computed, so that an export named "__proto__" is a property.
      const key = `[${JSON.stringify(name)}]`;
      if (fixed === "start") {
        values.push(`${key}: ${expression}`);
      } else if (fixed === "end" && !this.#context.inCycle) {
        settled.push(`${key}: ${expression}`);
        later.push(JSON.stringify(name));
      } else {
        getters.push(`${key}: () => ${expression}`);
      }
    }
    const header = [
      `export async function ${FACTORY}(${RUNTIME}, ${NAMESPACE}) {`,
      `${RUNTIME}.exports(${NAMESPACE}, { ${getters.join(", ")} }, { ${
        values.join(", ")
      } }, [${later.join(", ")}]);`,
      ...this.#loads.map((id) =>
        `const ${namespaceVariable(id)} = await ${RUNTIME}.load(${id});`
      ),
      ...this.#stars.map((from) =>
        `${RUNTIME}.exportAll(${NAMESPACE}, ${from});`
      ),
    ].join(" ");
    this.#code.prepend(header);
    const settle = settled.length === 0
      ? ""
      : `\n${RUNTIME}.settle(${NAMESPACE}, { ${settled.join(", ")} });`;
    this.#code.append(`${settle}\n}\n${this.#trailer.join("\n")}\n`);
    return {
      opened: this.#opened(),
      code: this.#code.toString(),
      map: this.#code.generateMap({
        // Word boundaries: exact enough for stack traces, small for big
        // (minified) remote modules.
        hires: "boundary",
        source: this.#module.name,
        includeContent: false,
      }).toString(),
    };
  }

  // ----------------------------------------------------------- imports --

  #load(target: ImportTarget & { kind: "script" }): string {
    if (!this.#loads.includes(target.id)) this.#loads.push(target.id);
    return namespaceVariable(target.id);
  }

  /** A module-level binding of a k6 module or asset, by a fresh name. */
  #moduleImport(url: string, imported: string): string {
    const local = `__wsload_k${this.#k6Counter++}`;
    this.#trailer.push(
      imported === "*"
        ? `import * as ${local} from ${JSON.stringify(url)};`
        : `import { ${bindingName(imported)} as ${local} } from ${
          JSON.stringify(url)
        };`,
    );
    return local;
  }

  #declaration(declaration: ModuleDeclaration): void {
    const module = this.#module;
    const code = this.#code;
    const specifier = specifierOf(declaration);
    const target = specifier === undefined
      ? undefined
      : module.targets.get(specifier);
    const statement = module.source.slice(declaration.start, declaration.end);

    if (declaration.type === "ImportDeclaration") {
      code.update(declaration.start, declaration.end, blank(statement));
      if (target === undefined) return;
      if (target.kind === "script") {
        this.#load(target);
        return;
      }
      const url = target.url;
      if (declaration.specifiers.length === 0) {
        this.#trailer.push(`import ${JSON.stringify(url)};`);
        return;
      }
      const clauses: string[] = [];
      for (const item of declaration.specifiers) {
        const local = item.local.name;
        if (item.type === "ImportDefaultSpecifier") {
          this.#trailer.push(`import ${local} from ${JSON.stringify(url)};`);
        } else if (item.type === "ImportNamespaceSpecifier") {
          this.#trailer.push(
            `import * as ${local} from ${JSON.stringify(url)};`,
          );
        } else {
          const imported = exportName(item.imported);
          if (
            target.kind === "k6" &&
            !this.#context.k6Exports(target.module).has(imported)
          ) {
            const message = this.#unsupported(
              item,
              target.module,
              target.specifier,
              imported,
            );
            this.#trailer.push(
              `const ${local} = ${RUNTIME}_missing(${
                JSON.stringify(message)
              }, true);`,
            );
            this.#runtimeImport("missing");
          } else {
            clauses.push(`${bindingName(imported)} as ${local}`);
          }
        }
      }
      if (clauses.length > 0) {
        this.#trailer.push(
          `import { ${clauses.join(", ")} } from ${JSON.stringify(url)};`,
        );
      }
      return;
    }

    if (declaration.type === "ExportAllDeclaration") {
      code.update(declaration.start, declaration.end, blank(statement));
      if (target === undefined) return;
      const from = target.kind === "script"
        ? this.#load(target)
        : this.#moduleImport(target.url, "*");
      if (declaration.exported) {
        this.#export(exportName(declaration.exported), from);
      } else {
        this.#stars.push(from);
      }
      return;
    }

    if (declaration.type === "ExportDefaultDeclaration") {
      const inner = declaration.declaration;
      const keyword = /^export\s+default\s+/.exec(statement)![0];
      const innerStart = declaration.start + keyword.length;
      const id = (inner as { id?: Identifier | null }).id;
      const isDeclaration = inner.type === "FunctionDeclaration" ||
        inner.type === "ClassDeclaration";
      if (isDeclaration) {
        code.update(declaration.start, innerStart, blank(keyword));
        if (id) {
          this.#export(
            "default",
            id.name,
            fixedness(module.variableDeclaredBy(id)),
          );
        } else {
          // An anonymous declaration gets a name (and stays hoisted).
          const head = /^(?:async\s+)?function\s*(?:\*\s*)?|^class\b\s*/.exec(
            module.source.slice(innerStart),
          )![0];
          code.appendLeft(innerStart + head.length, ` ${DEFAULT_LOCAL} `);
          this.#export(
            "default",
            DEFAULT_LOCAL,
            inner.type === "FunctionDeclaration" ? "start" : "end",
          );
        }
      } else {
        code.update(
          declaration.start,
          innerStart,
          `const ${DEFAULT_LOCAL} = `,
        );
        this.#export("default", DEFAULT_LOCAL, "end");
      }
      return;
    }

    // ExportNamedDeclaration
    if (declaration.declaration) {
      code.update(
        declaration.start,
        declaration.start + "export".length,
        "      ",
      );
      const inner = declaration.declaration;
      for (const [name, binding] of module.exports) {
        if (
          binding.kind === "local" &&
          binding.variable.defs.some((definition) =>
            definition.type !== "Parameter" &&
            ((definition.parent as unknown) === inner ||
              (definition.node as unknown) === inner)
          )
        ) {
          this.#export(
            name,
            binding.variable.name,
            fixedness(binding.variable),
          );
        }
      }
      return;
    }
    code.update(declaration.start, declaration.end, blank(statement));
    for (const item of declaration.specifiers) {
      const exported = exportName(item.exported);
      const local = exportName(item.local);
      if (target === undefined) {
        const identifier = item.local as Identifier;
        const variable = module.variableAt(identifier);
        this.#export(
          exported,
          this.#localExpression(identifier),
          variable && !module.importOf(variable)
            ? fixedness(variable)
            : undefined,
        );
      } else if (target.kind === "script") {
        const from = this.#load(target);
        this.#export(exported, `${from}${property(local)}`);
      } else {
        this.#export(exported, this.#moduleImport(target.url, local));
      }
    }
  }

  #export(name: string, expression: string, fixed?: Fixed): void {
    this.#exports.set(name, { expression, fixed });
  }

  /** What a local name in `export { name }` reads. */
  #localExpression(identifier: Identifier): string {
    const variable = this.#module.variableAt(identifier);
    const imported = variable && this.#module.importOf(variable);
    if (imported?.target.kind === "script") {
      const from = namespaceVariable(imported.target.id);
      return imported.imported === "*"
        ? from
        : `${from}${property(imported.imported)}`;
    }
    return identifier.name;
  }

  /** Reads of names imported from script modules read the VU's instance. */
  #importReferences(): void {
    const module = this.#module;
    for (const [variable, binding] of module.imports) {
      if (binding.target.kind !== "script") continue;
      const from = namespaceVariable(binding.target.id);
      const replacement = binding.imported === "*"
        ? from
        : `${from}${property(binding.imported)}`;
      for (const reference of variable.references) {
        const identifier = reference.identifier as unknown as Identifier;
        const parent = module.parents.get(identifier);
        if (parent?.type === "ExportSpecifier") continue; // statement blanked
        if (parent?.type === "Property" && parent.shorthand) {
          this.#code.update(
            identifier.start,
            identifier.end,
            `${identifier.name}: ${replacement}`,
          );
        } else {
          this.#code.update(identifier.start, identifier.end, replacement);
        }
      }
    }
  }

  #dynamicImports(): void {
    for (const node of this.#module.dynamicImports) {
      if (node.type !== "ImportExpression") continue;
      const source = node.source;
      if (source.type !== "Literal" || typeof source.value !== "string") {
        continue;
      }
      const target = this.#module.targets.get(source.value);
      if (target === undefined) continue;
      if (target.kind === "script") {
        this.#code.update(
          node.start,
          node.end,
          `${RUNTIME}.load(${target.id})`,
        );
      } else {
        this.#code.update(source.start, source.end, JSON.stringify(target.url));
      }
    }
  }

  // ------------------------------------------------------- unsupported --

  #runtimeImports = new Set<string>();

  #runtimeImport(name: string): void {
    if (this.#runtimeImports.has(name)) return;
    this.#runtimeImports.add(name);
    this.#trailer.push(
      `import { ${name} as ${RUNTIME}_${name} } from ${
        JSON.stringify(this.#context.runtimeURL)
      };`,
    );
  }

  /** Warns of a missing k6 name; returns the message the test stops with. */
  #unsupported(
    node: AnyNode,
    module: string,
    specifier: string,
    name: string,
  ): string {
    const suggestion = closest(name, this.#context.k6Exports(module));
    const hint = suggestion ? ` (did you mean '${suggestion}'?)` : "";
    this.#context.warn(
      `${
        this.#module.where(node)
      }: wsload's ${specifier} has no '${name}'${hint}; the test stops with an error if it is used`,
    );
    return `${specifier} has no '${name}' in wsload${hint}`;
  }

  /** `http.nope(…)` on a k6 module object: a clear failure, not `undefined`. */
  #unsupportedMembers(): void {
    const module = this.#module;
    for (const [variable, binding] of module.imports) {
      const target = binding.target;
      if (
        target.kind !== "k6" ||
        (binding.imported !== "default" && binding.imported !== "*")
      ) {
        continue;
      }
      const provided = this.#context.k6Exports(target.module);
      for (const reference of variable.references) {
        const identifier = reference.identifier as unknown as AnyNode;
        const member = module.parents.get(identifier);
        if (
          member?.type !== "MemberExpression" || member.object !== identifier
        ) {
          continue;
        }
        const name = memberName(member);
        if (name === undefined || provided.has(name)) continue;
        const parent = module.parents.get(member);
        const isAssigned = parent?.type === "AssignmentExpression" &&
          parent.left === member;
        if (isAssigned) continue;
        const message = this.#unsupported(
          member,
          target.module,
          target.specifier,
          name,
        );
        const isCallee = parent?.type === "CallExpression" &&
          parent.callee === member;
        this.#runtimeImport("missing");
        this.#code.update(
          member.start,
          member.end,
          `${RUNTIME}_missing(${JSON.stringify(message)}, ${isCallee})`,
        );
      }
    }
  }

  // ------------------------------------------------------------ awaits --

  #awaits(): void {
    const { plan } = this.#context;
    const module = this.#module;
    for (const fn of module.functions) {
      if (!plan.madeAsync.has(fn)) continue;
      const parent = module.parents.get(fn);
      let at = fn.start;
      if (
        (parent?.type === "Property" && parent.method) ||
        parent?.type === "MethodDefinition"
      ) {
        at = parent.computed
          ? module.source.lastIndexOf("[", parent.key.start)
          : parent.key.start;
      }
      this.#code.prependRight(at, "async ");
      if (plan.marked.has(fn)) {
        this.#runtimeImport("blocks");
        this.#code.prependRight(fn.start, `${RUNTIME}_blocks(`);
        this.#code.appendLeft(fn.end, ")");
      }
    }
    const calls = module.calls.filter((call) =>
      plan.awaited.has(call) || plan.sequenced.has(call)
    ).sort((a, b) => a.start - b.start || a.end - b.end);
    for (const call of calls) {
      if (plan.sequenced.has(call)) this.#sequence(call);
      if (!plan.awaited.has(call)) continue;
      let node: AnyNode = call;
      let parent = module.parents.get(node);
      while (parent?.type === "ChainExpression") {
        node = parent;
        parent = module.parents.get(node);
      }
      this.#code.prependRight(node.start, "(await ");
      this.#code.appendLeft(node.end, ")");
    }
  }

  /** `list.forEach(fn)` → `each(list, "forEach", fn)`: one element at a time. */
  #sequence(call: CallExpression): void {
    const callee = call.callee;
    if (callee.type !== "MemberExpression") return;
    const source = this.#module.source;
    const open = source.indexOf("(", callee.end);
    this.#runtimeImport("each");
    this.#code.prependRight(callee.object.start, `${RUNTIME}_each(`);
    this.#code.update(
      callee.object.end,
      open + 1,
      `, ${JSON.stringify(memberName(callee))}, `,
    );
  }

  // ----------------------------------------------------------- globals --

  #globals(): void {
    const through = new Set<string>();
    const global = this.#module.scopes.globalScope;
    for (const reference of global?.through ?? []) {
      through.add(reference.identifier.name);
    }
    for (const { name, url } of this.#context.globals) {
      if (!through.has(name)) continue;
      if (name === "open") {
        this.#runtimeImport("openFrom");
        this.#trailer.push(
          `const open = ${RUNTIME}_openFrom(${
            JSON.stringify(this.#context.openBase)
          });`,
        );
      } else {
        this.#trailer.push(`import { ${name} } from ${JSON.stringify(url)};`);
      }
    }
  }

  /** Reads of withheld globals throw; `typeof name` stays k6's `"undefined"`. */
  #withheld(): void {
    const withheld = this.#context.withheld ?? [];
    if (withheld.length === 0) return;
    const module = this.#module;
    for (const reference of module.scopes.globalScope?.through ?? []) {
      const identifier = reference.identifier as unknown as Identifier;
      const global = withheld.find((item) => item.name === identifier.name);
      if (global === undefined || !reference.isRead()) continue;
      const parent = module.parents.get(identifier);
      let replacement = `${RUNTIME}_withheld(${
        JSON.stringify(global.message)
      })`;
      if (parent?.type === "UnaryExpression" && parent.operator === "typeof") {
        replacement = "undefined";
      } else {
        this.#runtimeImport("withheld");
      }
      if (parent?.type === "Property" && parent.shorthand) {
        replacement = `${identifier.name}: ${replacement}`;
      }
      this.#code.update(identifier.start, identifier.end, replacement);
    }
  }

  /** Files named by `open("literal")` calls of the global `open`. */
  #opened(): string[] {
    const module = this.#module;
    const globalOpen = new Set<AnyNode>();
    for (const reference of module.scopes.globalScope?.through ?? []) {
      if (reference.identifier.name === "open") {
        globalOpen.add(reference.identifier as unknown as AnyNode);
      }
    }
    const paths: string[] = [];
    for (const call of module.calls) {
      if (!globalOpen.has(call.callee)) continue;
      const text = literalText(call.arguments[0]);
      if (text !== undefined) paths.push(text);
    }
    return paths;
  }
}

// The text of a string literal or a template without substitutions.
function literalText(node: AnyNode | undefined): string | undefined {
  if (node?.type === "Literal" && typeof node.value === "string") {
    return node.value;
  }
  if (node?.type === "TemplateLiteral" && node.expressions.length === 0) {
    return node.quasis[0].value.cooked ?? undefined;
  }
  return undefined;
}
