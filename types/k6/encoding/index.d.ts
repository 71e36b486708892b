/** `k6/encoding`: base64. @module */
export function b64decode(input: string, encoding?: Base64Variant): ArrayBuffer;
export function b64decode(
  input: string,
  encoding: Base64Variant,
  format: "s",
): string;
export function b64encode(
  input: string | ArrayBuffer,
  encoding?: Base64Variant,
): string;
export type Base64Variant = "std" | "rawstd" | "url" | "rawurl";
export * as default from "./index.js";
