/**
 * `k6/websockets` as scripts see it (`k6/experimental/websockets` is the
 * same module).
 *
 * @module
 */
import type { CookieJar } from "../http/index.js";

/** A WebSocket (the standard API plus k6's `ping()` and ping/pong events). */
export class WebSocket {
  readonly url: string;
  readonly readyState: ReadyState;
  readonly bufferedAmount: number;
  binaryType: BinaryType;
  constructor(url: string, protocols?: null, params?: Params | null);
  send(data: string | ArrayBuffer | Blob | ArrayBufferView): void;
  addEventListener(
    event: EventName,
    listener: (event: MessageEvent | ErrorEvent) => void,
  ): void;
  close(code?: number, reason?: string): void;
  ping(): void;
  onmessage: (event?: MessageEvent) => void;
  onopen: () => void;
  onclose: () => void;
  onerror: (event?: ErrorEvent) => void;
  onping: () => void;
  onpong: () => void;
  static readonly CONNECTING: 0;
  static readonly OPEN: 1;
  static readonly CLOSING: 2;
  static readonly CLOSED: 3;
  readonly CONNECTING: 0;
  readonly OPEN: 1;
  readonly CLOSING: 2;
  readonly CLOSED: 3;
}

/** A part of a Blob. */
export type BlobPart = ArrayBuffer | ArrayBufferView | Blob | string;

/** Options of the Blob constructor. */
export interface BlobOptions {
  type?: string | undefined;
}

/** k6's Blob (a platform Blob under wsload). */
export class Blob {
  readonly type: string;
  readonly size: number;
  constructor(blobParts?: BlobPart[], options?: BlobOptions);
  arrayBuffer(): Promise<ArrayBuffer>;
  bytes(): Promise<Uint8Array>;
  slice(start?: number, end?: number): Blob;
  stream(): ReadableStream;
  text(): Promise<string>;
}

/** Options of the constructor. */
export interface Params {
  headers?: Record<string, string>;
  compression?: CompressionAlgorithm;
  tags?: Record<string, number | string | boolean>;
  jar?: CookieJar;
}

export type ReadyState = 0 | 1 | 2 | 3;
export type BinaryType = "blob" | "arraybuffer";
export type EventName =
  | "open"
  | "close"
  | "error"
  | "message"
  | "ping"
  | "pong";

/** A `message` event. */
export interface MessageEvent {
  data: string | ArrayBuffer | Blob;
  type: EventName;
  timestamp: number;
}

/** An `error` event. */
export interface ErrorEvent {
  type: EventName;
  error: string;
  timestamp: number;
}

export type CompressionAlgorithm = "deflate";
