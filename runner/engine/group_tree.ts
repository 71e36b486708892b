/**
 * The group tree of a run: groups in the order they first ran, the checks
 * of each group with their passes and fails, k6's md5 ids, and (in the
 * `full` summary's breakdown mode) each group's own metrics.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { Metric } from "../../metrics/metric.ts";
import type { ResultRecorder } from "../../context/context.ts";
import { createSink, type Sink } from "./sink.ts";
import type {
  CheckSnapshot,
  GroupSnapshot,
  MetricSnapshot,
} from "./snapshot.ts";
import type { CheckState, GroupState, MetricInfo } from "./state.ts";

const SEPARATOR = "::";

/**
 * k6's id of a group or check: the md5 hex digest of its path.
 *
 * @param path The path, e.g. `::main::login` (`""` for the root group).
 * @returns 32 lowercase hex digits.
 *
 * @example The root group's id
 * ```ts
 * import { pathId } from "./group_tree.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(pathId(""), "d41d8cd98f00b204e9800998ecf8427e");
 * ```
 */
export function pathId(path: string): string {
  return createHash("md5").update(path).digest("hex");
}

/** A check's running totals. */
export interface CheckCounter {
  /** The check name. */
  readonly name: string;
  /** Passed evaluations. */
  passes: number;
  /** Failed evaluations. */
  fails: number;
}

/** One group: its sub-groups, checks and (breakdown mode) metric sinks. */
export class GroupNode {
  /** The group name; `""` for a root. */
  readonly name: string;
  /** `::a::b`; `""` for a root. */
  readonly path: string;
  /** Sub-groups by name, in the order they first ran. */
  readonly groups: Map<string, GroupNode> = new Map();
  /** Checks by name, in the order they first ran. */
  readonly checks: Map<string, CheckCounter> = new Map();
  /** Sinks of samples tagged with exactly this group (breakdown mode). */
  readonly metrics: Map<Metric, Sink> = new Map();

  /**
   * Creates a group.
   *
   * @param name The group name (`""` for a root).
   * @param path The group path (`""` for a root).
   *
   * @example Nest groups and count checks
   * ```ts
   * import { GroupNode } from "./group_tree.ts";
   * import assert from "node:assert/strict";
   *
   * const root = new GroupNode("", "");
   * const login = root.child("main").child("login");
   * login.check("token received", true);
   * const snapshot = root.snapshot(() => []);
   * assert.equal(snapshot.groups[0].groups[0].path, "::main::login");
   * assert.equal(snapshot.groups[0].groups[0].checks[0].passes, 1);
   * ```
   */
  constructor(name: string, path: string) {
    this.name = name;
    this.path = path;
  }

  /**
   * The sub-group of that name, created on first use.
   *
   * @param name The sub-group's name.
   * @returns The sub-group.
   */
  child(name: string): GroupNode {
    let child = this.groups.get(name);
    if (child === undefined) {
      child = new GroupNode(name, this.path + SEPARATOR + name);
      this.groups.set(name, child);
    }
    return child;
  }

  /**
   * Counts one evaluation of a check of this group.
   *
   * @param name The check name.
   * @param passed Whether it passed.
   */
  check(name: string, passed: boolean): void {
    let check = this.checks.get(name);
    if (check === undefined) {
      check = { name, passes: 0, fails: 0 };
      this.checks.set(name, check);
    }
    if (passed) check.passes++;
    else check.fails++;
  }

  /**
   * This group's sink for a metric, created on first use.
   *
   * @param metric The metric.
   * @returns Its sink.
   */
  sink(metric: Metric): Sink {
    let sink = this.metrics.get(metric);
    if (sink === undefined) {
      sink = createSink(metric.type);
      this.metrics.set(metric, sink);
    }
    return sink;
  }

  /**
   * The group's state.
   *
   * @returns A JSON-serialisable state.
   */
  state(): GroupState {
    return {
      name: this.name,
      groups: [...this.groups.values()].map((group) => group.state()),
      checks: [...this.checks.values()].map(({ name, passes, fails }) => ({
        name,
        passes,
        fails,
      })),
      metrics: [...this.metrics].map(([{ name, type, contains }, sink]) => ({
        name,
        type,
        contains,
        sink: sink.state(),
      })),
    };
  }

