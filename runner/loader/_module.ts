/**
 * One parsed module of a script, with what the transforms ask of it: every
 * node's parent, its calls and functions, which variable an identifier
 * means (eslint-scope), and what its imports and exports are bound to.
 *
 * @module
 */
import type {
  AnyNode,
  ArrowFunctionExpression,
  CallExpression,
  ExportAllDeclaration,
  ExportDefaultDeclaration,
  ExportNamedDeclaration,
  FunctionDeclaration,
  FunctionExpression,
  Identifier,
  ImportDeclaration,
  Program,
} from "acorn";
import {
  analyze,
  type Reference,
  type ScopeManager,
  type Variable,
} from "eslint-scope";
import { KEYS } from "eslint-visitor-keys";

/** A function of the script: declared, expressed, arrow or method. */
export type FunctionNode =
  | FunctionDeclaration
  | FunctionExpression
  | ArrowFunctionExpression;

/** What an import specifier resolves to. */
export type ImportTarget =
  /** A wsload module standing in for a k6 module (e.g. `k6/ws`). */
  | {
    readonly kind: "k6";
    /** The wsload module path, e.g. `k6/ws` (`k6/k6` for `k6`). */
    readonly module: string;
    /** The specifier the script wrote, e.g. `k6/x/websockets`. */
    readonly specifier: string;
    /** The wsload module's URL. */
    readonly url: string;
  }
  /** Another module of the script, instantiated per VU. */
  | { readonly kind: "script"; readonly id: number }
  /** Any other file or URL, imported as it is (once per process). */
  | { readonly kind: "asset"; readonly url: string };

/** What an imported variable is bound to. */
export interface ImportedBinding {
  /** The module it comes from. */
  readonly target: ImportTarget;
  /** The name it is imported as: an export name, `default`, or `*`. */
  readonly imported: string;
}

/** What a module exports under a name. */
export type ExportBinding =
  | { readonly kind: "local"; readonly variable: Variable }
  /** `export default <expression>`: no variable. */
  | { readonly kind: "expression"; readonly node: AnyNode }
  | { readonly kind: "reexport"; readonly binding: ImportedBinding };

/** Module declarations, which the factory emitter rewrites. */
export type ModuleDeclaration =
  | ImportDeclaration
  | ExportNamedDeclaration
  | ExportDefaultDeclaration
  | ExportAllDeclaration;

function isNode(value: unknown): value is AnyNode {
  return typeof value === "object" && value !== null &&
    typeof (value as { type?: unknown }).type === "string";
}

/**
 * Visits every node of a tree in source order, with its parent.
 *
 * @param root The tree.
 * @param visit Called with each node and its parent.
 */
export function forEachNode(
  root: AnyNode,
  visit: (node: AnyNode, parent: AnyNode | undefined) => void,
): void {
  const stack: [AnyNode, AnyNode | undefined][] = [[root, undefined]];
  while (stack.length > 0) {
    const [node, parent] = stack.pop()!;
    visit(node, parent);
    const keys = KEYS[node.type] ?? [];
    // Children pushed in reverse, so that they come out in source order.
    for (let k = keys.length - 1; k >= 0; k--) {
      const child = (node as unknown as Record<string, unknown>)[keys[k]];
      if (Array.isArray(child)) {
        for (let i = child.length - 1; i >= 0; i--) {
          if (isNode(child[i])) stack.push([child[i], node]);
        }
      } else if (isNode(child)) {
        stack.push([child, node]);
      }
    }
  }
}

/**
 * The source literal of a module declaration, if it has one.
 *
 * @param declaration The declaration.
 * @returns The specifier, or `undefined` (e.g. `export default …`).
 */
export function specifierOf(
  declaration: ModuleDeclaration,
): string | undefined {
  const source = declaration.type === "ExportDefaultDeclaration"
    ? undefined
    : declaration.source;
  return typeof source?.value === "string" ? source.value : undefined;
}

/**
 * Whether a node is a function (declaration, expression or arrow).
 *
 * @param node The node.
 * @returns `true` for a function.
 */
