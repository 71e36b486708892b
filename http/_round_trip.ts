/**
 * One HTTP round trip over a VU's pool: write the request, read the
 * response head and body (decompressed as k6 does), and time every phase.
 * Never rejects: a failure is part of the result.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import {
  type IncomingMessage,
  request as httpRequest,
  type RequestOptions,
} from "node:http";
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import * as zlib from "node:zlib";
import { k6TlsVersion } from "../transport/tls.ts";
import {
  DECOMPRESSION,
  DIAL_TIMEOUT,
  K6HttpError,
  REQUEST_TIMEOUT,
} from "./error_code.ts";
import { deadline } from "./_deadlines.ts";
import { type ConnectionPool, connectionTrace } from "./_pool.ts";
import { type Timings, Trace } from "./_trace.ts";

/** How the response body is kept. */
export type ResponseType = "text" | "binary" | "none";

/** One request on the wire. */
export interface WireRequest {
  /** The method, upper-case. */
  readonly method: string;
  /** The URL (http: or https:). */
  readonly url: URL;
  /** Header names (Go's canonical form) and values. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body (none for `undefined`). */
  readonly body: Uint8Array | undefined;
  /** Whether to read the body (`none` reads and drops it). */
  readonly keepBody: boolean;
  /** The connections to use. */
  readonly pool: ConnectionPool;
  /** `performance.now()` by which the whole request must be done. */
  readonly deadline: number;
  /**
   * Registers what to do when the iteration is interrupted (abort the
   * request); returns the unregistration.
   */
  readonly onCancel: (cancel: () => void) => () => void;
}

/** What a round trip produced. */
export interface WireResponse {
  /** The phases. */
  readonly timings: Timings;
  /** `performance.now()` when it ended. */
  readonly end: number;
  /** HTTP status; 0 when there was no response. */
  readonly status: number;
  /** The status line's reason phrase. */
  readonly statusMessage: string;
  /** E.g. `HTTP/1.1`; `""` without a response. */
  readonly proto: string;
  /** Response header names and values in wire order, flat: name, value, … */
  readonly rawHeaders: readonly string[];
  /** The decompressed body (`undefined` when not kept or none). */
  readonly body: Uint8Array | undefined;
  /** The peer's address and port, once connected. */
  readonly remoteAddress: string;
  /** The peer's port (0 when not connected). */
  readonly remotePort: number;
  /** k6's TLS version name (`tls1.3`), `""` for plain connections. */
  readonly tlsVersion: string;
  /** The IANA cipher suite name, `""` for plain connections. */
  readonly tlsCipherSuite: string;
  /** Bytes written and read by this round trip. */
  readonly bytesSent: number;
  /** Bytes read by this round trip. */
  readonly bytesReceived: number;
  /** Why it failed, if it did (a {@link K6HttpError} or a platform error). */
  readonly error: unknown;
}

const EMPTY = new Uint8Array(0);
const NO_HEADERS: readonly string[] = Object.freeze([]);

// Go's texts of the decoding errors k6 reports (code 1701).
function decompressionError(encoding: string, error: unknown): K6HttpError {
  const message = error instanceof Error ? error.message : String(error);
  const library = encoding === "deflate" ? "zlib" : encoding;
  let text = message;
  if (/incorrect header check|unknown compression method/.test(message)) {
    text = `${library}: invalid header`;
  } else if (/incorrect data check/.test(message)) {
    text = `${library}: invalid checksum`;
  } else if (encoding === "br") text = `brotli: ${message}`;
  return new K6HttpError(
    DECOMPRESSION,
    `error decompressing response body (${text})`,
    { cause: error },
  );
}

type Decoder = (data: Buffer) => Buffer;

const zstd = (zlib as { zstdDecompressSync?: Decoder }).zstdDecompressSync;

const DECODERS: Readonly<Record<string, Decoder>> = {
  gzip: (data) => zlib.gunzipSync(data),
  deflate: (data) => zlib.inflateSync(data),
  br: (data) => zlib.brotliDecompressSync(data),
  ...(zstd === undefined ? {} : { zstd }),
};

/**
 * Decodes a body by its `Content-Encoding` (last applied first), as k6 does
 * for gzip, deflate, br and zstd; unknown encodings are left as they are.
 */
function decode(body: Buffer, contentEncoding: string | undefined): Buffer {
  if (contentEncoding === undefined || body.length === 0) return body;
  const encodings = contentEncoding.split(",").map((e) => e.trim());
  let data = body;
  for (let i = encodings.length - 1; i >= 0; i--) {
    const decoder = DECODERS[encodings[i].toLowerCase()];
    if (decoder === undefined) continue;
    try {
      data = decoder(data);
    } catch (error) {
      throw decompressionError(encodings[i].toLowerCase(), error);
    }
  }
  return data;
}

// 1xx, 204 and 304 answers, and answers to HEAD, have no body.
function hasNoBody(method: string, status: number): boolean {
  return method === "HEAD" || (status >= 100 && status < 200) ||
    status === 204 || status === 304;
}

/**
 * The options of `node:http`'s `request()`. node's agent copies every key
 * on each request, so the defaults (GET, `http:`, `setHost`) are left out.
 */
