/**
 * The `native` transport, **unstable**: connections through Deno's own
 * `WebSocket`, opt-in with the `transport: "native"` param. It is the
 * fastest client under Deno for small messages and for connection churn,
 * but Deno 2.9 adds about 40 ms to every message above about 1 KB, and it
 * cannot ping, see pongs, compress, take TLS options or show the handshake
 * response (see `select.ts`); its behaviour may change with Deno's.
 * Deno-only: load it with `await import("./unstable_native_deno.ts")`
 * behind `typeof Deno !== "undefined"` (`select.ts` does), never statically.
 *
 * @module
 */
import { BAD_HANDSHAKE, UNEXPECTED_EOF } from "./close_text.ts";
import {
  CONNECTING,
  ConnectionBase,
  DONE,
  MAX_TIMER_MS,
  OPEN,
} from "./_connection_base.ts";
import {
  CLOSE_TIMEOUT_MS,
  closeTimeoutText,
  CONNECTION_TERMINATED,
  type DialTarget,
  dialTarget,
  handshakeTimeoutText,
  networkErrorText,
  protocolErrorText,
  refusedUpgradeStatus,
} from "./_error_text.ts";
import { requestedProtocols } from "./_subprotocols.ts";
import { closeReasonLength, frameSize, utf8Length } from "./wire_size.ts";
import type { Written } from "./_write_queue.ts";
import type {
  CloseInfo,
  Connection,
  ConnectionHandler,
  DialOptions,
  Transport,
  TransportName,
} from "./transport.ts";

/** The longest wait between two checks of connections that flush nothing. */
const MAX_STALLED_POLL_MS = 50;
/** `WebSocket.OPEN`. */
const WS_OPEN = 1;

/**
 * Headers Deno's WebSocket sends itself: given again, they would go out
 * twice (`User-Agent`) or be ignored (`Host`).
 */
const OWN_HEADERS: ReadonlySet<string> = new Set(["host", "user-agent"]);

/** Deno's `new WebSocket(url, { protocols, headers })` (non-standard). */
type DenoWebSocketConstructor = new (
  url: string,
  options: {
    protocols?: string[];
    headers?: [string, string][];
  },
) => WebSocket;

/** What a check of a connection's waiting writes found. */
type FlushState = typeof SETTLED | typeof FLUSHING | typeof STALLED;
/** No write waits any more. */
const SETTLED = 0;
/** Some writes were flushed since the last check; more wait. */
const FLUSHING = 1;
/** Nothing was flushed since the last check. */
const STALLED = 2;

/** A connection whose `written` callbacks wait for Deno to flush its sends. */
interface FlushWatched {
  /**
   * Runs the callbacks of the writes flushed by now.
   *
   * @returns What is left to wait for.
   */
  settleWrites(): FlushState;
}

/**
 * Watches every native connection that has `written` callbacks waiting, so
 * that one timer per event-loop turn serves them all instead of one timer
 * per send. Deno reports a flushed write only through `bufferedAmount` (an
 * op call), so connections are checked on the turn after their send, again
 * on every turn while they make progress, and on a shared timer that backs
 * off to {@link MAX_STALLED_POLL_MS} while they flush nothing (a peer that
 * stopped reading costs a few checks a second, not one per turn).
 */
class FlushPoller {
  /** Checked on the next turn: new writes, and connections making progress. */
  #due = new Set<FlushWatched>();
  /** Swapped with {@link #due} on each check, to allocate no set per turn. */
  #checking = new Set<FlushWatched>();
  /** Connections that flushed nothing at their last check. */
  readonly #stalled = new Set<FlushWatched>();
  #dueTimer: ReturnType<typeof setTimeout> | undefined;
  #stalledTimer: ReturnType<typeof setTimeout> | undefined;
  #stalledDelay = 1;

