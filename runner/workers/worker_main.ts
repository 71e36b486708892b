/**
 * The entry point of a `wsload run` worker process (started by
 * `spawn.ts`, sandboxed unless `--no-sandbox`): connects a
 * {@link ScriptWorker} to the IPC channel of its coordinator. The only
 * place of the worker side that touches `process`.
 *
 * @module
 */
import process from "node:process";
import { onUnhandledRejection } from "../../internal/unhandled_rejections.ts";
import type { FromWorker, ToWorker } from "./protocol.ts";
import { ScriptWorker } from "./worker.ts";

if (typeof process.send !== "function") {
  throw new Error(
    "runner/workers/worker_main is started by wsload run, with an IPC channel",
  );
}
const send = process.send.bind(process);
const worker = new ScriptWorker({
  send(message: FromWorker) {
    // A closed channel means the coordinator is gone; "disconnect" ends us.
    if (process.connected) send(message);
  },
});
onUnhandledRejection((reason) => worker.rejection(reason));
// Deno sets up its signal handling on the first listener, with a pipe; a
// worker whose VUs later hold every descriptor it may open would then
// panic ("Too many open files") instead of failing the dials. A listener
// of a signal that changes nothing sets it up now.
process.on("SIGWINCH", () => {});
process.on("message", (message: ToWorker) => {
  if (message.type === "exit") {
    process.exit(0);
  }
  worker.handle(message).catch((error) => {
    // A failure of wsload itself, not of the script: the coordinator sees
    // the worker stop and reports it.
    process.stderr.write(
      `wsload worker: ${(error as Error)?.stack ?? String(error)}\n`,
    );
    process.exit(70);
  });
});
// The coordinator exited (or was killed): nothing is left to run for.
process.on("disconnect", () => process.exit(0));
