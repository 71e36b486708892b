/**
 * The Go (`syscall.Errno`) texts of Node system errors, as k6 prints file
 * errors.
 *
 * @module
 */

const SYSTEM_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "is a directory",
  ENOTDIR: "not a directory",
  EROFS: "read-only file system",
  ENOSPC: "no space left on device",
  EEXIST: "file exists",
};

/**
 * The Go (`syscall.Errno`) text of a Node system error.
 *
 * @param error The error.
 * @returns The text.
 */
export function systemErrorText(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" && SYSTEM_ERRORS[code]
    ? SYSTEM_ERRORS[code]
    : (error as Error)?.message ?? String(error);
}
