// `--out csv`: k6's header and rows, time formats, Go's CSV quoting, the
// K6_CSV_* settings, .gz and stdout.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { gunzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import type { Metric } from "../metrics/metric.ts";
import type { Sample } from "../metrics/sample.ts";
import { DEFAULT_SYSTEM_TAGS } from "../metrics/tags.ts";
import {
  type CsvConfig,
  csvConfig,
  CsvOutput,
  type CsvTimeFormat,
} from "../runner/output/mod.ts";

const GOLDEN = new URL("./golden/output/", import.meta.url);

const gauge: Metric = { name: "my_metric", type: "gauge", contains: "default" };
const counter: Metric = {
  name: "ws_msgs_sent",
  type: "counter",
  contains: "default",
};
// time.Unix(1562324644, 6482125) in k6's test, at microsecond precision.
const TIME = 1562324644006.482;

function goldenSamples(): Sample[] {
  return [
    {
      metric: gauge,
      time: 1562324643000,
      value: 1,
      tags: { check: "val1", url: "val2", error: "val3" },
    },
    {
      metric: gauge,
      time: 1562324644000,
      value: 1,
      tags: { check: "val1", url: "val2", error: "val3", tag4: "val4" },
      metadata: { vu: "1", iter: "0" },
    },
    {
      metric: counter,
      time: TIME,
      value: 123.4567891,
      tags: {
        scenario: "default",
        url: "ws://127.0.0.1:10000/chat?a=1,2",
        name: 'say "hi"',
        group: " leading space",
        status: "101",
        zeta: "z",
        alpha: "line\nbreak",
      },
      metadata: { vu: "12", iter: "3" },
    },
    {
      metric: counter,
      time: TIME,
      value: 1e21,
      tags: { check: "\\.", proto: "", subproto: "chat" },
    },
    { metric: counter, time: TIME, value: NaN, tags: {} },
    { metric: counter, time: TIME, value: -Infinity, tags: {} },
    { metric: counter, time: TIME, value: 0.0000005, tags: {} },
  ];
}

const logger = { warn: () => {}, error: () => {} };

function config(
  fileName: string,
  timeFormat: CsvTimeFormat = "unix",
  saveIntervalMs = 1000,
): CsvConfig {
  return { fileName, timeFormat, saveIntervalMs };
}