  /** Checks `watched` on the next turn (unless it is stalled: then later). */
  watch(watched: FlushWatched): void {
    if (this.#stalled.has(watched)) return;
    this.#due.add(watched);
    this.#dueTimer ??= setTimeout(this.#checkDue, 0);
  }

  readonly #checkDue = (): void => {
    this.#dueTimer = undefined;
    const checking = this.#due;
    this.#due = this.#checking;
    for (const watched of checking) {
      const state = check(watched);
      if (state === FLUSHING) this.#due.add(watched);
      else if (state === STALLED) this.#stall(watched);
    }
    checking.clear();
    this.#checking = checking;
    if (this.#due.size > 0) this.#dueTimer ??= setTimeout(this.#checkDue, 0);
  };

  #stall(watched: FlushWatched): void {
    this.#stalled.add(watched);
    if (this.#stalledTimer !== undefined) {
      // A new stall is checked soon, like a new write, however long the
      // others have waited.
      if (this.#stalledDelay === 1) return;
      clearTimeout(this.#stalledTimer);
    }
    this.#stalledDelay = 1;
    this.#stalledTimer = setTimeout(this.#checkStalled, 1);
  }

  readonly #checkStalled = (): void => {
    this.#stalledTimer = undefined;
    let progress = false;
    for (const watched of this.#stalled) {
      const state = check(watched);
      if (state === STALLED) continue;
      this.#stalled.delete(watched);
      if (state === FLUSHING) {
        progress = true;
        this.watch(watched);
      }
    }
    if (this.#stalled.size === 0) return;
    this.#stalledDelay = progress
      ? 1
      : Math.min(this.#stalledDelay * 2, MAX_STALLED_POLL_MS);
    this.#stalledTimer = setTimeout(this.#checkStalled, this.#stalledDelay);
  };
}

/**
 * Settles `watched`'s writes; a callback that throws is reported as
 * uncaught (as it was from a timer of its own) without stopping the checks
 * of the others.
 */
function check(watched: FlushWatched): FlushState {
  try {
    return watched.settleWrites();
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
    return FLUSHING;
  }
}

const flushPoller = new FlushPoller();

/**
 * Deno's texts for a peer's protocol violation, by the close code that
 * violation fails a connection with. Anything else after the handshake is
 * a network error (`Unexpected EOF`, `… (os error 104)`).
 */
function protocolStatusOf(message: string): number {
  if (/os error|Unexpected EOF|Connection is closed/i.test(message)) return 0;
  if (/too large/i.test(message)) return /ping/i.test(message) ? 1002 : 1009;
  if (/UTF-8/i.test(message)) return 1007;
  return 1002;
}

/** Sizes of a handshake Deno sends and a typical 101 answer, estimated. */
function handshakeSizes(
  url: URL,
  protocols: readonly string[],
  headers: readonly (readonly [string, string])[],
): { request: number; responseBase: number } {
  const userAgent = globalThis.navigator?.userAgent ?? "Deno";
  let request = `GET ${url.pathname}${url.search} HTTP/1.1\r\n`.length +
    `user-agent: ${userAgent}\r\n`.length +
    "sec-websocket-version: 13\r\n".length +
    `host: ${url.host}\r\n`.length +
    "upgrade: websocket\r\nconnection: Upgrade\r\n".length +
    "sec-websocket-key: 0123456789012345678901==\r\n\r\n".length;
  if (protocols.length > 0) {
    request += utf8Length(
      `sec-websocket-protocol: ${protocols.join(", ")}\r\n`,
    );
  }
  for (const [name, value] of headers) {
    request += utf8Length(name) + utf8Length(value) + 4;
  }
  const responseBase = ("HTTP/1.1 101 Switching Protocols\r\n" +
    "upgrade: websocket\r\nconnection: Upgrade\r\n" +
    "sec-websocket-accept: 0123456789012345678901234567\r\n\r\n").length;
  return { request, responseBase };
}

/** One connection through Deno's WebSocket; see {@link nativeTransport}. */
class NativeConnection extends ConnectionBase
  implements Connection, FlushWatched, EventListenerObject {
  readonly transport: TransportName = "native";
  readonly #target: DialTarget | undefined;
  readonly #maxPayload: number;
  #ws: WebSocket | undefined;
  #requestSize = 0;
  #responseBaseSize = 0;
  #bytesSent = 0;
  #bytesReceived = 0;
  /** Payload bytes ever passed to `send`. */
  #queuedBytes = 0;
  #closing = false;
  #errorText: string | undefined;

  constructor(options: DialOptions, handler: ConnectionHandler) {
    super(handler);
    this.#maxPayload = options.maxPayload;
    let target: DialTarget | undefined;
    let ws: WebSocket;
    try {
      target = dialTarget(options.url);
      const { protocols, headers } = requestedProtocols(options);
      const sent = headers.filter(([name]) =>
        !OWN_HEADERS.has(name.toLowerCase())
      );
      const sizes = handshakeSizes(new URL(options.url), protocols, sent);
      this.#requestSize = sizes.request;
      this.#responseBaseSize = sizes.responseBase;
      ws = new (WebSocket as unknown as DenoWebSocketConstructor)(
        options.url,
        {
          protocols: [...protocols],
          headers: sent.map(([name, value]) => [name, value]),
        },
      );
    } catch (error) {
      this.#target = target;
      this.deferDialFailure(
        error instanceof Error ? error.message : String(error),
      );
      return;
    }
    this.#target = target;
    this.#ws = ws;
    ws.binaryType = "arraybuffer";
    // The connection itself listens (handleEvent) and its timers get it
    // as an argument: no closure per connection, and Deno's event handler
    // attributes (`onmessage` …) cost more memory than listeners.
    ws.addEventListener("open", this);
    ws.addEventListener("message", this);
    ws.addEventListener("error", this);
    ws.addEventListener("close", this);
    const timeout = options.handshakeTimeoutMs;
    if (timeout > 0 && timeout <= MAX_TIMER_MS) {
      this.timer = setTimeout(
        NativeConnection.#onHandshakeTimeout,
        timeout,
        this,
        timeout,
      );
    }
  }

  protected get unsentBytes(): number {
    return this.#ws?.bufferedAmount ?? 0;
  }

  get bytesSent(): number {
    return this.#bytesSent;
  }

  get bytesReceived(): number {
    return this.#bytesReceived;
  }

  protected writeData(
    data: string | Uint8Array,
    written: Written | undefined,
  ): void {
    const ws = this.#ws;
    if (
      this.state !== OPEN || this.#closing || ws === undefined ||
      ws.readyState !== WS_OPEN
    ) {
      this.refuseWrite(written);
      return;
    }
    const size = typeof data === "string" ? utf8Length(data) : data.byteLength;
    ws.send(data as string | Uint8Array<ArrayBuffer>);
    this.#bytesSent += frameSize(size, true);
    this.#queuedBytes += size;
    if (written !== undefined) {
      this.writes.push(this.#queuedBytes, written);
      if (this.writes.size === 1) flushPoller.watch(this);
    }
  }

  /**
   * Always throws: Deno's WebSocket cannot send pings.
   *
   * @throws {DOMException} `NotSupportedError`, saying how to get `ws`.
   */
  override ping(): void {
    this.writePing();
  }

  protected writePing(): void {
    throw new DOMException(
      "ping() is not supported: this socket runs on Deno's native WebSocket, " +
        "which cannot send pings. To run it on the ws transport instead, " +
        'register a "ping" or "pong" listener (or set onping/onpong) right ' +
        'after creating the socket, or pass the param transport: "ws"',
      "NotSupportedError",
    );
  }

  protected writeClose(
    code: number | undefined,
    reason: string,
    written: Written | undefined,
  ): void {
    const reasonLength = closeReasonLength(reason);
    const ws = this.#ws;
    if (this.state === CONNECTING) {
      this.abortDial(written);
      return;
    }
    if (
      this.state !== OPEN || this.#closing || ws === undefined ||
      ws.readyState !== WS_OPEN
    ) {
      this.refuseWrite(written);
      return;
    }
    this.#closing = true;
    this.closeWritten = written;
    // Deno sends only 1000 and 3000–4999; other codes go out as a close
    // frame without code, the way gorilla sends 1005.
    if (code === 1000 || (code !== undefined && code >= 3000 && code <= 4999)) {
      ws.close(code, reason);
      this.#bytesSent += frameSize(2 + reasonLength, true);
    } else {
      ws.close();
      this.#bytesSent += frameSize(0, true);
    }
    this.timer = setTimeout(
      NativeConnection.#onCloseTimeout,
      CLOSE_TIMEOUT_MS,
      this,
    );
  }

  terminate(): void {
    if (this.state === CONNECTING) {
      this.abortDial(undefined);
      return;
    }
    if (this.state !== OPEN) return;
    // Deno cannot drop the TCP connection: it closes it in the background.
    if (!this.#closing) this.#ws?.close();
    // Reported on the next microtask, never from inside the caller's call.
    this.state = DONE;
    queueMicrotask(() =>
      this.#finish({
        kind: "abnormal",
        eof: false,
        error: CONNECTION_TERMINATED,
      })
    );
  }

  protected dropDial(): void {
    this.#ws?.close();
  }

  /** Runs the callbacks of the writes Deno has flushed. */
  #runFlushedWrites(): void {
    const ws = this.#ws;
    // Deno's bufferedAmount reads 0 once the socket is not OPEN, whatever
    // is still queued: only an open socket tells what was flushed.
    if (ws === undefined || ws.readyState !== WebSocket.OPEN) return;
    const flushed = this.#queuedBytes - ws.bufferedAmount;
    const writes = this.writes;
    while (writes.size > 0 && writes.firstAmount <= flushed) {
      writes.shift()?.();
    }
  }

  /**
   * Runs the callbacks of the writes Deno has flushed, for the
   * {@link FlushPoller} (not part of {@link Connection}).
   *
   * @returns What is left to wait for.
   */
  settleWrites(): FlushState {
    const writes = this.writes;
    const waiting = writes.size;
    // A finished connection has run (or failed) every callback already.
    if (waiting === 0 || this.state !== OPEN) return SETTLED;
    this.#runFlushedWrites();
    return writes.size === 0
      ? SETTLED
      : writes.size < waiting
      ? FLUSHING
      : STALLED;
  }

  #finish(info: CloseInfo): void {
    this.#runFlushedWrites();
    // Deno keeps the socket (and its fd) while listeners hold it.
    const ws = this.#ws;
    if (ws !== undefined) {
      for (const type of ["open", "message", "error", "close"]) {
        ws.removeEventListener(type, this);
      }
    }
    // A clean close came after everything queued before it went out; any
    // other end leaves what was still queued unsent.
    this.end(info, info.kind === "frame" ? undefined : info.error);
  }

  static #onHandshakeTimeout(
    connection: NativeConnection,
    timeout: number,
  ): void {
    if (connection.state !== CONNECTING) return;
    connection.state = DONE;
    connection.#ws?.close();
    connection.handler.onClose({
      kind: "dial",
      error: handshakeTimeoutText(timeout),
      response: undefined,
    });
  }

