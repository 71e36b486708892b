/** Globals of a k6 script under `wsload run`. */
export {};

declare global {
  /** Reads a file in the init context (text, or bytes with `"b"`). */
  function open(filePath: string): string;
  function open(filePath: string, mode: "b"): ArrayBuffer;
  /** Environment variables (`-e NAME=value` and the process environment). */
  var __ENV: { [name: string]: string };
  /** The VU number (0 in setup and teardown). */
  var __VU: number;
  /** The VU's iteration number, from 0. */
  var __ITER: number;
}
