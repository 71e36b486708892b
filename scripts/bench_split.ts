/**
 * What split runs and live metrics cost (issue 11), each as a ratio
 * against a baseline measured in the same run. Prints a report; asserts
 * nothing.
 *
 * a. **`--out experimental-prometheus-rw` per sample.** N samples (a trend
 *    over 4 URL series, a counter) into a metrics engine alone (the
 *    baseline: what every run does), and into the engine plus the output's
 *    series store, with trend stats (`p(99)`) and with native histograms;
 *    plus one push of every series (protobuf + snappy). Best of R runs.
 * b. **`--out state` and `wsload merge`.** The state of one instance with
 *    a trend of V values (exact up to 10,000, a sketch beyond): its size as
 *    JSON, gzip and log line; and the time to merge 4 such states and
 *    summarise them, against summarising one engine of the same samples.
 *
 * ```sh
 * deno run -A scripts/bench_split.ts [--samples N] [--runs R]
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { Context } from "../context/context.ts";
import { WS_CONNECTING, WS_MSGS_SENT } from "../metrics/builtin.ts";
import { MetricsEngine } from "../runner/engine/mod.ts";
import { SeriesStore } from "../runner/output/_prometheus_series.ts";
import { writeRequestBody } from "../runner/output/_remote_write.ts";
import { stateFileBytes, stateLine } from "../runner/state/state_file.ts";
import { checkStates, mergeStates } from "../runner/state/merge_states.ts";
import type { Sample } from "../metrics/sample.ts";

const { values } = parseArgs({
  options: {
    samples: { type: "string", default: "1000000" },
    runs: { type: "string", default: "5" },
  },
});
const N = Number(values.samples);
const R = Number(values.runs);

// Half the samples with tags made for each (a new object per sample),
// half with a socket's frozen tags (the same object again and again).
function samples(count: number): Sample[] {
  const all: Sample[] = [];
  const context = new Context({ sink: (sample) => all.push(sample) });
  const shared = [0, 1, 2, 3].map((port) =>
    Object.freeze({ url: `ws://127.0.0.1:${8000 + port}/echo` })
  );
  for (let i = 0; i < count; i++) {
    const url = `ws://127.0.0.1:${8000 + (i % 4)}/echo`;
    if (i % 2 === 0) {
      context.emit(WS_CONNECTING, 1 + (i % 997) / 10, { url, status: "101" });
    } else {
      context.emit(WS_MSGS_SENT, 1, shared[i % 4]);
    }
  }
  return all;
}

function best(run: () => void): number {
  let fastest = Infinity;
  for (let i = 0; i < R; i++) {
    const started = performance.now();
    run();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
}

const input = samples(N);
const engineOnly = best(() => {
  const engine = new MetricsEngine();
  for (const sample of input) engine.ingest(sample);
});
const rows: [string, number][] = [["engine alone (baseline)", engineOnly]];
for (const nativeHistogram of [false, true]) {
  let store: SeriesStore | undefined;
  const time = best(() => {
    const engine = new MetricsEngine();
    store = new SeriesStore({ nativeHistogram, stats: ["p(99)"] });
    for (const sample of input) {
      engine.ingest(sample);
      store.add(sample);
    }
  });
  rows.push([
    `engine + remote-write series (${
      nativeHistogram ? "native histograms" : "p(99) gauges"
    })`,
    time,
  ]);
  const series = store!.changed();
  const started = performance.now();
  const body = writeRequestBody(series);
  console.log(
    `push of ${series.length} series (${
      nativeHistogram ? "native" : "gauges"
    }): ${body.length} bytes, ${(performance.now() - started).toFixed(2)} ms`,
  );
}
console.log(`\na. ${N} samples, best of ${R}`);
console.log("| setup | ms | samples/s | vs baseline |");
console.log("|---|---|---|---|");
for (const [name, ms] of rows) {
  console.log(
    `| ${name} | ${ms.toFixed(0)} | ${(N / ms * 1000).toExponential(2)} | ${
      (ms / engineOnly).toFixed(2)
    }× time |`,
  );
}

console.log("\nb. one instance's state, 4 states merged");
console.log(
  "| trend values per instance | JSON bytes | gzip bytes | log line bytes | merge 4 + summary ms | one engine summary ms | ratio |",
);
console.log("|---|---|---|---|---|---|---|");
for (const count of [2_500, 10_000, 100_000]) {
  const engines = [0, 1, 2, 3].map((instance) => {
    const engine = new MetricsEngine();
    const context = new Context({ sink: engine.ingest });
    for (let i = 0; i < count; i++) {
      context.emit(WS_CONNECTING, 1 + ((instance * count + i) % 9973) / 10);
    }
    return engine;
  });
  const whole = new MetricsEngine();
  for (const engine of engines) whole.merge(engine.state());
  const states = engines.map((engine, index) => ({
    source: `state-${index}.json`,
    state: {
      format: "wsload-state" as const,
      version: 1 as const,
      wsload: "bench",
      script: { path: "bench.js", sha256: "" },
      executionSegment: `${index}/4:${index + 1}/4`,
      executionSegmentSequence: "0,1/4,2/4,3/4,1",
      durationMs: 1000,
      exitCode: 0,
      options: {
        scenarios: {},
        thresholds: { ws_connecting: ["p(95)<1000"] },
        noThresholds: false,
        summaryTrendStats: ["avg", "p(95)"],
        summaryTimeUnit: "",
        handleSummaryTimeout: 1000,
        systemTags: [],
      },
      metrics: [WS_CONNECTING],
      engine: JSON.parse(JSON.stringify(engine.state())),
    },
  }));
  const json = stateFileBytes(states[0].state, false).length;
  const gzip = stateFileBytes(states[0].state, true).length;
  const line = stateLine(states[0].state).length;
  const mergeMs = best(() => {
    const merged = mergeStates(checkStates(states, false), {
      breakdown: false,
      noThresholds: false,
      logger: console,
    });
    merged.evaluate(1000, { final: true });
    merged.snapshot(1000, ["avg", "p(95)"]);
  });
  const summaryMs = best(() => whole.snapshot(1000, ["avg", "p(95)"]));
  console.log(
    `| ${count} | ${json} | ${gzip} | ${line} | ${mergeMs.toFixed(2)} | ${
      summaryMs.toFixed(2)
    } | ${(mergeMs / summaryMs).toFixed(1)}× |`,
  );
}
