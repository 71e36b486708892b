/**
 * Helpers of the `k6/websockets` suites: an execution context that records
 * what a socket reports (samples, errors, warnings), iterations that must
 * end, and an event log.
 *
 * @module
 */
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import {
  Context,
  type ContextOptions,
  DEFAULT_OPTIONS,
} from "../context/context.ts";
import type { Sample } from "../metrics/sample.ts";
import type { Tags } from "../metrics/tags.ts";
import { startServer, type TestServer } from "../server/mod.ts";
import type { TransportName } from "../transport/transport.ts";
import { WebSocket, type WebSocketParams } from "../websockets/mod.ts";

/** The transports of this runtime: `native` exists only under Deno. */
export const TRANSPORTS: readonly TransportName[] = typeof Deno !== "undefined"
  ? ["native", "ws"]
  : ["ws"];

/** The system tags k6's tests run with. */
export const TEST_SYSTEM_TAGS: ReadonlySet<string> = new Set([
  "url",
  "proto",
  "status",
  "subproto",
]);

/**
 * Registers one `it` per transport, named `<name> [<transport>]`.
 *
 * @param transports The transports to run on (default: the runtime's).
 */
export function eachTransport(
  name: string,
  test: (transport: TransportName) => Promise<void> | void,
  transports: readonly TransportName[] = TRANSPORTS,
): void {
  for (const transport of transports) {
    it(`${name} [${transport}]`, () => test(transport));
  }
}

/** The embedded server of a suite (see {@link useServer}). */
export interface SuiteServer {
  /** The running server (only inside tests). */
  readonly server: TestServer;
  /** The server's `ws://` URL of a path. */
  url(path: string): string;
  /** A socket to a path of the server, on `transport`. */
  open(
    path: string,
    transport: TransportName,
    params?: WebSocketParams,
    protocols?: string | string[] | null,
  ): WebSocket;
}

/** Starts the embedded server before the suite's tests and closes it after. */
export function useServer(): SuiteServer {
  let server: TestServer | undefined;
  before(async () => {
    server = await startServer();
  });
  after(() => server?.close());
  const suite: SuiteServer = {
    get server() {
      assert.ok(server, "the server runs only inside tests");
      return server;
    },
    url: (path) => `${suite.server.url}${path}`,
    open: (path, transport, params = {}, protocols = null) =>
      new WebSocket(suite.url(path), protocols, { ...params, transport }),
  };
  return suite;
}

/** How long an iteration may take before a test calls it a hang. */
const ITERATION_TIMEOUT_MS = 10_000;

/** A context that records everything, like a k6 test's VU. */
export class Run {
  readonly samples: Sample[] = [];
  /** Exceptions reported by listeners, in order. */
  readonly errors: unknown[] = [];
  readonly warnings: string[] = [];
  readonly controller: AbortController = new AbortController();
  readonly context: Context;

  /**
   * @param options Overrides of the context options (k6's test defaults:
   * the system tags url, proto, status, subproto).
   * @param onError Also called with each reported exception.
   * @param group The group the context runs in (`""`: the root).
   */
  constructor(
    options: Partial<ContextOptions> = {},
    onError?: (error: unknown) => void,
    group = "",
  ) {
    const root = new Context({
      sink: (sample) => this.samples.push(sample),
      options: {
        ...DEFAULT_OPTIONS,
        systemTags: TEST_SYSTEM_TAGS,
        ...options,
      },
      signal: this.controller.signal,
      logger: {
        warn: (message) => this.warnings.push(message),
        error: (message) => this.warnings.push(`error: ${message}`),
      },
      onError: (error) => {
        this.errors.push(error);
        onError?.(error);
      },
    });
    this.context = group === "" ? root : root.withGroup(group);
  }

  /**
   * Runs `body` as an iteration: inside the context, then waits until the
   * iteration's pending work (its sockets) is done.
   *
   * @param body Creates sockets.
   * @throws {assert.AssertionError} If the iteration does not end in time.
   */
  async iterate<T>(body: () => T): Promise<T> {
    const result = this.context.run(body);
    await this.idle();
    return result;
  }

