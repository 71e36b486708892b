/**
 * The auto-await analysis: which calls of a script block in k6, so that
 * wsload must await them, and which functions must become `async` for
 * that — across all the script's modules.
 *
 * k6 blocks in `sleep()`, `ws.connect()` and `http.*`; wsload returns
 * promises. A call blocks when its callee is one of those, a function of
 * the script that blocks, a parameter that receives such a function, a
 * method whose name a blocking method of the script has, or `group()` /
 * `check()` given a blocking function. A function that makes a blocking
 * call blocks itself (it becomes `async`, and its calls are awaited),
 * unless the user wrote it `async`: k6 does not wait for an async
 * function either. The rules run to a fixed point, so blocking spreads
 * through any depth of calls and modules.
 *
 * Where a blocking call cannot be awaited (a getter, a constructor, a
 * generator, a class field, a default parameter value) or a blocking
 * function is handed to code that will not await it (e.g. `forEach` of
 * something that may not be an array, `new Promise`), the plan carries a
 * warning with the file, line and column.
 *
 * @module
 */
import type {
  AnyNode,
  CallExpression,
  Expression,
  MemberExpression,
  NewExpression,
} from "acorn";
import type { Variable } from "eslint-scope";
import {
  BLOCKING_APIS,
  CALLBACK_SINKS,
  PASS_THROUGH_APIS,
  SEQUENTIAL_METHODS,
} from "./_k6_apis.ts";
import { type FunctionNode, isFunction, type ScriptModule } from "./_module.ts";

/** What the transform must change so that the script waits where k6 blocks. */
export interface AwaitPlan {
  /** Calls to await. */
  readonly awaited: ReadonlySet<CallExpression>;
  /** Functions to make `async`. */
  readonly madeAsync: ReadonlySet<FunctionNode>;
  /** Array-method calls to run one element at a time. */
  readonly sequenced: ReadonlySet<CallExpression>;
  /**
   * Functions made async that k6 calls synchronously (`check()`'s
   * functions): marked, so that wsload's `check()` awaits them.
   */
  readonly marked: ReadonlySet<FunctionNode>;
  /** Places where k6's order cannot be kept: `file:line:col: text`. */
  readonly warnings: readonly string[];
}

/** A k6 function as the script names it. */
interface K6Function {
  /** The wsload module path, e.g. `k6/ws`. */
  readonly module: string;
  /** The export name, e.g. `connect`. */
  readonly name: string;
}

/** Where a variable really comes from, through imports and re-exports. */
type Origin =
  | { readonly kind: "k6"; readonly module: string; readonly imported: string }
  | {
    readonly kind: "variable";
    readonly module: ScriptModule;
    readonly variable: Variable;
  };

/** Where a call sits: whether it can be awaited there. */
type Owner =
  | { readonly kind: "module" }
  | { readonly kind: "function"; readonly fn: FunctionNode }
  | { readonly kind: "none"; readonly reason: string };

/** A function a call may reach, and how its arguments line up. */
interface Target {
  readonly module: ScriptModule;
  readonly fn: FunctionNode;
  /** How many leading arguments do not reach parameters (`f.call(this, …)`). */
  readonly skip: number;
}

const PROMISE_METHODS = new Set(["then", "catch", "finally"]);

function unwrap(node: AnyNode): AnyNode {
  let current = node;
  while (
    current.type === "ChainExpression" ||
    current.type === "ParenthesizedExpression"
  ) {
    current = current.expression;
  }
  return current;
}

/**
 * The static name of a member expression's property.
 *
 * @param member The member expression.
 * @returns The name, or `undefined` when it is computed from a value.
 */
export function memberName(member: MemberExpression): string | undefined {
  const property = member.property;
  if (!member.computed && property.type === "Identifier") return property.name;
  if (property.type === "Literal" && typeof property.value === "string") {
    return property.value;
  }
  return undefined;
}

/**
 * Analyses the modules of a script.
 *
 * @param modules Every module of the script.
 * @returns The plan.
 */