export function isFunction(node: AnyNode): node is FunctionNode {
  return node.type === "FunctionDeclaration" ||
    node.type === "FunctionExpression" ||
    node.type === "ArrowFunctionExpression";
}

/** A parsed module and its index. */
export class ScriptModule {
  /** Its id in the script's module table. */
  readonly id: number;
  /** What messages call it: its file URL or remote URL. */
  readonly name: string;
  /** Its JavaScript. */
  readonly source: string;
  /** Its syntax tree. */
  readonly program: Program;
  /** Every node's parent. */
  readonly parents: Map<AnyNode, AnyNode> = new Map();
  /** Every call, in source order. */
  readonly calls: CallExpression[] = [];
  /** Every function, in source order. */
  readonly functions: FunctionNode[] = [];
  /** Its module declarations, in source order. */
  readonly declarations: ModuleDeclaration[] = [];
  /** `import("…")` expressions. */
  readonly dynamicImports: AnyNode[] = [];
  /** Resolution of each import specifier. */
  readonly targets: ReadonlyMap<string, ImportTarget>;
  /** The scope analysis. */
  readonly scopes: ScopeManager;
  readonly #references = new Map<Identifier, Reference>();
  readonly #declared = new Map<Identifier, Variable>();
  readonly #imports = new Map<Variable, ImportedBinding>();
  readonly #exports = new Map<string, ExportBinding>();
  readonly #starExports: ImportTarget[] = [];

