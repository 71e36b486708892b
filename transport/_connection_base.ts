/**
 * What the transports' connections have in common: the report state, the
 * queue of pending writes, the order of writes (a Blob's bytes are read
 * before it goes out, and later writes wait for them, as ws's sender keeps
 * order), and the rules for writes that cannot happen and for a dial given
 * up or failed before it began. Each adapter extends it with how it writes
 * and how it drops a dial under way.
 *
 * @module
 */
import { CLOSE_SENT, CLOSED_WHILE_CONNECTING } from "./close_text.ts";
import { NOT_CONNECTED } from "./_error_text.ts";
import { utf8Length } from "./wire_size.ts";
import { WriteQueue, type Written } from "./_write_queue.ts";
import type { CloseInfo, ConnectionHandler } from "./transport.ts";

/** The handshake runs. */
export const CONNECTING = 0;
/** Reports flow. */
export const OPEN = 1;
/** `onClose` was reported (or is about to be): nothing else will be. */
export const DONE = 2;

/** setTimeout's largest delay: longer timeouts are not armed (wait forever). */
export { MAX_TIMER_MS } from "../internal/long_timer.ts";

/** A write that waits for a Blob queued before it. */
type HeldWrite =
  | {
    readonly kind: "data";
    readonly data: string | Uint8Array | Blob;
    readonly written: Written | undefined;
  }
  | {
    readonly kind: "ping";
    readonly payload: Uint8Array;
    readonly written: Written | undefined;
  }
  | {
    readonly kind: "close";
    readonly code: number | undefined;
    readonly reason: string;
    readonly written: Written | undefined;
  };

function byteSize(data: string | Uint8Array | Blob): number {
  return typeof data === "string"
    ? utf8Length(data)
    : data instanceof Uint8Array
    ? data.byteLength
    : data.size;
}

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
  /** Writes waiting behind a Blob being read; `undefined` when none waits. */
  #held: HeldWrite[] | undefined;
  /** Payload bytes of the held writes. */
  #heldBytes = 0;

  /**
   * @param handler Who hears the reports.
   */
  constructor(handler: ConnectionHandler) {
    this.handler = handler;
  }

  /** Drops a dial under way, the adapter's own way (no report). */
  protected abstract dropDial(): void;

  /** Writes a data frame now (text for a string). */
  protected abstract writeData(
    data: string | Uint8Array,
    written: Written | undefined,
  ): void;

  /** Writes a ping now. */
  protected abstract writePing(
    payload: Uint8Array,
    written: Written | undefined,
  ): void;

  /** Writes a close frame now (or gives up the dial while connecting). */
  protected abstract writeClose(
    code: number | undefined,
    reason: string,
    written: Written | undefined,
  ): void;

  /** Payload bytes written to the adapter and not yet on the wire. */
  protected abstract get unsentBytes(): number;

  /** Payload bytes passed to `send` and not yet written. */
  get bufferedAmount(): number {
    return this.unsentBytes + this.#heldBytes;
  }

  /**
   * Sends a data frame: text for a string, binary for bytes or a Blob
   * (whose bytes are read first; later writes wait for them). Only while
   * open.
   *
   * @param data The payload.
   * @param written Called once the frame was written (with an error text
   * if it was not).
   */
  send(data: string | Uint8Array | Blob, written?: Written): void {
    if (
      this.#held === undefined &&
      (typeof data === "string" || data instanceof Uint8Array)
    ) {
      this.writeData(data, written);
      return;
    }
    this.#hold({ kind: "data", data, written });
  }

  /**
   * Sends a ping, after the writes queued before it. Only while open.
   *
   * @param payload The payload (≤ 125 bytes).
   * @param written Called once the frame was written.
   */
  ping(payload: Uint8Array, written?: Written): void {
    if (this.#held === undefined) this.writePing(payload, written);
    else this.#hold({ kind: "ping", payload, written });
  }

  /**
   * Starts the closing handshake after the writes queued before it; while
   * connecting, gives up the dial at once.
   *
   * @param code The close code; `undefined` sends a frame without code.
   * @param reason The reason (≤ 123 UTF-8 bytes).
   * @param written Called once the close frame was written.
   */
  close(code?: number, reason = "", written?: Written): void {
    if (this.#held === undefined || this.state !== OPEN) {
      this.writeClose(code, reason, written);
    } else {
      this.#hold({ kind: "close", code, reason, written });
    }
  }

  #hold(write: HeldWrite): void {
    if (write.kind === "data") this.#heldBytes += byteSize(write.data);
    if (this.#held !== undefined) {
      this.#held.push(write);
      return;
    }
    this.#held = [write];
    this.#release();
  }

  /** Writes the held writes in order, reading each Blob's bytes first. */
  #release(): void {
    const held = this.#held;
    if (held === undefined) return;
    while (held.length > 0) {
      const write = held[0];
      if (write.kind === "data" && write.data instanceof Blob) {
        const blob = write.data;
        blob.arrayBuffer().then((buffer) => {
          if (this.#held !== held) return;
          held[0] = { ...write, data: new Uint8Array(buffer) };
          this.#heldBytes += buffer.byteLength - blob.size;
          this.#release();
        }, (error) => {
          // An unreadable Blob fails its own write only.
          if (this.#held !== held) return;
          held.shift();
          this.#heldBytes -= blob.size;
          write.written?.(`reading the Blob failed: ${String(error)}`);
          this.#release();
        });
        return;
      }
      held.shift();
      switch (write.kind) {
        case "data":
          this.#heldBytes -= byteSize(write.data);
          this.writeData(write.data as string | Uint8Array, write.written);
          break;
        case "ping":
          this.writePing(write.payload, write.written);
          break;
        case "close":
          this.writeClose(write.code, write.reason, write.written);
          break;
      }
    }
    this.#held = undefined;
  }

  /** Hears the amount of each pending write {@link end} settles. */
  protected settle(_amount: number): void {}

  /** Reports a write refused because the connection is not open (later). */
  protected refuseWrite(written: Written | undefined): void {
    if (written === undefined) return;
    const text = this.state === CONNECTING ? NOT_CONNECTED : CLOSE_SENT;
    queueMicrotask(() => written(text));
  }

  /**
   * Clears the dial's timer and lets it go: an open socket would keep the
   * cleared `Timeout` (128 bytes under Node) for as long as it lives.
   */
  protected stopTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Gives up the dial at once: the write (if any) and the dial fail. */
  protected abortDial(written: Written | undefined): void {
    this.state = DONE;
    this.stopTimer();
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
   */
  protected end(info: CloseInfo, error: string | undefined): void {
    this.state = DONE;
    this.stopTimer();
    const held = this.#held ?? [];
    this.#held = undefined;
    this.#heldBytes = 0;
    const writes = this.writes;
    while (writes.size > 0) {
      this.settle(writes.firstAmount);
      writes.shift()?.(error);
    }
    // Writes still held behind a Blob never went out.
    for (const write of held) write.written?.(error ?? CLOSE_SENT);
    this.closeWritten?.(info.kind === "frame" ? undefined : error);
    this.handler.onClose(info);
  }
}
