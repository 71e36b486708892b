// `--out json`: k6's NDJSON lines byte for byte, .gz, stdout, periodic
// flushing in whole lines, and synchronous abort.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { setTimeout as sleep } from "node:timers/promises";
import { gunzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import type { Metric } from "../metrics/metric.ts";
import type { Sample } from "../metrics/sample.ts";
import { JsonOutput, type JsonOutputOptions } from "../runner/output/mod.ts";

const GOLDEN = new URL("./golden/output/", import.meta.url);

function golden(name: string): string {
  return readFileSync(new URL(name, GOLDEN), "utf8");
}

const gauge: Metric = {
  name: "my_metric1",
  type: "gauge",
  contains: "default",
};
const dataCounter: Metric = {
  name: "my_metric2",
  type: "counter",
  contains: "data",
};
const connecting: Metric = {
  name: "ws_connecting",
  type: "trend",
  contains: "time",
};
const httpDuration: Metric = {
  name: "http_req_duration",
  type: "trend",
  contains: "time",
};
const TIME1 = Date.UTC(2021, 1, 24, 13, 37, 10);

// The samples of k6's own JSON output test (internal/output/json), then
// the corners k6's encoder decides: number forms, escaping, fractions.
function goldenSamples(): Sample[] {
  const connTags = Object.freeze({ key: "val" });
  return [
    {
      metric: gauge,
      time: TIME1,
      value: 1,
      tags: { tag1: "val1" },
      metadata: { meta2: "bar", meta1: "foo" },
    },
    { metric: gauge, time: TIME1, value: 2, tags: { tag2: "val2" } },
    {
      metric: dataCounter,
      time: TIME1 + 10_000,
      value: 3,
      tags: connTags,
      metadata: {},
    },
    { metric: gauge, time: TIME1 + 10_000, value: 4, tags: connTags },
    {
      metric: dataCounter,
      time: TIME1 + 20_000,
      value: 5,
      tags: { tag4: "val4", tag3: "val3" },
      metadata: { meta3: "metaval3" },
    },
    {
      metric: connecting,
      time: TIME1 + 20_123.456,
      value: 67.55,
      tags: {
        url: "ws://127.0.0.1:10000/chat?room=<a>&b=1",
        status: "101",
        name: 'é \u2028 "q" \\ \u0001',
      },
      metadata: { vu: "3", iter: "0" },
    },
    { metric: connecting, time: TIME1 + 20_500, value: 1e21, tags: {} },
    { metric: connecting, time: TIME1 + 20_500.001, value: 1.5e-7, tags: {} },
    { metric: connecting, time: TIME1 + 21_000, value: -0, tags: {} },
    { metric: connecting, time: TIME1 + 21_000, value: NaN, tags: {} },
    { metric: connecting, time: TIME1 + 21_000, value: 0.000001, tags: {} },
    { metric: httpDuration, time: TIME1 + 22_000, value: 12, tags: {} },
  ];
}

function goldenOptions(
  logged: string[],
  extra: Partial<JsonOutputOptions> = {},
): JsonOutputOptions {
  return {
    thresholds: {
      my_metric1: ["rate<0.01", "p(99)<250"],
      "my_metric1{a:1,b:2}": ["max<1"],
    },
    thresholdOptions: {
      my_metric1: ["rate<0.01", "p(99)<250"],
      "my_metric1{a:1,b:2}": ["max<1"],
      ws_connecting: [
        { threshold: "p(95)<500", abortOnFail: true, delayAbortEval: "90s" },
        { threshold: "avg<100", abortOnFail: false },
        { threshold: "max<1000", abortOnFail: true },
      ],
    },
    systemTags: new Set(["scenario", "expected_response"]),
    logger: {
      warn: (message) => logged.push(`warn: ${message}`),
      error: (message) => logged.push(`error: ${message}`),
    },
    offsetMinutes: () => 0,
    ...extra,
  };
}

function parseLines(text: string): unknown[] {
  assert.ok(text.endsWith("\n"), "the output ends with a whole line");
  return text.slice(0, -1).split("\n").map((line) => JSON.parse(line));
}

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "wsload-output-json-"));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("JsonOutput", () => {
  describe("lines", () => {
    it("writes k6's Metric declarations and Points byte for byte", async () => {
      const logged: string[] = [];
      const file = join(dir, "golden.json");
      const output = new JsonOutput(file, goldenOptions(logged));
      await output.start();
      for (const sample of goldenSamples()) output.add(sample);
      await output.stop();
      assert.equal(readFileSync(file, "utf8"), golden("samples.ndjson"));
    });

    it("leaves out a NaN sample and logs k6's error", async () => {
      const logged: string[] = [];
      const file = join(dir, "nan.json");
      const output = new JsonOutput(file, goldenOptions(logged));
      await output.start();
      for (const sample of goldenSamples()) output.add(sample);
      await output.stop();
      assert.deepEqual(logged, [
        "error: Sample(s) couldn't be marshalled to JSON: json: unsupported value: NaN (failed: 1)",
      ]);
      const values = parseLines(readFileSync(file, "utf8"))
        .filter((line) => (line as { type: string }).type === "Point")
        .map((line) => (line as { data: { value: number } }).data.value);
      assert.equal(values.length, goldenSamples().length - 1);
    });

    it("writes times with the zone's offset like Go's RFC3339Nano", async () => {
      const cases: [number, number, string][] = [
        [TIME1 + 0.5, 120, "2021-02-24T15:37:10.0005+02:00"],
        [TIME1 + 123.456, -330, "2021-02-24T08:07:10.123456-05:30"],
        [TIME1 + 999.999, 0, "2021-02-24T13:37:10.999999Z"],
        [TIME1, 60, "2021-02-24T14:37:10+01:00"],
      ];
      for (const [time, offset, expected] of cases) {
        const file = join(dir, `zone${offset}.json`);
        const output = new JsonOutput(
          file,
          goldenOptions([], { offsetMinutes: () => offset }),
        );
        await output.start();
        output.add({ metric: gauge, time, value: 1, tags: {} });
        await output.stop();
        const [, point] = parseLines(readFileSync(file, "utf8")) as {
          data: { time: string };
        }[];
        assert.equal(point.data.time, expected, `offset ${offset}`);
      }
    });

    it("uses the local time zone by default (TZ)", async () => {
      const saved = process.env.TZ;
      process.env.TZ = "Asia/Kolkata";
      try {
        const file = join(dir, "local.json");
        const output = new JsonOutput(file, {
          thresholds: {},
          systemTags: new Set(),
          logger: console,
        });
        await output.start();
        output.add({ metric: gauge, time: TIME1, value: 1, tags: {} });
        await output.stop();
        const [, point] = parseLines(readFileSync(file, "utf8")) as {
          data: { time: string };
        }[];
        assert.equal(point.data.time, "2021-02-24T19:07:10+05:30");
      } finally {
        if (saved === undefined) delete process.env.TZ;
        else process.env.TZ = saved;
      }
    });
  });

  describe("#description", () => {
    it("names the file, or k6's json(stdout)", () => {
      const options = goldenOptions([]);
      assert.equal(
        new JsonOutput("a.json", options).description,
        "json (a.json)",
      );
      assert.equal(new JsonOutput("-", options).description, "json(stdout)");
      assert.equal(new JsonOutput("", options).description, "json(stdout)");
    });
  });

  describe("#start", () => {
    it("rejects with Go's text when the directory does not exist", async () => {
      const file = join(dir, "missing", "out.json");
      const output = new JsonOutput(file, goldenOptions([]));
      await assert.rejects(output.start(), {
        message: `open ${file}: no such file or directory`,
      });
    });
  });

  describe("stdout", () => {
    it("writes the same lines to stdout for json and json=-", async () => {
      for (const name of ["", "-"]) {
        let text = "";
        const output = new JsonOutput(
          name,
          goldenOptions([], { stdout: (chunk) => text += chunk }),
        );
        await output.start();
        for (const sample of goldenSamples()) output.add(sample);
        await output.stop();
        assert.equal(text, golden("samples.ndjson"), `json=${name}`);
      }
    });
  });

  describe(".gz", () => {
    it("compresses when the name ends in .gz", async () => {
      const file = join(dir, "golden.json.gz");
      const output = new JsonOutput(file, goldenOptions([]));
      await output.start();
      const samples = goldenSamples();
      samples.slice(0, 5).forEach((sample) => output.add(sample));
      // Two flushes make two gzip members; readers see one stream.
      await sleep(450);
      samples.slice(5).forEach((sample) => output.add(sample));
      await output.stop();
      const bytes = readFileSync(file);
      assert.deepEqual([...bytes.subarray(0, 2)], [0x1f, 0x8b]);
      assert.equal(
        gunzipSync(bytes).toString("utf8"),
        golden("samples.ndjson"),
      );
    });

    it("writes a valid empty gzip file when there were no samples", async () => {
      const file = join(dir, "empty.json.gz");
      const output = new JsonOutput(file, goldenOptions([]));
      await output.start();
      await output.stop();
      assert.equal(gunzipSync(readFileSync(file)).length, 0);
    });
  });

  describe("flushing", () => {
    it("writes complete lines every 200 ms while the run goes on", async () => {
      const file = join(dir, "periodic.json");
      const output = new JsonOutput(file, goldenOptions([]));
      await output.start();
      try {
        const samples = goldenSamples();
        samples.slice(0, 5).forEach((sample) => output.add(sample));
        await sleep(600);
        const early = readFileSync(file, "utf8");
        assert.equal(parseLines(early).length, 7, "5 points, 2 declarations");
        samples.slice(5).forEach((sample) => output.add(sample));
      } finally {
        await output.stop();
      }
      assert.equal(readFileSync(file, "utf8"), golden("samples.ndjson"));
    });
  });

  describe("#abort", () => {
    for (const name of ["abort.json", "abort.json.gz"]) {
      const read = (file: string) =>
        name.endsWith(".gz")
          ? gunzipSync(readFileSync(file)).toString("utf8")
          : readFileSync(file, "utf8");

      it(`writes every buffered sample synchronously (${name})`, async () => {
        const file = join(dir, name);
        const output = new JsonOutput(file, goldenOptions([]));
        await output.start();
        for (const sample of goldenSamples()) output.add(sample);
        output.abort();
        assert.equal(read(file), golden("samples.ndjson"));
      });

      it(`completes a write still under way exactly once (${name})`, async () => {
        // 0 ticks: the write is queued; 5: it is compressing or in flight.
        for (const ticks of [0, 5]) {
          const file = join(dir, `stopping-${ticks}-${name}`);
          const output = new JsonOutput(file, goldenOptions([]));
          await output.start();
          for (const sample of goldenSamples()) output.add(sample);
          const stopping = output.stop();
          for (let tick = 0; tick < ticks; tick++) await null;
          output.abort();
          assert.equal(read(file), golden("samples.ndjson"), `${ticks} ticks`);
          await stopping;
          assert.equal(read(file), golden("samples.ndjson"), "after stop");
        }
      });
    }
  });
});
