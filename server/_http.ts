/**
 * The HTTP/1.1 side of the servers: reading a request head off a raw
 * connection, writing plain responses and the 101 of a WebSocket upgrade.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";

/** One HTTP request head, as every route and carrier sees it. */
export interface RequestHead {
  readonly method: string;
  /** The request target exactly as sent (path and query). */
  readonly target: string;
  /** The path part of the target, not decoded. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  /** Every `Cookie` header's pairs; the first occurrence of a name wins. */
  readonly cookies: Readonly<Record<string, string>>;
}

/** A request head read off a connection, with the bytes around it. */
export interface ReadRequest {
  readonly head: RequestHead;
  /** The head's bytes as received, up to and including the blank line. */
  readonly headBytes: Uint8Array;
  /** Bytes that arrived after the head (the start of the next protocol). */
  readonly rest: Uint8Array;
}

const HEAD_LIMIT = 16 * 1024;
const HEAD_END = new Uint8Array([13, 10, 13, 10]);

/**
 * Reads one request head from a connection, then pauses it so the caller
 * decides who reads next. Answers malformed or oversized heads itself (400 /
 * 431, then closes), and heads not complete within `timeoutMs` (408, then
 * disconnects: a slowloris client holds nothing for long).
 *
 * @param socket The connection, flowing or not.
 * @param timeoutMs How long the whole head may take to arrive.
 * @returns The head, or `undefined` when the connection ended or was
 * answered with an error first.
 */
export function readRequestHead(
  socket: Duplex,
  timeoutMs: number,
): Promise<ReadRequest | undefined> {
  return new Promise((resolve) => {
    let received: Uint8Array = new Uint8Array(0);
    const timer = setTimeout(() => {
      writeResponse(socket, 408, {}, "Request head not received in time\n");
      finish(undefined);
      // The answer is tiny: once handed to the kernel, the descriptor goes,
      // whether or not the client ever reads or closes its side.
      const guard = setTimeout(() => socket.destroy(), 1000);
      socket.once("finish", () => socket.destroy());
      socket.once("close", () => clearTimeout(guard));
    }, timeoutMs);
    const finish = (result: ReadRequest | undefined) => {
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("close", onClose);
      socket.pause();
      resolve(result);
    };
    const onClose = () => finish(undefined);
    const onData = (chunk: Uint8Array) => {
      received = concat(received, chunk);
      const end = indexOf(received, HEAD_END);
      if (end < 0) {
        if (received.byteLength > HEAD_LIMIT) {
          writeResponse(socket, 431, {}, "Request header fields too large\n");
          finish(undefined);
        }
        return;
      }
      const headBytes = received.subarray(0, end + 4);
      const head = parseRequestHead(
        new TextDecoder("latin1").decode(received.subarray(0, end)),
      );
      if (head === undefined) {
        writeResponse(socket, 400, {}, "Malformed HTTP request\n");
        finish(undefined);
        return;
      }
      finish({ head, headBytes, rest: received.subarray(end + 4) });
    };
    socket.on("data", onData);
    socket.on("close", onClose);
    socket.resume();
  });
}

/**
 * Parses the text of a request head (without the final blank line).
 *
 * @param text Request line and header lines separated by CRLF.
 * @returns The head, or `undefined` when it is not HTTP/1.x.
 */
export function parseRequestHead(text: string): RequestHead | undefined {
  const lines = text.split("\r\n");
  const requestLine = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\S+) HTTP\/1\.[01]$/
    .exec(lines[0]);
  if (requestLine === null) return undefined;
  const headers: Record<string, string> = {};
  const cookies: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    if (name === "cookie") addCookies(cookies, value);
  }
  const target = requestLine[2];
  let url: URL;
  try {
    url = target.startsWith("/")
      ? new URL(`http://localhost${target}`)
      : new URL(target);
  } catch {
    return undefined;
  }
  return {
    method: requestLine[1],
    target,
    path: url.pathname,
    query: url.searchParams,
    headers,
    cookies,
  };
}

function addCookies(cookies: Record<string, string>, header: string): void {
  for (const pair of header.split(";")) {
    const equals = pair.indexOf("=");
    if (equals <= 0) continue;
    const name = pair.slice(0, equals).trim();
    let value = pair.slice(equals + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
      value = value.slice(1, -1);
    }
    if (name !== "" && !(name in cookies)) cookies[name] = value;
  }
}

