/**
 * The coordinator's side of the worker processes of `wsload run`: starts
 * them, routes their messages (replies to whoever waits for them, reports
 * and log lines to the run), keeps each one's latest progress and
 * counters, sends each the others' counters (for `k6/execution`'s
 * `instance`), notices a worker that stops unexpectedly, and stops them all.
 * The run's lifecycle (`runner/lifecycle.ts`) drives it.
 *
 * @module
 */
import type { RunProgress } from "../execution/types.ts";
import { mergeProgress } from "./_progress.ts";
import type {
  Counters,
  FromWorker,
  ToWorker,
  WorkerReport,
  WorkerSettings,
} from "./protocol.ts";
import { NO_COUNTERS, REPORT_INTERVAL_MS } from "./protocol.ts";
import { SampleDecoder } from "./samples.ts";
import type { SpawnRequest, SpawnWorker, WorkerProcess } from "./spawn.ts";

/** A reply the lifecycle waits for. */
export type Reply = Exclude<
  FromWorker,
  { type: "report" | "log" | "warnOnce" | "control" }
>;

/** What the pool tells the run. */
export interface PoolEvents {
  /** A worker's report (after the pool kept its progress and counters). */
  report(report: WorkerReport, decoder: SampleDecoder): void;
  /** A log line of a worker (`console`: the script's console). */
  log(target: "log" | "console", line: string): void;
  /** A warning that the run shows once per key. */
  warnOnce(key: string, message: string): void;
  /** `exec.test.abort()`/`fail()` or a stop with a script error in a worker. */
  control(action: "abort" | "fail" | "scriptError", reason?: string): void;
  /** A worker stopped without being told to. */
  crashed(worker: WorkerHandle, description: string): void;
}

/** A worker that stopped unexpectedly: what its pending replies reject with. */
export class WorkerCrashed extends Error {
  /**
   * Creates the error.
   *
   * @param description How it stopped.
   */
  constructor(description: string) {
    super(description);
    this.name = "WorkerCrashed";
  }
}

interface Waiter {
  readonly types: readonly Reply["type"][];
  resolve(reply: Reply): void;
  reject(error: Error): void;
}

/** One worker process, as the coordinator tracks it. */
export class WorkerHandle {
  /** Its number (`-1` for a host started only for the lifecycle). */
  readonly index: number;
  /** Whether it hosts the lifecycle. */
  readonly host: boolean;
  /** Decodes its sample batches. */
  readonly decoder: SampleDecoder = new SampleDecoder();
  /** Its latest progress. */
  progress: RunProgress | undefined;
  /** Its latest counters. */
  counters: Counters = NO_COUNTERS;
  readonly #process: WorkerProcess;
  readonly #waiters: Waiter[] = [];
  // Replies nobody waited for yet, in arrival order.
  readonly #unclaimed: Reply[] = [];
  #gone: string | undefined;
  #leaving = false;
  readonly #exited: Promise<void>;
  #markExited!: () => void;

  /**
   * Wraps a started process.
   *
   * @param process The process.
   * @param settings What it was started as.
   */
  constructor(process: WorkerProcess, settings: WorkerSettings) {
    this.#process = process;
    this.index = settings.index;
    this.host = settings.host;
    this.#exited = new Promise((resolve) => this.#markExited = resolve);
  }

  /** Whether it still runs. */
  get alive(): boolean {
    return this.#gone === undefined;
  }

  /**
   * Sends a message.
   *
   * @param message The message.
   */
  send(message: ToWorker): void {
    if (this.alive) this.#process.send(message);
  }

  /**
   * Sends a message and waits for the reply of one of the given types.
   *
   * @param message The message.
   * @param types The replies that answer it.
   * @returns The reply.
   * @throws {WorkerCrashed} When the worker stops first.
   */
  request<T extends Reply["type"]>(
    message: ToWorker,
    ...types: T[]
  ): Promise<Extract<Reply, { type: T }>> {
    const reply = this.expect(...types);
    this.send(message);
    return reply;
  }