  /** Waits for the pending work to end, failing the test on a hang. */
  async idle(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(resolve, ITERATION_TIMEOUT_MS, "timeout");
    });
    const outcome = await Promise.race([this.context.pending.idle(), timeout]);
    clearTimeout(timer);
    assert.notEqual(
      outcome,
      "timeout",
      `the iteration did not end: ${this.context.pending.size} pending`,
    );
  }

  /** The samples of a metric (and URL, when given). */
  of(metric: string, url?: string): Sample[] {
    return this.samples.filter((sample) =>
      sample.metric.name === metric &&
      (url === undefined || sample.tags.url === url)
    );
  }

  /** The number of samples of a metric (and URL). */
  count(metric: string, url?: string): number {
    return this.of(metric, url).length;
  }

  /** The tags of every `ws_*` sample. */
  get wsTags(): Tags[] {
    return this.samples.filter((sample) => sample.metric.name.startsWith("ws_"))
      .map((sample) => sample.tags);
  }

  /**
   * k6's "session metrics OK": at least one `ws_connecting`, `ws_sessions`
   * and `ws_session_duration` for `url`, each with status 101, the given
   * subprotocol and no group.
   */
  assertSessionMetrics(url: string, subprotocol = ""): void {
    for (
      const metric of ["ws_connecting", "ws_sessions", "ws_session_duration"]
    ) {
      const samples = this.of(metric, url);
      assert.ok(samples.length > 0, `no ${metric} sample for ${url}`);
      for (const { tags } of samples) {
        assert.equal(tags.status, "101", `${metric} status`);
        assert.equal(tags.subproto, subprotocol, `${metric} subproto`);
        assert.equal(tags.group ?? "", "", `${metric} group`);
      }
    }
  }
}

/** One observed event, reduced to what tests compare. */
export type LoggedEvent =
  | { readonly type: "open" | "ping" | "pong"; readonly readyState: number }
  | {
    readonly type: "message";
    readonly data: unknown;
    readonly readyState: number;
  }
  | {
    readonly type: "error";
    readonly error: string;
    readonly readyState: number;
  }
  | {
    readonly type: "close";
    readonly code: number | undefined;
    readonly reason: string;
    readonly wasClean: boolean;
    readonly readyState: number;
  };

/**
 * Asserts the WHATWG sequence of a connection failed by `close()` while
 * connecting: `error` (`websocket: closed while connecting`), then `close`
 * with 1006.
 *
 * @param log The socket's events.
 */
export function assertClosedWhileConnecting(
  log: readonly LoggedEvent[],
): void {
  assert.deepEqual(log, [
    {
      type: "error",
      error: "websocket: closed while connecting",
      readyState: 3,
    },
    {
      type: "close",
      code: 1006,
      reason: "",
      wasClean: false,
      readyState: 3,
    },
  ]);
}

/**
 * Records every event of a socket through `addEventListener`, so the
 * socket's on-slots stay free for the test. `ping`/`pong` are recorded only
 * when asked: listening to them makes an automatic socket use the `ws`
 * transport.
 *
 * @returns The log, filled as events arrive.
 */
export function logEvents(
  ws: WebSocket,
  { controlFrames = false }: { controlFrames?: boolean } = {},
): LoggedEvent[] {
  const log: LoggedEvent[] = [];
  const simple = controlFrames
    ? (["open", "ping", "pong"] as const)
    : (["open"] as const);
  for (const type of simple) {
    ws.addEventListener(
      type,
      () => log.push({ type, readyState: ws.readyState }),
    );
  }
  ws.addEventListener(
    "message",
    (event) =>
      log.push({
        type: "message",
        data: event.data,
        readyState: ws.readyState,
      }),
  );
  ws.addEventListener(
    "error",
    (event) =>
      log.push({
        type: "error",
        error: event.error,
        readyState: ws.readyState,
      }),
  );
  ws.addEventListener("close", (event) =>
    log.push({
      type: "close",
      code: event.code,
      reason: event.reason,
      wasClean: event.wasClean,
      readyState: ws.readyState,
    }));
  return log;
}

/** The types of logged events, in order. */
export function types(log: readonly LoggedEvent[]): string[] {
  return log.map((event) => event.type);
}

/** Resolves after `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
