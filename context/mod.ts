/**
 * The execution context of the code a VU runs: its tags and group, where
 * its samples go, the work that keeps its iteration alive, and its event
 * loop (k6's one-thing-at-a-time VU, for VUs sharing one thread). Sockets,
 * timers, checks and HTTP requests report into the context they were
 * created in; the runner makes one per iteration.
 *
 * The public path of the context is `@wsload/wsload/metrics`; this folder
 * sits below the runner and the modules, and above `metrics/` (the
 * context imports metrics; metrics' files do not import the context).
 *
 * @example Collect the samples of code run in a context
 * ```ts
 * import { Context, currentContext } from "./mod.ts";
 * import { WS_SESSIONS } from "../metrics/builtin.ts";
 * import assert from "node:assert/strict";
 *
 * const values: number[] = [];
 * const context = new Context({ sink: (sample) => values.push(sample.value) });
 * context.run(() => currentContext().emit(WS_SESSIONS, 1));
 * assert.deepEqual(values, [1]);
 * ```
 *
 * @module
 */
export * from "./cancellation.ts";
export * from "./context.ts";
export * from "./event_queue.ts";
