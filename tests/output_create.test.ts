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

  it("rejects an unknown type with k6's text", () => {
    assert.deepEqual(OUTPUT_TYPES, ["csv", "json"]);
    for (const spec of ["influxdb=http://localhost:8086/k6", "jsonl", ""]) {
      const type = spec.split("=")[0];
      assert.throws(() => descriptions([spec]), (error) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(
          error.message,
          `invalid output type '${type}', available types are: csv, json`,
        );
        assert.equal(error.exitCode, 104);
        return true;
      });
    }
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
