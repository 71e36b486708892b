/**
 * k6's `--out json` lines, byte for byte: a `Metric` declaration before a
 * metric's first point, then one `Point` per sample. The key orders are
 * those of k6's Go structs (`metricEnvelope`: type, data, metric;
 * `sampleEnvelope`: metric, type, data).
 *
 * @module
 */
import type { Metric } from "../../metrics/metric.ts";
import type { Sample } from "../../metrics/sample.ts";
import type { Tags } from "../../metrics/tags.ts";
import { formatDuration, parseDuration } from "../options/duration.ts";
import { goJsonNumber, goJsonString, goJsonStringMap } from "./_go_json.ts";
import { GoTimeFormatter } from "../../internal/go_time.ts";

/** What the declarations say about thresholds, and how times are zoned. */
export interface NdjsonOptions {
  /** Threshold expressions per metric key (`metric` or `metric{tag:value}`). */
  readonly thresholds: Readonly<Record<string, readonly string[]>>;
  /**
   * The thresholds exactly as configured (strings or
   * `{threshold, abortOnFail, delayAbortEval}` objects, one or a list per
   * key); when given, declarations show `abortOnFail` ones as k6 does.
   */
  readonly thresholdOptions?: Readonly<Record<string, unknown>>;
  /** Enabled system tags (`expected_response` adds k6's implicit sub-metric). */
  readonly systemTags: ReadonlySet<string>;
  /** The zone offset (minutes east of UTC) at a time; the local zone by default. */
  readonly offsetMinutes?: (ms: number) => number;
}

/** Encodes samples as k6's NDJSON lines, remembering declared metrics. */
export class NdjsonEncoder {
  readonly #thresholds: ReadonlyMap<string, string>;
  readonly #submetrics: ReadonlyMap<string, string>;
  readonly #time: GoTimeFormatter;
  readonly #declared = new Set<string>();
  // Tag sets are shared, frozen objects; metadata is shared per iteration.
  readonly #mapJson = new WeakMap<Tags, string>();
  #failures: string[] = [];

  /**
   * Creates an encoder with no metric declared yet.
   *
   * @param options Thresholds, system tags and time zone.
   */
  constructor(options: NdjsonOptions) {
    this.#thresholds = thresholdsByMetric(
      options.thresholdOptions ?? options.thresholds,
    );
    this.#submetrics = submetricsByMetric(
      Object.keys(options.thresholdOptions ?? options.thresholds),
      options.systemTags,
    );
    this.#time = new GoTimeFormatter("RFC3339Nano", options.offsetMinutes);
  }

  /**
   * Encodes samples: for each, its metric's declaration if it is the first
   * sample of that metric, then its point. Samples whose value JSON cannot
   * hold (NaN, ±Infinity) are left out, as k6 leaves them out.
   *
   * @param samples The samples, in order.
   * @returns Whole lines.
   */
  encode(samples: readonly Sample[]): string {
    let text = "";
    for (const sample of samples) {
      const metric = sample.metric;
      if (!this.#declared.has(metric.name)) {
        this.#declared.add(metric.name);
        text += this.#declaration(metric);
      }
      const value = goJsonNumber(sample.value);
      if (value === undefined) {
        this.#failures.push(`json: unsupported value: ${sample.value}`);
        continue;
      }
      text += `{"metric":${
        goJsonString(metric.name)
      },"type":"Point","data":{"time":"${
        this.#time.format(sample.time)
      }","value":${value},"tags":${
        // k6's TagSet is never nil in practice, but its envelope allows it.
        sample.tags ? this.#map(sample.tags) : "null"}`;
      const metadata = sample.metadata ? this.#map(sample.metadata) : "{}";
      // omitempty: no key for empty metadata.
      if (metadata !== "{}") text += `,"metadata":${metadata}`;
      text += "}}\n";
    }
    return text;
  }

  /**
   * The errors of the samples left out since the last call, k6's log line.
   *
   * @returns The message, or `undefined` when none was left out.
   */
  takeFailures(): string | undefined {
    if (this.#failures.length === 0) return undefined;
    const message = `Sample(s) couldn't be marshalled to JSON: ${
      this.#failures[0]
    } (failed: ${this.#failures.length})`;
    this.#failures = [];
    return message;
  }

  #declaration(metric: Metric): string {
    const name = goJsonString(metric.name);
    return `{"type":"Metric","data":{"name":${name},"type":"${metric.type}","contains":"${metric.contains}","thresholds":${
      this.#thresholds.get(metric.name) ?? "[]"
    },"submetrics":${
      this.#submetrics.get(metric.name) ?? "null"
    }},"metric":${name}}\n`;
  }

  #map(map: Tags): string {
    let json = this.#mapJson.get(map);
    if (json === undefined) {
      json = goJsonStringMap(map);
      this.#mapJson.set(map, json);
    }
    return json;
  }
}

