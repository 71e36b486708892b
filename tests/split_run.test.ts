// A test split over instances and merged (issue 11). The Kubernetes Job of
// deploy/kubernetes/job.yaml is simulated without a cluster: its container
// args, with `$(VAR)` expanded as Kubernetes expands them and the
// ConfigMap's script at its mount path, run as 4 local processes with
// JOB_COMPLETION_INDEX set; their stdout (the pods' logs) goes to `wsload
// merge`, as deploy/kubernetes/run.sh does. The merged result must equal
// one unsplit run of the same script: identical counts, threshold verdicts
// and exit code; p(95) within the sketch's 1%.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import {
  type CliResult,
  readJSON,
  runCli,
  scriptPath,
  useServer,
} from "./_cli.ts";
import { instanceShare, parseStartAt } from "../runner/options/instance.ts";
import {
  parseStates,
  type RunState,
  stateLine,
} from "../runner/state/state_file.ts";
import { checkStates, mergeStates } from "../runner/state/merge_states.ts";
import { MetricsEngine } from "../runner/engine/mod.ts";
import { Context } from "../context/context.ts";
import { VUS, VUS_MAX } from "../metrics/builtin.ts";

// From tests/ (source) or npm/esm/tests/ (compiled).
function repoFile(path: string): string {
  for (const up of ["../", "../../../"]) {
    const url = new URL(`${up}${path}`, import.meta.url);
    try {
      readFileSync(url);
      return fileURLToPath(url);
    } catch {
      // Not from here.
    }
  }
  throw new Error(`${path} not found from ${import.meta.url}`);
}

interface Container {
  args: string[];
  env?: { name: string; value: string }[];
  volumeMounts?: { name: string; mountPath: string }[];
}

interface JobManifest {
  spec: {
    completions: number;
    parallelism: number;
    completionMode: string;
    backoffLimitPerIndex: number;
    maxFailedIndexes: number;
    template: { spec: { containers: Container[] } };
  };
}

// Kubernetes' $(VAR) expansion in args: defined variables are replaced,
// $$ escapes, anything else stays as written.
function expand(text: string, env: Readonly<Record<string, string>>): string {
  return text.replace(
    /\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g,
    (whole, name?: string) =>
      whole === "$$"
        ? "$"
        : name !== undefined && name in env
        ? env[name]
        : whole,
  );
}

type Summary = {
  metrics: Record<string, Record<string, unknown>>;
  root_group: {
    groups: Record<
      string,
      { checks: Record<string, { passes: number; fails: number }> }
    >;
  };
};

