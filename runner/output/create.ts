/**
 * Turns `--out` values and the `--report` file into outputs.
 *
 * @module
 */
import { ConfigError } from "../options/config_error.ts";
import { didYouMean } from "../suggest.ts";
import { csvConfig, CsvOutput } from "./csv.ts";
import { HtmlReportOutput } from "./html_report.ts";
import { influxdbConfig, InfluxDBOutput } from "./influxdb.ts";
import { JsonOutput } from "./json.ts";
import {
  PROMETHEUS_RW,
  prometheusRwConfig,
  PrometheusRwOutput,
} from "./prometheus_rw.ts";
import { StateOutput, type StateSource } from "./state.ts";
import type { Output, OutputContext } from "./output.ts";
import {
  dashboardConfig,
  type DashboardContext,
  WEB_DASHBOARD,
  WebDashboardOutput,
} from "./web_dashboard.ts";

/** The `--out` types wsload provides. */
export const OUTPUT_TYPES: readonly string[] = Object.freeze([
  "csv",
  PROMETHEUS_RW,
  "influxdb",
  "json",
  "state",
  WEB_DASHBOARD,
]);

/**
 * k6's own output types that wsload does not have: asking for one is
 * warned about and the run goes on without it (a k6 command line still
 * runs); any other unknown type is an error.
 */
export const UNSUPPORTED_K6_OUTPUTS: readonly string[] = Object.freeze([
  "cloud",
  "datadog",
  "experimental-opentelemetry",
  "kafka",
  "opentelemetry",
  "statsd",
]);