async function writeAll(
  output: CsvOutput,
  samples: readonly Sample[],
): Promise<void> {
  await output.start();
  for (const sample of samples) output.add(sample);
  await output.stop();
}

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "wsload-output-csv-"));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("CsvOutput", () => {
  describe("rows", () => {
    it("writes k6's header and rows byte for byte", async () => {
      const file = join(dir, "golden.csv");
      await writeAll(
        new CsvOutput(config(file), {
          systemTags: DEFAULT_SYSTEM_TAGS,
          logger,
        }),
        goldenSamples(),
      );
      assert.equal(
        readFileSync(file, "utf8"),
        readFileSync(new URL("samples.csv", GOLDEN), "utf8"),
      );
    });

    it("has one column per enabled system tag except vu and iter, sorted", async () => {
      const file = join(dir, "columns.csv");
      await writeAll(
        new CsvOutput(config(file), {
          systemTags: new Set(["vu", "url", "iter", "status", "check"]),
          logger,
        }),
        [goldenSamples()[1]],
      );
      assert.equal(
        readFileSync(file, "utf8"),
        "metric_name,timestamp,metric_value,check,status,url,extra_tags,metadata\n" +
          "my_metric,1562324644,1.000000,val1,,val2,error=val3&tag4=val4,iter=0&vu=1\n",
      );
    });

    it("writes each K6_CSV_TIME_FORMAT like k6", async () => {
      const cases: [CsvTimeFormat, number, string][] = [
        ["unix", 0, "1562324644"],
        ["unix_milli", 0, "1562324644006"],
        ["unix_micro", 0, "1562324644006482"],
        ["unix_nano", 0, "1562324644006482000"],
        ["rfc3339", 0, "2019-07-05T11:04:04Z"],
        ["rfc3339", 120, "2019-07-05T13:04:04+02:00"],
        ["rfc3339_nano", 0, "2019-07-05T11:04:04.006482Z"],
        ["rfc3339_nano", -300, "2019-07-05T06:04:04.006482-05:00"],
      ];
      for (const [format, offset, expected] of cases) {
        const file = join(dir, `time-${format}-${offset}.csv`);
        await writeAll(
          new CsvOutput(config(file, format), {
            systemTags: new Set(),
            logger,
            offsetMinutes: () => offset,
          }),
          [{ metric: gauge, time: TIME, value: 2, tags: {} }],
        );
        const row = readFileSync(file, "utf8").split("\n")[1];
        assert.equal(row, `my_metric,${expected},2.000000,,`, format);
      }
    });
  });

  describe("#description", () => {
    it("names the file, or stdout", () => {
      const options = { systemTags: new Set<string>(), logger };
      assert.equal(
        new CsvOutput(config("a.csv"), options).description,
        "csv (a.csv)",
      );
      assert.equal(
        new CsvOutput(config("-"), options).description,
        "csv (stdout)",
      );
    });
  });

  describe("#start", () => {
    it("rejects with Go's text when the directory does not exist", async () => {
      const file = join(dir, "missing", "out.csv");
      const output = new CsvOutput(config(file), {
        systemTags: new Set(),
        logger,
      });
      await assert.rejects(output.start(), {
        message: `open ${file}: no such file or directory`,
      });
    });

    it("rejects a save interval that is not positive, as k6", async () => {
      const output = new CsvOutput(config(join(dir, "zero.csv"), "unix", 0), {
        systemTags: new Set(),
        logger,
      });
      await assert.rejects(output.start(), {
        message: "metric flush period should be positive but was 0s",
      });
    });
  });

  describe("saving", () => {
    it("writes the header at once and rows every save interval", async () => {
      const file = join(dir, "interval.csv");
      const output = new CsvOutput(config(file, "unix", 10_000), {
        systemTags: new Set(["url"]),
        logger,
      });
      await output.start();
      try {
        output.add(goldenSamples()[0]);
        await sleep(300);
        assert.equal(
          readFileSync(file, "utf8"),
          "metric_name,timestamp,metric_value,url,extra_tags,metadata\n",
        );
      } finally {
        await output.stop();
      }
      assert.equal(readFileSync(file, "utf8").split("\n").length, 3);
    });

    it("compresses when the name ends in .gz", async () => {
      const file = join(dir, "golden.csv.gz");
      await writeAll(
        new CsvOutput(config(file), {
          systemTags: DEFAULT_SYSTEM_TAGS,
          logger,
        }),
        goldenSamples(),
      );
      assert.equal(
        gunzipSync(readFileSync(file)).toString("utf8"),
        readFileSync(new URL("samples.csv", GOLDEN), "utf8"),
      );
    });

    it("writes to stdout for csv=-", async () => {
      let text = "";
      await writeAll(
        new CsvOutput(config("-"), {
          systemTags: DEFAULT_SYSTEM_TAGS,
          logger,
          stdout: (chunk) => text += chunk,
        }),
        goldenSamples(),
      );
      assert.equal(
        text,
        readFileSync(new URL("samples.csv", GOLDEN), "utf8"),
      );
    });

    it("writes everything synchronously on abort", async () => {
      const file = join(dir, "abort.csv");
      const output = new CsvOutput(config(file), {
        systemTags: DEFAULT_SYSTEM_TAGS,
        logger,
      });
      await output.start();
      for (const sample of goldenSamples()) output.add(sample);
      output.abort();
      assert.equal(
        readFileSync(file, "utf8"),
        readFileSync(new URL("samples.csv", GOLDEN), "utf8"),
      );
    });
  });
});

describe("csvConfig", () => {
  it("defaults to file.csv, 1s and unix", () => {
    assert.deepEqual(csvConfig("", {}), {
      fileName: "file.csv",
      saveIntervalMs: 1000,
      timeFormat: "unix",
    });
  });

  it("takes a bare argument as the file name", () => {
    assert.equal(csvConfig("results.csv", {}).fileName, "results.csv");
  });

  it("reads K6_CSV_* and lets the argument override them", () => {
    const env = {
      K6_CSV_FILENAME: "env.csv",
      K6_CSV_SAVE_INTERVAL: "250ms",
      K6_CSV_TIME_FORMAT: "RFC3339_Nano",
    };
    assert.deepEqual(csvConfig("", env), {
      fileName: "env.csv",
      saveIntervalMs: 250,
      timeFormat: "rfc3339_nano",
    });
    assert.deepEqual(csvConfig("arg.csv", env), {
      fileName: "arg.csv",
      saveIntervalMs: 250,
      timeFormat: "rfc3339_nano",
    });
    assert.deepEqual(
      csvConfig("fileName=x.csv,saveInterval=2,timeFormat=unix_milli", env),
      { fileName: "x.csv", saveIntervalMs: 2, timeFormat: "unix_milli" },
    );
  });

  it("ignores empty K6_CSV_* variables", () => {
    assert.deepEqual(
      csvConfig("", {
        K6_CSV_FILENAME: "",
        K6_CSV_SAVE_INTERVAL: "",
        K6_CSV_TIME_FORMAT: "",
      }),
      csvConfig("", {}),
    );
  });

  it("throws k6's texts for bad arguments", () => {
    assert.throws(() => csvConfig("fileName=a.csv,color=red", {}), {
      message: 'unknown key "color" as argument for csv output',
    });
    assert.throws(() => csvConfig("fileName=", {}), {
      message: `couldn't parse "fileName=" as argument for csv output`,
    });
    assert.throws(() => csvConfig("timeFormat=iso", {}), {
      message: "iso does not belong to TimeFormat values",
    });
    assert.throws(() => csvConfig("saveInterval=soon", {}), {
      message: 'invalid duration "soon" (e.g. 30s, 1m30s, 500ms)',
    });
  });
});
