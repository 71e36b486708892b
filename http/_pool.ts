/**
 * A VU's HTTP connections (k6 gives each VU its own `http.Transport`):
 * `node:http`/`node:https` agents whose connections are dialled here, so
 * that every phase of a new connection can be timed (DNS, TCP connect, TLS
 * handshake), the `hosts` option can redirect a dial, and the TLS settings
 * are the ones every wsload client shares.
 *
 * @module
 */
import { Agent as HttpAgent, type AgentOptions } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { connect as netConnect, isIP, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { nodeTlsOptions } from "../transport/tls.ts";
import type { TlsOptions } from "../transport/transport.ts";

/** The moments of a new connection (`performance.now()` ms; 0 = not yet). */
export interface ConnectionTrace {
  /** The TCP connect began (after the DNS lookup, if any). */
  connectStart: number;
  /** The TCP connect finished. */
  connectDone: number;
  /** The TLS handshake began (0 for plain connections). */
  tlsStart: number;
  /** The TLS handshake finished. */
  tlsDone: number;
  /** Whether the connection is TLS. */
  readonly tls: boolean;
}

const traces = new WeakMap<Socket, ConnectionTrace>();

/**
 * The trace of a connection this pool dialled.
 *
 * @param socket The connection.
 * @returns Its trace, or `undefined` for a socket from elsewhere.
 */
export function connectionTrace(socket: Socket): ConnectionTrace | undefined {
  return traces.get(socket);
}

/** What a pool is made of. */
export interface PoolOptions {
  /** TLS settings of `https:` connections. */
  readonly tls: TlsOptions;
  /** k6's `hosts`: `host[:port]` or `*.domain` → `ip[:port]`. */
  readonly hosts: Readonly<Record<string, string>>;
  /** Keep connections alive between requests (not `noConnectionReuse`). */
  readonly keepAlive: boolean;
  /** Idle connections kept per host (k6's `batchPerHost`). */
  readonly maxIdlePerHost: number;
}

/** Where a dial goes after the `hosts` option. */
export interface DialAddress {
  /** The host or IP to connect to. */
  readonly host: string;
  /** The port. */
  readonly port: number;
}

function lookupHosts(
  hosts: Readonly<Record<string, string>>,
  key: string,
): string | undefined {
  if (key in hosts) return hosts[key];
  for (const [pattern, target] of Object.entries(hosts)) {
    if (!pattern.startsWith("*")) continue;
    const suffix = pattern.slice(1).replace(/^\.?/, ".");
    const [name, port] = key.split(/:(?=\d+$)/);
    const [patternName, patternPort] = suffix.split(/:(?=\d+$)/);
    if (patternPort !== port) continue;
    if (name.endsWith(patternName) || `.${name}` === patternName) return target;
  }
  return undefined;
}

/**
 * Applies k6's `hosts` option to a dial: `host:port` entries first, then
 * `host` entries (whose target keeps the port unless it names one), with
 * `*.domain` wildcards.
 *
 * @param hosts The option (keys lower-case).
 * @param host The URL's host name.
 * @param port The URL's port.
 * @returns Where to connect.
 *
 * @example
 * ```ts
 * import { resolveHosts } from "./_pool.ts";
 * import assert from "node:assert/strict";
 *
 * const hosts = { "test.k6.io": "127.0.0.1", "api.test:443": "127.0.0.1:8443" };
 * assert.deepEqual(resolveHosts(hosts, "test.k6.io", 80), { host: "127.0.0.1", port: 80 });
 * assert.deepEqual(resolveHosts(hosts, "api.test", 443), { host: "127.0.0.1", port: 8443 });
 * ```
 */
export function resolveHosts(
  hosts: Readonly<Record<string, string>>,
  host: string,
  port: number,
): DialAddress {
  const name = host.toLowerCase();
  const target = lookupHosts(hosts, `${name}:${port}`) ??
    lookupHosts(hosts, name);
  if (target === undefined) return { host, port };
  if (isIP(target) !== 0) return { host: target, port };
  const match = /^\[?([^\]]*?)\]?:(\d+)$/.exec(target);
  if (match === null || isIP(match[1]) === 0) return { host, port };
  return { host: match[1], port: Number(match[2]) };
}

