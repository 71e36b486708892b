/**
 * The runtime-neutral contract between fixtures (what a route does) and
 * carriers (who speaks the WebSocket protocol for it: Deno's server, the `ws`
 * package, or the hand-written raw peer).
 *
 * @module
 */

import { Buffer } from "node:buffer";
import type { CloseFrameRecord, MessageRecord, PongRecord } from "./server.ts";

/**
 * Who carries a connection: `"deno"` (Deno.upgradeWebSocket), `"ws"` (the
 * `ws` package's server) or `"raw"` (our own RFC 6455 code over the socket).
 */
export type Carrier = "deno" | "ws" | "raw";

/** What a fixture can do with one accepted WebSocket, whatever carries it. */
export interface FixtureSocket {
  /** Sends a text (string) or binary (bytes) message; ignored once closing. */
  send(data: string | Uint8Array): void;
  /** Sends a ping (not on the "deno" carrier). */
  ping(payload: string): void;
  /** Starts the closing handshake; no code means an empty close frame. */
  close(code?: number, reason?: string): void;
  /**
   * Closes the TCP connection without a close frame once everything written
   * so far is flushed (not on the "deno" carrier).
   */
  drop(): void;
  /** Bytes written and not yet handed to the kernel. */
  readonly bufferedAmount: number;
  /** Ends the connection at once, discarding whatever is still queued. */
  abort(): void;
}

/** A fixture's reactions to what the client does. All optional. */
export interface FixtureHandlers {
  message?(data: string | Uint8Array): void;
  pong?(payload: string): void;
  /** The connection is gone (after a close handshake or not). Called once. */
  end?(): void;
}

/**
 * A fixture: called once the connection is open, returns its handlers.
 *
 * @param socket The connection.
 * @returns Handlers for later events, if any.
 */
export type Fixture = (socket: FixtureSocket) => FixtureHandlers | void;

/** What a carrier reports about a connection. */
export interface SessionEvents {
  message(data: string | Uint8Array): void;
  pong(payload: Uint8Array): void;
  /** A close frame arrived from the client (`code` undefined: no status). */
  closeFrame(code: number | undefined, reason: string): void;
  end(): void;
}

/** Everything a carrier needs to accept one upgrade request. */
export interface UpgradePlan {
  /** Carriers able to reproduce this fixture's wire behaviour, preferred first. */
  readonly carriers: readonly Carrier[];
  /** Subprotocol to answer with, if any. */
  readonly protocol: string | undefined;
  /** Extra headers for the 101 response. */
  readonly headers: Readonly<Record<string, string>>;
  /** Whether to negotiate permessage-deflate (needs the "ws" carrier). */
  readonly compression: boolean;
  /**
   * Starts the fixture on the opened connection.
   *
   * @param socket The connection.
   * @returns Where the carrier reports what happens next.
   */
  open(socket: FixtureSocket): SessionEvents;
}

/** An upgrade the front door pipes to a {@linkcode ProxiedCarrier}. */
export interface ProxiedUpgrade {
  /** What to answer and run. */
  readonly plan: UpgradePlan;
  /** Ends the client's connection at once (the carrier cannot). */
  readonly abort: () => void;
}

/**
 * A carrier that runs its own server on a private loopback port (Deno's);
 * the front door pipes upgrade requests to it.
 */
export interface ProxiedCarrier {
  /** The private loopback port. */
  readonly port: number;
  /** Shuts it down (after the front door ended its connections). */
  close(): Promise<void>;
}

/** Where sessions log what clients sent. */
export interface Recorder {
  readonly closeFrames: CloseFrameRecord[];
  readonly pongs: PongRecord[];
  readonly messages: MessageRecord[];
}

const lenientDecoder = new TextDecoder();

/**
 * Runs a fixture on an open connection, logging what the client sends into
 * the recorder before the fixture sees it. What the fixture sends is
 * bounded by `maxQueuedBytes` (see {@linkcode boundSendQueue}).
 *
 * @param path The request path (logged with every record).
 * @param recorder The server's logs.
 * @param connection The connection.
 * @param fixture The fixture.
 * @param maxQueuedBytes The most bytes that may wait to be written to it.
 * @returns The events the carrier must report.
 */
