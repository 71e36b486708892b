/**
 * Metrics: k6's metric types, the built-in WebSocket and execution metrics,
 * samples and tags, and the execution context that sockets report into.
 *
 * Outside `wsload run`, samples go to the listeners registered with
 * {@link addSampleListener}.
 *
 * @example Print every WebSocket sample of a script
 * ```ts
 * import { addSampleListener } from "@wsload/wsload/metrics";
 *
 * const stop = addSampleListener((sample) => {
 *   if (sample.metric.name.startsWith("ws_")) {
 *     console.log(sample.metric.name, sample.value, sample.tags);
 *   }
 * });
 * stop();
 * ```
 *
 * @module
 */
export * from "./metric.ts";
export * from "./sample.ts";
export * from "./tags.ts";
export * from "./registry.ts";
export * from "./builtin.ts";
// The execution context lives in context/; this entry point keeps
// exporting it (`@wsload/wsload/metrics` is its public path).
export * from "../context/cancellation.ts";
export * from "../context/context.ts";
