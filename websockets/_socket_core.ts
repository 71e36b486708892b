/**
 * {@link SocketCore}: what a k6/websockets `WebSocket` does between its
 * script-facing API (`websocket.ts`) and its transport connection: the dial,
 * the transport's reports, the ready state, the events and the closing
 * sequence.
 *
 * @module
 */
import type { CookieJar } from "../http/cookie_jar.ts";
import { cookieJar } from "../http/default_jar.ts";
import {
  WS_MSGS_RECEIVED,
  WS_MSGS_SENT,
  WS_SESSION_DURATION,
} from "../metrics/builtin.ts";
import {
  type Context,
  currentContext,
  DEFAULT_OPTIONS,
} from "../context/context.ts";
import type { EventQueue } from "../context/event_queue.ts";
import { now } from "../metrics/sample.ts";
import { SocketSession } from "../session/socket_session.ts";
import {
  CLOSED_WHILE_CONNECTING,
  closeErrorText,
  MALFORMED_URL,
} from "../transport/close_text.ts";
import { buildRequestHeaders } from "../transport/request.ts";
import {
  loadTransport,
  readyTransport,
  selectTransport,
  type TransportNeeds,
} from "../transport/select.ts";
import { customizesTls, tlsSettings } from "../transport/tls.ts";
import type {
  CloseInfo,
  Connection,
  ConnectionHandler,
  HandshakeResponse,
  OpenInfo,
  TlsOptions,
  Transport,
  TransportName,
} from "../transport/transport.ts";
import { blobFromBytes } from "./blob.ts";
import { ownArrayBuffer, ownBytes } from "./_bytes.ts";
import {
  SocketCloseEvent,
  SocketErrorEvent,
  SocketEvent,
  SocketMessageEvent,
} from "./_events.ts";
import {
  type DispatchSite,
  Listeners,
  ON_CLOSE,
  ON_ERROR,
  ON_MESSAGE,
  ON_OPEN,
  ON_PING,
  ON_PONG,
} from "./_listeners.ts";
import { parseParams, type SocketParams } from "./_params.ts";
import { ipLiteral, parseWebSocketUrl, type WebSocketUrl } from "./_url.ts";
import type { WebSocketParams } from "./params.ts";
import type { WebSocket } from "./websocket.ts";

/** Ready states. */
export const CONNECTING = 0;
/** `readyState` while messages flow. */
export const OPEN = 1;
/** `readyState` after `close()`, until the connection ended. */
export const CLOSING = 2;
/** `readyState` once the connection ended. */
export const CLOSED = 3;

/** Go's text for work given up because its context was cancelled. */
const CONTEXT_CANCELED = "context canceled";

/** A dial that fails before reaching the transport, with gorilla's or Go's text. */
class DialError extends Error {}

const decoder = new TextDecoder();

const NO_EXTENSIONS: readonly string[] = Object.freeze([]);

/** The text an `error` listener gets for a thrown value. */
function errorText(error: unknown): string {
  try {
    return String(error);
  } catch {
    return Object.prototype.toString.call(error);
  }
}

/** The message of an error, or the text of any other thrown value. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : errorText(error);
}

/**
 * One socket's state and its connection; the `WebSocket` a script holds
 * only checks arguments and forwards here. It is the transport's handler
 * and its listeners' dispatch site itself, so a socket costs no closures
 * for either.
 */
export class SocketCore implements ConnectionHandler, DispatchSite {
  /** The socket the events are dispatched on. */
  readonly socket: WebSocket;
  /** The URL as dialled. */
  readonly url: WebSocketUrl;
  /** The context the socket was created in: its samples, warnings and VU. */
  readonly context: Context;
  /** 0 CONNECTING, 1 OPEN, 2 CLOSING, 3 CLOSED. */
  readyState: number = CONNECTING;
  /** How binary messages arrive. */
  binaryType: "blob" | "arraybuffer" = "blob";
  /** The subprotocol the server chose. */
  protocol: string = "";
  /** The values of the response's `Sec-WebSocket-Extensions` lines. */
  extensions: readonly string[] = NO_EXTENSIONS;
  /** The on-slot handlers and added listeners of each event type. */
  readonly listeners: Listeners = new Listeners(this);
  /** The transport's connection, once dialled. */
  connection: Connection | undefined;
  /** Tags, cookies and k6's samples of the socket (made in the constructor). */
  readonly record: SocketSession;
  readonly #protocols: readonly string[];
  readonly #params: SocketParams;
  readonly #jar: CookieJar;
  /** When the constructor ran (ms since the epoch): `ws_session_duration` counts from here. */
  readonly #startedAt: number;
  /** Keeps the context's iteration alive until the last event. */
  readonly #release: () => void;
  #stopCancel: () => void;
  #opened = false;
  /**
   * Why the dial must not start or must stop: the context was cancelled
   * (`context canceled`) or `close()` was called (`CLOSED_WHILE_CONNECTING`).
   */
  #abortedWith: string | undefined;
  /** The code and reason of the close event (0: unknown). */
  #closeCode = 0;
  #closeReason = "";
  /** The reason given to `close()` while the open event waited for the VU. */
  #pendingReason = "";
  /** A transport error waiting for the end of the connection to be dispatched. */
  #pendingError: string | undefined;
  #closeDispatched = false;
  #transportDone = false;
  /** The handshake succeeded (its `open` event may still wait for the VU). */
  #transportOpen = false;
  /** The TLS settings, computed once (transport choice and dial). */
  #tlsOptions: TlsOptions | undefined;

