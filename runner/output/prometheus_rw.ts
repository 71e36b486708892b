/**
 * `--out experimental-prometheus-rw`: the run's metrics pushed to a
 * Prometheus remote-write endpoint every push interval, with k6's series
 * names, labels and units (see `_prometheus_series.ts`), so Grafana's
 * published k6 Prometheus dashboards work unchanged. Configured as k6
 * v0.48 configures it, from the environment:
 *
 * | variable | default |
 * |---|---|
 * | `K6_PROMETHEUS_RW_SERVER_URL` | `http://localhost:9090/api/v1/write` |
 * | `K6_PROMETHEUS_RW_PUSH_INTERVAL` | `5s` |
 * | `K6_PROMETHEUS_RW_TREND_STATS` | `p(99)` (any of `avg,min,med,max,count,sum,p(N)`) |
 * | `K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM` | `false` |
 * | `K6_PROMETHEUS_RW_STALE_MARKERS` | `false` (mark every series stale at the end) |
 * | `K6_PROMETHEUS_RW_INSECURE_SKIP_TLS_VERIFY` | `false` |
 * | `K6_PROMETHEUS_RW_USERNAME`, `K6_PROMETHEUS_RW_PASSWORD` | none (basic auth) |
 * | `K6_PROMETHEUS_RW_BEARER_TOKEN` | none |
 * | `K6_PROMETHEUS_RW_CLIENT_CERTIFICATE`, `..._KEY` | none (PEM files) |
 * | `K6_PROMETHEUS_RW_HEADERS_<NAME>`, `K6_PROMETHEUS_RW_HTTP_HEADERS` (`k:v,k:v`) | none |
 *
 * Differences from k6: a trend's `count` stat is sent as a count (k6
 * divides it by 1000 for time trends, as it does the times); the
 * argument after `experimental-prometheus-rw=` is ignored with a warning
 * (k6 ignores it silently).
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { clearInterval, setInterval } from "node:timers";
import type { Sample } from "../../metrics/sample.ts";
import { parseDuration } from "../options/duration.ts";
import { basicAuth, httpPost } from "./_http_post.ts";
import { checkTrendStats, SeriesStore } from "./_prometheus_series.ts";
import type { TimeSeries } from "./_remote_write.ts";
import type { Output, OutputContext, RunEnd } from "./output.ts";

/** The output's `--out` type. */
export const PROMETHEUS_RW = "experimental-prometheus-rw";

/** The Prometheus remote-write output's settings. */
export interface PrometheusRwConfig {
  /** The write endpoint. */
  readonly url: URL;
  /** Milliseconds between pushes. */
  readonly pushIntervalMs: number;
  /** Trend stats sent as gauges. */
  readonly trendStats: readonly string[];
  /** Trends as native histograms instead. */
  readonly trendAsNativeHistogram: boolean;
  /** Mark every series stale at the end. */
  readonly staleMarkers: boolean;
  /** Accept any TLS certificate. */
  readonly insecureSkipTLSVerify: boolean;
  /** Request headers (authorization among them). */
  readonly headers: Readonly<Record<string, string>>;
  /** Client certificate (PEM text). */
  readonly cert?: string;
  /** Client certificate key (PEM text). */
  readonly key?: string;
}

const TRUE_TEXTS = ["1", "t", "T", "TRUE", "true", "True"];
const FALSE_TEXTS = ["0", "f", "F", "FALSE", "false", "False"];

// A boolean variable, read as Go's strconv.ParseBool reads it.
function envBool(
  env: Readonly<Record<string, string>>,
  name: string,
): boolean {
  const value = env[name];
  if (value === undefined) return false;
  if (TRUE_TEXTS.includes(value)) return true;
  if (FALSE_TEXTS.includes(value)) return false;
  throw new Error(`${name} must be true or false, got '${value}'`);
}

function pemFile(name: string, path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(
      `failed to load the TLS certificate: ${name} '${path}': ${
        (error as Error).message
      }`,
    );
  }
}