/**
 * Writes a complete plain response and closes the connection after it
 * (`Connection: close`: one request per connection keeps the request log
 * exact).
 *
 * @param socket The connection.
 * @param status HTTP status code.
 * @param headers Extra response headers.
 * @param body Response body text.
 */
export function writeResponse(
  socket: Duplex,
  status: number,
  headers: Readonly<Record<string, string>>,
  body: string,
): void {
  const bytes = new TextEncoder().encode(body);
  const all = {
    "Content-Type": "text/plain; charset=utf-8",
    ...headers,
    "Content-Length": String(bytes.byteLength),
    Connection: "close",
  };
  socket.write(statusLine(status) + headerLines(all) + "\r\n");
  socket.end(bytes);
}

function statusLine(status: number): string {
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Unknown"}\r\n`;
}

function headerLines(headers: Readonly<Record<string, string>>): string {
  return Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
}

/**
 * Checks that a request is a WebSocket opening handshake the way RFC 6455
 * §4.2.1 (and the `ws` server) require it.
 *
 * @param head The request head.
 * @returns `undefined` when valid, else why not (used as the 400 body).
 */
export function upgradeProblem(head: RequestHead): string | undefined {
  if (head.method !== "GET") return "WebSocket handshake must use GET";
  if (!hasToken(head.headers["connection"], "upgrade")) {
    return "Missing 'Connection: Upgrade' header";
  }
  if (head.headers["upgrade"]?.toLowerCase() !== "websocket") {
    return "Missing 'Upgrade: websocket' header";
  }
  if (head.headers["sec-websocket-version"] !== "13") {
    return "Unsupported Sec-WebSocket-Version (only 13 is)";
  }
  if (!/^[+/0-9A-Za-z]{22}==$/.test(head.headers["sec-websocket-key"] ?? "")) {
    return "Missing or invalid Sec-WebSocket-Key header";
  }
  return undefined;
}

/**
 * Whether a request asks for a WebSocket upgrade at all (valid or not).
 *
 * @param head The request head.
 * @returns `true` when it carries `Upgrade: websocket`.
 */
export function wantsWebSocket(head: RequestHead): boolean {
  return hasToken(head.headers["upgrade"], "websocket");
}

/**
 * The subprotocols a client offered, in its order.
 *
 * @param head The request head.
 * @returns The `Sec-WebSocket-Protocol` tokens (empty when none).
 */
export function offeredProtocols(head: RequestHead): string[] {
  return (head.headers["sec-websocket-protocol"] ?? "").split(",")
    .map((token) => token.trim()).filter((token) => token !== "");
}

function hasToken(value: string | undefined, token: string): boolean {
  return (value ?? "").split(",").some((part) =>
    part.trim().toLowerCase() === token
  );
}

/**
 * Computes `Sec-WebSocket-Accept` for a key (RFC 6455 §4.2.2).
 *
 * @param key The client's `Sec-WebSocket-Key`.
 * @returns The accept value.
 */
export function acceptKey(key: string): string {
  return createHash("sha1")
    .update(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
    .digest("base64");
}

/**
 * Writes a `101 Switching Protocols` answer.
 *
 * @param socket The connection.
 * @param accept The `Sec-WebSocket-Accept` value to send.
 * @param headers Extra headers (subprotocol, extensions, fixture headers).
 */
export function writeSwitchingProtocols(
  socket: Duplex,
  accept: string,
  headers: Readonly<Record<string, string>>,
): void {
  socket.write(
    statusLine(101) +
      headerLines({
        Upgrade: "websocket",
        Connection: "Upgrade",
        "Sec-WebSocket-Accept": accept,
        ...headers,
      }) + "\r\n",
  );
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.byteLength + b.byteLength);
  joined.set(a);
  joined.set(b, a.byteLength);
  return joined;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.byteLength <= haystack.byteLength; i++) {
    for (let j = 0; j < needle.byteLength; j++) {
      if (haystack[i + j] !== needle[j]) continue outer;
    }
    return i;
  }
  return -1;
}
