/**
 * What the coordinator and the workers of a run derive alike from its
 * consolidated options: the options as `exec.test.options` shows them, the
 * modules' context options, and the metrics engine.
 *
 * @module
 */
import { type ContextOptions, DEFAULT_OPTIONS } from "../context/context.ts";
import type { Logger } from "../context/context.ts";
import { MetricsEngine } from "./engine/mod.ts";
import { type ConsolidatedOptions, formatDuration } from "./options/mod.ts";

// Option keys whose values are durations (ms here, Go duration text in k6).
const DURATION_KEYS: ReadonlySet<string> = new Set([
  "duration",
  "gracefulStop",
  "gracefulRampDown",
  "startTime",
  "maxDuration",
  "timeUnit",
  "setupTimeout",
  "teardownTimeout",
  "handleSummaryTimeout",
  "minIterationDuration",
]);
const INTERNAL_KEYS: ReadonlySet<string> = new Set([
  "executionTuple",
  "ignored",
]);

/**
 * `exec.test.options` as k6 shows them: durations as text (`"30s"`), sets
 * as arrays, segments as text, no internal fields.
 *
 * @param value The consolidated options (or a value inside them).
 * @param key The key of `value` in its parent.
 * @returns The view (plain JSON-like data).
 *
 * @example
 * ```ts
 * import { k6OptionsView } from "./run_options.ts";
 * import { consolidateOptions } from "./options/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const view = k6OptionsView(consolidateOptions({ cli: { duration: "30s" } }));
 * assert.equal((view as { duration: string }).duration, "30s");
 * ```
 */
export function k6OptionsView(value: unknown, key = ""): unknown {
  if (typeof value === "number" && DURATION_KEYS.has(key)) {
    return formatDuration(value);
  }
  if (value instanceof Set) return [...value];
  if (Array.isArray(value)) return value.map((item) => k6OptionsView(item));
  if (value === null || typeof value !== "object") return value;
  if (value.constructor !== Object) return String(value);
  const view: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    if (!INTERNAL_KEYS.has(name) && item !== undefined) {
      view[name] = k6OptionsView(item, name);
    }
  }
  return view;
}

/**
 * The options the k6 modules read from their context.
 *
 * @param options The consolidated options.
 * @param stripUrlQuery `--strip-url-query`.
 * @returns The context options.
 */
export function contextOptionsOf(
  options: ConsolidatedOptions,
  stripUrlQuery: boolean,
): ContextOptions {
  return {
    stripUrlQuery,
    systemTags: options.systemTags,
    userAgent: options.userAgent ?? DEFAULT_OPTIONS.userAgent,
    throw: options.throw ?? false,
    insecureSkipTLSVerify: options.insecureSkipTLSVerify ?? false,
    tlsCA: [],
    tlsAuth: options.tlsAuth,
    tlsVersion: options.tlsVersion,
    hosts: options.hosts,
    http: {
      discardResponseBodies: options.discardResponseBodies,
      noConnectionReuse: options.noConnectionReuse,
      noVUConnectionReuse: options.noVUConnectionReuse,
      maxRedirects: options.maxRedirects,
      batch: options.batch,
      batchPerHost: options.batchPerHost,
    },
  };
}

/** Options of {@link createRunEngine}. */
export interface RunEngineOptions {
  /** Keep per-group and per-scenario metrics (`--summary-mode full`). */
  readonly breakdown: boolean;
  /**
   * Aggregate only: create the thresholds' sub-metrics without parsing
   * their expressions (a worker's engine; the coordinator evaluates).
   */
  readonly aggregateOnly?: boolean;
  /** Receives warnings. */
  readonly logger: Pick<Logger, "warn">;
}

/**
 * The metrics engine of a run, or of one worker's share of it.
 *
 * @param options The consolidated options.
 * @param settings Breakdown, role and logger.
 * @returns The engine.
 * @throws See {@link MetricsEngine}'s constructor (bad thresholds).
 */
export function createRunEngine(
  options: ConsolidatedOptions,
  settings: RunEngineOptions,
): MetricsEngine {
  const engine = new MetricsEngine({
    thresholds: options.thresholds as never,
    noThresholds: settings.aggregateOnly || options.noThresholds,
    breakdown: settings.breakdown,
    logger: settings.logger,
  });
  // k6's implicit sub-metric: the duration of the expected responses.
  if (options.systemTags.has("expected_response")) {
    engine.addSubmetric("http_req_duration{expected_response:true}");
  }
  return engine;
}
