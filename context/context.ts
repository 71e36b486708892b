/**
 * The execution context that sockets, timers and checks report into: the
 * current tags and group, where samples go, which work is still pending, and
 * who hears about errors. It travels with the code through
 * `AsyncLocalStorage`, so thousands of VUs can interleave on one event loop
 * and each socket still reports into the context it was created in.
 *
 * With no context active, {@link currentContext} returns a process-wide
 * default context: samples go to the listeners of
 * {@link addSampleListener}, errors to `console.error`.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { VERSION } from "../version.ts";
import { Cancellation } from "./cancellation.ts";
import { type EventQueue, VUEventLoop } from "./event_queue.ts";
import type { Metric } from "../metrics/metric.ts";
import { now, type Sample, type SampleSink } from "../metrics/sample.ts";
import { DEFAULT_SYSTEM_TAGS, NO_TAGS, type Tags } from "../metrics/tags.ts";

/** Test-wide options that the WebSocket modules read from their context. */
export interface ContextOptions {
  /** Enabled system tags (k6's `systemTags`). */
  readonly systemTags: ReadonlySet<string>;
  /** The default `User-Agent` of handshakes (k6's `userAgent`). */
  readonly userAgent: string;
  /** k6's `throw` option: whether `k6/ws` `connect()` rejects on dial failures. */
  readonly throw: boolean;
  /** k6's `insecureSkipTLSVerify`: accept any server certificate. */
  readonly insecureSkipTLSVerify: boolean;
  /** Extra trusted CA certificates (PEM). */
  readonly tlsCA: readonly string[];
  /**
   * Leave the query string out of the `url` and `name` tags of sockets
   * (`wsload run --strip-url-query`): tokens often travel there.
   */
  readonly stripUrlQuery?: boolean;
  /** k6's `tlsAuth`: client certificates (PEM), by domain. */
  readonly tlsAuth?: readonly {
    readonly cert: string;
    readonly key: string;
    readonly password?: string;
    readonly domains?: readonly string[];
  }[];
  /** k6's `tlsVersion`: the TLS versions allowed (`tls1.2` …). */
  readonly tlsVersion?: { readonly min?: string; readonly max?: string };
  /** k6's `hosts`: `host[:port]` (or `*.domain`) → `ip[:port]`. */
  readonly hosts?: Readonly<Record<string, string>>;
  /** HTTP options of k6 (`k6/http`); defaults when absent. */
  readonly http?: HttpContextOptions;
}

/** k6's options for `k6/http`, as the context carries them. */
export interface HttpContextOptions {
  /** Response bodies are not kept unless a request asks (`discardResponseBodies`). */
  readonly discardResponseBodies?: boolean;
  /** No keep-alive at all (`noConnectionReuse`). */
  readonly noConnectionReuse?: boolean;
  /** No keep-alive across iterations (`noVUConnectionReuse`). */
  readonly noVUConnectionReuse?: boolean;
  /** Redirects followed by default (`maxRedirects`, k6's default 10). */
  readonly maxRedirects?: number;
  /** Parallel requests of one `http.batch()` (`batch`, default 20). */
  readonly batch?: number;
  /** Parallel requests per host of one `http.batch()` (`batchPerHost`, default 6). */
  readonly batchPerHost?: number;
}

/** Where a context's log lines go. */
export interface Logger {
  /** Logs a warning, with `key=value` fields (k6's `error="…"`) when given. */
  warn(message: string, fields?: Readonly<Record<string, string>>): void;
  /** Logs an error. */
  error(message: string): void;
}

/** The default options: k6's defaults, with wsload's User-Agent. */
export const DEFAULT_OPTIONS: ContextOptions = Object.freeze({
  systemTags: DEFAULT_SYSTEM_TAGS,
  userAgent: `wsload/${VERSION}`,
  throw: false,
  insecureSkipTLSVerify: false,
  tlsCA: Object.freeze([]) as readonly string[],
});

/**
 * Counts work that must finish before an iteration may end (open sockets,
 * timers) and tells waiters when none is left.
 */
export class PendingWork {
  #count = 0;
  #waiters: (() => void)[] = [];

  /** The number of unfinished holds. */
  get size(): number {
    return this.#count;
  }

