/**
 * `k6/ws` as scripts see it: `connect()` blocks the VU until the socket
 * closed and returns the handshake response (wsload awaits it for the
 * script). The library (`@wsload/wsload/ws`) returns a promise instead.
 *
 * @module
 */
import type { CookieJar } from "../http/index.js";

/** Opens a socket, runs `callback` with it, returns once it closed. */
export function connect(url: string, callback: Executor): Response;
export function connect(
  url: string,
  params: Params | null,
  callback: Executor,
): Response;

/** Options of `connect()`. */
export interface Params {
  headers?: { [name: string]: string };
  compression?: string;
  tags?: { [name: string]: string };
  jar?: CookieJar;
}

/** The callback of `connect()`. */
export interface Executor {
  (socket: Socket): void;
}

/** The handshake response. */
export interface Response {
  url: string;
  status: number;
  headers: { [name: string]: string };
  body: string;
  error: string;
}

/** The socket passed to the `connect()` callback. */
export abstract class Socket {
  close(code?: number): void;
  on<ET extends EventType>(event: ET, handler: EventHandler<ET>): void;
  ping(): void;
  send(data: string): void;
  sendBinary(data: ArrayBuffer): void;
  setInterval(handler: TimerHandler, interval: number): void;
  setTimeout(handler: TimerHandler, delay: number): void;
}

/** The events of a socket. */
export type EventType =
  | "close"
  | "error"
  | "message"
  | "open"
  | "ping"
  | "pong"
  | "binaryMessage";

/** A socket timer's callback. */
export interface TimerHandler {
  (): void;
}

/** The handler type of an event. */
export type EventHandler<ET extends EventType> = ET extends "close"
  ? CloseEventHandler
  : ET extends "error" ? ErrorEventHandler
  : ET extends "message" ? MessageEventHandler
  : ET extends "binaryMessage" ? BinaryMessageEventHandler
  : ET extends "open" ? OpenEventHandler
  : ET extends "ping" ? PingEventHandler
  : ET extends "pong" ? PongEventHandler
  : never;

export interface CloseEventHandler {
  (code: number): void;
}
export interface ErrorEventHandler {
  (error: WebSocketError): void;
}
export interface MessageEventHandler {
  (message: string): void;
}
export interface BinaryMessageEventHandler {
  (message: ArrayBuffer): void;
}
export interface OpenEventHandler {
  (): void;
}
export interface PingEventHandler {
  (): void;
}
export interface PongEventHandler {
  (): void;
}

/** The argument of `error` handlers. */
export abstract class WebSocketError {
  error(): string;
}

export * as default from "./index.js";
