/**
 * Execution of a test's scenarios: the scheduler that runs k6's six
 * executors over a shared pool of VUs, and its contract with the runner
 * (VU creation, iterations, metrics, live progress).
 *
 * @example Run a constant-vus scenario for one second
 * ```ts
 * import { Scheduler } from "./mod.ts";
 * import { consolidateOptions } from "../options/mod.ts";
 * import { setTimeout } from "node:timers/promises";
 * import assert from "node:assert/strict";
 *
 * const options = consolidateOptions({ script: { vus: 2, duration: "1s" } });
 * const scheduler = new Scheduler(options, {
 *   initVU: (id) => Promise.resolve(id),
 *   runIteration: async (_vu, _info, signal) => {
 *     await setTimeout(100, undefined, { signal }).catch(() => {});
 *     return signal.aborted ? "interrupted" : "completed";
 *   },
 * });
 * const result = await scheduler.run();
 * assert.ok(result.completedIterations >= 10);
 * ```
 *
 * @module
 */
export * from "./types.ts";
export * from "./scheduler.ts";
