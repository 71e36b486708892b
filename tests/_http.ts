/**
 * Helpers of the HTTP client suites: the test servers (plain and TLS) and a
 * VU-like execution context that collects what the client emits and logs.
 *
 * @module
 */
import { after, before } from "node:test";
import {
  Context,
  type ContextOptions,
  DEFAULT_OPTIONS,
} from "../context/context.ts";
import type { Sample } from "../metrics/sample.ts";
import {
  type HttpServerOptions,
  type HttpTestServer,
  startHttpServer,
} from "../server/mod.ts";
import { tlsFixtures } from "./_tls.ts";

/** Starts a plain and a TLS test server before the suite, stops them after. */
export function useHttpServers(
  options: HttpServerOptions = {},
): { plain: HttpTestServer; tls: HttpTestServer } {
  const servers = {} as { plain: HttpTestServer; tls: HttpTestServer };
  before(async () => {
    const { cert, key, ca } = tlsFixtures();
    servers.plain = await startHttpServer(options);
    servers.tls = await startHttpServer({
      ...options,
      tls: { cert, key, clientCA: ca },
    });
  });
  after(async () => {
    await servers.plain?.close();
    await servers.tls?.close();
  });
  return servers;
}

/** A VU: its iterations share connections and per-VU state. */
export class TestVU {
  /** Every sample emitted, in order. */
  readonly samples: Sample[] = [];
  /** Every warning logged (message and fields). */
  readonly warnings: string[] = [];
  readonly #locals = new Map<symbol | object, unknown>();
  readonly #options: ContextOptions;

  /**
   * Creates the VU.
   *
   * @param options Context options on top of the defaults.
   */
  constructor(options: Partial<ContextOptions> = {}) {
    this.#options = { ...DEFAULT_OPTIONS, ...options };
  }

  /**
   * A new iteration's context (fresh cookie jar, same connections).
   *
   * @param signal Aborts the iteration.
   * @returns The context.
   */
  iteration(signal?: AbortSignal): Context {
    return new Context({
      tags: Object.freeze({ group: "", scenario: "default" }),
      sink: (sample) => this.samples.push(sample),
      options: this.#options,
      vuLocals: this.#locals,
      signal,
      logger: {
        warn: (message, fields) =>
          this.warnings.push(
            fields === undefined
              ? message
              : `${message} ${JSON.stringify(fields)}`,
          ),
        error: (message) => this.warnings.push(`ERROR ${message}`),
      },
    });
  }

  /**
   * Runs a function in a new iteration and waits for its pending work.
   *
   * @param fn The iteration's code.
   * @returns What it returned.
   */
  async run<T>(fn: () => Promise<T> | T): Promise<T> {
    const context = this.iteration();
    const result = await context.run(fn);
    await context.pending.idle();
    return result;
  }

  /**
   * The samples of a metric.
   *
   * @param name The metric name.
   * @returns Its samples.
   */
  samplesOf(name: string): Sample[] {
    return this.samples.filter((sample) => sample.metric.name === name);
  }
}
