// createOutputs: the `--out type[=argument]` values and `--report FILE`
// become outputs, or ConfigErrors (exit 104) with k6's texts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError } from "../runner/options/config_error.ts";
import {
  createOutputs,
  OUTPUT_TYPES,
  type OutputRunContext,
} from "../runner/output/mod.ts";

function context(extra: Partial<OutputRunContext> = {}): OutputRunContext {
  return {
    thresholds: {},
    systemTags: new Set(["scenario"]),
    env: {},
    logger: { warn: () => {}, error: () => {} },
    scriptPath: "script.js",
    stdout: () => {},
    ...extra,
  };
}

function descriptions(
  specs: readonly string[],
  report?: string,
  extra?: Partial<OutputRunContext>,
): string[] {
  return createOutputs(specs, report, context(extra)).map((output) =>
    output.description
  );
}

describe("createOutputs", () => {
  it("creates the outputs in order, the report last", () => {
    assert.deepEqual(
      descriptions(
        ["json=a.json", "csv=b.csv.gz", "json", "json=-", "csv=-"],
        "report.html",
      ),
      [
        "json (a.json)",
        "csv (b.csv.gz)",
        "json(stdout)",
        "json(stdout)",
        "csv (stdout)",
        "report (report.html)",
      ],
    );
  });

  it("returns no output for no flags", () => {
    assert.deepEqual(descriptions([]), []);
  });

  it("keeps everything after the first = as the JSON file name", () => {
    assert.deepEqual(descriptions(["json=a=b.json"]), ["json (a=b.json)"]);
  });

  it("writes csv without a file name to file.csv, or to K6_CSV_FILENAME", () => {
    assert.deepEqual(descriptions(["csv"]), ["csv (file.csv)"]);
    assert.deepEqual(
      descriptions(["csv"], undefined, { env: { K6_CSV_FILENAME: "env.csv" } }),
      ["csv (env.csv)"],
    );
  });

  it("rejects an unknown type with k6's text and the closest type", () => {
    assert.deepEqual(OUTPUT_TYPES, [
      "csv",
      "experimental-prometheus-rw",
      "influxdb",
      "json",
      "state",
      "web-dashboard",
    ]);
    const cases: [string, string][] = [
      ["jsonl", " (did you mean json?)"],
      ["influx=http://localhost:8086/k6", " (did you mean influxdb?)"],
      ["", ""],
      ["prometheus", ""],
    ];
    for (const [spec, hint] of cases) {
      const type = spec.split("=")[0];
      assert.throws(() => descriptions([spec]), (error) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(
          error.message,
          `invalid output type '${type}'${hint}, available types are: csv, experimental-prometheus-rw, influxdb, json, state, web-dashboard`,
        );
        assert.equal(error.exitCode, 104);
        return true;
      });
    }
  });

  it("warns about k6's outputs that wsload lacks and goes on without them", () => {
    const warnings: string[] = [];
    const logger = { warn: (m: string) => warnings.push(m), error: () => {} };
    assert.deepEqual(
      descriptions(
        ["cloud", "json=a.json", "kafka", "statsd"],
        undefined,
        { logger },
      ),
      ["json (a.json)"],
    );
    assert.deepEqual(warnings, [
      "the 'cloud' output of k6 is not supported by wsload and is ignored (no samples are sent to it); wsload's outputs are: csv, experimental-prometheus-rw, influxdb, json, state, web-dashboard",
      "the 'kafka' output of k6 is not supported by wsload and is ignored (no samples are sent to it); wsload's outputs are: csv, experimental-prometheus-rw, influxdb, json, state, web-dashboard",
      "the 'statsd' output of k6 is not supported by wsload and is ignored (no samples are sent to it); wsload's outputs are: csv, experimental-prometheus-rw, influxdb, json, state, web-dashboard",
    ]);
  });

  it("describes an InfluxDB output as k6 does, and rejects what k6 rejects", () => {
    assert.deepEqual(descriptions(["influxdb=http://127.0.0.1:8086/db"]), [
      "InfluxDBv1 (http://127.0.0.1:8086)",
    ]);
    assert.deepEqual(descriptions(["influxdb"]), [
      "InfluxDBv1 (http://localhost:8086)",
    ]);
    assert.throws(() => descriptions(["influxdb=http://h:8086/db?color=red"]), {
      message:
        "could not create the 'influxdb' output: unknown query parameter: color",
    });
    assert.throws(() => descriptions(["influxdb=udp://h:8089"]), {
      message:
        "could not create the 'influxdb' output: InfluxDB over UDP is not supported by wsload; use an http:// or https:// address",
    });
    assert.throws(
      () =>
        descriptions(["influxdb"], undefined, {
          env: { K6_INFLUXDB_TAGS_AS_FIELDS: "vu:int,vu:float" },
        }),
      {
        message:
          "could not create the 'influxdb' output: a tag name (vu) shows up more than once in InfluxDB field type configurations",
      },
    );
  });

  it("rejects a bad csv argument with k6's text", () => {
    assert.throws(() => descriptions(["csv=fileName=a.csv,every=2s"]), {
      name: "ConfigError",
      message:
        `could not create the 'csv' output: unknown key "every" as argument for csv output`,
    });
    assert.throws(() => descriptions(["csv=timeFormat=iso8601"]), {
      name: "ConfigError",
      message:
        "could not create the 'csv' output: iso8601 does not belong to TimeFormat values",
    });
  });

  it("rejects stdout outputs when the runner gives no stdout", () => {
    for (const spec of ["json", "json=-", "csv=-"]) {
      assert.throws(
        () => descriptions([spec], undefined, { stdout: undefined }),
        {
          name: "ConfigError",
          message: new RegExp(
            `^could not create the '${
              spec.split("=")[0]
            }' output: writing to stdout is not available here`,
          ),
        },
      );
    }
  });

  it("rejects an empty --report file name", () => {
    assert.throws(() => descriptions([], ""), {
      name: "ConfigError",
      message: "the --report flag needs a file name, e.g. --report report.html",
    });
  });
});