// k6 marshals a threshold as its source, or as the whole config object
// when abortOnFail is set (metrics.thresholdConfig.MarshalJSON).
function thresholdJson(item: unknown): string {
  if (typeof item !== "object" || item === null) {
    return goJsonString(String(item));
  }
  const config = item as {
    threshold?: unknown;
    abortOnFail?: unknown;
    delayAbortEval?: unknown;
  };
  const source = goJsonString(String(config.threshold ?? ""));
  if (config.abortOnFail !== true) return source;
  let delay = "null";
  const raw = config.delayAbortEval;
  if (typeof raw === "string" || typeof raw === "number") {
    try {
      delay = goJsonString(formatDuration(parseDuration(raw)));
    } catch {
      // Invalid delays fail the threshold validation before any output.
    }
  }
  return `{"threshold":${source},"abortOnFail":true,"delayAbortEval":${delay}}`;
}

function thresholdsByMetric(
  thresholds: Readonly<Record<string, unknown>>,
): Map<string, string> {
  const result = new Map<string, string>();
  for (const [key, value] of Object.entries(thresholds)) {
    const items = Array.isArray(value) ? value : [value];
    result.set(key, `[${items.map(thresholdJson).join(",")}]`);
  }
  return result;
}

// Go's strings.Trim(s, `"'`).
function trimQuotes(text: string): string {
  return text.replace(/^["']+|["']+$/g, "");
}

// The sub-metrics k6 attaches to a metric: one per threshold key
// `metric{key:value,...}` (metrics.Metric.AddSubmetric), plus
// `http_req_duration{expected_response:true}` while that system tag is on.
function submetricsByMetric(
  keys: readonly string[],
  systemTags: ReadonlySet<string>,
): Map<string, string> {
  const byParent = new Map<string, { tags: string; json: string }[]>();
  const add = (parent: string, definition: string) => {
    const suffix = definition.trim();
    if (suffix === "") return;
    const tags: Record<string, string> = {};
    for (const pair of suffix.split(",")) {
      if (pair === "") continue;
      const colon = pair.indexOf(":");
      const key = trimQuotes((colon < 0 ? pair : pair.slice(0, colon)).trim());
      const value = colon < 0 ? "" : trimQuotes(pair.slice(colon + 1).trim());
      tags[key] = value;
    }
    const tagsJson = goJsonStringMap(tags);
    const list = byParent.get(parent) ?? [];
    if (list.some((submetric) => submetric.tags === tagsJson)) return;
    list.push({
      tags: tagsJson,
      json: `{"name":${goJsonString(`${parent}{${suffix}}`)},"suffix":${
        goJsonString(suffix)
      },"tags":${tagsJson}}`,
    });
    byParent.set(parent, list);
  };
  for (const key of keys) {
    const brace = key.indexOf("{");
    if (brace < 0 || !key.endsWith("}")) continue;
    add(key.slice(0, brace), key.slice(brace + 1, -1));
  }
  if (systemTags.has("expected_response")) {
    add("http_req_duration", "expected_response:true");
  }
  const result = new Map<string, string>();
  for (const [parent, list] of byParent) {
    result.set(
      parent,
      `[${list.map((submetric) => submetric.json).join(",")}]`,
    );
  }
  return result;
}