  /**
   * Registers one piece of unfinished work.
   *
   * @returns A release function; calling it more than once has no effect.
   */
  hold(): () => void {
    this.#count++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.#count === 0) {
        const waiters = this.#waiters;
        this.#waiters = [];
        for (const wake of waiters) wake();
      }
    };
  }

  /**
   * Waits until no work is pending.
   *
   * @returns A promise that resolves once the count is zero.
   */
  idle(): Promise<void> {
    if (this.#count === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}

/**
 * Receives the structure of a run that samples alone do not carry (tags may
 * be disabled): which groups ran and how each check came out.
 */
export interface ResultRecorder {
  /** A group started running; `path` is `::a::b`. */
  group(path: string): void;
  /** A check was evaluated in the group at `groupPath` (`""` at the root). */
  check(groupPath: string, name: string, passed: boolean): void;
}

/** What a {@link Context} is made of; every field is optional. */
export interface ContextInit {
  /** Base tags of every sample (already filtered by the enabled system tags). */
  tags?: Tags;
  /** The group path: `""` at the root, `::a::b` nested. */
  group?: string;
  /** Sample metadata (`vu`, `iter`) when enabled. */
  metadata?: Tags;
  /** Receives every sample. */
  sink?: SampleSink;
  /** Test-wide options. */
  options?: ContextOptions;
  /** Aborted when the iteration is cancelled: sockets then close. */
  signal?: AbortSignal;
  /**
   * The iteration's cancellation (instead of a `signal`): the runner's, so
   * that an iteration makes no `AbortController` unless code asks for its
   * signal.
   */
  cancellation?: Cancellation;
  /** Work that keeps the iteration alive. */
  pending?: PendingWork;
  /** Log output. */
  logger?: Logger;
  /** Hears about exceptions thrown by listeners and timers. */
  onError?: (error: unknown) => void;
  /** Hears about WebSocket connections that failed to open (the runner logs and counts them). */
  onConnectionFailure?: (url: string, error: string) => void;
  /** Hears about groups and checks. */
  recorder?: ResultRecorder;
  /**
   * The context this one is derived from (`withGroup`, `withTags`): the
   * new one shares its sink, options, signal, pending work and counters,
   * and takes only `tags` and `group` from here.
   *
   * @ignore Internal to Context.
   */
  parent?: Context;
  /**
   * Give the code a VU's event loop: blocking calls hold its events, as
   * k6's do (`wsload run` sets it; library code runs events at once).
   */
  vuEventLoop?: boolean;
  /**
   * The VU's own store, kept across its iterations (see
   * {@link Context.vuLocal}); without one, VU state lives as long as the
   * context.
   */
  vuLocals?: Map<symbol | object, unknown>;
}

interface Shared {
  readonly sink: SampleSink;
  readonly options: ContextOptions;
  readonly cancellation: Cancellation;
  readonly pending: PendingWork;
  readonly logger: Logger;
  readonly onError: (error: unknown) => void;
  readonly onConnectionFailure:
    | ((url: string, error: string) => void)
    | undefined;
  readonly recorder: ResultRecorder | undefined;
  readonly metadata: Tags | undefined;
  bytesSent: number;
  bytesReceived: number;
  locals: Map<symbol | object, unknown> | undefined;
  readonly vuLocals: Map<symbol | object, unknown> | undefined;
  root: Context | undefined;
  readonly eventLoop: VUEventLoop | undefined;
}

// The one module-level carrier of the current context, on purpose: k6's
// APIs (`check()`, `sleep()`, `new WebSocket()`, `ws.connect()`…) take no
// context argument, so code finds the context it runs in through
// `AsyncLocalStorage` (see `currentContext`), which follows it across
// awaits, timers and socket callbacks. The state a context shares with
// those derived from it travels explicitly, in its `#shared` field.
const storage = new AsyncLocalStorage<Context>();
const noBlock = () => {};

/**
 * An execution context: tags and group of the code running in it, plus the
 * state it shares with every context derived from it (sink, options, cancel
 * signal, pending work, byte counters).
 */
export class Context {
  /** Base tags of every sample emitted here. */
  readonly tags: Tags;
  /** The group path: `""` at the root, `::a::b` nested. */
  readonly group: string;
  #shared: Shared;
  #queue: EventQueue | undefined;

  /**
   * Creates a root context.
   *
   * @param init The parts; omitted ones get defaults (no sink, k6 options,
   * a signal that never aborts, console logging).
   *
   * @example A context that collects samples
   * ```ts
   * import { Context } from "./context.ts";
   * import { WS_SESSIONS } from "../metrics/builtin.ts";
   * import assert from "node:assert/strict";
   *
   * const samples: number[] = [];
   * const context = new Context({ sink: (s) => samples.push(s.value) });
   * context.emit(WS_SESSIONS, 1);
   * assert.deepEqual(samples, [1]);
   * ```
   */
  constructor(init: ContextInit = {}) {
    this.tags = init.tags ?? NO_TAGS;
    this.group = init.group ?? "";
    const parent = init.parent;
    this.#shared = parent !== undefined ? parent.#shared : {
      sink: init.sink ?? (() => {}),
      options: init.options ?? DEFAULT_OPTIONS,
      cancellation: init.cancellation ?? new Cancellation(init.signal),
      pending: init.pending ?? new PendingWork(),
      logger: init.logger ?? console,
      onError: init.onError ?? reportToConsole,
      onConnectionFailure: init.onConnectionFailure,
      recorder: init.recorder,
      metadata: init.metadata,
      bytesSent: 0,
      bytesReceived: 0,
      locals: undefined,
      vuLocals: init.vuLocals,
      root: undefined,
      eventLoop: init.vuEventLoop ? new VUEventLoop() : undefined,
    };
    this.#shared.root ??= this;
    this.#queue = this.#shared.eventLoop?.root;
  }

  /**
   * The VU event queue that events of code in this context go through
   * (k6/websockets events use the root context's, a `ws.connect()` call
   * its own); `undefined` outside `wsload run`: events run at once.
   *
   * @ignore Internal to the socket modules and the runner.
   */
  get eventQueue(): EventQueue | undefined {
    return this.#queue;
  }

  /**
   * Marks the VU busy in a blocking call (`sleep()`, an HTTP request)
   * until the returned function is called: its events wait, as in k6.
   *
   * @returns Ends the block (idempotent).
   */
  blockVU(): () => void {
    return this.#shared.eventLoop?.block() ?? noBlock;
  }

  /** Test-wide options. */
  get options(): ContextOptions {
    return this.#shared.options;
  }

  /**
   * Aborted when the work of this context is cancelled. Made on first use:
   * {@link Context.cancelled} and {@link Context.onCancel} cost less.
   */
  get signal(): AbortSignal {
    return this.#shared.cancellation.signal;
  }

  /** Whether the work of this context was cancelled (its signal aborted). */
  get cancelled(): boolean {
    return this.#shared.cancellation.cancelled;
  }

  /** Sample metadata (`vu`, `iter`) when enabled. */
  get metadata(): Tags | undefined {
    return this.#shared.metadata;
  }

  /**
   * The context this one was derived from by `withGroup`/`withTags` (itself
   * when it was not derived): the iteration's top level. k6/websockets
   * listeners run there, outside any `group()`, as in k6's event loop.
   */
  get root(): Context {
    return this.#shared.root ?? this;
  }

  /** The pending-work counter shared with derived contexts. */
  get pending(): PendingWork {
    return this.#shared.pending;
  }

  /**
   * Emits one sample.
   *
   * @param metric The metric.
   * @param value The value (ms for time metrics, bytes for data, 1/0 for rates).
   * @param tags The sample's tags; this context's tags when omitted.
   * @param time When it was measured (ms since the epoch); now when omitted.
   */
  emit(
    metric: Metric,
    value: number,
    tags: Tags = this.tags,
    time: number = now(),
  ): void {
    const sample: Sample = {
      metric,
      time,
      value,
      tags,
      metadata: this.#shared.metadata,
    };
    this.#shared.sink(sample);
  }

  /**
   * Calls `handler` once when this context's work is cancelled (its signal
   * aborts). Cheaper than a listener on the signal: thousands of sockets
   * and timers of one context each register one (adding N listeners to
   * one signal costs O(N²), and Node warns past 10).
   *
   * @param handler Called once, on cancellation.
   * @returns A function that unregisters it (O(1)).
   */
  onCancel(handler: () => void): () => void {
    return this.#shared.cancellation.onCancel(handler);
  }

  /**
   * Registers work that keeps this context's iteration alive.
   *
   * @returns A release function (idempotent).
   */
  hold(): () => void {
    return this.#shared.pending.hold();
  }

  /**
   * Reports an exception from user code (a listener, a timer) to whoever
   * runs this context: the runner fails the iteration; the default context
   * prints it.
   *
   * @param error The thrown value.
   */
  reportError(error: unknown): void {
    this.#shared.onError(error);
  }

  /**
   * Tells whoever runs this context (the runner logs and counts it) that a
   * WebSocket connection failed to open; the socket itself reports it to
   * the script as usual. Nothing happens in a context without a listener.
   *
   * @param url The URL dialled.
   * @param error Why it failed, as the socket reports it.
   */
  reportConnectionFailure(url: string, error: string): void {
    this.#shared.onConnectionFailure?.(url, error);
  }

  /**
   * Tells the run's recorder (if any) that a group started.
   *
   * @param path The group path, `::a::b`.
   */
  recordGroup(path: string): void {
    this.#shared.recorder?.group(path);
  }

  /**
   * Tells the run's recorder (if any) how a check in this context's group
   * came out.
   *
   * @param name The check name.
   * @param passed Whether it passed.
   */
  recordCheck(name: string, passed: boolean): void {
    this.#shared.recorder?.check(this.group, name, passed);
  }

  /**
   * Logs a warning.
   *
   * @param message The warning text.
   * @param fields `key=value` fields of the log line (k6's `error="…"`).
   */
  warn(message: string, fields?: Readonly<Record<string, string>>): void {
    if (fields === undefined) this.#shared.logger.warn(message);
    else this.#shared.logger.warn(message, fields);
  }

  /**
   * Adds bytes to the network counters (data_sent / data_received).
   *
   * @param sent Bytes written.
   * @param received Bytes read.
   */
  countBytes(sent: number, received: number): void {
    this.#shared.bytesSent += sent;
    this.#shared.bytesReceived += received;
  }

  /**
   * Returns the bytes counted since the last call and resets the counters.
   *
   * @returns Bytes sent and received.
   */
  takeBytes(): { sent: number; received: number } {
    const shared = this.#shared;
    const bytes = { sent: shared.bytesSent, received: shared.bytesReceived };
    shared.bytesSent = 0;
    shared.bytesReceived = 0;
    return bytes;
  }

  /**
   * Per-context state owned by a module, e.g. the default cookie jar of an
   * iteration: created on first use, shared with derived contexts, gone
   * with the context.
   *
   * @param key The owner's private key.
   * @param create Makes the value on first use.
   * @returns The value stored under `key`.
   */
  local<T>(key: symbol | object, create: () => T): T {
    const locals = this.#shared.locals ??= new Map();
    if (!locals.has(key)) locals.set(key, create());
    return locals.get(key) as T;
  }

  /**
   * Per-VU state owned by a module, e.g. `k6/http`'s connections: kept
   * across the VU's iterations when the runner gave the context the VU's
   * store, else scoped like {@link Context.local}.
   *
   * @param key The owner's private key.
   * @param create Makes the value on first use.
   * @returns The value stored under `key`.
   */
  vuLocal<T>(key: symbol | object, create: () => T): T {
    const store = this.#shared.vuLocals;
    if (store === undefined) return this.local(key, create);
    if (!store.has(key)) store.set(key, create());
    return store.get(key) as T;
  }

  /**
   * Derives the context of a `group()` body: same shared state, group path
   * extended, `group` tag updated when that system tag is enabled.
   *
   * @param name The group name.
   * @returns The child context.
   */
  withGroup(name: string): Context {
    const group = `${this.group}::${name}`;
    const tags = this.options.systemTags.has("group")
      ? Object.freeze({ ...this.tags, group })
      : this.tags;
    return this.#derive(tags, group);
  }

  /**
   * Derives a context with extra base tags (same shared state).
   *
   * @param tags Tags to add or replace.
   * @returns The child context.
   */
  withTags(tags: Tags): Context {
    return this.#derive(Object.freeze({ ...this.tags, ...tags }), this.group);
  }

  /**
   * Derives a context whose events go through another queue (same shared
   * state, tags and group): the loop of a `ws.connect()` call.
   *
   * @ignore Internal to the socket modules.
   * @param queue The queue.
   * @returns The child context.
   */
  withEventQueue(queue: EventQueue | undefined): Context {
    const child = this.#derive(this.tags, this.group);
    child.#queue = queue;
    return child;
  }

  #derive(tags: Tags, group: string): Context {
    const child = new Context({ tags, group, parent: this });
    child.#queue = this.#queue;
    return child;
  }

  /**
   * Runs a function with this context as the current one.
   *
   * @param fn The function.
   * @returns What `fn` returns.
   */
  run<T>(fn: () => T): T {
    return storage.getStore() === this ? fn() : storage.run(this, fn);
  }
}