interface DialOptions {
  readonly host?: string | null;
  readonly hostname?: string | null;
  readonly port?: number | string | null;
  readonly servername?: string;
}

type Dial = (request: DialOptions, tls: boolean) => Socket;

type AgentClass = new (options: AgentOptions) => HttpAgent;

// One agent class per protocol for every pool: a class made per pool would
// give each VU's agent its own hidden class, and node:http's agent code
// (shared by all of them) would turn megamorphic.
function dialingAgent(Base: AgentClass, tls: boolean) {
  return class DialingAgent extends Base {
    readonly #dial: Dial;
    constructor(options: AgentOptions, dial: Dial) {
      super(options);
      this.#dial = dial;
    }
    override createConnection(request: DialOptions): Socket {
      return this.#dial(request, tls);
    }
  };
}

const DialingHttpAgent = dialingAgent(HttpAgent, false);
const DialingHttpsAgent = dialingAgent(HttpsAgent, true);

/** A VU's connections; see the module doc. */
export class ConnectionPool {
  readonly #options: PoolOptions;
  readonly #http: HttpAgent;
  readonly #https: HttpAgent;

  /**
   * Creates the pool (no connection is opened yet).
   *
   * @param options TLS, hosts and keep-alive settings.
   */
  constructor(options: PoolOptions) {
    this.#options = options;
    const agentOptions: AgentOptions = {
      keepAlive: options.keepAlive,
      maxFreeSockets: options.maxIdlePerHost,
      // (node's default scheduling is "lifo": the most recent idle
      // connection first, as Go's transport picks; every key here is
      // copied on each request, so defaults stay out.)
    };
    const dial: Dial = (request, tls) => this.#dial(request, tls);
    this.#http = new DialingHttpAgent(agentOptions, dial);
    this.#https = new DialingHttpsAgent(agentOptions, dial);
  }

  /** Whether connections are kept alive between requests. */
  get keepAlive(): boolean {
    return this.#options.keepAlive;
  }

  /**
   * The agent for a URL's protocol.
   *
   * @param tls Whether the URL is `https:`.
   * @returns The agent.
   */
  agent(tls: boolean): HttpAgent {
    return tls ? this.#https : this.#http;
  }

  /** Closes the idle kept-alive connections (k6's `noVUConnectionReuse`). */
  closeIdle(): void {
    for (const agent of [this.#http, this.#https]) {
      for (const sockets of Object.values(agent.freeSockets)) {
        for (const socket of sockets ?? []) socket.destroy();
      }
    }
  }

  /** Closes every connection. */
  destroy(): void {
    this.#http.destroy();
    this.#https.destroy();
  }

  #dial(request: DialOptions, tls: boolean): Socket {
    const host = String(request.hostname ?? request.host ?? "localhost")
      .replace(/^\[(.*)\]$/, "$1");
    const port = Number(request.port ?? (tls ? 443 : 80));
    const target = resolveHosts(this.#options.hosts, host, port);
    const trace: ConnectionTrace = {
      connectStart: 0,
      connectDone: 0,
      tlsStart: 0,
      tlsDone: 0,
      tls,
    };
    // TCP first, then TLS over it: each runtime then reports the end of
    // the TCP connect on its own (Deno's one-step TLS dial reports both at
    // the end of the handshake).
    // No Nagle delay, as Go (and node:http's own agent) dial.
    const tcp = netConnect({
      host: target.host,
      port: target.port,
      noDelay: true,
    });
    // An IP address needs no lookup: the connect starts now.
    if (isIP(target.host) !== 0) trace.connectStart = performance.now();
    else tcp.once("lookup", () => trace.connectStart = performance.now());
    tcp.once("connect", () => {
      const at = performance.now();
      trace.connectStart ||= at;
      trace.connectDone = at;
      if (tls) trace.tlsStart = at;
    });
    let socket: Socket = tcp;
    if (tls) {
      const servername = request.servername ?? host;
      socket = tlsConnect({
        ...nodeTlsOptions(this.#options.tls, servername),
        socket: tcp,
        // SNI never carries an IP address.
        servername: isIP(servername) === 0 ? servername : undefined,
        ALPNProtocols: ["http/1.1"],
      });
      socket.once("secureConnect", () => trace.tlsDone = performance.now());
    }
    traces.set(socket, trace);
    return socket;
  }
}
