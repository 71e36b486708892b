/**
 * One `connect()` call from dial to the end: the handshake and its metrics,
 * the callback, the socket's handlers, timers and close procedure, and the
 * outcome that settles `connect`'s promise. This is k6's `ws.Connect` and
 * its socket loop, driven by the transport's reports instead of a blocking
 * loop.
 *
 * @module
 */
import { setImmediate } from "node:timers";
import {
  WS_MSGS_RECEIVED,
  WS_MSGS_SENT,
  WS_SESSION_DURATION,
} from "../metrics/builtin.ts";
import { type Context, currentContext } from "../context/context.ts";
import type { EventQueue } from "../context/event_queue.ts";
import type { Metric } from "../metrics/metric.ts";
import { now } from "../metrics/sample.ts";
import {
  CLOSE_SENT,
  closeErrorText,
  MALFORMED_URL,
  UNEXPECTED_EOF,
} from "../transport/close_text.ts";
import { headerValues } from "../transport/handshake_headers.ts";
import { wsTransport } from "../transport/ws.ts";
import type {
  CloseInfo,
  Connection,
  ConnectionHandler,
  HandshakeResponse,
  OpenInfo,
  Transport,
} from "../transport/transport.ts";
import { checkEventName } from "./_event_names.ts";
import { SocketSession } from "../session/socket_session.ts";
import type { ConnectSettings } from "./_params.ts";
import { failedResponse, upgradedResponse } from "./_response.ts";
import { formatFixed } from "../internal/go_format.ts";
import { every, schedule } from "../internal/long_timer.ts";
import type { Response } from "./response.ts";
import type { Socket } from "./socket.ts";
import { SocketError } from "./socket_error.ts";

/** k6's close code for a client close without code, errors and cancellation. */
const GOING_AWAY = 1001;

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 2;

/** How a `connect()` call ended. */
export type Outcome =
  | { readonly response: Response }
  | { readonly error: unknown };

/** What a {@link Session} needs. */
export interface SessionInit {
  /** The context captured at `connect()`. */
  readonly context: Context;
  /** The URL exactly as passed (String()-ed). */
  readonly url: string;
  /** The validated params. */
  readonly settings: ConnectSettings;
  /** Whether a failed dial rejects (k6's `throw`), already resolved. */
  readonly throwOnDialFailure: boolean;
  /** The user's callback. */
  readonly callback: (socket: Socket) => unknown;
  /** Called once, with the outcome, when everything is over. */
  readonly settle: (outcome: Outcome) => void;
}

type Handler = (...args: unknown[]) => unknown;

