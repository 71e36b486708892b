/**
 * The `K6_*` and `WSLOAD_*` environment variables wsload reads, and a
 * warning for every other one that is set: k6 would act on it (or it is a
 * typo), wsload would otherwise ignore it silently.
 *
 * @module
 */
import { OPTION_VARIABLES } from "./options/mod.ts";
import { closest } from "./suggest.ts";

/** Variables read besides the option variables, by who reads them. */
const OTHER_VARIABLES: readonly string[] = [
  // wsload run (cli/run_flags.ts, run.ts)
  "K6_CONFIG",
  "K6_SUMMARY_MODE",
  "K6_SUMMARY_EXPORT",
  "K6_INCLUDE_SYSTEM_ENV_VARS",
  "K6_NO_COLOR",
  "K6_COMPATIBILITY_MODE",
  // wsload never sends usage reports: nothing to turn off.
  "K6_NO_USAGE_REPORT",
  // wsload's own (cli/run_flags.ts): --no-sandbox
  "WSLOAD_NO_SANDBOX",
  // --out csv
  "K6_CSV_FILENAME",
  "K6_CSV_SAVE_INTERVAL",
  "K6_CSV_TIME_FORMAT",
  // --out influxdb (K6_INFLUXDB_PROXY is warned about by the output)
  "K6_INFLUXDB_ADDR",
  "K6_INFLUXDB_CONCURRENT_WRITES",
  "K6_INFLUXDB_CONSISTENCY",
  "K6_INFLUXDB_DB",
  "K6_INFLUXDB_INSECURE",
  "K6_INFLUXDB_PASSWORD",
  "K6_INFLUXDB_PAYLOAD_SIZE",
  "K6_INFLUXDB_PRECISION",
  "K6_INFLUXDB_PROXY",
  "K6_INFLUXDB_PUSH_INTERVAL",
  "K6_INFLUXDB_RETENTION",
  "K6_INFLUXDB_TAGS_AS_FIELDS",
  "K6_INFLUXDB_USERNAME",
  // --out experimental-prometheus-rw (and K6_PROMETHEUS_RW_HEADERS_<NAME>)
  "K6_PROMETHEUS_RW_BEARER_TOKEN",
  "K6_PROMETHEUS_RW_CLIENT_CERTIFICATE",
  "K6_PROMETHEUS_RW_CLIENT_CERTIFICATE_KEY",
  "K6_PROMETHEUS_RW_HTTP_HEADERS",
  "K6_PROMETHEUS_RW_INSECURE_SKIP_TLS_VERIFY",
  "K6_PROMETHEUS_RW_PASSWORD",
  "K6_PROMETHEUS_RW_PUSH_INTERVAL",
  "K6_PROMETHEUS_RW_SERVER_URL",
  "K6_PROMETHEUS_RW_STALE_MARKERS",
  "K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM",
  "K6_PROMETHEUS_RW_TREND_STATS",
  "K6_PROMETHEUS_RW_USERNAME",
  // the web dashboard
  "K6_WEB_DASHBOARD",
  "K6_WEB_DASHBOARD_EXPORT",
  "K6_WEB_DASHBOARD_HOST",
  "K6_WEB_DASHBOARD_OPEN",
  "K6_WEB_DASHBOARD_PERIOD",
  "K6_WEB_DASHBOARD_PORT",
];

const PREFIXES = ["K6_", "WSLOAD_"];

/** Every `K6_*` and `WSLOAD_*` variable wsload reads. */
export const KNOWN_VARIABLES: ReadonlySet<string> = new Set([
  ...OPTION_VARIABLES,
  ...OTHER_VARIABLES,
]);

/**
 * One warning per `K6_*` or `WSLOAD_*` variable that is set but not read by
 * wsload, naming the closest known variable when it looks like a typo.
 *
 * @param env The process environment.
 * @returns The warnings, sorted by variable name.
 *
 * @example A typo and an HTTP option
 * ```ts
 * import { unsupportedVariables } from "./env_check.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(unsupportedVariables({ K6_VU: "5", K6_HTTP_DEBUG: "full", K6_VUS: "5", HOME: "/root" }), [
 *   "the environment variable K6_HTTP_DEBUG is not supported by wsload and is ignored",
 *   "the environment variable K6_VU is not supported by wsload and is ignored (did you mean K6_VUS?)",
 * ]);
 * assert.deepEqual(unsupportedVariables({ WSLOAD_WORKER: "2" }), [
 *   "the environment variable WSLOAD_WORKER is not supported by wsload and is ignored (did you mean WSLOAD_WORKERS?)",
 * ]);
 * ```
 */
export function unsupportedVariables(
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const warnings: string[] = [];
  for (const name of Object.keys(env).sort()) {
    const prefix = PREFIXES.find((p) => name.startsWith(p));
    if (prefix === undefined || KNOWN_VARIABLES.has(name)) continue;
    if (name.startsWith("K6_PROMETHEUS_RW_HEADERS_")) continue;
    const match = closest(
      name.slice(prefix.length),
      [...KNOWN_VARIABLES].filter((known) => known.startsWith(prefix))
        .map((known) => known.slice(prefix.length)),
    );
    warnings.push(
      `the environment variable ${name} is not supported by wsload and is ignored${
        match === undefined ? "" : ` (did you mean ${prefix}${match}?)`
      }`,
    );
  }
  return warnings;
}