  /**
   * Checks the arguments (throwing as the `WebSocket` constructor
   * documents) and starts connecting after the caller's synchronous turn.
   *
   * @param socket The script's socket.
   * @param url The URL.
   * @param protocols Subprotocols: a string, or an array of `String()`-ed
   * values; anything else is ignored.
   * @param params The params.
   */
  constructor(
    socket: WebSocket,
    url: string | URL,
    protocols: string | readonly string[] | null | undefined,
    params: WebSocketParams | null | undefined,
  ) {
    this.socket = socket;
    this.url = parseWebSocketUrl(url);
    this.#params = parseParams(params);
    this.#protocols =
      typeof protocols === "string" || protocols instanceof String
        ? [String(protocols)]
        : Array.isArray(protocols)
        ? protocols.map(String)
        : [];
    const context = currentContext();
    this.context = context;
    // Refuse a forced transport that cannot serve now, not as a dial failure.
    if (this.#params.transport !== undefined) {
      selectTransport(this.#needs(false));
    }
    this.#jar = this.#params.jar ?? cookieJar();
    this.record = new SocketSession({
      context,
      url: this.url.href,
      tags: this.#params.tags,
      jar: this.#jar,
      nameTag: true,
    });
    this.#startedAt = now();
    this.#release = context.hold();
    this.#stopCancel = context.onCancel(this.#onAbort);
    // Dial from the iteration's top level: the transport's callbacks then
    // carry the context the listeners run in, so dispatching needs no
    // AsyncLocalStorage run() per event (≈300 ns under Deno).
    const root = context.root;
    queueMicrotask(() => root.run(() => this.#dial()));
  }

  /**
   * Sends a message or a platform Blob (read by the connection's writer).
   *
   * @param payload What to send; the state was checked.
   */
  send(payload: string | Uint8Array | globalThis.Blob): void {
    this.connection!.send(payload, this.onFrameWritten);
  }

  /** Sends a ping carrying the socket's next ping id; the state was checked. */
  ping(): void {
    const connection = this.connection!;
    // Deno's WebSocket cannot ping: the native transport always throws its
    // explanation, before a ping is counted.
    if (connection.transport === "native") connection.ping(new Uint8Array());
    connection.ping(this.record.nextPing(), this.onFrameWritten);
  }

  /** Hears the rejection of a listener's promise (DispatchSite). */
  rejected(error: unknown): void {
    this.#reportError(error);
  }

  /** The VU's queue of the socket's events (DispatchSite). */
  queue(): EventQueue | undefined {
    return this.context.root.eventQueue;
  }

  /** Runs the rest of an interrupted dispatch in the socket's context (DispatchSite). */
  resume(rest: () => void): void {
    this.#inContext(rest, undefined);
  }

  // Dispatch ends (DispatchDone), one function for every socket: `this` is
  // the socket's core, the dispatch's site.
  static #failIfThrew(this: DispatchSite, ok: boolean, error?: unknown): void {
    if (!ok) (this as SocketCore).#failFromListener(error);
  }

  static #reportIfThrew(
    this: DispatchSite,
    ok: boolean,
    error?: unknown,
  ): void {
    if (!ok) (this as SocketCore).#reportError(error);
  }

  #reportError(error: unknown): void {
    this.context.reportError(error);
  }