function dropConnection(connection: Connection): void {
  connection.terminate();
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null &&
    typeof (value as { then?: unknown }).then === "function";
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

/**
 * The URL to dial, or gorilla's reason to refuse it: the scheme must be
 * ws or wss (any case, as Go lower-cases it) and there must be no
 * user-info. The fragment is dropped (gorilla never sends it).
 */
function dialURL(url: string): { url: string } | { error: string } {
  const scheme = SCHEME.exec(url)?.[1].toLowerCase();
  if (scheme !== "ws" && scheme !== "wss") return { error: MALFORMED_URL };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { error: `parse "${url}": invalid URL` };
  }
  const rest = url.slice(scheme.length + 1);
  const authority = rest.startsWith("//")
    ? rest.slice(2).split(/[/?#]/)[0]
    : "";
  if (authority.includes("@")) return { error: MALFORMED_URL };
  parsed.hash = "";
  return { url: parsed.href };
}

/** Whether k6's `time.Duration(ms * 1e6)` is a positive duration. */
function isPositiveDuration(ms: number): boolean {
  const nanoseconds = Math.trunc(ms * 1e6);
  return nanoseconds > 0 && nanoseconds < 2 ** 63;
}

/** k6's ToInteger of a close code argument. */
function closeCode(value: unknown): number {
  const number = Number(value);
  return Number.isNaN(number) ? 0 : Math.trunc(number);
}

/** An exact copy of the viewed bytes. */
function copyBytes(bytes: Uint8Array): ArrayBuffer {
  return new Uint8Array(bytes).buffer;
}

function typeName(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  const constructor = (Object(value) as { constructor?: { name?: unknown } })
    .constructor;
  return String(constructor?.name);
}

function isArrayBuffer(value: unknown): value is ArrayBuffer {
  return Object.prototype.toString.call(value) === "[object ArrayBuffer]";
}

/** The lifetime of one `connect()` call; see the module doc. */
export class Session implements ConnectionHandler {
  readonly #context: Context;
  /**
   * This connection's loop in the VU's event loop: its events run one at a
   * time, and wait while the VU is busy in a blocking call (k6 runs them on
   * the VU's thread, inside `ws.connect()`).
   */
  readonly #queue: EventQueue | undefined;
  readonly #url: string;
  readonly #settings: ConnectSettings;
  readonly #throwOnDialFailure: boolean;
  readonly #callback: (socket: Socket) => unknown;
  readonly #settle: (outcome: Outcome) => void;
  readonly #socket: Socket;
  readonly #handlers = new Map<string, Handler[]>();
  readonly #timers = new Set<() => void>();
  /** Tags, cookies and k6's samples of the socket. */
  readonly #record: SocketSession;
  #phase = CONNECTING;
  #connection: Connection | undefined;
  /** The transport reported its end: nothing can be written any more. */
  #transportDone = false;
  #response: Response | undefined;
  /** The dial failed with this text (and maybe the server's answer). */
  #dialFailure:
    | { error: string; response: HandshakeResponse | undefined }
    | undefined;
  /** The peer broke the protocol; the close that follows is a read failure. */
  #protocolViolation = false;
  #failure: { error: unknown } | undefined;
  #finished = false;
  #stopListeningForAbort: (() => void) | undefined;
  /**
   * What k6 counts for a session the script closed: the bytes sent once
   * its close frame was written, the bytes received before it was sent.
   */
  #bytesAtDrop: [sent: number, received: number] | undefined;

  /**
   * Prepares a session; {@link Session.start} dials.
   *
   * @param init The call's inputs.
   */
  constructor(init: SessionInit) {
    this.#queue = init.context.eventQueue?.child();
    this.#context = init.context.withEventQueue(this.#queue);
    this.#url = init.url;
    this.#settings = init.settings;
    this.#throwOnDialFailure = init.throwOnDialFailure;
    this.#callback = init.callback;
    this.#settle = init.settle;
    this.#socket = new LegacySocket(this);
    this.#record = new SocketSession({
      context: this.#context,
      url: init.url,
      tags: init.settings.tags,
      jar: init.settings.jar,
      nameTag: false,
    });
  }

  /** Starts the dial (or fails it at once, as gorilla does, for a bad URL or header). */
  start(): void {
    this.#record.dialStarted();
    const target = dialURL(this.#url);
    if ("error" in target) {
      this.#failDial(target.error, undefined);
      return;
    }
    if (this.#settings.headers.error !== undefined) {
      this.#failDial(this.#settings.headers.error, undefined);
      return;
    }
    this.#stopListeningForAbort = this.#context.onCancel(this.#onAbort);
    // k6/ws always runs on ws: it needs the handshake response. Dialled in
    // the session's context, so the connection's callbacks run in it.
    try {
      this.#context.run(() => this.#dial(wsTransport, target.url));
    } catch (error) {
      this.#failDial(
        error instanceof Error ? error.message : String(error),
        undefined,
      );
    }
  }

  #dial(transport: Transport, url: string): void {
    const { headers, compression, tls, handshakeTimeoutMs, maxPayload } =
      this.#settings;
    this.#connection = transport.dial({
      url,
      protocols: [],
      headers: headers.headers,
      compression,
      tls,
      handshakeTimeoutMs,
      maxPayload,
    }, this);
    if (this.#context.cancelled) this.#connection.terminate();
  }

  readonly #onAbort = (): void => {
    if (this.#phase === CONNECTING) this.#connection?.terminate();
    else if (this.#phase === OPEN) this.#run(() => this.close(GOING_AWAY));
  };

  // ------------------------------------------------------------ dial end --

  /** Tags the session with what the dial learnt and emits its two samples. */
  #recordDial(
    response: HandshakeResponse | undefined,
    remoteAddress: string | undefined,
    end: number,
  ): void {
    this.#record.dialEnded({
      end,
      response,
      status: response?.status,
      subprotocol: response &&
        (headerValues(response, "Sec-WebSocket-Protocol")[0] ?? ""),
      ip: remoteAddress,
    });
  }

  #failDial(error: string, response: HandshakeResponse | undefined): void {
    if (this.#finished) return;
    this.#phase = CLOSED;
    this.#transportDone = true;
    this.#dialFailure = { error, response };
    this.#recordDial(response, undefined, now());
    this.#context.reportConnectionFailure(this.#url, error);
    this.#finish();
  }

  #opened(info: OpenInfo, time: number): void {
    this.#phase = OPEN;
    this.#recordDial(info.response, info.remoteAddress, time);
    this.#response = upgradedResponse(this.#url, info.response);
    const result = this.#run(() =>
      this.#callback.call(undefined, this.#socket)
    );
    // k6 fires `open` after the callback returned, even when the callback
    // already closed the socket (then `close` comes before `open`).
    this.#after(result, this.#dispatchOpen);
  }

  readonly #dispatchOpen = (): void => {
    if (this.#failure === undefined) this.#run(() => this.#dispatch("open"));
  };

  /**
   * Runs `next` once the user code that returned `result` is done: at once,
   * unless it returned a promise and left the VU busy (it blocks, as a k6
   * handler that calls `sleep()`); then when the VU is free again, before
   * any other event of this connection.
   */
  #after(result: unknown, next: () => void): void {
    const queue = this.#queue;
    if (isThenable(result) && queue !== undefined && !queue.free) {
      queue.resume(() => this.#context.run(next));
    } else {
      next();
    }
  }

  /** Runs a transport report now, or in turn when the VU is busy. */
  #report(task: () => void): void {
    const queue = this.#queue;
    if (queue === undefined || queue.free) task();
    else queue.run(task);
  }

  // ---------------------------------------------------- transport reports --

  // The transport's reports: the session is its ConnectionHandler.

  /** The handshake succeeded. */
  onOpen(info: OpenInfo): void {
    const time = now();
    this.#report(() => {
      if (this.#phase === CONNECTING) {
        this.#context.run(() => this.#opened(info, time));
      }
    });
  }

  /** A message arrived. */
  onMessage(data: string | Uint8Array): void {
    // A copy of binary data now: the transport may reuse its buffer.
    const payload = typeof data === "string" ? data : copyBytes(data);
    const queue = this.#queue;
    if (queue === undefined || queue.free) this.#received(payload);
    else queue.run(() => this.#received(payload));
  }

  /** A ping arrived. */
  onPing(): void {
    // The transport has already answered with a pong, as k6 does first.
    this.#report(() => {
      if (this.#phase === OPEN) this.#run(() => this.#dispatch("ping"));
    });
  }

  /** A pong arrived. */
  onPong(payload: Uint8Array): void {
    const time = now();
    this.#report(() => {
      if (this.#phase !== OPEN) return;
      this.#record.pong(payload, time);
      this.#run(() => this.#dispatch("pong"));
    });
  }

  /** The peer broke the protocol; its close report follows. */
  onError(): void {
    // gorilla's read fails with an error that is no close error, which k6
    // does not report as an event.
    if (this.#phase === OPEN) this.#protocolViolation = true;
  }

  /** The connection is over. */
  onClose(info: CloseInfo): void {
    this.#report(() => {
      this.#transportDone = true;
      if (info.kind === "dial" || this.#phase === CONNECTING) {
        const error = info.kind === "dial" ? info.error : UNEXPECTED_EOF;
        const response = info.kind === "dial" ? info.response : undefined;
        this.#context.run(() => this.#failDial(error, response));
        return;
      }
      if (this.#phase === OPEN) this.#run(() => this.#closedByPeer(info));
      this.#finish();
    });
  }

  /** k6's read-loop rules for a connection the client did not close (k6's ws.go readPump). */
  #closedByPeer(info: CloseInfo): void {
    if (info.kind === "frame" && !this.#protocolViolation) {
      const { code, reason } = info;
      if (code !== 1000 && code !== GOING_AWAY) {
        this.#dispatch(
          "error",
          new SocketError(closeErrorText(code, reason), { code, text: reason }),
        );
      }
      this.close(code);
    } else if (info.kind === "abnormal" && info.eof) {
      this.#dispatch(
        "error",
        new SocketError(closeErrorText(1006, UNEXPECTED_EOF), {
          code: 1006,
          text: UNEXPECTED_EOF,
        }),
      );
      this.close(1006);
    } else {
      this.close(GOING_AWAY);
    }
  }

  // --------------------------------------------------------- user code --

  /**
   * Runs user code (callback, handler, timer) in the context; an exception
   * fails the session: first exception wins, the socket closes with 1001
   * (close handlers run; a throw of theirs is dropped) and `connect`
   * rejects with it.
   */
  #run(fn: () => unknown): unknown {
    try {
      return this.#context.run(fn);
    } catch (error) {
      this.#fail(error);
      return undefined;
    }
  }

  readonly #fail = (error: unknown): void => {
    this.#failure ??= { error };
    try {
      this.#context.run(() => this.close(GOING_AWAY));
    } catch {
      // The first exception is the one connect() rejects with.
    }
  };

  /**
   * Calls an event's handlers in order. A handler that blocks (returns a
   * promise and left the VU busy) holds the rest, and the connection's
   * later events, until it is done; an async handler's rejection fails the
   * session as a throw does.
   */
  #dispatch(event: string, argument?: unknown): void {
    const handlers = this.#handlers.get(event);
    if (handlers !== undefined) this.#dispatchFrom(handlers, 0, argument);
  }

  #dispatchFrom(
    handlers: readonly Handler[],
    from: number,
    argument: unknown,
  ): void {
    for (let i = from; i < handlers.length; i++) {
      const result = handlers[i].call(undefined, argument);
      if (!isThenable(result)) continue;
      result.then(undefined, this.#fail);
      const queue = this.#queue;
      if (queue !== undefined && !queue.free) {
        queue.resume(() =>
          this.#run(() => this.#dispatchFrom(handlers, i + 1, argument))
        );
        return;
      }
    }
  }

  /**
   * Dispatches an event of the connection in the session's context (the
   * transport's callbacks usually run in it already: the dial started in
   * it), failing the session on a handler's exception.
   */
  #deliver(event: string, argument?: unknown): void {
    const context = this.#context;
    if (currentContext() !== context) {
      context.run(() => this.#deliver(event, argument));
      return;
    }
    try {
      this.#dispatch(event, argument);
    } catch (error) {
      this.#fail(error);
    }
  }

  #received(payload: string | ArrayBuffer): void {
    if (this.#phase !== OPEN) return;
    this.#emit(WS_MSGS_RECEIVED, 1);
    this.#deliver(
      typeof payload === "string" ? "message" : "binaryMessage",
      payload,
    );
  }

  #emit(metric: Metric, value: number): void {
    this.#record.emit(metric, value);
  }

  /**
   * Adds an event handler (non-functions are ignored).
   *
   * @param event The event name.
   * @param handler The handler.
   */
  on(event: string, handler: unknown): void {
    if (typeof handler !== "function") return;
    // Replaced, never changed: a dispatch keeps the list it started with
    // (handlers added meanwhile wait for the next event, as in k6) without
    // copying it per event.
    const handlers = this.#handlers.get(event);
    this.#handlers.set(
      event,
      handlers === undefined
        ? [handler as Handler]
        : [...handlers, handler as Handler],
    );
  }

  readonly #writeDone = (error?: string): void => {
    if (error === undefined || this.#phase !== OPEN) return;
    this.#run(() => this.#dispatch("error", new SocketError(error)));
  };

  /** Reports a write refused because the socket is closed. */
  #refuseWrite(): void {
    this.#context.run(() =>
      this.#dispatch("error", new SocketError(CLOSE_SENT))
    );
  }

  #write(data: string | Uint8Array): void {
    if (this.#phase === OPEN) this.#connection!.send(data, this.#writeDone);
    else this.#refuseWrite();
    this.#emit(WS_MSGS_SENT, 1);
  }

  /**
   * Sends a text message.
   *
   * @param text The message.
   */
  send(text: string): void {
    this.#write(text);
  }

  /**
   * Sends a binary message (k6's argument checks).
   *
   * @param args The arguments of `sendBinary`.
   * @throws {TypeError} k6's texts for a missing or non-ArrayBuffer argument.
   */
  sendBinary(args: readonly unknown[]): void {
    if (args.length === 0) {
      throw new TypeError("missing argument, expected ArrayBuffer");
    }
    const [data] = args;
    if (!isArrayBuffer(data)) {
      throw new TypeError(
        `expected ArrayBuffer as argument, received: ${typeName(data)}`,
      );
    }
    // A copy: the caller may reuse the buffer before the frame is written.
    this.#write(new Uint8Array(data.slice(0)));
  }

  /** Sends a ping with the next counter value as payload. */
  ping(): void {
    if (this.#phase !== OPEN) {
      this.#refuseWrite();
      return;
    }
    this.#connection!.ping(this.#record.nextPing(), this.#writeDone);
  }

  /**
   * Starts a socket timer.
   *
   * @param name `setTimeout` or `setInterval` (for the error texts).
   * @param callback The function.
   * @param delay The delay in ms.
   * @throws {TypeError} When `callback` is not a function.
   * @throws {RangeError} k6's text for a delay that is not positive.
   */
  schedule(
    name: "setTimeout" | "setInterval",
    callback: unknown,
    delay: unknown,
  ): void {
    if (typeof callback !== "function") {
      throw new TypeError(
        `${name} requires a function as first argument, received ${
          typeName(callback)
        }`,
      );
    }
    const delayMs = Number(delay);
    if (!isPositiveDuration(delayMs)) {
      throw new RangeError(
        `${name} requires a >0 timeout parameter, received ${
          formatFixed(delayMs, 2)
        }`,
      );
    }
    if (this.#phase !== OPEN) return;
    const repeat = name === "setInterval";
    const fire = (): void => {
      if (this.#phase !== OPEN) return;
      if (!repeat) this.#timers.delete(cancel);
      this.#report(() => {
        if (this.#phase === OPEN) this.#run(() => callback.call(undefined));
      });
    };
    const cancel = repeat ? every(fire, delayMs) : schedule(fire, delayMs);
    this.#timers.add(cancel);
  }

  /**
   * The close procedure, once, as k6's Socket.Close: close frame, `close` handlers (their
   * exceptions propagate to the caller), then the TCP connection is dropped
   * as soon as the frame is written.
   *
   * @param code The code handlers receive and the frame carries.
   */
  close(code: number): void {
    if (this.#phase !== OPEN) return;
    this.#phase = CLOSED;
    this.#stopTimers();
    const connection = this.#connection!;
    if (!this.#transportDone) {
      // A failed close-frame write cannot be reported before the handlers:
      // the transport only learns of it later, after the socket closed.
      // Dropped after the write's own turn: destroyed inside its callback,
      // the socket fails its write buffer with errors (costly under Deno).
      // k6 drops the TCP connection as soon as its close frame is written
      // and never reads the server's close reply; its byte count does not
      // either (ws may read the reply before it reports the write).
      const received = connection.bytesReceived;
      connection.close(code, "", () => {
        this.#bytesAtDrop = [connection.bytesSent, received];
        setImmediate(dropConnection, connection);
      });
    }
    this.#dispatch("close", code);
  }

  #stopTimers(): void {
    for (const cancel of this.#timers) cancel();
    this.#timers.clear();
  }

  // ----------------------------------------------------------------- end --

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#stopTimers();
    this.#stopListeningForAbort?.();
    // k6/ws times the session from the dial's start, on every path.
    const start = this.#record.dialStart;
    this.#record.emit(WS_SESSION_DURATION, now() - start, start);
    const dropped = this.#bytesAtDrop;
    if (dropped === undefined) this.#record.countBytes(this.#connection);
    else this.#context.countBytes(dropped[0], dropped[1]);
    // After every handler, including one still blocked: connect() returns
    // when its loop has nothing left, and the caller's events resume.
    this.#report(() => {
      this.#queue?.close();
      this.#settle(this.#outcome());
    });
  }

  #outcome(): Outcome {
    if (this.#failure !== undefined) return this.#failure;
    const dialFailure = this.#dialFailure;
    if (dialFailure === undefined) return { response: this.#response! };
    if (this.#throwOnDialFailure) {
      return { error: new Error(dialFailure.error) };
    }
    return {
      response: failedResponse(dialFailure.error, dialFailure.response),
    };
  }
}

/**
 * The socket object scripts get: k6's argument conversions in front of a
 * {@link Session}, which it keeps out of reach.
 */
class LegacySocket implements Socket {
  readonly #session: Session;

  constructor(session: Session) {
    this.#session = session;
  }

  on(event: string, handler: unknown): void {
    checkEventName(String(event));
    this.#session.on(String(event), handler);
  }

  send(data?: unknown): void {
    this.#session.send(data === undefined || data === null ? "" : String(data));
  }

  sendBinary(...args: unknown[]): void {
    this.#session.sendBinary(args);
  }

  ping(): void {
    this.#session.ping();
  }

  setTimeout(callback: unknown, delayMs: unknown): void {
    this.#session.schedule("setTimeout", callback, delayMs);
  }

  setInterval(callback: unknown, delayMs: unknown): void {
    this.#session.schedule("setInterval", callback, delayMs);
  }

  close(...args: unknown[]): void {
    this.#session.close(args.length > 0 ? closeCode(args[0]) : GOING_AWAY);
  }
}