  static #onCloseTimeout(connection: NativeConnection): void {
    if (connection.state !== OPEN) return;
    connection.#finish({
      kind: "abnormal",
      eof: false,
      error: closeTimeoutText(CLOSE_TIMEOUT_MS),
    });
  }

  /**
   * Receives the events of Deno's WebSocket (the EventListener interface;
   * not part of {@link Connection}).
   *
   * @param event An `open`, `message`, `error` or `close` event.
   */
  handleEvent(event: Event): void {
    switch (event.type) {
      case "message":
        this.#onMessage(event as MessageEvent);
        break;
      case "open":
        this.#onOpen();
        break;
      case "error":
        this.#onError(event);
        break;
      case "close":
        this.#onClose(event as CloseEvent);
        break;
    }
  }

  #onOpen(): void {
    if (this.state !== CONNECTING) return;
    this.stopTimer();
    this.state = OPEN;
    const ws = this.#ws!;
    // Each listener costs memory for as long as the socket lives.
    ws.removeEventListener("open", this);
    const protocol = ws.protocol;
    const extensions = ws.extensions === "" ? [] : [ws.extensions];
    this.#bytesSent += this.#requestSize;
    this.#bytesReceived += this.#responseBaseSize +
      (protocol === "" ? 0 : utf8Length(protocol) + 26) +
      (extensions.length === 0 ? 0 : utf8Length(extensions[0]) + 28);
    this.handler.onOpen({
      response: undefined,
      protocol,
      extensions,
      remoteAddress: undefined,
    });
  }

  #onMessage(event: MessageEvent): void {
    if (this.state !== OPEN) return;
    let data = event.data as string | ArrayBuffer | Uint8Array;
    let size: number;
    if (typeof data === "string") {
      size = utf8Length(data);
    } else {
      data = new Uint8Array(data as ArrayBuffer);
      size = data.byteLength;
    }
    this.#bytesReceived += frameSize(size, false);
    if (this.writes.size > 0) this.#runFlushedWrites();
    // maxPayload 0 means no limit, as for the ws package.
    if (this.#maxPayload > 0 && size > this.#maxPayload) {
      this.#failProtocol(1009, "Frame too large");
      return;
    }
    this.handler.onMessage(data);
  }

  #onError(event: Event): void {
    const message = (event as ErrorEvent).message ?? "";
    this.#errorText = message;
    if (this.state !== OPEN) return;
    const status = protocolStatusOf(message);
    if (status !== 0) this.#failProtocol(status, message);
  }

  /** A protocol violation by the peer: report it and end the connection. */
  #failProtocol(status: number, detail: string): void {
    this.handler.onError(protocolErrorText(status, detail));
    if (!this.#closing) this.#ws?.close();
    this.#finish({ kind: "frame", code: status, reason: "" });
  }

  #onClose(event: CloseEvent): void {
    if (this.state === CONNECTING) {
      this.#onDialFailure(this.#errorText ?? "websocket: connection failed");
      return;
    }
    if (this.state !== OPEN) return;
    if (event.wasClean) {
      this.#bytesReceived += frameSize(
        event.code === 1005 ? 0 : 2 + utf8Length(event.reason),
        false,
      );
      this.#finish({
        kind: "frame",
        code: event.code || 1005,
        reason: event.reason,
      });
      return;
    }
    const text = this.#errorText ?? UNEXPECTED_EOF;
    if (/Unexpected EOF/i.test(text)) {
      this.#finish({ kind: "abnormal", eof: true, error: UNEXPECTED_EOF });
    } else {
      this.#finish({
        kind: "abnormal",
        eof: false,
        error: networkErrorText(text, this.#target!),
      });
    }
  }

  #onDialFailure(message: string): void {
    const status = refusedUpgradeStatus(message);
    if (status !== undefined) {
      this.#bytesSent += this.#requestSize;
      this.#finish({
        kind: "dial",
        error: BAD_HANDSHAKE,
        response: { status, headers: [], body: "" },
      });
      return;
    }
    this.#finish({
      kind: "dial",
      error: networkErrorText(message, this.#target!),
      response: undefined,
    });
  }
}