function reportToConsole(error: unknown): void {
  console.error("Uncaught error in a WebSocket listener or timer:", error);
}

// Module-level because the default context is: `addSampleListener()` is a
// public function with no context argument, and the listeners serve every
// piece of code that runs outside a context (library use, outside
// `wsload run`). Only the default context's sink reads them.
const sampleListeners = new Set<SampleSink>();

/** The context used when no other is active: samples go to sample listeners. */
export const defaultContext: Context = new Context({
  sink(sample) {
    for (const listener of sampleListeners) listener(sample);
  },
  options: DEFAULT_OPTIONS,
});

/**
 * The context the calling code runs in, or {@link defaultContext}.
 *
 * @returns The current context.
 */
export function currentContext(): Context {
  return storage.getStore() ?? defaultContext;
}

/**
 * Listens to every sample emitted in the default context (code running
 * outside `wsload run`).
 *
 * @param listener Called with each sample; must not throw.
 * @returns A function that removes the listener.
 *
 * @example Count WebSocket sessions of a script
 * ```ts
 * import { addSampleListener } from "./context.ts";
 *
 * let sessions = 0;
 * const stop = addSampleListener((sample) => {
 *   if (sample.metric.name === "ws_sessions") sessions += sample.value;
 * });
 * // ... open sockets ...
 * stop();
 * ```
 */
export function addSampleListener(listener: SampleSink): () => void {
  sampleListeners.add(listener);
  return () => sampleListeners.delete(listener);
}
