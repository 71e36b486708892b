/**
 * What `handleSummary()` returned, checked as k6 checks it (a map of
 * targets, `stdout`, `stderr` or a file path, to a string or an
 * `ArrayBuffer`; a falsy result means k6's default summary), and writing
 * it: the checks run in the worker that called it, the writes in the
 * coordinator, which may write files.
 *
 * @module
 */
import { writeFile } from "node:fs/promises";
import { systemErrorText } from "./_go.ts";
import type { RunLog } from "./log.ts";

/** The checked result of `handleSummary()`. */
export type SummaryFiles =
  /** `files` absent: the default summary (a falsy result). */
  | {
    readonly kind: "ok";
    readonly files?: readonly (readonly [string, string | ArrayBuffer])[];
  }
  /** Nothing is written; the message is logged. */
  | { readonly kind: "invalid"; readonly message: string };

/**
 * Checks what `handleSummary()` returned.
 *
 * @param value Its return value.
 * @returns The targets and contents, or why there are none.
 *
 * @example
 * ```ts
 * import { summaryFiles } from "./summary_files.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(summaryFiles({ stdout: "done\n" }), {
 *   kind: "ok",
 *   files: [["stdout", "done\n"]],
 * });
 * assert.deepEqual(summaryFiles(null), { kind: "ok" });
 * assert.equal(summaryFiles("text").kind, "invalid");
 * ```
 */
export function summaryFiles(value: unknown): SummaryFiles {
  if (!value) return { kind: "ok" };
  if (typeof value !== "object" || Array.isArray(value)) {
    return {
      kind: "invalid",
      message: "handleSummary() should return a map with string keys",
    };
  }
  const files: [string, string | ArrayBuffer][] = [];
  for (const [target, content] of Object.entries(value)) {
    if (typeof content === "string" || content instanceof ArrayBuffer) {
      files.push([target, content]);
    } else {
      return {
        kind: "invalid",
        message:
          `handleSummary() returned an unsupported value for '${target}': expected a string or an ArrayBuffer`,
      };
    }
  }
  return { kind: "ok", files };
}

/** Where summary files go. */
export interface SummaryWriter {
  /** The run's stdout. */
  readonly stdout: (text: string) => void;
  /** The run's stderr. */
  readonly stderr: (text: string) => void;
  /** The run log (a file that cannot be written is an error). */
  readonly log: RunLog;
  /** Called when a file could not be written (the run fails). */
  readonly failed: () => void;
}

/**
 * Writes the summary's targets: `stdout`, `stderr`, or files.
 *
 * @param files Targets and contents.
 * @param to The streams, the log and the failure callback.
 * @returns When every file is written (or failed).
 */
export async function writeSummaryFiles(
  files: readonly (readonly [string, string | ArrayBuffer])[],
  to: SummaryWriter,
): Promise<void> {
  const text = (value: string | ArrayBuffer) =>
    typeof value === "string" ? value : new TextDecoder().decode(value);
  for (const [target, value] of files) {
    if (target === "stdout") to.stdout(text(value));
    else if (target === "stderr") to.stderr(text(value));
    else {
      try {
        await writeFile(
          target,
          typeof value === "string" ? value : new Uint8Array(value),
        );
      } catch (error) {
        to.log.log(
          "error",
          `could not write the summary to '${target}': ${
            systemErrorText(error)
          }`,
        );
        to.failed();
      }
    }
  }
}