/**
 * The `native` transport: Deno's global `WebSocket`, with Deno's
 * `{ protocols, headers }` constructor option.
 *
 * What it cannot do, and how it behaves instead:
 * - No pings: `ping()` throws a `DOMException` named `NotSupportedError`;
 *   pings from the server are answered by Deno and never reported, pongs
 *   are never reported. Compression is never offered; TLS settings
 *   (`insecureSkipTLSVerify`, extra CAs) are not applied.
 * - No handshake response: `OpenInfo.response` is `undefined`, and so is
 *   `remoteAddress`. A refused upgrade is reported as
 *   `websocket: bad handshake` with a response holding only the status
 *   Deno's error text names (`headers` `[]`, `body` `""`).
 * - Deno sends its own `User-Agent` and `Host`; such request headers are
 *   dropped (given again, Deno would send two User-Agent lines).
 * - `bytesSent`/`bytesReceived` are computed, not measured: RFC 6455 frame
 *   sizes of the data and close frames (2/4/10-byte headers plus the 4-byte
 *   mask of client frames) and an estimate of the handshake request and a
 *   minimal 101 answer; pings and pongs Deno exchanges itself are missing.
 * - `bufferedAmount` is Deno's (0 whenever the socket is not open, even
 *   with data queued). `written` callbacks run once Deno's
 *   `bufferedAmount` shows the bytes left while open, in order (checked on
 *   each message, and on one timer per event-loop turn shared by every
 *   native connection with callbacks waiting); writes still queued when the
 *   connection ends are reported written after a clean close frame and
 *   failed otherwise; the close frame's callback runs once the closing
 *   ends.
 * - Close codes Deno refuses (anything but 1000 and 3000–4999) are sent as
 *   a close frame without code. `terminate()` reports the connection closed
 *   at once, but Deno ends the TCP connection only through its closing
 *   handshake, in the background; so does a close the peer never answers
 *   (reported after 10 s).
 * - `maxPayload` is checked after a message arrived (Deno's own limit is
 *   64 MiB): a larger one is dropped and fails the connection like a
 *   protocol violation (`onError`, then a `frame` close with 1009).
 * - Dial failures: Deno says only `tcp connect error` for any failed TCP
 *   connect (reported as Go's `connection refused`), `dns error` for a
 *   failed lookup, `invalid peer certificate: …` for TLS, and
 *   `Invalid status code: N` for a refused upgrade; the handshake timeout is
 *   this transport's own timer.
 *
 * @example Echo one message (Deno only)
 * ```ts
 * import { WebSocketServer } from "ws";
 * import assert from "node:assert/strict";
 *
 * if (typeof Deno !== "undefined") {
 *   const { nativeTransport } = await import("./unstable_native_deno.ts");
 *   const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
 *   server.on("connection", (socket) => socket.on("message", (data) => socket.send(String(data))));
 *   await new Promise((resolve) => server.once("listening", resolve));
 *   const { port } = server.address() as { port: number };
 *
 *   const reply = await new Promise<string | Uint8Array>((resolve) => {
 *     const connection = nativeTransport.dial({
 *       url: `ws://127.0.0.1:${port}/`,
 *       protocols: [],
 *       headers: [],
 *       compression: false,
 *       tls: {},
 *       handshakeTimeoutMs: 5000,
 *       maxPayload: 1 << 20,
 *     }, {
 *       onOpen: () => connection.send("hello"),
 *       onMessage: (data) => {
 *         resolve(data);
 *         connection.close(1000);
 *       },
 *       onPing() {},
 *       onPong() {},
 *       onError() {},
 *       onClose() {},
 *     });
 *   });
 *   assert.equal(reply, "hello");
 *   await new Promise((resolve) => server.close(resolve));
 * }
 * ```
 */
export const nativeTransport: Transport = {
  name: "native",
  dial(options: DialOptions, handler: ConnectionHandler): Connection {
    return new NativeConnection(options, handler);
  },
};