// What a constructor error becomes: k6's wording.
function created<T>(type: string, create: () => T): T {
  try {
    return create();
  } catch (error) {
    throw new ConfigError(
      `could not create the '${type}' output: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** {@link OutputContext}, with what some outputs can use when the runner has it. */
export interface OutputRunContext extends OutputContext {
  /** Where `json`, `json=-` and `csv=-` write: the run's stdout. */
  readonly stdout?: (text: string) => void;
  /**
   * The thresholds exactly as configured (`options.thresholds`): lets the
   * JSON output declare `abortOnFail` thresholds as k6 does.
   */
  readonly thresholdOptions?: Readonly<Record<string, unknown>>;
  /** The summary so far, for the web dashboard's live tables. */
  readonly summarySoFar?: DashboardContext["summarySoFar"];
  /** The run's options, for `--out state`. */
  readonly options?: StateSource["options"];
  /** The engine's aggregates, for `--out state`. */
  readonly engineState?: StateSource["engineState"];
}

const TRUE_TEXTS = ["1", "t", "T", "TRUE", "true", "True"];
const FALSE_TEXTS = ["0", "f", "F", "FALSE", "false", "False", ""];

// K6_WEB_DASHBOARD=true adds the dashboard to the --out list, as in k6.
function withDashboard(
  specs: readonly string[],
  env: Readonly<Record<string, string>>,
): readonly string[] {
  const value = env.K6_WEB_DASHBOARD;
  if (value === undefined || FALSE_TEXTS.includes(value)) return specs;
  if (!TRUE_TEXTS.includes(value)) {
    throw new ConfigError(
      `invalid value '${value}' for K6_WEB_DASHBOARD: expected true or false`,
    );
  }
  const listed = specs.some((spec) => spec.split("=")[0] === WEB_DASHBOARD);
  return listed ? specs : [...specs, WEB_DASHBOARD];
}

function needsStdout(context: OutputRunContext, type: string): void {
  if (!context.stdout) {
    throw new ConfigError(
      `could not create the '${type}' output: writing to stdout is not available here; give a file name (${type}=FILE)`,
    );
  }
}

/**
 * Creates the outputs a run asked for (nothing is opened yet: that is
 * {@link Output.start}).
 *
 * @param specs The `--out` values (`type[=argument]`), in order.
 * @param report The `--report` file, if any.
 * @param context What the outputs need to know about the run.
 * @returns The outputs, in the order asked, the report last.
 * @throws {ConfigError} For an unknown output type (`invalid output type
 * 'jsn' (did you mean json?), available types are: csv, experimental-prometheus-rw, influxdb, json, state, web-dashboard`),
 * an invalid argument (`could not create the 'csv' output: ...`),
 * `json`/`csv=-` without a `stdout` in the context, or an empty `--report`
 * file name. k6's outputs that wsload lacks (`cloud`, `statsd`, ...) are
 * warned about and skipped instead.
 *
 * @example Turn flags into outputs, and reject an unknown type
 * ```ts
 * import { createOutputs } from "./create.ts";
 * import assert from "node:assert/strict";
 *
 * const context = {
 *   thresholds: { ws_connecting: ["p(95)<500"] },
 *   systemTags: new Set(["scenario", "url"]),
 *   env: { K6_CSV_TIME_FORMAT: "rfc3339" },
 *   logger: console,
 *   scriptPath: "chat.js",
 * };
 * const outputs = createOutputs(["json=out.json", "csv=out.csv"], "report.html", context);
 * assert.deepEqual(outputs.map((output) => output.description), [
 *   "json (out.json)",
 *   "csv (out.csv)",
 *   "report (report.html)",
 * ]);
 * assert.throws(() => createOutputs(["jsn=out.json"], undefined, context), {
 *   message: "invalid output type 'jsn' (did you mean json?), available types are: csv, experimental-prometheus-rw, influxdb, json, state, web-dashboard",
 * });
 * ```
 */
export function createOutputs(
  specs: readonly string[],
  report: string | undefined,
  context: OutputRunContext,
): Output[] {
  const outputs: Output[] = [];
  for (const spec of withDashboard(specs, context.env)) {
    const equals = spec.indexOf("=");
    const type = equals < 0 ? spec : spec.slice(0, equals);
    const argument = equals < 0 ? "" : spec.slice(equals + 1);
    switch (type) {
      case "json":
        if (argument === "" || argument === "-") needsStdout(context, type);
        outputs.push(new JsonOutput(argument, context));
        break;
      case "csv": {
        const config = created(type, () => csvConfig(argument, context.env));
        if (config.fileName === "" || config.fileName === "-") {
          needsStdout(context, type);
        }
        outputs.push(new CsvOutput(config, context));
        break;
      }
      case WEB_DASHBOARD: {
        const config = created(
          type,
          () => dashboardConfig(argument, context.env),
        );
        outputs.push(new WebDashboardOutput(config, context));
        break;
      }
      case "influxdb": {
        const config = created(
          type,
          () => influxdbConfig(argument, context.env),
        );
        outputs.push(new InfluxDBOutput(config, context));
        break;
      }
      case PROMETHEUS_RW: {
        if (argument !== "") {
          context.logger.warn(
            `the ${type} output takes no argument and ignores '${argument}' (as k6 does); configure it with the K6_PROMETHEUS_RW_* variables`,
          );
        }
        const config = created(type, () => prometheusRwConfig(context.env));
        outputs.push(new PrometheusRwOutput(config, context));
        break;
      }
      case "state": {
        const { options, engineState, stdout } = context;
        if (options === undefined || engineState === undefined) {
          throw new ConfigError(
            "could not create the 'state' output: only a test run has a state to write",
          );
        }
        outputs.push(created(
          type,
          () =>
            new StateOutput(argument, {
              ...context,
              options,
              engineState,
              stdout,
            }),
        ));
        break;
      }
      default:
        if (UNSUPPORTED_K6_OUTPUTS.includes(type)) {
          context.logger.warn(
            `the '${type}' output of k6 is not supported by wsload and is ignored (no samples are sent to it); wsload's outputs are: ${
              OUTPUT_TYPES.join(", ")
            }`,
          );
          break;
        }
        throw new ConfigError(
          `invalid output type '${type}'${
            didYouMean(type, OUTPUT_TYPES)
          }, available types are: ${OUTPUT_TYPES.join(", ")}`,
        );
    }
  }
  if (report !== undefined) {
    if (report === "") {
      throw new ConfigError(
        "the --report flag needs a file name, e.g. --report report.html",
      );
    }
    outputs.push(new HtmlReportOutput(report, context));
  }
  return outputs;
}
