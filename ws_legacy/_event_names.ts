/**
 * The events a k6/ws socket fires, and the warning for a handler added to
 * any other name (k6 accepts it silently, so a typo like `"mesage"` would
 * never fire and never tell).
 *
 * @module
 */
import { currentContext } from "../context/context.ts";

/** The events `Socket.on()` can hear. */
export const SOCKET_EVENTS: readonly string[] = Object.freeze([
  "open",
  "message",
  "binaryMessage",
  "ping",
  "pong",
  "close",
  "error",
]);

const known = new Set(SOCKET_EVENTS);
const warned = new Set<string>();

/**
 * Warns once per process about a handler for an event no socket fires;
 * the handler is still added, as k6 does.
 *
 * @param event The event name given to `Socket.on()`.
 */
export function checkEventName(event: string): void {
  if (known.has(event) || warned.has(event)) return;
  warned.add(event);
  currentContext().warn(
    `Socket.on(): no socket fires an event named ${
      JSON.stringify(event)
    }, so its handler never runs; the events are ${SOCKET_EVENTS.join(", ")}`,
  );
}