  /**
   * Adds another group's state: checks and sub-groups by name (new ones
   * after the known ones), metric sinks merged.
   *
   * @param state The other group's state.
   * @param resolve Maps a metric definition to this engine's metric.
   * @throws {TypeError} When a metric's type differs between the two.
   */
  merge(state: GroupState, resolve: (info: MetricInfo) => Metric): void {
    for (const check of state.checks) mergeCheck(this, check);
    for (const { sink, ...info } of state.metrics) {
      this.sink(resolve(info)).merge(sink);
    }
    for (const group of state.groups) {
      this.child(group.name).merge(group, resolve);
    }
  }

  /**
   * The group's snapshot.
   *
   * @param metrics Describes a group's metrics.
   * @returns The snapshot, sub-groups included.
   */
  snapshot(metrics: (group: GroupNode) => MetricSnapshot[]): GroupSnapshot {
    const checks: CheckSnapshot[] = [];
    for (const { name, passes, fails } of this.checks.values()) {
      const path = this.path + SEPARATOR + name;
      checks.push({ name, path, id: pathId(path), passes, fails });
    }
    return {
      name: this.name,
      path: this.path,
      id: pathId(this.path),
      groups: [...this.groups.values()].map((group) => group.snapshot(metrics)),
      checks,
      metrics: metrics(this),
    };
  }
}

function mergeCheck(group: GroupNode, state: CheckState): void {
  let check = group.checks.get(state.name);
  if (check === undefined) {
    check = { name: state.name, passes: 0, fails: 0 };
    group.checks.set(state.name, check);
  }
  check.passes += state.passes;
  check.fails += state.fails;
}

/**
 * A tree of groups rooted at the unnamed root group. As a
 * {@link ResultRecorder} it hears about groups and checks from `group()`
 * and `check()`, whatever the enabled tags.
 */
export class GroupTree implements ResultRecorder {
  /** The root group (name and path `""`). */
  readonly root: GroupNode;
  #byPath: Map<string, GroupNode>;

  /**
   * Creates a tree with only the root group.
   *
   * @param name The root's name (a scenario's name for a scenario's tree).
   *
   * @example Record groups and checks
   * ```ts
   * import { GroupTree } from "./group_tree.ts";
   * import assert from "node:assert/strict";
   *
   * const tree = new GroupTree();
   * tree.group("::main");
   * tree.check("::main", "status is 101", true);
   * tree.check("::main", "status is 101", false);
   * const main = tree.root.groups.get("main")!;
   * assert.deepEqual(main.checks.get("status is 101"), {
   *   name: "status is 101",
   *   passes: 1,
   *   fails: 1,
   * });
   * ```
   */
  constructor(name: string = "") {
    this.root = new GroupNode(name, "");
    this.#byPath = new Map([["", this.root]]);
  }

  /**
   * The group at a path, created (with its ancestors) on first use. A path
   * without the leading `::` (a hand-set `group` tag) means the same group
   * as with it.
   *
   * @param path `::a::b`, `a::b`, or `""` for the root.
   * @returns The group.
   */
  node(path: string): GroupNode {
    const known = this.#byPath.get(path);
    if (known !== undefined) return known;
    const names = path.startsWith(SEPARATOR)
      ? path.slice(SEPARATOR.length)
      : path;
    let node = this.root;
    for (const name of names.split(SEPARATOR)) node = node.child(name);
    this.#byPath.set(path, node);
    return node;
  }

  /**
   * Records that a group started.
   *
   * @param path The group path, `::a::b`.
   */
  group(path: string): void {
    this.node(path);
  }

  /**
   * Records one evaluation of a check.
   *
   * @param groupPath The path of the group the check ran in (`""` at the root).
   * @param name The check name.
   * @param passed Whether it passed.
   */
  check(groupPath: string, name: string, passed: boolean): void {
    this.node(groupPath).check(name, passed);
  }
}