/**
 * Reads the output's settings from the environment (k6's variables).
 *
 * @param env The process environment.
 * @returns The settings.
 * @throws {Error} For a malformed URL, duration, boolean, header, trend
 * stat or an unreadable certificate, naming the variable.
 *
 * @example The defaults, with native histograms
 * ```ts
 * import { prometheusRwConfig } from "./prometheus_rw.ts";
 * import assert from "node:assert/strict";
 *
 * const config = prometheusRwConfig({
 *   K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: "true",
 *   K6_PROMETHEUS_RW_HEADERS_X_Scope_OrgID: "tenant-1",
 * });
 * assert.equal(config.url.href, "http://localhost:9090/api/v1/write");
 * assert.equal(config.pushIntervalMs, 5000);
 * assert.deepEqual(config.trendStats, ["p(99)"]);
 * assert.equal(config.trendAsNativeHistogram, true);
 * assert.equal(config.headers.X_Scope_OrgID, "tenant-1");
 * ```
 */
export function prometheusRwConfig(
  env: Readonly<Record<string, string>>,
): PrometheusRwConfig {
  const urlText = env.K6_PROMETHEUS_RW_SERVER_URL ??
    "http://localhost:9090/api/v1/write";
  let url: URL;
  try {
    url = new URL(urlText);
  } catch {
    throw new Error(
      `K6_PROMETHEUS_RW_SERVER_URL '${urlText}' is not a URL; expected e.g. http://localhost:9090/api/v1/write`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(
      `K6_PROMETHEUS_RW_SERVER_URL '${urlText}' must be an http:// or https:// URL`,
    );
  }
  let pushIntervalMs = 5000;
  const interval = env.K6_PROMETHEUS_RW_PUSH_INTERVAL;
  if (interval !== undefined) {
    try {
      pushIntervalMs = parseDuration(interval);
    } catch (error) {
      throw new Error(
        `K6_PROMETHEUS_RW_PUSH_INTERVAL: ${(error as Error).message}`,
      );
    }
    if (!(pushIntervalMs > 0)) {
      throw new Error(
        `K6_PROMETHEUS_RW_PUSH_INTERVAL must be positive, got '${interval}'`,
      );
    }
  }
  const trendStats = env.K6_PROMETHEUS_RW_TREND_STATS === undefined
    ? ["p(99)"]
    : env.K6_PROMETHEUS_RW_TREND_STATS.split(",");
  try {
    checkTrendStats(trendStats);
  } catch (error) {
    throw new Error(
      `K6_PROMETHEUS_RW_TREND_STATS: ${(error as Error).message}`,
    );
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith("K6_PROMETHEUS_RW_HEADERS_")) {
      headers[name.slice("K6_PROMETHEUS_RW_HEADERS_".length)] = value;
    }
  }
  for (const pair of env.K6_PROMETHEUS_RW_HTTP_HEADERS?.split(",") ?? []) {
    const parts = pair.split(":");
    if (parts.length !== 2) {
      throw new Error(
        `the provided header (${pair}) does not respect the expected format <header key>:<value>`,
      );
    }
    headers[parts[0]] = parts[1];
  }
  if (env.K6_PROMETHEUS_RW_USERNAME !== undefined) {
    headers.Authorization = basicAuth(
      env.K6_PROMETHEUS_RW_USERNAME,
      env.K6_PROMETHEUS_RW_PASSWORD ?? "",
    );
  }
  if (env.K6_PROMETHEUS_RW_BEARER_TOKEN) {
    headers.Authorization = `Bearer ${env.K6_PROMETHEUS_RW_BEARER_TOKEN}`;
  }
  const certPath = env.K6_PROMETHEUS_RW_CLIENT_CERTIFICATE;
  const keyPath = env.K6_PROMETHEUS_RW_CLIENT_CERTIFICATE_KEY;
  const withCert = certPath !== undefined && keyPath !== undefined;
  return {
    url,
    pushIntervalMs,
    trendStats,
    trendAsNativeHistogram: envBool(
      env,
      "K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM",
    ),
    staleMarkers: envBool(env, "K6_PROMETHEUS_RW_STALE_MARKERS"),
    insecureSkipTLSVerify: envBool(
      env,
      "K6_PROMETHEUS_RW_INSECURE_SKIP_TLS_VERIFY",
    ),
    headers,
    cert: withCert ? pemFile("certificate", certPath) : undefined,
    key: withCert ? pemFile("key", keyPath) : undefined,
  };
}

// The protobuf encoder (protobufjs) took a tenth of every run's start-up
// when it loaded with the CLI: it loads with the first push instead.
type RemoteWrite = typeof import("./_remote_write.ts");
let remoteWrite: Promise<RemoteWrite> | undefined;

function loadRemoteWrite(): Promise<RemoteWrite> {
  return remoteWrite ??= import("./_remote_write.ts");
}