describe("a test split over the pods of deploy/kubernetes/job.yaml, merged", () => {
  const served = useServer();
  const dir = mkdtempSync(join(tmpdir(), "wsload-split-"));
  const script = scriptPath("split_run.js");
  let job: JobManifest;
  let pods: CliResult[];
  let unsplit: CliResult;
  let merged: CliResult;
  let podArgs: string[][];

  before(async () => {
    job = parse(
      readFileSync(repoFile("deploy/kubernetes/job.yaml"), "utf8"),
    ) as JobManifest;
    const [container] = job.spec.template.spec.containers;
    const count = job.spec.completions;
    const wsUrl = served.url("/ws-echo-multi");
    // The ConfigMap's test.js, mounted at the container's mount path.
    const mount = container.volumeMounts![0].mountPath;
    const startAt = new Date(Date.now() + 6000).toISOString();
    podArgs = Array.from({ length: count }, (_, index) => {
      const env: Record<string, string> = {
        JOB_COMPLETION_INDEX: String(index),
      };
      for (const { name, value } of container.env ?? []) {
        env[name] = name === "START_AT" ? startAt : value;
      }
      return container.args.map((arg) =>
        expand(arg, env) === `${mount}/test.js` ? script : expand(arg, env)
      );
    });
    const runs = podArgs.map((args, index) =>
      runCli(args, {
        env: { JOB_COMPLETION_INDEX: String(index), WS_URL: wsUrl },
        killAfterMs: 60_000,
      })
    );
    unsplit = await runCli([
      "run",
      "-q",
      "--summary-export",
      join(dir, "unsplit.json"),
      script,
    ], { env: { WS_URL: wsUrl } });
    pods = await Promise.all(runs);
    // kubectl logs --selector=job-name=wsload: the pods' logs, one after another.
    writeFileSync(
      join(dir, "pods.log"),
      pods.map((pod) => pod.stdout).join(""),
    );
    merged = await runCli([
      "merge",
      "--script",
      script,
      "--summary-export",
      join(dir, "merged.json"),
      join(dir, "pods.log"),
    ]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("is an Indexed Job of 4 pods, each given a quarter, starting together", () => {
    assert.equal(job.spec.completionMode, "Indexed");
    assert.equal(job.spec.completions, 4);
    assert.equal(job.spec.parallelism, 4);
    // A pod that exits 99 is neither run again nor stops the others.
    assert.equal(job.spec.backoffLimitPerIndex, 0);
    assert.equal(job.spec.maxFailedIndexes, 4);
    // The lines deploy/kubernetes/run.sh rewrites are there, once each.
    const text = readFileSync(repoFile("deploy/kubernetes/job.yaml"), "utf8");
    for (
      const line of [
        /^ {2}completions: 4$/gm,
        /^ {2}parallelism: 4$/gm,
        /^ {2}maxFailedIndexes: 4$/gm,
        /--instance=4$/gm,
        /image: wsload:latest$/gm,
        /value: "2030-01-01T00:00:00Z"$/gm,
      ]
    ) {
      assert.equal(text.match(line)?.length, 1, String(line));
    }
    assert.ok(podArgs[2].includes("--tag=instance=2"), podArgs[2].join(" "));
    for (const pod of pods) {
      // (A pod slower to start than the others' head start begins at once.)
      assert.match(
        pod.stderr,
        /waiting until \S+ to start|the start time \S+ passed \S+ s ago; starting now/,
      );
      // Each pod judges only its share: its own thresholds fail.
      assert.equal(pod.code, 99, pod.stderr);
    }
    const segments = pods.map((pod) =>
      parseStates(new TextEncoder().encode(pod.stdout), "pod")[0]
        .executionSegment
    );
    assert.deepEqual(segments, ["0:1/4", "1/4:1/2", "1/2:3/4", "3/4:1"]);
  });

  it("exits as the unsplit run does, after calling the script's handleSummary()", () => {
    assert.equal(unsplit.code, 99, unsplit.stderr);
    assert.equal(merged.code, 99, merged.stderr);
    assert.match(
      merged.stderr,
      /merged 4 state\(s\) of .*split_run\.js: segments 0:1\/4, 1\/4:1\/2, 1\/2:3\/4, 3\/4:1/,
    );
    assert.match(
      merged.stderr,
      /thresholds on metrics 'ws_sessions' have been crossed/,
    );
    assert.equal(merged.stdout, "handleSummary: iterations=200 echoes=600\n");
  });

  it("has the unsplit run's counts, checks and threshold verdicts", () => {
    const a = readJSON(join(dir, "unsplit.json")) as Summary;
    const b = readJSON(join(dir, "merged.json")) as Summary;
    // vus and vus_max are sampled once a second: a run of under a second
    // may have them or not.
    const names = (summary: Summary) =>
      Object.keys(summary.metrics).filter((name) => !name.startsWith("vus"));
    assert.deepEqual(names(b), names(a));
    for (const name of names(a)) {
      const [metric, other] = [a.metrics[name], b.metrics[name]];
      for (const key of ["count", "passes", "fails", "value"]) {
        if (key in metric) {
          assert.equal(other[key], metric[key], `${name} ${key}`);
        }
      }
      assert.deepEqual(other.thresholds, metric.thresholds, name);
    }
    assert.equal(b.metrics.iterations.count, 200);
    assert.equal(b.metrics.ws_sessions.count, 200);
    assert.equal(b.metrics.echoes.count, 600);
    assert.equal(b.metrics.values.count, 20_000);
    assert.deepEqual(
      b.root_group.groups.echo.checks,
      a.root_group.groups.echo.checks,
    );
  });

  it("has the unsplit run's p(95), within the sketch's 1%", () => {
    const a = readJSON(join(dir, "unsplit.json")) as Summary;
    const b = readJSON(join(dir, "merged.json")) as Summary;
    const exact = 19_000.05; // k6's p(95) of 1..20000
    for (const p95 of [a.metrics.values["p(95)"], b.metrics.values["p(95)"]]) {
      assert.ok(Math.abs((p95 as number) / exact - 1) <= 0.01, `${p95}`);
    }
    assert.equal(b.metrics.values.min, 1);
    assert.equal(b.metrics.values.max, 20_000);
    assert.equal(b.metrics.values.avg, 10_000.5);
  });

  it("refuses states that overlap, leave parts out or come from another script", async () => {
    const logs = pods.map((pod) => pod.stdout);
    writeFileSync(join(dir, "twice.log"), logs[0] + logs[1] + logs[1]);
    const twice = await runCli(["merge", join(dir, "twice.log")]);
    assert.equal(twice.code, 255);
    assert.match(
      twice.stderr,
      /cannot merge overlapping segments: \S+twice\.log \(state 2\) ran 1\/4:1\/2 and \S+twice\.log \(state 3\) ran 1\/4:1\/2 \(the same instance twice\?\)/,
    );

    writeFileSync(join(dir, "three.log"), logs[0] + logs[1] + logs[3]);
    const three = await runCli(["merge", join(dir, "three.log")]);
    assert.equal(three.code, 255);
    assert.match(
      three.stderr,
      /the states do not cover the whole test: no state for 1\/2:3\/4; give every instance's state, or --allow-partial/,
    );
    const partial = await runCli([
      "merge",
      "--allow-partial",
      "--summary-export",
      join(dir, "partial.json"),
      join(dir, "three.log"),
    ]);
    assert.match(partial.stderr, /a partial result: no state for 1\/2:3\/4/);
    const summary = readJSON(join(dir, "partial.json")) as Summary;
    assert.equal(summary.metrics.iterations.count, 150);

    const [state] = parseStates(new TextEncoder().encode(logs[3]), "pod 3");
    const other = {
      ...state,
      script: { path: "other.js", sha256: "f".repeat(64) },
    };
    writeFileSync(
      join(dir, "other.log"),
      logs[0] + logs[1] + logs[2] + stateLine(other),
    );
    const mixed = await runCli(["merge", join(dir, "other.log")]);
    assert.equal(mixed.code, 255);
    assert.match(
      mixed.stderr,
      /cannot merge the states of different scripts: \S+ \(state 1\) ran \S+split_run\.js \(sha256 [0-9a-f]{12}\) and \S+ \(state 4\) ran other\.js \(sha256 ffffffffffff\)/,
    );

    const noFiles = await runCli(["merge"]);
    assert.equal(noFiles.code, 104);
    assert.match(
      noFiles.stderr,
      /the merge command needs the instances' states: wsload merge \[flags\] <state-or-log>\.\.\./,
    );
    const help = await runCli(["merge", "--help"]);
    assert.equal(help.code, 0);
    assert.match(
      help.stdout,
      /^Merge the end states of a split test's instances/,
    );

    writeFileSync(join(dir, "none.log"), "just a log\n");
    const none = await runCli(["merge", join(dir, "none.log")]);
    assert.equal(none.code, 255);
    assert.match(none.stderr, /none\.log: no wsload state in it/);
  });
});

describe("merged states", () => {
  it("add up the instances' vus and vus_max, and keep other gauges' last value", () => {
    const states = [0, 1].map((index) => {
      const engine = new MetricsEngine();
      const context = new Context({ sink: engine.ingest });
      context.emit(VUS_MAX, 3 + index);
      context.emit(VUS, 1 + index);
      context.emit(VUS, 2 + index);
      return {
        source: `state-${index}.json`,
        state: {
          script: { path: "test.js", sha256: "" },
          executionSegment: index === 0 ? "0:1/2" : "1/2:1",
          durationMs: 1000 + index,
          exitCode: 0,
          options: {
            scenarios: {},
            thresholds: { vus_max: ["value==7"] },
            noThresholds: false,
            summaryTrendStats: ["avg"],
            summaryTimeUnit: "",
            handleSummaryTimeout: 1000,
            systemTags: [],
          },
          metrics: [VUS, VUS_MAX],
          engine: engine.state(),
        } as unknown as RunState,
      };
    });
    const checked = checkStates(states, false);
    assert.equal(checked.durationMs, 1001);
    const engine = mergeStates(checked, {
      breakdown: false,
      noThresholds: false,
      logger: console,
    });
    assert.deepEqual(engine.evaluate(1001, { final: true }).failed, []);
    const metrics = engine.snapshot(1001).rootGroup.metrics;
    const values = Object.fromEntries(
      metrics.map((metric) => [metric.name, metric.values]),
    );
    assert.deepEqual(values.vus, { value: 5, min: 3, max: 5 });
    assert.deepEqual(values.vus_max, { value: 7, min: 7, max: 7 });
  });
});

describe("--instance and --start-at", () => {
  it("give instance I of N the segment I/N:(I+1)/N", () => {
    assert.deepEqual(instanceShare("3/4", {}), {
      index: 3,
      count: 4,
      executionSegment: "3/4:1",
      executionSegmentSequence: "0,1/4,2/4,3/4,1",
    });
    assert.equal(
      instanceShare("3", { JOB_COMPLETION_INDEX: "0" }).executionSegment,
      "0:1/3",
    );
    assert.equal(instanceShare("0/1", {}).executionSegment, "0:1");
  });

  it("say what is wrong with a bad value", () => {
    assert.throws(() => instanceShare("4", {}), {
      message:
        "--instance 4 takes the instance's index from JOB_COMPLETION_INDEX (Kubernetes sets it in the pods of an Indexed Job), which is not set; give the index as --instance I/4",
    });
    assert.throws(() => instanceShare("4/4", {}), {
      message:
        "instance index 4 is out of range for 4 instances: expected 0 to 3",
    });
    assert.throws(() => instanceShare("a/4", {}), {
      message:
        'invalid argument "a/4" for "--instance" flag: expected I/N (instance I of N, counting from 0, e.g. 0/4) or N (I from JOB_COMPLETION_INDEX)',
    });
    assert.throws(() => instanceShare("0", {}), RangeError);
    assert.throws(() => parseStartAt("2030-01-31 12:00"), {
      message:
        'invalid argument "2030-01-31 12:00" for "--start-at" flag: expected an RFC 3339 time with a zone, e.g. 2030-01-31T12:00:00Z (date -u +%FT%TZ prints one)',
    });
  });

  it("are refused with exit 104 on the command line", async () => {
    const both = await runCli([
      "run",
      "--instance",
      "0/2",
      "--execution-segment",
      "0:1/2",
      scriptPath("split_run.js"),
    ]);
    assert.equal(both.code, 104);
    assert.match(
      both.stderr,
      /--instance sets the execution segment and its sequence: give either --instance or --execution-segment\(-sequence\), not both/,
    );
    const noIndex = await runCli([
      "run",
      "--instance",
      "2",
      scriptPath("split_run.js"),
    ]);
    assert.equal(noIndex.code, 104);
    assert.match(
      noIndex.stderr,
      /takes the instance's index from JOB_COMPLETION_INDEX/,
    );
  });
});