  /**
   * Indexes a parsed module.
   *
   * @param id Its id.
   * @param name Its file or remote URL.
   * @param source Its JavaScript.
   * @param program Its syntax tree.
   * @param targets Resolution of each import specifier it uses.
   */
  constructor(
    id: number,
    name: string,
    source: string,
    program: Program,
    targets: ReadonlyMap<string, ImportTarget>,
  ) {
    this.id = id;
    this.name = name;
    this.source = source;
    this.program = program;
    this.targets = targets;
    this.#index(program);
    this.scopes = analyze(program as never, {
      ecmaVersion: 2022,
      sourceType: "module",
      childVisitorKeys: KEYS,
      fallback: "iteration",
    });
    for (const scope of this.scopes.scopes) {
      for (const reference of scope.references) {
        this.#references.set(
          reference.identifier as unknown as Identifier,
          reference,
        );
      }
      for (const variable of scope.variables) {
        for (const identifier of variable.identifiers) {
          this.#declared.set(identifier as unknown as Identifier, variable);
        }
      }
    }
    this.#bindModuleDeclarations();
  }

  #index(root: AnyNode): void {
    forEachNode(root, (node, parent) => {
      if (parent !== undefined) this.parents.set(node, parent);
      if (node.type === "CallExpression") this.calls.push(node);
      else if (isFunction(node)) this.functions.push(node);
      else if (node.type === "ImportExpression") this.dynamicImports.push(node);
      else if (
        node.type === "ImportDeclaration" ||
        node.type === "ExportNamedDeclaration" ||
        node.type === "ExportDefaultDeclaration" ||
        node.type === "ExportAllDeclaration"
      ) {
        this.declarations.push(node);
      }
    });
  }

  #bindModuleDeclarations(): void {
    for (const declaration of this.declarations) {
      const specifier = specifierOf(declaration);
      const target = specifier === undefined
        ? undefined
        : this.targets.get(specifier);
      if (declaration.type === "ImportDeclaration") {
        if (target === undefined) continue;
        for (const specifier of declaration.specifiers) {
          const imported = specifier.type === "ImportDefaultSpecifier"
            ? "default"
            : specifier.type === "ImportNamespaceSpecifier"
            ? "*"
            : exportName(specifier.imported);
          for (
            const variable of this.scopes.getDeclaredVariables(
              specifier as never,
            )
          ) {
            this.#imports.set(variable, { target, imported });
          }
        }
      } else if (declaration.type === "ExportAllDeclaration") {
        if (target === undefined) continue;
        if (declaration.exported) {
          this.#exports.set(exportName(declaration.exported), {
            kind: "reexport",
            binding: { target, imported: "*" },
          });
        } else {
          this.#starExports.push(target);
        }
      } else if (declaration.type === "ExportDefaultDeclaration") {
        const inner = declaration.declaration;
        const id = (inner as { id?: Identifier | null }).id;
        const variable = id ? this.variableDeclaredBy(id) : undefined;
        this.#exports.set(
          "default",
          variable
            ? { kind: "local", variable }
            : { kind: "expression", node: inner },
        );
      } else if (declaration.declaration) {
        const inner = declaration.declaration;
        // A function's declared variables include its parameters: only
        // its name is exported.
        const variables = inner.type === "VariableDeclaration"
          ? this.scopes.getDeclaredVariables(inner as never)
          : [this.variableDeclaredBy(inner.id)].filter((v) => v !== undefined);
        for (const variable of variables) {
          this.#exports.set(variable.name, { kind: "local", variable });
        }
      } else {
        for (const specifier of declaration.specifiers) {
          const exported = exportName(specifier.exported);
          const local = exportName(specifier.local);
          if (target !== undefined) {
            this.#exports.set(exported, {
              kind: "reexport",
              binding: { target, imported: local },
            });
          } else {
            const variable = this.variableAt(specifier.local as Identifier);
            if (variable) {
              this.#exports.set(exported, { kind: "local", variable });
            }
          }
        }
      }
    }
  }

  /**
   * The variable an identifier refers to (a reference), if the scope
   * analysis resolved it.
   *
   * @param identifier An identifier of this module.
   * @returns Its variable, or `undefined` for a global or unknown name.
   */
  variableAt(identifier: Identifier): Variable | undefined {
    return this.#references.get(identifier)?.resolved ?? undefined;
  }

  /**
   * The variable a binding identifier declares.
   *
   * @param identifier A declaring identifier (function name, parameter, …).
   * @returns Its variable.
   */
  variableDeclaredBy(identifier: Identifier): Variable | undefined {
    return this.#declared.get(identifier);
  }

  /**
   * Whether an identifier is a reference the scope analysis knows (a read
   * or write of a variable or of a global), as opposed to a property name
   * or a declaration.
   *
   * @param identifier The identifier.
   * @returns `true` for a reference.
   */
  isReference(identifier: Identifier): boolean {
    return this.#references.has(identifier);
  }

  /**
   * What an imported variable is bound to.
   *
   * @param variable A variable of this module.
   * @returns Its import, or `undefined` when it is not imported.
   */
  importOf(variable: Variable): ImportedBinding | undefined {
    return this.#imports.get(variable);
  }

  /** The imported variables and their bindings. */
  get imports(): ReadonlyMap<Variable, ImportedBinding> {
    return this.#imports;
  }

  /**
   * What the module exports under a name (its own `export *` sources are
   * in {@link ScriptModule.starExports}).
   *
   * @param name The export name.
   * @returns The binding, or `undefined`.
   */
  exportOf(name: string): ExportBinding | undefined {
    return this.#exports.get(name);
  }

  /** Every named export of the module itself. */
  get exports(): ReadonlyMap<string, ExportBinding> {
    return this.#exports;
  }

  /** The targets of its `export * from` declarations. */
  get starExports(): readonly ImportTarget[] {
    return this.#starExports;
  }

  /**
   * `file:line:col` of a node, for messages.
   *
   * @param node A node of this module.
   * @returns The location text.
   */
  where(node: AnyNode): string {
    const start = node.loc?.start;
    return start ? `${this.name}:${start.line}:${start.column + 1}` : this.name;
  }

  /**
   * The source text of a node.
   *
   * @param node A node of this module.
   * @returns Its text.
   */
  text(node: AnyNode): string {
    return this.source.slice(node.start, node.end);
  }
}

/**
 * The name an export or import specifier names (an identifier or, since
 * ES2022, a string literal).
 *
 * @param node The identifier or literal.
 * @returns The name.
 */
export function exportName(node: AnyNode): string {
  return node.type === "Identifier" ? node.name : String(
    (node as { value?: unknown }).value,
  );
}
