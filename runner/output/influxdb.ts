/**
 * `--out influxdb=http://host:8086/db`: every sample written to InfluxDB
 * 1.x over HTTP in k6's layout (see `_line_protocol.ts`), batched every
 * push interval, configured as k6 configures it: defaults, then the
 * `K6_INFLUXDB_*` variables, then the URL's parts and query parameters.
 *
 * | variable | URL | default |
 * |---|---|---|
 * | `K6_INFLUXDB_ADDR` | scheme and host | `http://localhost:8086` |
 * | `K6_INFLUXDB_DB` | path | `k6` |
 * | `K6_INFLUXDB_USERNAME`, `K6_INFLUXDB_PASSWORD` | user info | none |
 * | `K6_INFLUXDB_INSECURE` | `insecure` | `false` (skip TLS verification) |
 * | `K6_INFLUXDB_PUSH_INTERVAL` | `pushInterval` | `1s` |
 * | `K6_INFLUXDB_CONCURRENT_WRITES` | `concurrentWrites` | `4` |
 * | `K6_INFLUXDB_PRECISION` | `precision` | `ns` |
 * | `K6_INFLUXDB_RETENTION` | `retention` | the database's default |
 * | `K6_INFLUXDB_CONSISTENCY` | `consistency` | the server's default |
 * | `K6_INFLUXDB_TAGS_AS_FIELDS` | `tagsAsFields` (repeatable) | `vu,iter,url` |
 *
 * Differences from k6: no UDP (`udp://` addresses are refused) and no
 * proxy (`K6_INFLUXDB_PROXY` is warned about and ignored);
 * `K6_INFLUXDB_PAYLOAD_SIZE` only concerns UDP and is ignored. InfluxDB 2.x
 * needs k6's extension there and is not supported here either.
 *
 * @module
 */
import type { Sample } from "../../metrics/sample.ts";
import { parseDuration } from "../options/duration.ts";
import type { ChunkSink } from "./_chunk_sink.ts";
import { basicAuth, httpPost, type Reply } from "./_http_post.ts";
import {
  type FieldKind,
  type Precision,
  sampleLine,
} from "./_line_protocol.ts";
import { SampleFlusher } from "./_sample_flusher.ts";
import type { Output, OutputContext, RunEnd } from "./output.ts";

/** The InfluxDB output's settings. */
export interface InfluxDBConfig {
  /** `http://host:port` or `https://host:port`. */
  readonly addr: string;
  /** The database (created at start when it does not exist). */
  readonly db: string;
  /** Basic-auth user name. */
  readonly username?: string;
  /** Basic-auth password. */
  readonly password?: string;
  /** Accept any TLS certificate. */
  readonly insecure: boolean;
  /** Milliseconds between writes. */
  readonly pushIntervalMs: number;
  /** Writes in flight at once. */
  readonly concurrentWrites: number;
  /** Timestamp unit. */
  readonly precision: Precision;
  /** Retention policy (`rp`). */
  readonly retention?: string;
  /** Write consistency (`consistency`). */
  readonly consistency?: string;
  /** Tags written as fields, with their types. */
  readonly tagsAsFields: ReadonlyMap<string, FieldKind>;
  /** Settings that were given but are not supported (warned about). */
  readonly ignored: readonly string[];
}

const PRECISIONS: Readonly<Record<string, Precision>> = {
  "": "ns",
  n: "ns",
  ns: "ns",
  u: "us",
  us: "us",
  "µs": "us",
  ms: "ms",
  s: "s",
  m: "m",
  h: "h",
};

function precisionOf(text: string): Precision {
  const precision = PRECISIONS[text];
  if (precision === undefined) {
    throw new Error(
      `invalid precision '${text}': use ns, us, ms, s, m or h`,
    );
  }
  return precision;
}

function positiveInteger(name: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value <= 0) {
    throw new Error(`${name} must be a positive integer, got '${text}'`);
  }
  return value;
}

