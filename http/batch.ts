/**
 * `http.batch()`: several requests in parallel, within k6's `batch` and
 * `batchPerHost` limits.
 *
 * @module
 */
import { currentContext } from "../context/context.ts";
import { request } from "./client.ts";
import type { Response } from "./response.ts";
import { HttpURL } from "./url.ts";

/** One request of a batch, as k6 takes it. */
export type BatchRequest =
  | string
  | HttpURL
  | readonly [
    method: string,
    url: string | HttpURL,
    body?: unknown,
    params?: unknown,
  ]
  | {
    readonly method?: string;
    readonly url: string | HttpURL;
    readonly body?: unknown;
    readonly params?: unknown;
  };

interface ParsedBatchRequest {
  readonly method: string;
  readonly url: unknown;
  readonly body: unknown;
  readonly params: unknown;
}

function parseBatchRequest(key: string, value: unknown): ParsedBatchRequest {
  if (Array.isArray(value)) {
    if (value.length < 2) {
      throw new TypeError(`invalid batch request '${JSON.stringify(value)}'`);
    }
    if (typeof value[0] !== "string") {
      throw new TypeError(`invalid method type '${JSON.stringify(value[0])}'`);
    }
    return {
      method: value[0],
      url: value[1],
      body: value[2],
      params: value[3],
    };
  }
  if (
    typeof value === "object" && value !== null && !(value instanceof HttpURL)
  ) {
    const object = value as Record<string, unknown>;
    if (!("url" in object)) {
      throw new TypeError(`batch request ${key} doesn't have a url key`);
    }
    let method = "GET";
    let body = object.body;
    if ("method" in object) {
      if (typeof object.method !== "string") {
        throw new TypeError(
          `invalid method type '${JSON.stringify(object.method)}'`,
        );
      }
      method = object.method.toUpperCase();
      if (method === "GET" || method === "HEAD") body = undefined;
    }
    return { method, url: object.url, body, params: object.params };
  }
  return { method: "GET", url: value, body: undefined, params: undefined };
}

function hostOf(url: unknown): string {
  const text = url instanceof HttpURL ? url.url : String(url);
  try {
    return new URL(text).host;
  } catch {
    return text;
  }
}

/** Runs tasks with at most `limit` at once overall and `perHost` per host. */
async function runLimited(
  tasks: readonly { host: string; run: () => Promise<void> }[],
  limit: number,
  perHost: number,
): Promise<void> {
  const active = new Map<string, number>();
  const waiting = [...tasks];
  let running = 0;
  await new Promise<void>((resolve, reject) => {
    const next = (): void => {
      if (waiting.length === 0 && running === 0) {
        resolve();
        return;
      }
      while (running < limit) {
        const index = waiting.findIndex((task) =>
          perHost <= 0 || (active.get(task.host) ?? 0) < perHost
        );
        if (index < 0) return;
        const [task] = waiting.splice(index, 1);
        running++;
        active.set(task.host, (active.get(task.host) ?? 0) + 1);
        task.run().then(() => {
          running--;
          active.set(task.host, active.get(task.host)! - 1);
          next();
        }, reject);
      }
    };
    next();
  });
}

/**
 * Makes several requests in parallel (k6's `http.batch()`): at most the
 * `batch` option's number at once (default 20), and at most `batchPerHost`
 * per host (default 6; 0 = no limit). Each request is measured and tagged
 * as a single one would be.
 *
 * @param requests An array, or an object by name, of requests: a URL, an
 * array `[method, url, body?, params?]`, or `{ method?, url, body?, params? }`.
 * @returns The responses, in the same shape (array or object by name).
 * @throws {TypeError} When the argument or a request is malformed (k6's
 * texts; with `throw` off a malformed request is logged as `A batch request
 * failed` and the responses made so far come back).
 *
 * @example Fetch two pages at once
 * ```ts
 * import { batch } from "./batch.ts";
 * import type { Response } from "./response.ts";
 * import { startHttpServer } from "../server/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const server = await startHttpServer();
 * const [home, pi] = await batch([
 *   `${server.url}/`,
 *   ["GET", `${server.url}/pi.php?decimals=2`, null, { tags: { page: "pi" } }],
 * ]) as Response[];
 * assert.equal(home.status, 200);
 * assert.equal(pi.body, "3.14");
 * await server.close();
 * ```
 */
export async function batch(
  ...args: unknown[]
): Promise<Response[] | Record<string, Response>> {
  if (args.length === 0) {
    throw new TypeError("no argument was provided to http.batch()");
  }
  if (args.length > 1) {
    throw new TypeError(
      "http.batch() accepts only an array or an object of requests",
    );
  }
  const [requests] = args;
  if (typeof requests !== "object" || requests === null) {
    throw new TypeError(
      `invalid http.batch() argument type ${
        requests === null ? "<nil>" : typeof requests
      }`,
    );
  }
  const context = currentContext();
  const entries = Object.entries(requests as Record<string, unknown>);
  const isArray = Array.isArray(requests);
  const parsed: [string, ParsedBatchRequest][] = [];
  try {
    for (const [key, value] of entries) {
      parsed.push([key, parseBatchRequest(key, value)]);
    }
  } catch (error) {
    if (context.options.throw) throw error;
    context.warn("A batch request failed", {
      error: (error as Error).message,
    });
    return isArray ? [] : {};
  }
  const results = new Map<string, Response>();
  const http = context.options.http ?? {};
  let failure: { error: unknown } | undefined;
  await runLimited(
    parsed.map(([key, item]) => ({
      host: hostOf(item.url),
      run: () =>
        request(item.method, item.url, item.body, item.params).then(
          (response) => void results.set(key, response),
          (error) => void (failure ??= { error }),
        ),
    })),
    http.batch || 20,
    http.batchPerHost ?? 6,
  );
  if (failure !== undefined) throw failure.error;
  if (isArray) return parsed.map(([key]) => results.get(key)!);
  return Object.fromEntries(parsed.map(([key]) => [key, results.get(key)!]));
}