function requestOptions(wire: WireRequest, tls: boolean): RequestOptions {
  const hostname = wire.url.hostname;
  const options: RequestOptions = {
    hostname: hostname.startsWith("[") ? hostname.slice(1, -1) : hostname,
    port: wire.url.port || (tls ? 443 : 80),
    path: wire.url.pathname + wire.url.search,
    headers: wire.headers,
    agent: wire.pool.agent(tls),
  };
  if (wire.method !== "GET") options.method = wire.method;
  // node:http's request() checks the protocol against its own default.
  if (tls) options.protocol = "https:";
  // The script's Host header (canonical `Host`) replaces node's.
  if ("Host" in wire.headers) options.setHost = false;
  return options;
}

/**
 * Makes one round trip.
 *
 * @param wire The request.
 * @returns What happened (never rejects).
 */
export function roundTrip(wire: WireRequest): Promise<WireResponse> {
  return new Promise((resolve) => {
    const trace = new Trace();
    const tls = wire.url.protocol === "https:";
    let socket: Socket | undefined;
    // Kept once connected: a destroyed socket forgets its peer.
    let remoteAddress = "";
    let remotePort = 0;
    const connected = (at: number): void => {
      trace.gotConn = at;
      remoteAddress = socket?.remoteAddress ?? "";
      remotePort = socket?.remotePort ?? 0;
    };
    let sentBefore = 0;
    let receivedBefore = 0;
    let response: IncomingMessage | undefined;
    let settled = false;
    const chunks: Buffer[] = [];
    let length = 0;

    const finish = (error: unknown, body?: Uint8Array): void => {
      if (settled) return;
      settled = true;
      cancelDeadline();
      stopListening();
      const end = performance.now();
      // k6 shows no status or headers for a response that failed to read.
      const answered = error === undefined ? response : undefined;
      const tlsSocket = socket as Partial<TLSSocket> | undefined;
      const cipher = tls && typeof tlsSocket?.getCipher === "function"
        ? tlsSocket.getCipher()
        : undefined;
      resolve({
        timings: trace.done(end),
        end,
        status: answered?.statusCode ?? 0,
        statusMessage: answered?.statusMessage ?? "",
        proto: answered === undefined ? "" : `HTTP/${answered.httpVersion}`,
        rawHeaders: answered?.rawHeaders ?? NO_HEADERS,
        body,
        remoteAddress,
        remotePort,
        tlsVersion: tls && typeof tlsSocket?.getProtocol === "function"
          ? k6TlsVersion(tlsSocket.getProtocol())
          : "",
        tlsCipherSuite: cipher?.standardName ?? cipher?.name ?? "",
        // A connection that never opened sent nothing (Node counts the
        // request it buffered).
        bytesSent: socket === undefined || trace.gotConn === 0
          ? 0
          : socket.bytesWritten - sentBefore,
        bytesReceived: socket === undefined
          ? 0
          : socket.bytesRead - receivedBefore,
        error,
      });
    };
    const onAbort = (): void => {
      client.destroy();
      finish(new Error("context canceled"));
    };
    const onTimeout = (): void => {
      // A dial still under way times out as a dial (k6's 1211).
      const dialing = trace.gotConn === 0;
      const error = dialing
        ? new K6HttpError(DIAL_TIMEOUT, "dial: i/o timeout")
        : new K6HttpError(REQUEST_TIMEOUT, "request timeout");
      client.destroy();
      finish(error);
    };
    const cancelDeadline = deadline(wire.deadline, onTimeout);
    const stopListening = wire.onCancel(onAbort);

    trace.getConn = performance.now();
    const client = httpRequest(requestOptions(wire, tls));
    // Go's client leaves `Connection: keep-alive` out (HTTP/1.1's default);
    // node writes it for a keep-alive agent: 24 bytes k6 does not send.
    if (wire.pool.keepAlive && !("Connection" in wire.headers)) {
      client.removeHeader("Connection");
    }
    client.on("socket", (assigned: Socket) => {
      socket = assigned;
      if (client.reusedSocket) {
        sentBefore = assigned.bytesWritten;
        receivedBefore = assigned.bytesRead;
        trace.reused(performance.now(), tls);
        connected(trace.gotConn);
        return;
      }
      const connection = connectionTrace(assigned);
      const ready = (): void => {
        if (connection !== undefined) {
          trace.connectStart = connection.connectStart;
          trace.connectDone = connection.connectDone;
          trace.tlsStart = connection.tlsStart;
          trace.tlsDone = connection.tlsDone;
        }
        connected(performance.now());
      };
      assigned.once(tls ? "secureConnect" : "connect", ready);
    });
    client.on("finish", () => trace.wrote = performance.now());
    client.on("error", (error) => finish(error));
    client.on("response", (incoming: IncomingMessage) => {
      response = incoming;
      // The head was parsed as its first bytes arrived (node parses each
      // chunk at once): k6's first response byte, within microseconds.
      trace.firstByte = performance.now();
      if (!wire.keepBody || hasNoBody(wire.method, incoming.statusCode ?? 0)) {
        incoming.resume();
      } else {
        incoming.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
          length += chunk.length;
        });
      }
      incoming.on("error", (error) => finish(error));
      incoming.on("end", () => {
        if (!wire.keepBody) return finish(undefined, undefined);
        try {
          const raw = Buffer.concat(chunks, length);
          const body = decode(raw, incoming.headers["content-encoding"]);
          finish(undefined, body.length === 0 ? EMPTY : body);
        } catch (error) {
          finish(error);
        }
      });
    });
    client.end(
      wire.body === undefined ? undefined : Buffer.from(
        wire.body.buffer,
        wire.body.byteOffset,
        wire.body.byteLength,
      ),
    );
  });
}