export function openSession(
  path: string,
  recorder: Recorder,
  connection: FixtureSocket,
  fixture: Fixture,
  maxQueuedBytes: number,
): SessionEvents {
  const { socket, release, received } = boundSendQueue(
    connection,
    maxQueuedBytes,
  );
  // A fixture bug closes its connection with 1011 instead of crashing the
  // process from inside a carrier's event callback.
  const guarded = (run: () => void) => {
    try {
      run();
    } catch (error) {
      // ASCII only, so that 120 characters fit the 123-byte reason limit.
      const reason = `Fixture failed: ${String(error)}`
        .replace(/[^\x20-\x7e]/g, "?").slice(0, 120);
      try {
        socket.close(1011, reason);
      } catch {
        // The carrier is already closing.
      }
    }
  };
  let handlers: FixtureHandlers = {};
  guarded(() => handlers = fixture(socket) ?? {});
  let ended = false;
  return {
    message(data) {
      received(typeof data === "string" ? data.length : data.byteLength);
      const copy = typeof data === "string" ? data : new Uint8Array(data);
      recorder.messages.push({ path, data: copy });
      guarded(() => handlers.message?.(copy));
    },
    pong(payload) {
      const text = lenientDecoder.decode(payload);
      recorder.pongs.push({ path, payload: text });
      guarded(() => handlers.pong?.(text));
    },
    closeFrame(code, reason) {
      recorder.closeFrames.push({ path, code, reason });
    },
    end() {
      if (ended) return;
      ended = true;
      release();
      guarded(() => handlers.end?.());
    },
  };
}

/** The close reason of a connection dropped for reading too slowly. */
export const SLOW_READER_REASON =
  "send queue full: the client reads too slowly";
/**
 * How much a slow reader may still send after its close 1008, in multiples
 * of the queue bound, before it is aborted without grace (its own send
 * buffers may hold that much written before it noticed).
 */
export const FLOOD_FACTOR = 4;
/** How long a dropped slow reader gets to read its close frame. */
const SLOW_READER_GRACE_MS = 1000;

/**
 * Wraps a connection so that what waits to be written to it stays under
 * `maxQueuedBytes`: a send that would go over (into a non-empty queue) is
 * not made; the connection is sent close 1008 ({@linkcode
 * SLOW_READER_REASON}) and aborted a second later, which frees its queue.
 * Later sends are ignored. Once what it sends meanwhile reaches
 * {@linkcode FLOOD_FACTOR} times `maxQueuedBytes`, it is aborted at once: a client that floods without reading costs the
 * server a bounded amount whatever the grace period, while one that was
 * only slow still gets its close frame.
 *
 * @param socket The connection.
 * @param maxQueuedBytes The bound, in bytes.
 * @returns The bounded connection, `release` to call once it ended, and
 * `received` to call with the size of each incoming message.
 */
export function boundSendQueue(
  socket: FixtureSocket,
  maxQueuedBytes: number,
): {
  socket: FixtureSocket;
  release: () => void;
  received: (bytes: number) => void;
} {
  let overflowed = false;
  let receivedSinceOverflow = 0;
  let abortTimer: ReturnType<typeof setTimeout> | undefined;
  const bounded: FixtureSocket = {
    send(data) {
      if (overflowed) return;
      const queued = socket.bufferedAmount;
      const size = typeof data === "string"
        ? Buffer.byteLength(data)
        : data.byteLength;
      if (queued > 0 && queued + size > maxQueuedBytes) {
        overflowed = true;
        socket.close(1008, SLOW_READER_REASON);
        abortTimer = setTimeout(() => socket.abort(), SLOW_READER_GRACE_MS);
        return;
      }
      socket.send(data);
    },
    ping: (payload) => socket.ping(payload),
    close: (code, reason) => socket.close(code, reason),
    drop: () => socket.drop(),
    get bufferedAmount() {
      return socket.bufferedAmount;
    },
    abort: () => socket.abort(),
  };
  const received = (bytes: number): void => {
    if (!overflowed) return;
    receivedSinceOverflow += bytes;
    if (receivedSinceOverflow >= FLOOD_FACTOR * maxQueuedBytes) {
      clearTimeout(abortTimer);
      socket.abort();
    }
  };
  return { socket: bounded, release: () => clearTimeout(abortTimer), received };
}