/**
 * The Prometheus remote-write output.
 *
 * @example Describe an output (nothing is sent before start)
 * ```ts
 * import { PrometheusRwOutput, prometheusRwConfig } from "./prometheus_rw.ts";
 * import assert from "node:assert/strict";
 *
 * const output = new PrometheusRwOutput(prometheusRwConfig({}), { logger: console });
 * assert.equal(output.description, "Prometheus remote write (http://localhost:9090/api/v1/write)");
 * ```
 */
export class PrometheusRwOutput implements Output {
  /** As k6 names it in the run header. */
  readonly description: string;
  readonly #config: PrometheusRwConfig;
  readonly #logger: OutputContext["logger"];
  readonly #store: SeriesStore;
  #timer: ReturnType<typeof setInterval> | undefined;
  #pushing: Promise<void> = Promise.resolve();
  #busy = false;
  #stopped = false;

  /**
   * Creates the output.
   *
   * @param config Its settings.
   * @param options Where push failures go.
   */
  constructor(
    config: PrometheusRwConfig,
    options: Pick<OutputContext, "logger">,
  ) {
    this.#config = config;
    this.#logger = options.logger;
    this.#store = new SeriesStore({
      nativeHistogram: config.trendAsNativeHistogram,
      stats: config.trendStats,
    });
    this.description = `Prometheus remote write (${config.url.href})`;
  }

  /**
   * Starts the periodic pushes.
   *
   * @returns A promise settled at once.
   */
  start(): Promise<void> {
    // Loaded now, so that the first push is timed without it (a failure to
    // load is reported by that push).
    loadRemoteWrite().catch(() => {});
    this.#timer = setInterval(() => {
      // One push at a time; a slow endpoint delays the next.
      if (!this.#busy) this.#pushing = this.#push(this.#store.changed());
    }, this.#config.pushIntervalMs);
    this.#timer.unref?.();
    return Promise.resolve();
  }

  /**
   * Adds a sample to its series (cheap: one map lookup and a sink add).
   *
   * @param sample The sample.
   */
  add(sample: Sample): void {
    if (!this.#stopped) this.#store.add(sample);
  }

  /**
   * Pushes what changed since the last push, then the stale markers when
   * asked for.
   *
   * @param _end Unused: every sample is in the series.
   * @returns A promise settled once pushed.
   * @throws {Error} When the stale markers could not be pushed.
   */
  async stop(_end: RunEnd): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#pushing;
    await this.#push(this.#store.changed());
    if (this.#config.staleMarkers) {
      const error = await this.#send(this.#store.staleMarkers(Date.now()));
      if (error !== undefined) {
        throw new Error(`marking time series as stale failed: ${error}`);
      }
    }
  }

  /** Stops at once; what was not pushed is lost (a push cannot be synchronous). */
  abort(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
  }

  async #push(series: readonly TimeSeries[]): Promise<void> {
    if (series.length === 0) return;
    this.#busy = true;
    const started = Date.now();
    const error = await this.#send(series);
    this.#busy = false;
    if (error !== undefined) {
      this.#logger.error(
        `Prometheus remote write: failed to send the time series data to the endpoint: ${error}`,
      );
      return;
    }
    const took = Date.now() - started;
    if (took > this.#config.pushIntervalMs) {
      this.#logger.warn(
        `Prometheus remote write: successful flushed time series to remote write endpoint but it took ${took}ms while flush period is ${this.#config.pushIntervalMs}ms. Some samples may be dropped.`,
      );
    }
  }

  // Sends series; the error text, or undefined.
  async #send(series: readonly TimeSeries[]): Promise<string | undefined> {
    try {
      const { writeRequestBody, writeRequestHeaders } = await loadRemoteWrite();
      const reply = await httpPost(
        this.#config.url,
        writeRequestBody(series),
        {
          headers: { ...this.#config.headers, ...writeRequestHeaders() },
          insecure: this.#config.insecureSkipTLSVerify,
          cert: this.#config.cert,
          key: this.#config.key,
          timeoutMs: 5000,
        },
      );
      if (reply.status >= 200 && reply.status < 300) return undefined;
      return `got status code: ${reply.status} instead expected a 2xx successful status code${
        reply.body.trim() === "" ? "" : ` (${reply.body.trim()})`
      }`;
    } catch (error) {
      return `HTTP POST request failed: ${(error as Error).message}`;
    }
  }
}
