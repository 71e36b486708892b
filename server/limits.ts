/**
 * {@linkcode ServerLimits}: what one client may cost a server.
 *
 * @module
 */

/**
 * What one client may cost the server, so that no client (a slow reader, a
 * flood, a half-sent request) can exhaust it. A connection over a limit is
 * ended; the others go on.
 */
export interface ServerLimits {
  /**
   * The largest message a client may send, in bytes; a larger one ends its
   * connection with close code 1009 (Message Too Big). The "deno" carrier
   * keeps Deno's own limit (64 MiB).
   * @default {16 MiB}
   */
  readonly maxMessageBytes?: number;
  /**
   * The most bytes waiting to be written to one client (its own echoes,
   * chat messages of others, a relay partner's messages). A client that
   * reads more slowly than that fills up is sent close code 1008 (Policy
   * Violation, reason `send queue full: the client reads too slowly`) and
   * its connection is dropped 1 s later whether or not it read it; what was
   * queued for it is freed. One message is always accepted into an empty
   * queue, whatever its size.
   * @default {16 MiB}
   */
  readonly maxQueuedBytes?: number;
  /**
   * How long a client may take from connecting (TLS handshake included) to
   * the end of its request head; then it gets `408 Request Timeout` and is
   * disconnected.
   * @default {10000}
   */
  readonly headerTimeoutMs?: number;
}

/** The {@linkcode ServerLimits} every server has unless told otherwise. */
export const DEFAULT_SERVER_LIMITS: Required<ServerLimits> = Object.freeze({
  maxMessageBytes: 16 * 1024 * 1024,
  maxQueuedBytes: 16 * 1024 * 1024,
  headerTimeoutMs: 10_000,
});

/**
 * Checks limits and fills in the defaults.
 *
 * @param limits The limits given, if any.
 * @returns Every limit.
 * @throws {TypeError} When `limits` is not an object or has an unknown key.
 * @throws {RangeError} When a limit is not a positive integer.
 */
export function validateLimits(
  limits: ServerLimits | undefined,
): Required<ServerLimits> {
  if (limits === undefined) return DEFAULT_SERVER_LIMITS;
  if (typeof limits !== "object" || limits === null) {
    throw new TypeError("Option limits must be an object");
  }
  const checked: { -readonly [K in keyof ServerLimits]-?: number } = {
    ...DEFAULT_SERVER_LIMITS,
  };
  for (
    const key of Object.keys(DEFAULT_SERVER_LIMITS) as (keyof ServerLimits)[]
  ) {
    const value = limits[key];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(
        `Option limits.${key} must be a positive integer, got ${String(value)}`,
      );
    }
    checked[key] = value;
  }
  for (const key of Object.keys(limits)) {
    if (!(key in DEFAULT_SERVER_LIMITS)) {
      throw new TypeError(
        `Unknown option limits.${key}; known: ${
          Object.keys(DEFAULT_SERVER_LIMITS).join(", ")
        }`,
      );
    }
  }
  return Object.freeze(checked);
}
