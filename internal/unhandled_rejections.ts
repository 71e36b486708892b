/**
 * Promise rejections nobody handled, caught for the whole process: Deno
 * ends the process on one unless the web `unhandledrejection` event is
 * cancelled, Node unless a process listener exists. k6 logs a script's
 * unhandled rejections and goes on; so do the CLI and the worker
 * processes of `wsload run`.
 *
 * @module
 */
import process from "node:process";

/**
 * Calls `handler` for every promise rejection nobody handled, instead of
 * the runtime ending the process.
 *
 * @param handler Receives the rejection's reason.
 * @returns A function that stops listening.
 *
 * @example Log instead of exiting
 * ```ts
 * import { onUnhandledRejection } from "./unhandled_rejections.ts";
 *
 * const stop = onUnhandledRejection((reason) => console.error("unhandled:", reason));
 * stop();
 * ```
 */
export function onUnhandledRejection(
  handler: (reason: unknown) => void,
): () => void {
  const target = globalThis as unknown as Partial<EventTarget>;
  if ("Deno" in globalThis && target.addEventListener) {
    const listener = (event: Event) => {
      event.preventDefault();
      handler((event as PromiseRejectionEvent).reason);
    };
    target.addEventListener("unhandledrejection", listener);
    return () => target.removeEventListener?.("unhandledrejection", listener);
  }
  const listener = (reason: unknown) => handler(reason);
  process.on("unhandledRejection", listener);
  return () => void process.off("unhandledRejection", listener);
}