function booleanOf(name: string, text: string): boolean {
  if (text === "true") return true;
  if (text === "false") return false;
  throw new Error(`${name} must be true or false, not ${text}`);
}

function fieldKinds(list: readonly string[]): Map<string, FieldKind> {
  const kinds = new Map<string, FieldKind>();
  for (const entry of list) {
    const [name, type = "string"] = entry.split(/:(.*)/s, 2);
    if (kinds.has(name)) {
      throw new Error(
        `a tag name (${name}) shows up more than once in InfluxDB field type configurations`,
      );
    }
    if (!["string", "int", "float", "bool"].includes(type)) {
      throw new Error(
        `an invalid type (${type}) is specified for an InfluxDB field (${name})`,
      );
    }
    kinds.set(name, type as FieldKind);
  }
  return kinds;
}

/**
 * Reads the output's settings from its `--out` argument and the
 * environment (the URL wins over the variables, as in k6).
 *
 * @param argument What follows `influxdb=` (may be empty).
 * @param env The process environment.
 * @returns The settings.
 * @throws {Error} For a malformed URL or value, a `udp://` address, or an
 * unknown query parameter (`unknown query parameter: x`).
 *
 * @example The URL names server and database
 * ```ts
 * import { influxdbConfig } from "./influxdb.ts";
 * import assert from "node:assert/strict";
 *
 * const config = influxdbConfig("http://127.0.0.1:8086/loadtest?precision=ms", {
 *   K6_INFLUXDB_PUSH_INTERVAL: "5s",
 * });
 * assert.equal(config.addr, "http://127.0.0.1:8086");
 * assert.equal(config.db, "loadtest");
 * assert.equal(config.precision, "ms");
 * assert.equal(config.pushIntervalMs, 5000);
 * assert.deepEqual([...config.tagsAsFields.keys()], ["vu", "iter", "url"]);
 * ```
 */