  /**
   * Waits for the next reply of one of the given types.
   *
   * @param types The replies.
   * @returns The reply.
   * @throws {WorkerCrashed} When the worker stops first.
   */
  expect<T extends Reply["type"]>(
    ...types: T[]
  ): Promise<Extract<Reply, { type: T }>> {
    const waiting = this.#unclaimed.findIndex((reply) =>
      (types as string[]).includes(reply.type)
    );
    if (waiting >= 0) {
      return Promise.resolve(
        this.#unclaimed.splice(waiting, 1)[0] as Extract<Reply, { type: T }>,
      );
    }
    if (this.#gone !== undefined) {
      return Promise.reject(new WorkerCrashed(this.#gone));
    }
    return new Promise((resolve, reject) => {
      this.#waiters.push({
        types,
        resolve: resolve as (reply: Reply) => void,
        reject,
      });
    });
  }

  /** @internal Hands a reply to the first one waiting for its type. */
  answer(reply: Reply): void {
    const index = this.#waiters.findIndex((w) => w.types.includes(reply.type));
    if (index >= 0) this.#waiters.splice(index, 1)[0].resolve(reply);
    else this.#unclaimed.push(reply);
  }

  /** @internal The process ended; returns whether that was unexpected. */
  ended(description: string): boolean {
    this.#gone = description;
    for (const waiter of this.#waiters.splice(0)) {
      waiter.reject(new WorkerCrashed(description));
    }
    this.#markExited();
    return !this.#leaving;
  }

  /**
   * Tells the worker to exit.
   *
   * @param graceMs Kill it when it has not exited after this long.
   * @returns When it exited.
   */
  async exit(graceMs: number): Promise<void> {
    this.#leaving = true;
    if (!this.alive) return;
    this.#process.send({ type: "exit" });
    const timer = setTimeout(() => this.#process.kill(), graceMs);
    await this.#exited;
    clearTimeout(timer);
  }

  /** Kills it at once. */
  kill(): void {
    this.#leaving = true;
    this.#process.kill();
  }
}

/** The worker processes of one run. */
export class WorkerPool {
  readonly #spawn: SpawnWorker;
  readonly #request: SpawnRequest;
  readonly #events: PoolEvents;
  readonly #workers: WorkerHandle[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;

  /**
   * Creates an empty pool.
   *
   * @param spawn Starts a process.
   * @param request The sandbox, reads, environment and output streams of
   * every worker.
   * @param events Where reports, log lines and failures go.
   */
  constructor(spawn: SpawnWorker, request: SpawnRequest, events: PoolEvents) {
    this.#spawn = spawn;
    this.#request = request;
    this.#events = events;
  }

  /** The workers started so far. */
  get workers(): readonly WorkerHandle[] {
    return this.#workers;
  }

  /**
   * Starts a worker and sends it its settings (it answers `loaded` or
   * `failed`).
   *
   * @param settings What it is.
   * @returns Its handle.
   */
  start(settings: WorkerSettings): WorkerHandle {
    const process = this.#spawn(this.#request);
    const worker = new WorkerHandle(process, settings);
    this.#workers.push(worker);
    process.onMessage((message) => this.#receive(worker, message));
    process.onExit((code, signal) => {
      const description = `worker ${settings.index} stopped unexpectedly (${
        signal === null ? `exit code ${code}` : `killed by ${signal}`
      })`;
      if (worker.ended(description)) {
        this.#events.crashed(worker, description);
      }
    });
    worker.send({ type: "load", settings });
    return worker;
  }

  #receive(worker: WorkerHandle, message: FromWorker): void {
    switch (message.type) {
      case "report":
        if (message.report.progress) worker.progress = message.report.progress;
        worker.counters = message.report.counters;
        this.#events.report(message.report, worker.decoder);
        return;
      case "log":
        return this.#events.log(message.target, message.line);
      case "warnOnce":
        return this.#events.warnOnce(message.key, message.message);
      case "control":
        return this.#events.control(message.action, message.reason);
      default:
        worker.answer(message);
    }
  }

  /**
   * Sends a message to every running worker.
   *
   * @param message The message.
   */
  broadcast(message: ToWorker): void {
    for (const worker of this.#workers) worker.send(message);
  }

  /** The counters of all workers together. */
  counters(): Counters {
    const total = { ...NO_COUNTERS };
    for (const { counters } of this.#workers) {
      total.completedIterations += counters.completedIterations;
      total.interruptedIterations += counters.interruptedIterations;
      total.activeVUs += counters.activeVUs;
      total.initializedVUs += counters.initializedVUs;
    }
    return total;
  }

  /**
   * The run's progress from the workers' latest.
   *
   * @param order The scenario names in start order.
   * @returns The merged progress.
   */
  progress(order: readonly string[]): RunProgress {
    return mergeProgress(
      this.#workers.flatMap((worker) => worker.progress ?? []),
      order,
    );
  }

  /** Starts sending each worker the others' counters, as often as reports come. */
  shareCounters(): void {
    this.#timer ??= setInterval(() => {
      const total = this.counters();
      for (const worker of this.#workers) {
        const own = worker.counters;
        worker.send({
          type: "totals",
          others: {
            completedIterations: total.completedIterations -
              own.completedIterations,
            interruptedIterations: total.interruptedIterations -
              own.interruptedIterations,
            activeVUs: total.activeVUs - own.activeVUs,
            initializedVUs: total.initializedVUs - own.initializedVUs,
          },
        });
      }
    }, REPORT_INTERVAL_MS);
  }

  /**
   * Tells every worker to exit and waits for them.
   *
   * @param graceMs Kill a worker that has not exited after this long.
   */
  async close(graceMs = 5000): Promise<void> {
    clearInterval(this.#timer);
    await Promise.all(this.#workers.map((worker) => worker.exit(graceMs)));
  }

  /** Kills every worker at once (a second Ctrl+C). */
  kill(): void {
    clearInterval(this.#timer);
    for (const worker of this.#workers) worker.kill();
  }
}
