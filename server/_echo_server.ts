/**
 * `/echo`: behaves like jmalloc/echo-server, the server the k6 documentation
 * points at for echo tests. A WebSocket first receives the text
 * `Request served by <hostname>` (an empty text message when the request
 * carries `X-Send-Server-Hostname: false`), then every message is echoed
 * with its type. A plain HTTP request gets a text dump of itself.
 *
 * @module
 */

import { hostname } from "node:os";
import type { Fixture } from "./_fixture.ts";
import type { RequestHead } from "./_http.ts";

function greeting(head: RequestHead): string {
  if (head.headers["x-send-server-hostname"]?.toLowerCase() === "false") {
    return "";
  }
  try {
    return `Request served by ${hostname()}`;
  } catch (error) {
    return `Server hostname unknown: ${(error as Error).message}`;
  }
}

/**
 * The WebSocket side of `/echo`.
 *
 * @param head The upgrade request.
 * @returns The fixture.
 */
export function echoServerFixture(head: RequestHead): Fixture {
  return (socket) => {
    socket.send(greeting(head));
    return { message: (data) => socket.send(data) };
  };
}

/**
 * The plain HTTP side of `/echo`: the greeting, a blank line, the request
 * line, a blank line, `Host` and the other headers sorted by name.
 *
 * @param head The request.
 * @returns The response body.
 */
export function echoServerPage(head: RequestHead): string {
  const text = greeting(head);
  const lines = text === "" ? [] : [text, ""];
  lines.push(`${head.method} ${head.target} HTTP/1.1`, "");
  lines.push(`Host: ${head.headers["host"] ?? ""}`);
  for (const name of Object.keys(head.headers).sort()) {
    if (name !== "host") {
      lines.push(`${canonicalName(name)}: ${head.headers[name]}`);
    }
  }
  return lines.join("\n") + "\n";
}

/** `sec-websocket-key` → `Sec-Websocket-Key` (Go's canonical form). */
function canonicalName(name: string): string {
  return name.replace(
    /(^|-)([a-z])/g,
    (_, dash, letter) => dash + letter.toUpperCase(),
  );
}
