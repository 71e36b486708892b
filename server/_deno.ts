/**
 * Deno-only adapter: the "deno" carrier, Deno.serve + Deno.upgradeWebSocket
 * on a private loopback port. The front door hands it upgrade requests by
 * piping their bytes to that port; the plan for each one was decided by the
 * front door and is looked up by the proxy connection's source port.
 *
 * Loaded only through `import("./_deno.ts")` under Deno.
 *
 * @module
 */

import type {
  FixtureSocket,
  ProxiedCarrier,
  ProxiedUpgrade,
  SessionEvents,
} from "./_fixture.ts";

/**
 * Starts the Deno carrier.
 *
 * @param upgradeFor Returns the plan of the proxied request arriving from
 * the given local port of the front door's upstream connection.
 * @returns The running server.
 */
export function startDenoCarrier(
  upgradeFor: (sourcePort: number) => ProxiedUpgrade | undefined,
): Promise<ProxiedCarrier> {
  return new Promise((resolve) => {
    const server = Deno.serve(
      {
        hostname: "127.0.0.1",
        port: 0,
        onListen: (address) =>
          resolve({
            port: address.port,
            close: () => server.shutdown(),
          }),
      },
      (request, info) => {
        const proxied = upgradeFor(info.remoteAddr.port);
        if (proxied === undefined) {
          return new Response("No fixture for this connection\n", {
            status: 500,
          });
        }
        return upgrade(request, proxied);
      },
    );
  });
}

function upgrade(request: Request, { plan, abort }: ProxiedUpgrade): Response {
  // Deno's own protocol option only finds offers separated by ", " (ws
  // sends "a,b"); the front door already chose, so set the header directly.
  const { socket, response } = Deno.upgradeWebSocket(request);
  const headers = plan.protocol === undefined
    ? plan.headers
    : { "Sec-WebSocket-Protocol": plan.protocol, ...plan.headers };
  for (const [name, value] of Object.entries(headers)) {
    response.headers.set(name, value);
  }
  socket.binaryType = "arraybuffer";
  let events: SessionEvents | undefined;
  socket.onopen = () => {
    events = plan.open(new DenoFixtureSocket(socket, abort));
  };
  socket.onmessage = (event) => {
    const data = event.data;
    events?.message(
      typeof data === "string" ? data : new Uint8Array(data as ArrayBuffer),
    );
  };
  socket.onclose = (event) => {
    // 1006: the connection ended without a close frame.
    if (event.code !== 1006) {
      events?.closeFrame(
        event.code === 1005 ? undefined : event.code,
        event.reason,
      );
    }
    events?.end();
  };
  socket.onerror = () => {};
  return response;
}

class DenoFixtureSocket implements FixtureSocket {
  #socket: WebSocket;
  #abort: () => void;

  constructor(socket: WebSocket, abort: () => void) {
    this.#socket = socket;
    this.#abort = abort;
  }

  send(data: string | Uint8Array): void {
    if (this.#socket.readyState === WebSocket.OPEN) {
      this.#socket.send(data as string | Uint8Array<ArrayBuffer>);
    }
  }

  ping(): void {
    throw new Error("The deno carrier cannot send pings");
  }

  close(code?: number, reason?: string): void {
    if (this.#socket.readyState === WebSocket.OPEN) {
      this.#socket.close(code, reason);
    }
  }

  drop(): void {
    throw new Error("The deno carrier cannot drop a connection");
  }

  get bufferedAmount(): number {
    return this.#socket.bufferedAmount;
  }

  abort(): void {
    this.#abort();
  }
}