export function influxdbConfig(
  argument: string,
  env: Readonly<Record<string, string>>,
): InfluxDBConfig {
  let addr = env.K6_INFLUXDB_ADDR || "http://localhost:8086";
  let db = env.K6_INFLUXDB_DB || "k6";
  let username = env.K6_INFLUXDB_USERNAME;
  let password = env.K6_INFLUXDB_PASSWORD;
  let insecure = env.K6_INFLUXDB_INSECURE
    ? booleanOf("K6_INFLUXDB_INSECURE", env.K6_INFLUXDB_INSECURE)
    : false;
  let pushIntervalMs = env.K6_INFLUXDB_PUSH_INTERVAL
    ? parseDuration(env.K6_INFLUXDB_PUSH_INTERVAL)
    : 1000;
  let concurrentWrites = env.K6_INFLUXDB_CONCURRENT_WRITES
    ? positiveInteger(
      "K6_INFLUXDB_CONCURRENT_WRITES",
      env.K6_INFLUXDB_CONCURRENT_WRITES,
    )
    : 4;
  let precision = precisionOf(env.K6_INFLUXDB_PRECISION ?? "");
  let retention = env.K6_INFLUXDB_RETENTION || undefined;
  let consistency = env.K6_INFLUXDB_CONSISTENCY || undefined;
  let tagsAsFields = env.K6_INFLUXDB_TAGS_AS_FIELDS
    ? env.K6_INFLUXDB_TAGS_AS_FIELDS.split(",")
    : ["vu", "iter", "url"];
  const ignored: string[] = [];
  if (env.K6_INFLUXDB_PROXY) ignored.push("K6_INFLUXDB_PROXY");
  if (argument !== "") {
    let url: URL;
    try {
      url = new URL(argument);
    } catch {
      throw new Error(
        `'${argument}' is not a URL; expected e.g. http://localhost:8086/k6`,
      );
    }
    if (url.host !== "") addr = `${url.protocol}//${url.host}`;
    const path = decodeURIComponent(url.pathname.replace(/^\//, ""));
    if (path !== "") db = path;
    if (url.username !== "") {
      username = decodeURIComponent(url.username);
      password = decodeURIComponent(url.password);
    }
    const seen = new Set<string>();
    for (const [key, value] of url.searchParams) {
      const first = !seen.has(key);
      seen.add(key);
      switch (key) {
        case "insecure":
          if (first && value !== "") insecure = booleanOf("insecure", value);
          break;
        case "payload_size":
          if (first) positiveInteger("payload_size", value);
          break;
        case "precision":
          if (first) precision = precisionOf(value);
          break;
        case "retention":
          if (first) retention = value;
          break;
        case "consistency":
          if (first) consistency = value;
          break;
        case "pushInterval":
          if (first) pushIntervalMs = parseDuration(value);
          break;
        case "concurrentWrites":
          if (first) concurrentWrites = positiveInteger(key, value);
          break;
        case "tagsAsFields":
          tagsAsFields = first ? [value] : [...tagsAsFields, value];
          break;
        default:
          throw new Error(`unknown query parameter: ${key}`);
      }
    }
  }
  if (addr.startsWith("udp:")) {
    throw new Error(
      "InfluxDB over UDP is not supported by wsload; use an http:// or https:// address",
    );
  }
  if (!/^https?:\/\/[^/]+$/.test(addr)) {
    throw new Error(
      `invalid InfluxDB address '${addr}'; expected http://host:port or https://host:port`,
    );
  }
  if (!(pushIntervalMs > 0)) {
    throw new Error("the push interval must be positive");
  }
  return {
    addr,
    db,
    username,
    password,
    insecure,
    pushIntervalMs,
    concurrentWrites,
    precision,
    retention,
    consistency,
    tagsAsFields: fieldKinds(tagsAsFields),
    ignored,
  };
}

// One HTTP request to the server.
function send(
  config: InfluxDBConfig,
  path: string,
  body: string,
): Promise<Reply> {
  const headers: Record<string, string> = {
    "Content-Type": "text/plain; charset=utf-8",
    "User-Agent": "wsload",
  };
  if (config.username !== undefined) {
    headers.Authorization = basicAuth(config.username, config.password ?? "");
  }
  return httpPost(new URL(path, config.addr), body, {
    headers,
    insecure: config.insecure,
  });
}

function serverError(reply: Reply): string {
  try {
    const parsed = JSON.parse(reply.body) as { error?: unknown };
    if (typeof parsed.error === "string") return parsed.error;
  } catch {
    // Not JSON: the status says enough.
  }
  return `HTTP ${reply.status}${reply.body ? `: ${reply.body.trim()}` : ""}`;
}

/**
 * Sends batches with at most `concurrentWrites` requests in flight; failed
 * writes are logged (k6's text) and the run goes on.
 */
class InfluxWriter implements ChunkSink {
  readonly #config: InfluxDBConfig;
  readonly #logger: OutputContext["logger"];
  readonly #path: string;
  readonly #inFlight = new Set<Promise<void>>();

  constructor(config: InfluxDBConfig, logger: OutputContext["logger"]) {
    this.#config = config;
    this.#logger = logger;
    const query = new URLSearchParams({ db: config.db });
    if (config.retention) query.set("rp", config.retention);
    query.set("precision", config.precision === "us" ? "u" : config.precision);
    if (config.consistency) query.set("consistency", config.consistency);
    this.#path = `/write?${query}`;
  }

  async write(text: string): Promise<void> {
    if (text === "") return;
    while (this.#inFlight.size >= this.#config.concurrentWrites) {
      await Promise.race(this.#inFlight);
    }
    const started = Date.now();
    const write = this.#post(text, started);
    this.#inFlight.add(write);
    await write;
    this.#inFlight.delete(write);
  }

  async #post(text: string, started: number): Promise<void> {
    let error: string | undefined;
    try {
      const reply = await send(this.#config, this.#path, text);
      if (reply.status < 200 || reply.status > 299) error = serverError(reply);
    } catch (cause) {
      error = (cause as Error).message;
    }
    if (error !== undefined) {
      const hint = error.includes("unauthorized access")
        ? ", InfluxDB v2.x isn't supported by this output"
        : "";
      this.#logger.error(`InfluxDBv1: Couldn't write stats${hint}: ${error}`);
      return;
    }
    const took = Date.now() - started;
    if (took > this.#config.pushIntervalMs) {
      this.#logger.warn(
        `InfluxDBv1: the flush operation took ${took} ms, more than the push interval; if you see this often, the setup or configuration needs to be adjusted to achieve a sustainable rate`,
      );
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.#inFlight);
  }

  abort(): void {
    // An exit that cannot wait cannot send either: the last batch is lost.
  }
}

/**
 * The InfluxDB v1 output.
 *
 * @example Describe an output (nothing is sent before start)
 * ```ts
 * import { InfluxDBOutput, influxdbConfig } from "./influxdb.ts";
 * import assert from "node:assert/strict";
 *
 * const output = new InfluxDBOutput(influxdbConfig("http://127.0.0.1:8086/k6", {}), { logger: console });
 * assert.equal(output.description, "InfluxDBv1 (http://127.0.0.1:8086)");
 * ```
 */
export class InfluxDBOutput implements Output {
  /** `InfluxDBv1 (ADDR)`, as k6 prints it. */
  readonly description: string;
  readonly #config: InfluxDBConfig;
  readonly #logger: OutputContext["logger"];
  readonly #flusher: SampleFlusher;

  /**
   * Creates the output.
   *
   * @param config Its settings.
   * @param options Where warnings and write failures go.
   */
  constructor(
    config: InfluxDBConfig,
    options: Pick<OutputContext, "logger">,
  ) {
    this.#config = config;
    this.#logger = options.logger;
    this.description = `InfluxDBv1 (${config.addr})`;
    this.#flusher = new SampleFlusher({
      open: () => new InfluxWriter(config, options.logger),
      periodMs: config.pushIntervalMs,
      encode: (samples) => this.#encode(samples),
    });
  }

  #encode(samples: readonly Sample[]): string {
    let text = "";
    for (const sample of samples) {
      const line = sampleLine(
        sample,
        this.#config.tagsAsFields,
        this.#config.precision,
      );
      if (line !== undefined) text += `${line}\n`;
    }
    return text;
  }

  /**
   * Creates the database if it is missing (a failure is harmless: the user
   * may lack the right, as k6 says) and starts the periodic writes.
   *
   * @returns A promise settled once started.
   */
  async start(): Promise<void> {
    for (const name of this.#config.ignored) {
      this.#logger.warn(
        `InfluxDBv1: ${name} is not supported by wsload and is ignored`,
      );
    }
    try {
      const quoted = `"${this.#config.db.replace(/["\\]/g, "\\$&")}"`;
      await send(
        this.#config,
        `/query?${new URLSearchParams({ q: `CREATE DATABASE ${quoted}` })}`,
        "",
      );
    } catch {
      // Most likely harmless (k6 logs it at debug level): writes will tell.
    }
    this.#flusher.start();
  }

  /**
   * Buffers a sample for the next write.
   *
   * @param sample The sample.
   */
  add(sample: Sample): void {
    this.#flusher.add(sample);
  }

  /**
   * Writes what is buffered and waits for every write.
   *
   * @param _end Unused: every sample was already sent.
   * @returns A promise settled once all writes finished.
   */
  stop(_end: RunEnd): Promise<void> {
    return this.#flusher.stop();
  }

  /** Stops at once; the unsent batch is lost (an HTTP write cannot be synchronous). */
  abort(): void {
    this.#flusher.abort();
  }
}