export function planAwaits(modules: readonly ScriptModule[]): AwaitPlan {
  return new Analysis(modules).run();
}

class Analysis {
  readonly #modules: readonly ScriptModule[];
  readonly #byId = new Map<number, ScriptModule>();
  readonly #moduleOf = new Map<FunctionNode, ScriptModule>();
  readonly #methods = new Map<string, FunctionNode[]>();
  readonly #madeAsync = new Set<FunctionNode>();
  readonly #blockingCalls = new Set<CallExpression>();
  readonly #blockingParams = new Set<Variable>();
  readonly #blockingNames = new Set<string>();
  readonly #sequenced = new Set<CallExpression>();
  readonly #warnings: string[] = [];

  constructor(modules: readonly ScriptModule[]) {
    this.#modules = modules;
    for (const module of modules) {
      this.#byId.set(module.id, module);
      for (const fn of module.functions) {
        this.#moduleOf.set(fn, module);
        const name = this.#methodName(module, fn);
        if (name !== undefined) {
          const list = this.#methods.get(name);
          if (list) list.push(fn);
          else this.#methods.set(name, [fn]);
        }
      }
    }
  }

  run(): AwaitPlan {
    let changed = true;
    while (changed) {
      changed = false;
      for (const module of this.#modules) {
        for (const call of module.calls) {
          if (
            !this.#blockingCalls.has(call) && this.#blocks(module, call)
          ) {
            this.#blockingCalls.add(call);
            this.#claim(module, call);
            changed = true;
          }
          if (this.#spreadToParameters(module, call)) changed = true;
        }
      }
    }
    return {
      awaited: this.#awaitedCalls(),
      madeAsync: this.#madeAsync,
      sequenced: this.#sequenced,
      marked: this.#markedCallbacks(),
      warnings: [...this.#warnings, ...this.#unawaitedCallbacks()],
    };
  }

  // ------------------------------------------------------------ bindings --

  /** Follows imports and re-exports to where a variable is defined. */
  #origin(
    module: ScriptModule,
    variable: Variable,
    seen = new Set<Variable>(),
  ): Origin | undefined {
    if (seen.has(variable)) return undefined;
    seen.add(variable);
    const imported = module.importOf(variable);
    if (imported === undefined) return { kind: "variable", module, variable };
    const target = imported.target;
    if (target.kind === "k6") {
      return { kind: "k6", module: target.module, imported: imported.imported };
    }
    if (target.kind !== "script" || imported.imported === "*") return undefined;
    return this.#exported(
      this.#byId.get(target.id),
      imported.imported,
      seen,
    );
  }