  /** What the socket needs from its transport. */
  #needs(dialing: boolean): TransportNeeds {
    const params = this.#params;
    const options = this.context.options;
    return {
      forced: params.transport,
      needsControlFrames: dialing &&
        this.#mayPing(),
      compression: params.compression,
      tls: this.url.scheme === "wss" && customizesTls(this.#tls()),
      needsResponse: params.jar !== undefined,
      customHostOrUserAgent: params.setsHostOrUserAgent ||
        options.userAgent !== DEFAULT_OPTIONS.userAgent,
    };
  }

  /** The TLS settings of the dial: the test's, with the `tls` param on top. */
  #tls(): TlsOptions {
    if (this.#tlsOptions === undefined) {
      const { insecureSkipTLSVerify, ca } = this.#params;
      this.#tlsOptions = tlsSettings(this.context.options, {
        insecureSkipTLSVerify,
        ca,
      });
    }
    return this.#tlsOptions;
  }

  /** Whether ping or pong listeners are set (only native cannot serve them). */
  #mayPing(): boolean {
    return this.listeners.has(ON_PING) || this.listeners.has(ON_PONG);
  }

  /**
   * Runs after the constructor's synchronous turn: checks what k6's dialer
   * checks, picks and loads the transport, dials. Whatever goes wrong ends
   * as a dial failure (`error`, `close`), never as an exception.
   */
  #dial(): void {
    let headers: readonly (readonly [string, string])[];
    let name: TransportName;
    try {
      if (this.#abortedWith !== undefined || this.context.cancelled) {
        throw new DialError(this.#abortedWith ?? CONTEXT_CANCELED);
      }
      const url = this.url;
      if (url.hasUserInfo || url.host === "") {
        throw new DialError(MALFORMED_URL);
      }
      name = selectTransport(this.#needs(true));
      const request = buildRequestHeaders({
        userHeaders: this.#params.headers,
        userAgent: this.context.options.userAgent,
        cookie: this.#jar.cookieHeader(url.href),
        protocolsRequested: this.#protocols.length > 0,
      });
      if (request.error !== undefined) throw new DialError(request.error);
      headers = request.headers;
    } catch (error) {
      this.#failDial(messageOf(error), undefined);
      return;
    }
    const ready = readyTransport(name);
    if (ready !== undefined) {
      this.#connect(ready, headers);
      return;
    }
    loadTransport(name).then(
      (transport) => this.#connect(transport, headers),
      (error) => this.#failDial(messageOf(error), undefined),
    );
  }

  #connect(
    transport: Transport,
    headers: readonly (readonly [string, string])[],
  ): void {
    if (this.#abortedWith !== undefined) {
      this.#failDial(this.#abortedWith, undefined);
      return;
    }
    const params = this.#params;
    this.record.dialStarted();
    try {
      this.connection = transport.dial({
        url: this.url.href,
        protocols: this.#protocols,
        headers,
        compression: params.compression,
        tls: this.#tls(),
        handshakeTimeoutMs: params.handshakeTimeoutMs,
        maxPayload: params.maxPayload,
      }, this);
    } catch (error) {
      this.#failDial(messageOf(error), undefined);
    }
  }

  // The transport's reports (ConnectionHandler), each run in the socket's
  // context through the VU's event queue: while the VU is busy in a
  // blocking call, they wait. The time of arrival goes with them
  // (`ws_connecting` ends there).

  /** The handshake succeeded. */
  onOpen(info: OpenInfo): void {
    this.#transportOpen = true;
    this.#report(this.#handleOpen, info);
  }

  /** A message arrived. */
  onMessage(data: string | Uint8Array): void {
    this.#report(this.#handleMessage, data);
  }

  /** A ping arrived (and was answered). */
  onPing(): void {
    this.#report(this.#handlePing, undefined);
  }

  /** A pong arrived. */
  onPong(payload: Uint8Array): void {
    this.#report(this.#handlePong, payload);
  }

  /** A fault whose close report follows. */
  onError(message: string): void {
    if (this.readyState !== CLOSED) this.#pendingError ??= message;
  }

  /** The connection is over. */
  onClose(info: CloseInfo): void {
    this.#report(this.#handleClose, info);
  }

  #report<T>(
    handle: (this: SocketCore, argument: T, time: number) => void,
    argument: T,
  ): void {
    const time = now();
    const queue = this.context.root.eventQueue;
    if (queue === undefined || queue.free) {
      this.#inContext(handle, argument, time);
    } else {
      queue.run(() => this.#inContext(handle, argument, time));
    }
  }

  // Listeners run at the iteration's top level, outside any group(), as in
  // k6's event loop; samples keep the socket's own tags (this.record).
  #inContext<T>(
    report: (this: SocketCore, argument: T, time: number) => void,
    argument: T,
    time = 0,
  ) {
    const context = this.context.root;
    if (currentContext() === context) report.call(this, argument, time);
    else context.run(() => report.call(this, argument, time));
  }

  /** Completes the tags and emits `ws_sessions` and `ws_connecting`. */
  #dialReturned(
    response: HandshakeResponse | undefined,
    status: number | undefined,
    ip: string | undefined,
    end: number,
  ): void {
    this.record.dialEnded({
      end,
      response,
      status,
      subprotocol: this.protocol,
      ip,
    });
  }

  #handleOpen(info: OpenInfo, time: number): void {
    this.protocol = info.protocol;
    if (info.extensions.length > 0) {
      this.extensions = Object.freeze([...info.extensions]);
    }
    this.#dialReturned(
      info.response,
      info.response?.status ?? 101,
      info.remoteAddress ?? ipLiteral(this.url.host),
      time,
    );
    this.#opened = true;
    if (this.readyState === CLOSING) {
      // close() while the open event waited: no open event, just close.
      this.connection!.close(
        this.#closeCode,
        this.#pendingReason,
        this.onFrameWritten,
      );
      return;
    }
    this.readyState = OPEN;
    if (!this.listeners.has(ON_OPEN)) return;
    this.listeners.dispatch(
      ON_OPEN,
      new SocketEvent("open", this.socket, now()),
      SocketCore.#failIfThrew,
    );
  }

  #handleMessage(data: string | Uint8Array, time: number): void {
    if (this.readyState !== OPEN) return;
    this.record.emit(WS_MSGS_RECEIVED, 1, time);
    if (!this.listeners.has(ON_MESSAGE)) return;
    const payload = typeof data === "string"
      ? data
      : this.binaryType === "blob"
      ? blobFromBytes(ownBytes(data))
      : ownArrayBuffer(data);
    const event = new SocketMessageEvent(
      this.socket,
      time,
      payload,
      this.url.href,
    );
    this.listeners.dispatch(ON_MESSAGE, event, SocketCore.#failIfThrew);
  }

  #handlePing(_: undefined, time: number): void {
    if (this.readyState === CLOSED || !this.listeners.has(ON_PING)) return;
    this.listeners.dispatch(
      ON_PING,
      new SocketEvent("ping", this.socket, time),
      SocketCore.#reportIfThrew,
    );
  }

  #handlePong(payload: Uint8Array, time: number): void {
    if (this.readyState === CLOSED) return;
    if (!this.record.pong(payload, time)) {
      this.context.warn(
        `received pong for unknown ping ID ${decoder.decode(payload)}`,
      );
    }
    if (!this.listeners.has(ON_PONG)) return;
    this.listeners.dispatch(
      ON_PONG,
      new SocketEvent("pong", this.socket, time),
      SocketCore.#reportIfThrew,
    );
  }

  /** The transport's last report: the connection is over. */
  #handleClose(info: CloseInfo): void {
    this.#transportDone = true;
    this.record.countBytes(this.connection);
    if (this.readyState === CLOSED) {
      // Already closed by a listener's exception; only the bookkeeping was left.
      this.#finish();
      return;
    }
    const pendingError = this.#pendingError;
    switch (info.kind) {
      case "dial":
        this.#failDial(info.error, info.response);
        return;
      case "frame": {
        const { code, reason } = info;
        const unexpected = code !== 1000 && code !== 1001;
        this.#becomeClosed(
          pendingError ??
            (unexpected ? closeErrorText(code, reason) : undefined),
          code,
          reason,
          pendingError === undefined,
        );
        return;
      }
      case "abnormal":
        if (info.eof) {
          this.#becomeClosed(
            pendingError ?? closeErrorText(1006, info.error),
            1006,
            info.error,
            false,
          );
        } else if (this.readyState === OPEN) {
          // A reset or another read failure the client did not ask for: as
          // the WHATWG algorithm (not k6, which reports a close without code
          // and no error): an error, then close 1006.
          this.#becomeClosed(pendingError ?? info.error, 1006, "", false);
        } else {
          this.#becomeClosed(
            pendingError,
            this.#closeCode || undefined,
            this.#closeReason,
            false,
          );
        }
        return;
    }
  }

  /** A dial that never reached the transport, or that it could not start. */
  #failDial(error: string, response: HandshakeResponse | undefined): void {
    this.#transportDone = true;
    this.#dialReturned(response, response?.status, undefined, now());
    // A dial the script gave up itself (close() while connecting) is no
    // connection failure: it gets the WHATWG close code 1006 instead of k6's
    // none.
    const closedByScript = this.#abortedWith === CLOSED_WHILE_CONNECTING;
    if (!closedByScript) {
      this.context.reportConnectionFailure(this.url.href, error);
    }
    this.#becomeClosed(error, closedByScript ? 1006 : undefined, "", false);
  }

  /**
   * An `open` or `message` listener threw: drop the connection, then tell
   * the `error` and `close` listeners, as k6 does.
   */
  #failFromListener(exception: unknown): void {
    this.connection?.terminate();
    this.#becomeClosed(
      errorText(exception),
      this.#closeCode || undefined,
      this.#closeReason,
      false,
      { exception },
    );
  }

  /**
   * Enters CLOSED: records `ws_session_duration` (opened sockets only), then
   * dispatches `error` (when there is an error text) and `close` — unless an
   * `error` listener throws, which k6 lets skip the `close` listeners.
   *
   * @param cause A listener's exception that ended the socket: reported once
   * the state is CLOSED, before the events.
   */
  #becomeClosed(
    error: string | undefined,
    code: number | undefined,
    reason: string,
    wasClean: boolean,
    cause?: { readonly exception: unknown },
  ): void {
    this.readyState = CLOSED;
    this.#closeCode = code ?? 0;
    this.#closeReason = reason;
    this.#stopCancel();
    const time = now();
    if (this.#opened) {
      this.record.emit(WS_SESSION_DURATION, time - this.#startedAt, time);
    }
    if (cause !== undefined) this.#reportError(cause.exception);
    const dispatchClose = (): void => {
      if (!this.listeners.has(ON_CLOSE)) {
        this.#closeDispatched = true;
        this.#finish();
        return;
      }
      const event = new SocketCloseEvent(
        this.socket,
        time,
        code,
        reason,
        wasClean,
      );
      this.listeners.dispatch(ON_CLOSE, event, (ok, thrown) => {
        if (!ok) this.#reportError(thrown);
        this.#closeDispatched = true;
        this.#finish();
      });
    };
    if (error === undefined || !this.listeners.has(ON_ERROR)) {
      dispatchClose();
      return;
    }
    const errorEvent = new SocketErrorEvent(this.socket, time, error);
    this.listeners.dispatch(ON_ERROR, errorEvent, (ok, thrown) => {
      if (ok) {
        dispatchClose();
        return;
      }
      // An error listener that throws skips the close listeners, as in k6.
      this.#reportError(thrown);
      this.#closeDispatched = true;
      this.#finish();
    });
  }

  /** Lets the iteration end once the events are dispatched and the transport is done. */
  #finish(): void {
    if (this.#closeDispatched && this.#transportDone) this.#release();
  }

  /**
   * Enters CLOSING: sends the close frame, or gives up the dial, or (open
   * event still waiting for the VU) closes once it would have opened.
   *
   * @param code The close code (checked).
   * @param reason The reason (checked).
   */
  startClosing(code: number, reason: string): void {
    this.readyState = CLOSING;
    this.#closeCode = code;
    if (!this.#opened && this.#transportOpen) {
      // Connected, with the open event still waiting for the VU: it never
      // comes, and the close frame goes when it would have.
      this.#pendingReason = reason;
      return;
    }
    if (!this.#opened) {
      // Fail the connection at once (the dial may not even have started).
      this.#abortedWith = CLOSED_WHILE_CONNECTING;
      this.connection?.close();
      return;
    }
    this.connection!.close(code, reason, this.onFrameWritten);
  }

  /** The context was cancelled: close as if by `close(1000)`, or give up the dial. */
  readonly #onAbort = (): void => {
    if (
      this.readyState === OPEN ||
      (this.readyState === CONNECTING && this.#transportOpen)
    ) {
      // Connected (perhaps with the open event still waiting for the VU,
      // which then never comes): close as if by close(1000).
      this.startClosing(1000, "");
    } else if (!this.#opened && this.readyState !== CLOSED) {
      this.#abortedWith ??= CONTEXT_CANCELED;
      this.readyState = CLOSING;
      // While connecting, the transport gives up the dial (reported as `dial`).
      this.connection?.close();
    }
  };

  /** Every frame written (text, binary, ping and close, as k6 counts them). */
  readonly onFrameWritten = (error?: string): void => {
    if (error === undefined) this.record.emit(WS_MSGS_SENT, 1);
  };
}
