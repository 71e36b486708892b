/**
 * The samples of one HTTP round trip, with k6's tags (`httpext.transport`'s
 * `measureAndEmitMetrics`).
 *
 * @module
 */
import {
  HTTP_REQ_BLOCKED,
  HTTP_REQ_CONNECTING,
  HTTP_REQ_DURATION,
  HTTP_REQ_FAILED,
  HTTP_REQ_RECEIVING,
  HTTP_REQ_SENDING,
  HTTP_REQ_TLS_HANDSHAKING,
  HTTP_REQ_WAITING,
  HTTP_REQS,
} from "../metrics/builtin.ts";
import type { Context } from "../context/context.ts";
import type { Tags } from "../metrics/tags.ts";
import type { ExpectedStatuses } from "./expected_statuses.ts";
import type { K6ErrorInfo } from "./error_code.ts";
import type { Timings } from "./_trace.ts";

/** What the samples of a round trip are tagged with. */
export interface RoundTripFacts {
  /** The base tags: the context's and the request's `tags` param. */
  readonly tags: Tags;
  /** The URL of this round trip, credentials masked. */
  readonly url: string;
  /** The method. */
  readonly method: string;
  /** The status (0 when there was no response). */
  readonly status: number;
  /** E.g. `HTTP/1.1` (`""` without a response). */
  readonly proto: string;
  /** `tls1.3` …, `""` for plain HTTP. */
  readonly tlsVersion: string;
  /** The peer's IP (`""` when not connected). */
  readonly remoteIP: string;
  /** The network failure, if any. */
  readonly failure: K6ErrorInfo | undefined;
  /** The response callback (`null`: none). */
  readonly expected: ExpectedStatuses | null;
  /** The phases. */
  readonly timings: Timings;
  /** When it ended, ms since the epoch. */
  readonly time: number;
}

/**
 * k6's error code of an HTTP status: `1000 + status` from 400 up.
 *
 * @param status The status.
 * @returns The code, or 0 below 400.
 */
export function statusErrorCode(status: number): number {
  return status >= 400 ? 1000 + status : 0;
}

/**
 * Emits `http_reqs`, `http_req_duration` and its six phases, and (with a
 * response callback) `http_req_failed`, tagged as k6 tags them.
 *
 * @param context Where the samples go (and which system tags are on).
 * @param facts The round trip.
 */
export function emitRoundTrip(context: Context, facts: RoundTripFacts): void {
  const { timings, time } = facts;
  // k6 asks the callback with status 0 for a request that got no answer.
  const expected = facts.expected?.match(
    facts.failure === undefined ? facts.status : 0,
  );
  const tags = sampleTags(context, facts, expected);
  const failed = expected === undefined ? undefined : expected ? 0 : 1;
  context.emit(HTTP_REQS, 1, tags, time);
  context.emit(HTTP_REQ_DURATION, timings.duration, tags, time);
  context.emit(HTTP_REQ_BLOCKED, timings.blocked, tags, time);
  context.emit(HTTP_REQ_CONNECTING, timings.connecting, tags, time);
  context.emit(HTTP_REQ_TLS_HANDSHAKING, timings.tls_handshaking, tags, time);
  context.emit(HTTP_REQ_SENDING, timings.sending, tags, time);
  context.emit(HTTP_REQ_WAITING, timings.waiting, tags, time);
  context.emit(HTTP_REQ_RECEIVING, timings.receiving, tags, time);
  if (failed !== undefined) context.emit(HTTP_REQ_FAILED, failed, tags, time);
}

// Requests of a loop repeat the same tags: one frozen object per
// combination and base tags (which are the context's own, or a request's).
const tagCache = new WeakMap<Tags, Map<string, Tags>>();
const TAG_CACHE_SIZE = 1000;

/** The tags of the last answered round trip on some base tags. */
interface LastTags {
  readonly facts: RoundTripFacts;
  readonly expected: boolean | undefined;
  readonly tags: Tags;
}

// A loop's next request usually matches its last one field for field: that
// check is cheaper than building the cache key.
const lastTags = new WeakMap<Tags, LastTags>();

function sameAnswer(
  last: LastTags | undefined,
  facts: RoundTripFacts,
  expected: boolean | undefined,
): last is LastTags {
  if (last === undefined || facts.failure !== undefined) return false;
  const before = last.facts;
  return before.url === facts.url && before.method === facts.method &&
    before.status === facts.status && before.proto === facts.proto &&
    before.tlsVersion === facts.tlsVersion &&
    before.remoteIP === facts.remoteIP && last.expected === expected;
}

function sampleTags(
  context: Context,
  facts: RoundTripFacts,
  expected: boolean | undefined,
): Tags {
  const last = lastTags.get(facts.tags);
  if (sameAnswer(last, facts, expected)) return last.tags;
  const tags = cachedTags(context, facts, expected);
  if (facts.failure === undefined) {
    lastTags.set(facts.tags, { facts, expected, tags });
  }
  return tags;
}

function cachedTags(
  context: Context,
  facts: RoundTripFacts,
  expected: boolean | undefined,
): Tags {
  const key =
    `${facts.url}\n${facts.method}\n${facts.status}\n${facts.proto}\n${facts.tlsVersion}\n${facts.remoteIP}\n${
      facts.failure?.code ?? ""
    }\n${facts.failure?.message ?? ""}\n${expected}`;
  let cache = tagCache.get(facts.tags);
  if (cache === undefined) tagCache.set(facts.tags, cache = new Map());
  let tags = cache.get(key);
  if (tags === undefined) {
    tags = buildTags(context, facts, expected);
    if (cache.size < TAG_CACHE_SIZE) cache.set(key, tags);
  }
  return tags;
}

function buildTags(
  context: Context,
  facts: RoundTripFacts,
  expected: boolean | undefined,
): Tags {
  const enabled = context.options.systemTags;
  const tags: Record<string, string> = { ...facts.tags };
  const set = (name: string, value: string) => {
    if (enabled.has(name)) tags[name] = value;
  };
  // A `name` the script set (a tag or http.url) also becomes the `url` tag,
  // so that many URLs stay one series.
  if ("name" in facts.tags) set("url", facts.tags.name);
  else {
    set("name", facts.url);
    set("url", facts.url);
  }
  set("method", facts.method);
  if (facts.failure !== undefined) {
    set("error", facts.failure.message);
    set("error_code", String(facts.failure.code));
    set("status", "0");
  } else {
    set("status", String(facts.status));
    const code = statusErrorCode(facts.status);
    if (code !== 0) set("error_code", String(code));
    set("proto", facts.proto);
    if (facts.tlsVersion !== "") {
      set("tls_version", facts.tlsVersion);
      set("ocsp_status", "unknown");
    }
  }
  if (facts.remoteIP !== "") set("ip", facts.remoteIP);
  if (expected !== undefined) set("expected_response", String(expected));
  return Object.freeze(tags);
}
