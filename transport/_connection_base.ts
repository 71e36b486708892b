/**
 * What the transports' connections have in common: the report state, the
 * queue of pending writes, and the rules for writes that cannot happen and
 * for a dial given up or failed before it began. Each adapter extends it
 * and says how it drops a dial under way.
 *
 * @module
 */
import { CLOSE_SENT, CLOSED_WHILE_CONNECTING } from "./close_text.ts";
import { NOT_CONNECTED } from "./_error_text.ts";
import { WriteQueue, type Written } from "./_write_queue.ts";
import type { CloseInfo, ConnectionHandler } from "./transport.ts";

/** The handshake runs. */
export const CONNECTING = 0;
/** Reports flow. */
export const OPEN = 1;
/** `onClose` was reported (or is about to be): nothing else will be. */
export const DONE = 2;

/** setTimeout's largest delay: longer timeouts are not armed (wait forever). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The base of every transport's connection; see the module doc. */
export abstract class ConnectionBase {
  /** {@link CONNECTING}, {@link OPEN} or {@link DONE}. */
  protected state: number = CONNECTING;
  /** Who hears the reports. */
  protected readonly handler: ConnectionHandler;
  /** Writes whose completion is still to be reported, in order. */
  protected readonly writes: WriteQueue = new WriteQueue();
  /** The handshake or close timeout, when armed. */
  protected timer: ReturnType<typeof setTimeout> | undefined;
  /** The close frame's callback, when it is reported with the end. */
  protected closeWritten: Written | undefined;

  /**
   * @param handler Who hears the reports.
   */
  constructor(handler: ConnectionHandler) {
    this.handler = handler;
  }

  /** Drops a dial under way, the adapter's own way (no report). */
  protected abstract dropDial(): void;

  /** Reports a write refused because the connection is not open (later). */
  protected refuseWrite(written: Written | undefined): void {
    if (written === undefined) return;
    const text = this.state === CONNECTING ? NOT_CONNECTED : CLOSE_SENT;
    queueMicrotask(() => written(text));
  }

  /** Gives up the dial at once: the write (if any) and the dial fail. */
  protected abortDial(written: Written | undefined): void {
    this.state = DONE;
    clearTimeout(this.timer);
    this.dropDial();
    queueMicrotask(() => {
      written?.(CLOSED_WHILE_CONNECTING);
      this.handler.onClose({
        kind: "dial",
        error: CLOSED_WHILE_CONNECTING,
        response: undefined,
      });
    });
  }

  /** A dial that could not even start: reported after the caller's turn. */
  protected deferDialFailure(error: string): void {
    this.state = DONE;
    queueMicrotask(() =>
      this.handler.onClose({ kind: "dial", error, response: undefined })
    );
  }

  /**
   * Ends the connection: every pending write fails with `error` (or
   * succeeds, when `error` is undefined), the close frame's callback gets
   * the same, and `onClose` reports `info`.
   *
   * @param info The end to report.
   * @param error What pending writes fail with; `undefined`: they went out.
   * @param settled Hears each pending write's amount as it is settled.
   */
  protected end(
    info: CloseInfo,
    error: string | undefined,
    settled?: (amount: number) => void,
  ): void {
    this.state = DONE;
    clearTimeout(this.timer);
    const writes = this.writes;
    while (writes.size > 0) {
      settled?.(writes.firstAmount);
      writes.shift()?.(error);
    }
    this.closeWritten?.(info.kind === "frame" ? undefined : error);
    this.handler.onClose(info);
  }
}