  #exported(
    module: ScriptModule | undefined,
    name: string,
    seen: Set<Variable>,
    visited = new Set<ScriptModule>(),
  ): Origin | undefined {
    if (module === undefined || visited.has(module)) return undefined;
    visited.add(module);
    const binding = module.exportOf(name);
    if (binding?.kind === "local") {
      return this.#origin(module, binding.variable, seen);
    }
    if (binding?.kind === "reexport") {
      const target = binding.binding.target;
      if (target.kind === "k6") {
        return {
          kind: "k6",
          module: target.module,
          imported: binding.binding.imported,
        };
      }
      if (target.kind === "script" && binding.binding.imported !== "*") {
        return this.#exported(
          this.#byId.get(target.id),
          binding.binding.imported,
          seen,
        );
      }
      return undefined;
    }
    if (binding === undefined && name !== "default") {
      for (const star of module.starExports) {
        if (star.kind === "k6") {
          return { kind: "k6", module: star.module, imported: name };
        }
        if (star.kind === "script") {
          const found = this.#exported(
            this.#byId.get(star.id),
            name,
            seen,
            visited,
          );
          if (found) return found;
        }
      }
    }
    return undefined;
  }

  /** `ns.name` of a script module's namespace: where `name` comes from. */
  #namespaceMember(
    module: ScriptModule,
    member: MemberExpression,
    seen: Set<Variable>,
  ): Origin | undefined {
    const object = unwrap(member.object);
    const name = memberName(member);
    if (object.type !== "Identifier" || name === undefined) return undefined;
    const variable = module.variableAt(object);
    const imported = variable && module.importOf(variable);
    if (imported?.imported !== "*" || imported.target.kind !== "script") {
      return undefined;
    }
    return this.#exported(this.#byId.get(imported.target.id), name, seen);
  }

  /** The k6 function a callee names, if any. */
  #k6Function(module: ScriptModule, callee: AnyNode): K6Function | undefined {
    if (callee.type === "Identifier") {
      const variable = module.variableAt(callee);
      const origin = variable && this.#origin(module, variable);
      if (
        origin?.kind === "k6" && origin.imported !== "*" &&
        origin.imported !== "default"
      ) {
        return { module: origin.module, name: origin.imported };
      }
      return undefined;
    }
    if (callee.type !== "MemberExpression") return undefined;
    const object = unwrap(callee.object);
    const name = memberName(callee);
    if (object.type !== "Identifier" || name === undefined) return undefined;
    const variable = module.variableAt(object);
    const origin = variable && this.#origin(module, variable);
    if (
      origin?.kind === "k6" &&
      (origin.imported === "*" || origin.imported === "default")
    ) {
      return { module: origin.module, name };
    }
    return undefined;
  }

  /** The functions an expression may evaluate to. */
  #functionsOf(
    module: ScriptModule,
    node: AnyNode,
    seen = new Set<Variable>(),
  ): { module: ScriptModule; fn: FunctionNode }[] {
    const expression = unwrap(node);
    if (isFunction(expression)) return [{ module, fn: expression }];
    switch (expression.type) {
      case "Identifier": {
        const variable = module.variableAt(expression);
        return variable
          ? this.#functionsOfVariable(module, variable, seen)
          : [];
      }
      case "ConditionalExpression":
        return [
          ...this.#functionsOf(module, expression.consequent, seen),
          ...this.#functionsOf(module, expression.alternate, seen),
        ];
      case "LogicalExpression":
        return [
          ...this.#functionsOf(module, expression.left, seen),
          ...this.#functionsOf(module, expression.right, seen),
        ];
      case "SequenceExpression":
        return this.#functionsOf(
          module,
          expression.expressions[expression.expressions.length - 1],
          seen,
        );
      case "AssignmentExpression":
        return this.#functionsOf(module, expression.right, seen);
      case "MemberExpression": {
        // ns.f, where `import * as ns from "./lib.js"`.
        const origin = this.#namespaceMember(module, expression, new Set());
        return origin?.kind === "variable"
          ? this.#functionsOfVariable(origin.module, origin.variable, seen)
          : [];
      }
      case "CallExpression": {
        // f.bind(…) is f.
        const callee = unwrap(expression.callee);
        if (
          callee.type === "MemberExpression" && memberName(callee) === "bind"
        ) {
          return this.#functionsOf(module, callee.object, seen);
        }
        return [];
      }
      default:
        return [];
    }
  }

  #functionsOfVariable(
    module: ScriptModule,
    variable: Variable,
    seen: Set<Variable>,
  ): { module: ScriptModule; fn: FunctionNode }[] {
    const origin = this.#origin(module, variable);
    if (origin?.kind !== "variable" || seen.has(origin.variable)) return [];
    seen.add(origin.variable);
    const found: { module: ScriptModule; fn: FunctionNode }[] = [];
    const home = origin.module;
    for (const definition of origin.variable.defs) {
      const node = definition.node as unknown as AnyNode;
      if (definition.type === "FunctionName" && isFunction(node)) {
        found.push({ module: home, fn: node });
      }
    }
    for (const reference of origin.variable.references) {
      if (reference.isWrite() && reference.writeExpr) {
        const write = reference.writeExpr as unknown as AnyNode;
        // Only a plain `x = …` / `const x = …` binds the whole value.
        const parent = home.parents.get(reference.identifier as never);
        if (
          parent?.type === "VariableDeclarator" ||
          parent?.type === "AssignmentExpression"
        ) {
          found.push(...this.#functionsOf(home, write, seen));
        }
      }
    }
    return found;
  }

  /** Whether an expression may be a function that blocks. */
  #isBlockingValue(module: ScriptModule, node: AnyNode | undefined): boolean {
    if (node === undefined) return false;
    const expression = unwrap(node);
    if (expression.type === "SpreadElement") return false;
    for (const { fn } of this.#functionsOf(module, expression)) {
      if (this.#madeAsync.has(fn)) return true;
    }
    if (expression.type === "Identifier") {
      const variable = module.variableAt(expression);
      const origin = variable && this.#origin(module, variable);
      if (origin?.kind === "variable") {
        if (this.#blockingParams.has(origin.variable)) return true;
      } else if (origin?.kind === "k6") {
        return BLOCKING_APIS[origin.module]?.has(origin.imported) ?? false;
      }
    }
    if (expression.type === "MemberExpression") {
      const k6 = this.#k6Function(module, expression);
      if (k6) return BLOCKING_APIS[k6.module]?.has(k6.name) ?? false;
      const origin = this.#namespaceMember(module, expression, new Set());
      if (origin?.kind === "k6") {
        return BLOCKING_APIS[origin.module]?.has(origin.imported) ?? false;
      }
      if (origin !== undefined) return false;
      const name = memberName(expression);
      return name !== undefined && this.#blockingNames.has(name);
    }
    return false;
  }

  // --------------------------------------------------------------- calls --

  /** Whether a call's result is used as a promise (`.then(…)`). */
  #usedAsPromise(module: ScriptModule, call: CallExpression): boolean {
    let node: AnyNode = call;
    let parent = module.parents.get(node);
    while (parent?.type === "ChainExpression") {
      node = parent;
      parent = module.parents.get(node);
    }
    return parent?.type === "MemberExpression" && parent.object === node &&
      PROMISE_METHODS.has(memberName(parent) ?? "");
  }

  /** Whether a call blocks, by the rules in the module doc. */
  #blocks(module: ScriptModule, call: CallExpression): boolean {
    if (this.#usedAsPromise(module, call)) return false;
    const callee = unwrap(call.callee);
    const k6 = this.#k6Function(module, callee);
    if (k6 !== undefined) {
      if (BLOCKING_APIS[k6.module]?.has(k6.name)) return true;
      const pass = PASS_THROUGH_APIS[k6.module]?.[k6.name];
      if (pass === undefined) return false;
      const argument = call.arguments[pass.argument];
      if (pass.object) {
        return argument?.type === "ObjectExpression" &&
          argument.properties.some((property) =>
            property.type === "Property" &&
            this.#isBlockingValue(module, property.value)
          );
      }
      return this.#isBlockingValue(module, argument);
    }
    if (isFunction(callee)) return this.#madeAsync.has(callee);
    if (callee.type === "Identifier") {
      return this.#isBlockingValue(module, callee);
    }
    if (callee.type === "MemberExpression") {
      const name = memberName(callee);
      if (name === undefined) return false;
      if (
        (name === "call" || name === "apply") &&
        this.#isBlockingValue(module, callee.object)
      ) {
        return true;
      }
      if (
        SEQUENTIAL_METHODS.has(name) && !callee.optional &&
        call.arguments.some((argument) =>
          this.#isBlockingValue(module, argument)
        )
      ) {
        this.#sequenced.add(call);
        return true;
      }
      return this.#isBlockingValue(module, callee);
    }
    return false;
  }

  /** Makes the function that holds a blocking call async, where it can be. */
  #claim(module: ScriptModule, call: CallExpression): void {
    const owner = this.#owner(module, call);
    if (owner.kind !== "function" || owner.fn.async) return;
    if (this.#asyncRefusal(module, owner.fn) !== undefined) return;
    if (this.#madeAsync.has(owner.fn)) return;
    this.#madeAsync.add(owner.fn);
    const name = this.#methodName(module, owner.fn);
    if (name !== undefined) this.#blockingNames.add(name);
  }

  /** The functions a call may reach, for parameter passing. */
  #targets(
    module: ScriptModule,
    call: CallExpression | NewExpression,
  ): Target[] {
    const callee = unwrap(call.callee);
    if (callee.type === "MemberExpression") {
      const name = memberName(callee);
      if (name === "call" || name === "apply") {
        return this.#functionsOf(module, callee.object).map((found) => ({
          ...found,
          skip: name === "call" ? 1 : Infinity,
        }));
      }
      if (name === undefined || this.#k6Function(module, callee)) return [];
      return (this.#methods.get(name) ?? []).map((fn) => ({
        module: this.#moduleOf.get(fn)!,
        fn,
        skip: 0,
      }));
    }
    return this.#functionsOf(module, callee).map((found) => ({
      ...found,
      skip: 0,
    }));
  }

  /** Marks parameters that receive blocking functions; `true` if any is new. */
  #spreadToParameters(module: ScriptModule, call: CallExpression): boolean {
    let changed = false;
    const args = call.arguments;
    for (let i = 0; i < args.length; i++) {
      if (args[i].type === "SpreadElement") break;
      if (!this.#isBlockingValue(module, args[i])) continue;
      for (const target of this.#targets(module, call)) {
        const param = target.fn.params[i - target.skip];
        if (param?.type !== "Identifier") continue;
        const variable = target.module.variableDeclaredBy(param);
        if (variable && !this.#blockingParams.has(variable)) {
          this.#blockingParams.add(variable);
          changed = true;
        }
      }
    }
    return changed;
  }

  // ----------------------------------------------------------- placement --

  /** The function (or module) whose body holds a node, if it can await. */
  #owner(module: ScriptModule, node: AnyNode): Owner {
    let child = node;
    let parent = module.parents.get(child);
    while (parent !== undefined) {
      if (isFunction(parent)) {
        if ((parent.params as AnyNode[]).includes(child)) {
          return { kind: "none", reason: "a default parameter value" };
        }
        return { kind: "function", fn: parent };
      }
      if (parent.type === "PropertyDefinition" && parent.value === child) {
        return { kind: "none", reason: "a class field initializer" };
      }
      if (parent.type === "StaticBlock") {
        return { kind: "none", reason: "a class static block" };
      }
      child = parent;
      parent = module.parents.get(child);
    }
    return { kind: "module" };
  }

  /** Why a function cannot become async, or `undefined` if it can. */
  #asyncRefusal(module: ScriptModule, fn: FunctionNode): string | undefined {
    if (fn.generator) return "a generator function";
    const parent = module.parents.get(fn);
    if (parent?.type === "MethodDefinition") {
      if (parent.kind === "constructor") return "a constructor";
      if (parent.kind === "get" || parent.kind === "set") {
        return `a ${parent.kind}ter`;
      }
    }
    if (
      parent?.type === "Property" &&
      (parent.kind === "get" || parent.kind === "set")
    ) {
      return `a ${parent.kind}ter`;
    }
    return undefined;
  }

  /** The name a function is reachable by as a method (`obj.name(…)`). */
  #methodName(module: ScriptModule, fn: FunctionNode): string | undefined {
    const parent = module.parents.get(fn);
    if (parent === undefined) return undefined;
    const keyName = (key: AnyNode, computed: boolean) =>
      !computed && key.type === "Identifier"
        ? key.name
        : key.type === "Literal" && typeof key.value === "string"
        ? key.value
        : undefined;
    if (
      (parent.type === "Property" || parent.type === "MethodDefinition" ||
        parent.type === "PropertyDefinition") && parent.value === fn
    ) {
      return keyName(parent.key, parent.computed);
    }
    if (
      parent.type === "AssignmentExpression" && parent.right === fn &&
      parent.left.type === "MemberExpression"
    ) {
      return memberName(parent.left);
    }
    return undefined;
  }

  #awaitedCalls(): Set<CallExpression> {
    const awaited = new Set<CallExpression>();
    for (const module of this.#modules) {
      for (const call of module.calls) {
        if (!this.#blockingCalls.has(call)) continue;
        const owner = this.#owner(module, call);
        let reason: string | undefined;
        if (owner.kind === "none") reason = owner.reason;
        else if (owner.kind === "function" && !owner.fn.async) {
          reason = this.#asyncRefusal(module, owner.fn);
        }
        if (reason !== undefined) {
          this.#sequenced.delete(call);
          this.#warnings.push(
            `${module.where(call)}: ${
              this.#describe(module, call)
            } blocks in k6, but it is called in ${reason}, which cannot wait for it: the code after it runs at once`,
          );
          continue;
        }
        if (module.parents.get(call)?.type !== "AwaitExpression") {
          awaited.add(call);
        }
      }
    }
    return awaited;
  }

  /** The blocking functions of `check()` calls' check objects. */
  #markedCallbacks(): Set<FunctionNode> {
    const marked = new Set<FunctionNode>();
    for (const module of this.#modules) {
      for (const call of module.calls) {
        if (!this.#blockingCalls.has(call)) continue;
        const k6 = this.#k6Function(module, unwrap(call.callee));
        const pass = k6 && PASS_THROUGH_APIS[k6.module]?.[k6.name];
        const argument = pass?.object
          ? call.arguments[pass.argument]
          : undefined;
        if (argument?.type !== "ObjectExpression") continue;
        for (const property of argument.properties) {
          if (property.type !== "Property" || property.method) continue;
          const value = unwrap(property.value);
          if (isFunction(value) && this.#madeAsync.has(value)) {
            marked.add(value);
          }
        }
      }
    }
    return marked;
  }

  #describe(module: ScriptModule, call: CallExpression): string {
    const callee = unwrap(call.callee);
    const text = callee.type === "Identifier" ||
        callee.type === "MemberExpression"
      ? module.text(callee)
      : "this call";
    return text === "this call" ? text : `${text}()`;
  }

  /** The first blocking call a function makes itself. */
  #firstBlockingCall(
    module: ScriptModule,
    fn: FunctionNode,
  ): CallExpression | undefined {
    return module.calls.find((call) =>
      this.#blockingCalls.has(call) && call.start >= fn.start &&
      call.end <= fn.end && (() => {
        const owner = this.#owner(module, call);
        return owner.kind === "function" && owner.fn === fn;
      })()
    );
  }

  /** Whether the callee of a call takes callbacks that may be async. */
  #acceptsAsyncCallbacks(
    module: ScriptModule,
    call: CallExpression | NewExpression,
    index: number,
  ): boolean {
    const callee = unwrap(call.callee);
    if (call.type === "CallExpression") {
      if (this.#sequenced.has(call)) return true;
      if (this.#k6Function(module, callee)) return true;
    }
    const name = callee.type === "Identifier"
      ? callee.name
      : callee.type === "MemberExpression"
      ? memberName(callee)
      : undefined;
    if (name !== undefined && CALLBACK_SINKS.has(name)) return true;
    if (call.type === "NewExpression") return false;
    return this.#targets(module, call).some((target) =>
      target.fn.params[index - target.skip]?.type === "Identifier"
    );
  }

  #unawaitedCallbacks(): string[] {
    const warnings: string[] = [];
    for (const module of this.#modules) {
      const calls: (CallExpression | NewExpression)[] = [...module.calls];
      for (const node of module.parents.keys()) {
        if (node.type === "NewExpression") calls.push(node);
      }
      calls.sort((a, b) => a.start - b.start);
      for (const call of calls) {
        call.arguments.forEach((argument, index) => {
          const value = unwrap(argument);
          if (!isFunction(value) || !this.#madeAsync.has(value)) return;
          if (this.#acceptsAsyncCallbacks(module, call, index)) return;
          const inner = this.#firstBlockingCall(module, value);
          const callee = `${call.type === "NewExpression" ? "new " : ""}${
            module.text(unwrap(call.callee) as Expression)
          }()`;
          warnings.push(
            `${module.where(value)}: this function calls ${
              inner ? this.#describe(module, inner) : "a function"
            }, which blocks in k6, but ${callee} does not wait for it: the code after ${callee} goes on at once`,
          );
        });
      }
    }
    return warnings;
  }
}
