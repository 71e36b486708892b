/**
 * Which transport a socket runs on, and loading it.
 *
 * The rule ({@link selectTransport}): every socket runs on `ws` (the npm
 * package) in both runtimes, unless a `transport: "native"` param asks for
 * Deno's own WebSocket.
 *
 * Why not native by default under Deno, although it echoes small messages
 * fastest: Deno 2.9's client adds about 40 ms to every message larger than
 * about 1 KB (measured: 1024 B → 0.4 ms per round trip, 1100 B → 44 ms; it
 * writes frame header and payload separately and the delayed ACK stalls
 * it), which a load tester would report as server latency; and it cannot
 * send pings, see pongs, compress, take TLS options, show the handshake
 * response, or send its own `Host`/`User-Agent` — so a k6 script that
 * pings from a helper function would fail only under Deno. `ws` does all
 * of it, the same way in both runtimes.
 *
 * Forcing `native` where it cannot serve (under Node, or with one of those
 * needs) throws a TypeError that says why. The caller decides after the
 * WebSocket constructor's synchronous turn, so listeners registered right
 * after construction are known.
 *
 * @module
 */
import type { Transport, TransportName } from "./transport.ts";
import { wsTransport } from "./ws.ts";

/** What a socket needs from its transport. */
export interface TransportNeeds {
  /** The script's `transport` param, when it forces one. */
  readonly forced?: TransportName;
  /** `ping()` may be called, or ping/pong listeners or slots are set. */
  readonly needsControlFrames: boolean;
  /** permessage-deflate is requested. */
  readonly compression: boolean;
  /** TLS options (insecureSkipTLSVerify or extra CAs) apply to a `wss:` URL. */
  readonly tls: boolean;
  /** The handshake response must be seen (cookie jar, `k6/ws`). */
  readonly needsResponse: boolean;
  /** The script set a `Host` or `User-Agent` header itself. */
  readonly customHostOrUserAgent?: boolean;
}

/** The runtime a process runs on. */
export type Runtime = "deno" | "node";

/** The runtime of this process. */
function currentRuntime(): Runtime {
  return typeof Deno !== "undefined" ? "deno" : "node";
}

/** What the native transport cannot do, by need. */
function nativeShortcomings(needs: TransportNeeds): string[] {
  const missing: string[] = [];
  if (needs.needsControlFrames) missing.push("send or observe pings and pongs");
  if (needs.compression) missing.push("compress");
  if (needs.tls) missing.push("apply TLS options");
  if (needs.needsResponse) missing.push("show the handshake response");
  if (needs.customHostOrUserAgent) {
    missing.push("send a Host or User-Agent header of its own");
  }
  return missing;
}

/**
 * Picks the transport of a socket (see the module doc for the rule).
 *
 * @param needs What the socket needs.
 * @param runtime The runtime to decide for; this process's by default.
 * @returns `"native"` or `"ws"`.
 * @throws {TypeError} If `needs.forced` is not a transport name, or forces
 * `native` where it cannot serve.
 *
 * @example ws by default, native when asked for and able
 * ```ts
 * import { selectTransport } from "./select.ts";
 * import assert from "node:assert/strict";
 *
 * const plain = { needsControlFrames: false, compression: false, tls: false, needsResponse: false };
 * assert.equal(selectTransport(plain, "deno"), "ws");
 * assert.equal(selectTransport({ ...plain, forced: "native" }, "deno"), "native");
 * assert.equal(selectTransport(plain, "node"), "ws");
 * assert.throws(
 *   () => selectTransport({ ...plain, compression: true, forced: "native" }, "deno"),
 *   TypeError,
 * );
 * ```
 */
export function selectTransport(
  needs: TransportNeeds,
  runtime: Runtime = currentRuntime(),
): TransportName {
  const forced = needs.forced;
  if (forced !== undefined && forced !== "native" && forced !== "ws") {
    throw new TypeError(
      `unknown transport ${
        JSON.stringify(forced)
      }: the supported ones are "native" and "ws"`,
    );
  }
  if (forced === "ws") return "ws";
  if (forced === "native") {
    if (runtime !== "deno") {
      throw new TypeError(
        'transport "native" is Deno\'s WebSocket, which this runtime does ' +
          'not have: use transport "ws" or leave the param unset',
      );
    }
    const missing = nativeShortcomings(needs);
    if (missing.length > 0) {
      throw new TypeError(
        `transport "native" (Deno's WebSocket) cannot ${
          missing.join(", ")
        }: use transport "ws" or leave the param unset`,
      );
    }
    return "native";
  }
  return "ws";
}

const loaded = new Map<TransportName, Promise<Transport>>();

async function loadNative(): Promise<Transport> {
  if (typeof Deno === "undefined") {
    throw new TypeError(
      'transport "native" is Deno\'s WebSocket, which this runtime does not have',
    );
  }
  const { nativeTransport } = await import("./unstable_native_deno.ts");
  native = nativeTransport;
  return nativeTransport;
}

/**
 * A transport that needs no loading: `ws` is always at hand (a dial on it
 * takes no promise hop); the native one only once {@link loadTransport}
 * loaded it.
 *
 * @param name `"native"` or `"ws"`.
 * @returns The transport, or `undefined` until it is loaded.
 *
 * @example The ws transport is always ready
 * ```ts
 * import { readyTransport } from "./select.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(readyTransport("ws")?.name, "ws");
 * ```
 */
export function readyTransport(name: TransportName): Transport | undefined {
  if (name === "ws") return wsTransport;
  return name === "native" ? native : undefined;
}

let native: Transport | undefined;

/**
 * Loads a transport. The native one is imported on first use, and only
 * under Deno; both are loaded once.
 *
 * @param name `"native"` or `"ws"`.
 * @returns The transport.
 * @throws {TypeError} (as a rejection) For an unknown name, or `"native"`
 * outside Deno.
 *
 * @example Load the ws transport
 * ```ts
 * import { loadTransport } from "./select.ts";
 * import assert from "node:assert/strict";
 *
 * const transport = await loadTransport("ws");
 * assert.equal(transport.name, "ws");
 * assert.equal(await loadTransport("ws"), transport);
 * ```
 */
export function loadTransport(name: TransportName): Promise<Transport> {
  let transport = loaded.get(name);
  if (transport === undefined) {
    if (name === "ws") transport = Promise.resolve(wsTransport);
    else if (name === "native") transport = loadNative();
    else {
      return Promise.reject(
        new TypeError(
          `unknown transport ${
            JSON.stringify(name)
          }: the supported ones are "native" and "ws"`,
        ),
      );
    }
    loaded.set(name, transport);
  }
  return transport;
}
