/**
 * What both WebSocket modules (`k6/ws` and `k6/websockets`) record about a
 * socket, the same way: the tags of its samples (the script's and k6's
 * system tags `url`, `name`, `status`, `subproto`, `ip`), the cookies its
 * handshake sets, `ws_sessions` and `ws_connecting` when the dial returns,
 * the ids and round trips of its pings (`ws_ping`), its message counts, and
 * the bytes its connection moved (`data_sent`/`data_received`).
 *
 * @module
 */
import type { CookieJar } from "../http/cookie_jar.ts";
import { WS_CONNECTING, WS_PING, WS_SESSIONS } from "../metrics/builtin.ts";
import type { Context } from "../context/context.ts";
import type { Metric } from "../metrics/metric.ts";
import { now } from "../metrics/sample.ts";
import type { Tags } from "../metrics/tags.ts";
import { headerValues } from "../transport/handshake_headers.ts";
import type { Connection, HandshakeResponse } from "../transport/transport.ts";
import { urlTag } from "../transport/url_tag.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What a {@link SocketSession} is made of. */
export interface SocketSessionInit {
  /** The context the socket was created in. */
  readonly context: Context;
  /** The URL dialled: the `url` tag and the cookies' origin. */
  readonly url: string;
  /** The script's tags of the socket (params `tags`). */
  readonly tags: Tags;
  /** The cookie jar its handshake's `Set-Cookie` headers go to. */
  readonly jar: CookieJar;
  /**
   * k6/websockets' rule: a `name` tag of the script names the `url` tag,
   * and without one the URL is both `url` and `name`. k6/ws tags `url`
   * only.
   */
  readonly nameTag: boolean;
}

/** How a dial ended, as far as the tags care. */
export interface DialOutcome {
  /** When the dial returned (ms since the epoch). */
  readonly end: number;
  /** The handshake's answer, when the server gave one. */
  readonly response?: HandshakeResponse;
  /** The HTTP status (the `status` tag), when there was an answer. */
  readonly status?: number;
  /** The chosen subprotocol (the `subproto` tag), when there was an answer. */
  readonly subprotocol?: string;
  /** The server's address (the `ip` tag), when known. */
  readonly ip?: string;
}

/** One socket's tags, metrics and cookies; see the module doc. */
export class SocketSession {
  readonly #context: Context;
  readonly #url: string;
  readonly #jar: CookieJar;
  readonly #nameTag: boolean;
  readonly #custom: Tags;
  #tags: Tags;
  #dialStart = 0;
  #pingCounter = 0;
  #pings: Map<string, number> | undefined;

  /**
   * Starts recording a socket (nothing is emitted yet).
   *
   * @param init The socket's context, URL, tags, jar and tag rule.
   */
  constructor(init: SocketSessionInit) {
    this.#context = init.context;
    this.#url = init.url;
    this.#jar = init.jar;
    this.#nameTag = init.nameTag;
    this.#custom = init.tags;
    this.#tags = this.#baseTags();
  }

  /** When the dial started (ms since the epoch; 0 before). */
  get dialStart(): number {
    return this.#dialStart;
  }

  /** The tags of the socket's samples (complete once the dial returned). */
  get tags(): Tags {
    return this.#tags;
  }

  #baseTags(): Record<string, string> {
    const options = this.#context.options;
    const enabled = options.systemTags;
    const tags: Record<string, string> = {
      ...this.#context.tags,
      ...this.#custom,
    };
    if (this.#nameTag && this.#custom.name !== undefined) {
      if (enabled.has("url")) tags.url = this.#custom.name;
      return tags;
    }
    const url = urlTag(this.#url, options.stripUrlQuery);
    if (enabled.has("url")) tags.url = url;
    if (this.#nameTag && enabled.has("name")) tags.name = url;
    return tags;
  }

  /**
   * The dial starts: `ws_connecting` counts from now.
   *
   * @param time When (ms since the epoch; now when omitted).
   */
  dialStarted(time: number = now()): void {
    this.#dialStart = time;
  }

  /**
   * The dial returned (opened or failed): completes the tags, stores the
   * handshake's cookies, emits `ws_sessions` and `ws_connecting` (both
   * time-stamped when the dial started, as k6 does).
   *
   * @param outcome How it ended.
   */
  dialEnded(outcome: DialOutcome): void {
    const enabled = this.#context.options.systemTags;
    const tags = this.#baseTags();
    if (outcome.status !== undefined) {
      if (enabled.has("status")) tags.status = String(outcome.status);
      if (enabled.has("subproto")) tags.subproto = outcome.subprotocol ?? "";
    }
    if (outcome.ip !== undefined && enabled.has("ip")) tags.ip = outcome.ip;
    this.#tags = Object.freeze(tags);
    const start = this.#dialStart || outcome.end;
    this.#context.emit(WS_SESSIONS, 1, this.#tags, start);
    this.#context.emit(WS_CONNECTING, outcome.end - start, this.#tags, start);
    if (outcome.response !== undefined) {
      const cookies = headerValues(outcome.response, "Set-Cookie");
      if (cookies.length > 0) this.#jar.storeSetCookies(this.#url, cookies);
    }
  }

  /**
   * Emits a sample with the socket's tags.
   *
   * @param metric The metric (`ws_msgs_sent`, `ws_session_duration`, …).
   * @param value The value.
   * @param time When; now when omitted.
   */
  emit(metric: Metric, value: number, time?: number): void {
    this.#context.emit(metric, value, this.#tags, time);
  }

  /**
   * The payload of the socket's next ping (its counter: `"0"`, `"1"`, …),
   * remembered with the time it is sent.
   *
   * @param time When it is sent; now when omitted.
   * @returns The payload.
   */
  nextPing(time: number = now()): Uint8Array {
    const id = String(this.#pingCounter++);
    (this.#pings ??= new Map()).set(id, time);
    return encoder.encode(id);
  }

  /**
   * A pong arrived: for one of the socket's pings, emits `ws_ping` (the
   * round trip) and forgets the ping (a socket that pings for hours must
   * not grow).
   *
   * @param payload The pong's payload.
   * @param time When it arrived.
   * @returns `false` for a pong of no ping of ours.
   */
  pong(payload: Uint8Array, time: number): boolean {
    const id = decoder.decode(payload);
    const sent = this.#pings?.get(id);
    if (sent === undefined) return false;
    this.#pings!.delete(id);
    this.#context.emit(WS_PING, time - sent, this.#tags, time);
    return true;
  }

  /**
   * Adds what the connection moved to the iteration's `data_sent` and
   * `data_received`.
   *
   * @param connection The socket's connection, if it got one.
   */
  countBytes(connection: Connection | undefined): void {
    if (connection === undefined) return;
    this.#context.countBytes(connection.bytesSent, connection.bytesReceived);
  }
}
