/**
 * A hand-written server side of RFC 6455 over a `node:net` socket, for the
 * fixtures whose wire behaviour neither Deno's server nor `ws` reproduces
 * (mainly: answering a client's close frame with the same code and an EMPTY
 * reason, as gorilla/websocket servers — k6's test servers — do).
 *
 * @module
 */

import type { Socket } from "node:net";
import type { FixtureSocket, SessionEvents } from "./_fixture.ts";
import {
  acceptKey,
  type RequestHead,
  writeSwitchingProtocols,
} from "./_http.ts";
import {
  decodeClosePayload,
  decodeUtf8,
  encodeClosePayload,
  encodeFrame,
  type Frame,
  FrameDecoder,
  Opcode,
  utf8,
} from "./_frames.ts";

const DEFAULT_MAX_PAYLOAD = 64 * 1024 * 1024;

/** Events for connections nobody records (the misbehaving servers). */
export const IGNORED_EVENTS: SessionEvents = {
  message() {},
  pong() {},
  closeFrame() {},
  end() {},
};

/**
 * The server end of one WebSocket connection, after the 101 was written.
 *
 * Behaves like a gorilla/websocket server with its default handlers: answers
 * pings with pongs, answers a close frame with one carrying the same code and
 * an empty reason (an empty one when the client's had no code), then closes
 * TCP. Protocol violations are answered with close 1002 (1007 for bad UTF-8,
 * 1009 for oversized messages).
 */
export class RawWebSocket implements FixtureSocket {
  #socket: Socket;
  #decoder: FrameDecoder;
  #maxPayload: number;
  #events: SessionEvents = IGNORED_EVENTS;
  #fragments: Uint8Array[] = [];
  #fragmentsLength = 0;
  #fragmentOpcode = 0;
  #closeSent = false;
  #closeReceived = false;
  #finished = false;

  /**
   * @param socket The upgraded connection.
   * @param maxPayload Largest message accepted from the client, in bytes.
   */
  constructor(socket: Socket, maxPayload: number = DEFAULT_MAX_PAYLOAD) {
    this.#socket = socket;
    this.#maxPayload = maxPayload;
    this.#decoder = new FrameDecoder(maxPayload);
  }

  /**
   * Starts reading frames.
   *
   * @param events Where to report what the client does.
   * @param rest Bytes that arrived together with the request head.
   */
  start(events: SessionEvents, rest: Uint8Array): void {
    this.#events = events;
    this.#socket.on("data", (chunk: Uint8Array) => this.#receive(chunk));
    this.#socket.on("close", () => events.end());
    if (rest.byteLength > 0) this.#receive(rest);
    this.#socket.resume();
  }

  send(data: string | Uint8Array): void {
    if (typeof data === "string") this.#write(Opcode.text, utf8(data));
    else this.#write(Opcode.binary, data);
  }

  ping(payload: string): void {
    this.#write(Opcode.ping, utf8(payload));
  }

