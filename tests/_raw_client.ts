/**
 * A WebSocket client over a bare TCP socket, for the suites that need a
 * client misbehaving in ways no WebSocket library allows: one that never
 * reads (or reads late), one that sends its request head a byte at a time.
 * It writes masked client frames and parses the server's (unmasked)
 * frames only when asked to.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { connect, type Socket } from "node:net";

/** A frame the server sent. */
export interface ServerFrame {
  readonly opcode: number;
  readonly payload: Buffer;
}

/** The handshake request of `path` (a fixed, valid key). */
export function upgradeRequest(path: string): string {
  return `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n` +
    "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
    "Sec-WebSocket-Version: 13\r\n\r\n";
}

/**
 * Encodes a client frame (FIN set, all-zero mask, so the payload goes as is).
 *
 * @param opcode 1 text, 2 binary, 8 close, …
 * @param payload The payload.
 * @returns The frame.
 */
export function clientFrame(opcode: number, payload: Uint8Array): Buffer {
  const length = payload.byteLength;
  const lengthBytes = length < 126 ? 0 : length < 0x10000 ? 2 : 8;
  const frame = Buffer.alloc(2 + lengthBytes + 4 + length);
  frame[0] = 0x80 | opcode;
  if (lengthBytes === 0) frame[1] = 0x80 | length;
  else if (lengthBytes === 2) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.set(payload, 2 + lengthBytes + 4);
  return frame;
}

/** A raw client connection; see {@link connectRaw}. */
export class RawClient {
  readonly socket: Socket;
  /** Every byte received so far (once reading), head included. */
  #received: Buffer = Buffer.alloc(0);
  #closed: Promise<void>;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on("error", () => {});
    this.#closed = new Promise((resolve) => socket.once("close", resolve));
  }

  /**
   * Connects and (unless `head` is false) sends the upgrade request of
   * `path` and waits for the start of the answer; then stops reading.
   */
  static async connect(
    port: number,
    path: string,
    head = true,
  ): Promise<RawClient> {
    const socket = connect(port, "127.0.0.1");
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const client = new RawClient(socket);
    if (head) {
      socket.write(upgradeRequest(path));
      const first = await new Promise<Buffer>((resolve) =>
        socket.once("data", resolve)
      );
      socket.pause();
      client.#received = first;
    } else {
      socket.pause();
    }
    return client;
  }

  /** Resolves once the connection is closed (by either side). */
  get closed(): Promise<void> {
    return this.#closed;
  }

  /** Whether the connection is closed. */
  get isClosed(): boolean {
    return this.socket.destroyed;
  }

  /**
   * Writes `frame` `count` times, waiting for the socket to drain when its
   * buffer is full; stops early once the connection is closed.
   *
   * @returns How many were written.
   */
  async flood(frame: Uint8Array, count: number): Promise<number> {
    let written = 0;
    while (written < count && !this.socket.destroyed) {
      written++;
      if (!this.socket.write(frame)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            this.socket.off("drain", done);
            this.socket.off("close", done);
            resolve();
          };
          this.socket.once("drain", done);
          this.socket.once("close", done);
        });
      }
    }
    return written;
  }

  /**
   * Reads everything until the connection closes and parses the frames
   * after the HTTP answer.
   *
   * @returns The HTTP answer's head and the frames, in order (a frame cut
   * short by the end of the connection is left out).
   */
  async readToEnd(): Promise<{ head: string; frames: ServerFrame[] }> {
    const chunks: Buffer[] = [this.#received];
    this.socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    this.socket.resume();
    await this.#closed;
    const all = Buffer.concat(chunks);
    const headEnd = all.indexOf("\r\n\r\n");
    const head = all.subarray(0, headEnd < 0 ? all.length : headEnd)
      .toString("latin1");
    return {
      head,
      frames: headEnd < 0 ? [] : parseServerFrames(all.subarray(headEnd + 4)),
    };
  }

  /** Destroys the connection. */
  destroy(): void {
    this.socket.destroy();
  }
}

function parseServerFrames(bytes: Buffer): ServerFrame[] {
  const frames: ServerFrame[] = [];
  let offset = 0;
  while (offset + 2 <= bytes.length) {
    const short = bytes[offset + 1] & 0x7f;
    let length = short;
    let start = offset + 2;
    if (short === 126) {
      if (start + 2 > bytes.length) break;
      length = bytes.readUInt16BE(start);
      start += 2;
    } else if (short === 127) {
      if (start + 8 > bytes.length) break;
      length = Number(bytes.readBigUInt64BE(start));
      start += 8;
    }
    if (start + length > bytes.length) break;
    frames.push({
      opcode: bytes[offset] & 0x0f,
      payload: bytes.subarray(start, start + length),
    });
    offset = start + length;
  }
  return frames;
}

/**
 * The code and reason of a close frame's payload.
 *
 * @param payload The payload.
 * @returns `{ code, reason }`; code `undefined` for an empty payload.
 */
export function closePayload(
  payload: Buffer,
): { code: number | undefined; reason: string } {
  if (payload.length < 2) return { code: undefined, reason: "" };
  return {
    code: payload.readUInt16BE(0),
    reason: payload.subarray(2).toString("utf8"),
  };
}
