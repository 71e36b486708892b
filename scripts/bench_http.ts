/**
 * Measures HTTP request loops: `k6/http`'s client (its Response, timings,
 * metrics into a metrics engine, cookie jar, per-VU connections) against a
 * bare `node:http` client with a keep-alive agent. N loops each send a GET,
 * read the whole body as text, and send again, for D seconds; each k6/http
 * loop is a VU of its own (its own connection), as are the bare loops
 * through their agent.
 *
 * @module
 */
import { Agent, request as httpRequest } from "node:http";
import process from "node:process";
import { get } from "../http/methods.ts";
import { Context, DEFAULT_OPTIONS } from "../context/context.ts";
import { MetricsEngine } from "../runner/engine/engine.ts";

/** How to load the server. */
export interface HttpBenchOptions {
  /** Concurrent request loops (a positive integer). */
  readonly connections: number;
  /** How long to measure, in seconds (positive). */
  readonly seconds: number;
}

/** What a run measured. */
export interface HttpBenchResult {
  /** Responses read during the measured window, over all loops. */
  readonly requests: number;
  /** The measured window's length, in seconds. */
  readonly seconds: number;
  /** CPU time (user + system) of this process in that window, in seconds. */
  readonly cpuSeconds: number;
}

type Send = (loop: number) => Promise<void>;
/** Runs a loop's body in the loop's surroundings (a VU's context). */
type Enter = (loop: number, body: () => Promise<void>) => Promise<void>;

const bare: Enter = (_loop, body) => body();

async function measure(
  loops: number,
  seconds: number,
  send: Send,
  enter: Enter = bare,
): Promise<HttpBenchResult> {
  if (!Number.isInteger(loops) || loops < 1) {
    throw new RangeError(
      `connections must be a positive integer, got ${loops}`,
    );
  }
  if (!(seconds > 0)) {
    throw new RangeError(`seconds must be a positive number, got ${seconds}`);
  }
  // One request each first: the connections are open before the window.
  await Promise.all(
    Array.from({ length: loops }, (_, loop) => enter(loop, () => send(loop))),
  );
  let measuring = true;
  let requests = 0;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const running = Array.from(
    { length: loops },
    (_, loop) =>
      enter(loop, async () => {
        while (measuring) {
          await send(loop);
          if (measuring) requests++;
        }
      }),
  );
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  measuring = false;
  const elapsed = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  await Promise.all(running);
  return {
    requests,
    seconds: elapsed,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

/**
 * Request loops through a bare `node:http` client (a keep-alive agent).
 *
 * @param url The URL to GET.
 * @param options Loops and duration.
 * @returns Responses, window and CPU time.
 * @throws {RangeError} For a bad loop count or duration.
 *
 * @example A 0.2 s run against the embedded HTTP server
 * ```ts
 * import { benchBareHttp } from "./bench_http.ts";
 * import { startHttpServer } from "../server/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const server = await startHttpServer({ record: false });
 * const result = await benchBareHttp(`${server.url}/api/json?a=1`, {
 *   connections: 2,
 *   seconds: 0.2,
 * });
 * assert.ok(result.requests > 0);
 * await server.close();
 * ```
 */
export async function benchBareHttp(
  url: string,
  options: HttpBenchOptions,
): Promise<HttpBenchResult> {
  const agent = new Agent({ keepAlive: true });
  const target = new URL(url);
  const send: Send = () =>
    new Promise((resolve, reject) => {
      const request = httpRequest({
        hostname: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        agent,
      }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          Buffer.concat(chunks).toString("utf8");
          resolve();
        });
        response.on("error", reject);
      });
      request.on("error", reject);
      request.end();
    });
  try {
    return await measure(options.connections, options.seconds, send);
  } finally {
    agent.destroy();
  }
}

/**
 * Request loops through `k6/http`'s `get()`, each loop a VU of its own (in
 * one iteration), the samples going into a metrics engine as under
 * `wsload run`.
 *
 * @param url The URL to GET.
 * @param options Loops and duration.
 * @returns Responses, window and CPU time.
 * @throws {RangeError} For a bad loop count or duration.
 * @throws {Error} (as a rejection) When a request fails.
 *
 * @example A 0.2 s run against the embedded HTTP server
 * ```ts
 * import { benchK6Http } from "./bench_http.ts";
 * import { startHttpServer } from "../server/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const server = await startHttpServer({ record: false });
 * const result = await benchK6Http(`${server.url}/api/json?a=1`, {
 *   connections: 2,
 *   seconds: 0.2,
 * });
 * assert.ok(result.requests > 0);
 * await server.close();
 * ```
 */
export function benchK6Http(
  url: string,
  options: HttpBenchOptions,
): Promise<HttpBenchResult> {
  const engine = new MetricsEngine();
  // Each loop is a VU in one long iteration, entered once as the runner
  // enters an iteration: what an iteration itself costs is the runner's
  // (part b), not the HTTP client's.
  const vus = Array.from({ length: options.connections }, () =>
    new Context({
      tags: Object.freeze({ group: "", scenario: "default" }),
      sink: engine.ingest,
      options: DEFAULT_OPTIONS,
      vuLocals: new Map(),
    }));
  const send: Send = async () => {
    const res = await get(url);
    if (res.error !== "") throw new Error(`request failed: ${res.error}`);
  };
  const enter: Enter = (loop, body) => vus[loop].run(body);
  return measure(options.connections, options.seconds, send, enter);
}