  close(code?: number, reason?: string): void {
    if (this.#closeSent || this.#finished) return;
    this.#write(Opcode.close, encodeClosePayload(code, reason));
    this.#closeSent = true;
    if (this.#closeReceived) this.#finish();
  }

  drop(): void {
    this.#finish();
  }

  get bufferedAmount(): number {
    return this.#socket.writableLength;
  }

  abort(): void {
    this.#finished = true;
    this.#socket.destroy();
  }

  /** Sends an RST (after flushing what was written) instead of a FIN. */
  reset(): void {
    if (this.#finished) return;
    this.#finished = true;
    const socket = this.#socket;
    socket.write(new Uint8Array(0), () => {
      if (socket.destroyed) return;
      try {
        socket.resetAndDestroy();
      } catch {
        // Over TLS the handle is not a TCP one and cannot be reset.
        socket.destroy();
      }
    });
  }

  #write(opcode: number, payload: Uint8Array): void {
    if (this.#closeSent || this.#finished) return;
    this.#socket.write(encodeFrame({ opcode, payload }));
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#socket.end(() => this.#socket.destroy());
  }

  #receive(chunk: Uint8Array): void {
    if (this.#finished || this.#closeReceived) return;
    let frames: Frame[];
    try {
      frames = this.#decoder.push(chunk);
    } catch {
      this.#fail(1009, "message too big");
      return;
    }
    for (const frame of frames) {
      this.#handle(frame);
      if (this.#finished || this.#closeReceived) return;
    }
  }

  #handle(frame: Frame): void {
    if (!frame.masked) return this.#fail(1002, "client frame not masked");
    if (frame.rsv !== 0) return this.#fail(1002, "unexpected reserved bits");
    if (frame.opcode >= Opcode.close) {
      if (!frame.fin || frame.payload.byteLength > 125) {
        return this.#fail(1002, "invalid control frame");
      }
    }
    switch (frame.opcode) {
      case Opcode.ping:
        return this.#write(Opcode.pong, frame.payload);
      case Opcode.pong:
        return this.#events.pong(frame.payload);
      case Opcode.close:
        return this.#receiveClose(frame.payload);
      case Opcode.text:
      case Opcode.binary:
        if (this.#fragmentOpcode !== 0) {
          return this.#fail(1002, "expected a continuation frame");
        }
        this.#fragmentOpcode = frame.opcode;
        return this.#appendFragment(frame);
      case Opcode.continuation:
        if (this.#fragmentOpcode === 0) {
          return this.#fail(1002, "unexpected continuation frame");
        }
        return this.#appendFragment(frame);
      default:
        return this.#fail(1002, `unknown opcode ${frame.opcode}`);
    }
  }

  #appendFragment(frame: Frame): void {
    this.#fragments.push(frame.payload);
    this.#fragmentsLength += frame.payload.byteLength;
    if (this.#fragmentsLength > this.#maxPayload) {
      return this.#fail(1009, "message too big");
    }
    if (!frame.fin) return;
    const message = new Uint8Array(this.#fragmentsLength);
    let offset = 0;
    for (const fragment of this.#fragments) {
      message.set(fragment, offset);
      offset += fragment.byteLength;
    }
    const opcode = this.#fragmentOpcode;
    this.#fragments = [];
    this.#fragmentsLength = 0;
    this.#fragmentOpcode = 0;
    if (opcode === Opcode.binary) return this.#events.message(message);
    const text = decodeUtf8(message);
    if (text === undefined) return this.#fail(1007, "invalid UTF-8 in text");
    this.#events.message(text);
  }

  #receiveClose(payload: Uint8Array): void {
    const close = decodeClosePayload(payload);
    if (close === undefined) return this.#fail(1002, "invalid close payload");
    this.#closeReceived = true;
    this.#events.closeFrame(close.code, close.reason);
    if (close.code !== undefined && !isValidCloseCode(close.code)) {
      return this.#fail(1002, `bad close code ${close.code}`);
    }
    if (!this.#closeSent) {
      this.#write(Opcode.close, encodeClosePayload(close.code));
      this.#closeSent = true;
    }
    this.#finish();
  }

  #fail(code: number, reason: string): void {
    if (!this.#closeSent && !this.#finished) {
      this.#write(Opcode.close, encodeClosePayload(code, reason));
      this.#closeSent = true;
    }
    this.#finish();
  }
}

/**
 * Answers a (validated) upgrade request with a 101 and wraps the connection.
 * Call {@linkcode RawWebSocket.start} to begin reading.
 *
 * @param socket The connection, paused after its request head.
 * @param head The request head.
 * @param headers Extra 101 headers (subprotocol, fixture headers).
 * @param maxPayload Largest message accepted from the client, in bytes.
 * @returns The connection's server end.
 */
export function upgradeRaw(
  socket: Socket,
  head: RequestHead,
  headers: Readonly<Record<string, string>>,
  maxPayload?: number,
): RawWebSocket {
  writeSwitchingProtocols(
    socket,
    acceptKey(head.headers["sec-websocket-key"] ?? ""),
    headers,
  );
  return new RawWebSocket(socket, maxPayload);
}

/**
 * Whether a code may appear in a received close frame (RFC 6455 §7.4).
 *
 * @param code The close code.
 * @returns `true` for 1000–1003, 1007–1014 and 3000–4999.
 */
export function isValidCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
    (code >= 3000 && code <= 4999);
}
