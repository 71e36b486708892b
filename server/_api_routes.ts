/**
 * The routes of {@linkcode startHttpServer}: QuickPizza's HTTP testing API
 * (the server the k6 documentation's HTTP examples use), the test.k6.io
 * pages those examples fetch, a login that hands out tokens and a WebSocket
 * that wants one, and deliberate network faults.
 *
 * @module
 */

import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";

/** What a route handler gets. */
export interface Exchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly url: URL;
  /** The request body, read whole. */
  readonly body: Uint8Array;
  /** Timers to clear when the server closes. */
  readonly timers: Set<ReturnType<typeof setTimeout>>;
  /** Tokens handed out by the login route. */
  readonly tokens: Map<string, string>;
}

/** The users the login route knows (QuickPizza's default user). */
export const USERS: Readonly<Record<string, string>> = {
  default: "12345678",
};

/** The text test.k6.io's home page carries (the k6 docs' checks look for it). */
export const HOME_TEXT =
  "Collection of simple web-pages suitable for load testing.";

const HOME_PAGE = `<!DOCTYPE html>
<html>
<head><title>Demo website for load testing</title>
<link rel="stylesheet" href="/style.css"></head>
<body><h1>${HOME_TEXT}</h1>
<p><a href="/contacts.php">Contacts</a> <a href="/news.php">News</a>
<a href="/pi.php?decimals=3">Pi</a> <a href="/flip_coin.php">Flip a coin</a></p>
</body>
</html>
`;

const STYLE = "body { font-family: sans-serif; }\n";
// A 1x1 transparent PNG.
const LOGO = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);
const PI = "3.14159265358979323846264338327950288419716939937510";

function send(
  response: ServerResponse,
  status: number,
  body: string | Uint8Array = "",
  headers: Record<string, string | string[]> = {},
): void {
  response.writeHead(status, headers);
  response.end(body);
}

function sendJSON(response: ServerResponse, status: number, data: unknown) {
  send(response, status, JSON.stringify(data), {
    "Content-Type": "application/json",
  });
}

/** Go's canonical header name (`x-foo` → `X-Foo`). */
function canonical(name: string): string {
  return name.split("-").map((part) =>
    part.charAt(0).toUpperCase() + part.slice(1).toLowerCase()
  ).join("-");
}

function cookiesOf(request: IncomingMessage): Record<string, string> {
  const cookies: Record<string, string> = {};
  const header = request.headers.cookie;
  if (header === undefined) return cookies;
  for (const pair of header.split(";")) {
    const equals = pair.indexOf("=");
    if (equals <= 0) continue;
    // Go's net/http drops the quotes around a quoted value.
    cookies[pair.slice(0, equals).trim()] = pair.slice(equals + 1).trim()
      .replace(/^"(.*)"$/, "$1");
  }
  return cookies;
}

/** Go's time.ParseDuration for the delay route, or seconds. */
function delayMs(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text);
  if (match === null) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000 }[match[2]]!;
  return Number(match[1]) * unit;
}

/** The `Authorization: Token x` / `Bearer x` header's token, or `?token=`. */
export function requestToken(request: IncomingMessage, url: URL): string {
  const header = request.headers.authorization ?? "";
  const match = /^(?:Token|Bearer)\s+(\S+)$/i.exec(header);
  return match?.[1] ?? url.searchParams.get("token") ?? "";
}

function basicAuth(request: IncomingMessage): [string, string] | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? "");
  if (match === null) return undefined;
  const text = Buffer.from(match[1], "base64").toString("utf8");
  const colon = text.indexOf(":");
  return colon < 0 ? undefined : [text.slice(0, colon), text.slice(colon + 1)];
}

type Handler = (exchange: Exchange, match: RegExpExecArray) => void;

const echoBody: Handler = ({ request, response, body }) => {
  const type = request.headers["content-type"];
  send(response, 200, body, type === undefined ? {} : { "Content-Type": type });
};

const compressed = (
  encoding: string,
  compress: (data: Uint8Array) => Uint8Array,
): Handler =>
({ request, response }) => {
  const data = JSON.stringify({ [encoding]: true, method: request.method });
  send(response, 200, compress(Buffer.from(data)), {
    "Content-Type": "application/json",
    "Content-Encoding": encoding,
  });
};

// Method (or "*"), path pattern, handler; the first match answers.
const ROUTES: readonly (readonly [string, RegExp, Handler])[] = [
  ["*", /^\/api\/status\/(\d+)$/, ({ response }, m) => {
    const status = Number(m[1]);
    send(response, status >= 100 && status <= 599 ? status : 400);
  }],
  ["GET", /^\/api\/bytes\/(\d+)$/, ({ response }, m) => {
    send(response, 200, randomBytes(Number(m[1])), {
      "Content-Type": "application/octet-stream",
    });
  }],
  ["GET", /^\/api\/delay\/([^/]+)$/, ({ response, timers }, m) => {
    const ms = delayMs(m[1]);
    if (ms === undefined) return send(response, 400);
    const timer = setTimeout(() => {
      timers.delete(timer);
      send(response, 200);
    }, ms);
    timers.add(timer);
  }],
  ["GET", /^\/api\/get$/, ({ response }) => send(response, 200)],
  ["DELETE", /^\/api\/delete$/, ({ response }) => send(response, 200)],
  ["POST", /^\/api\/post$/, echoBody],
  ["PUT", /^\/api\/put$/, echoBody],
  ["PATCH", /^\/api\/patch$/, echoBody],
  ["GET", /^\/api\/cookies$/, ({ request, response }) => {
    sendJSON(response, 200, { cookies: cookiesOf(request) });
  }],
  ["POST", /^\/api\/cookies$/, ({ response, url }) => {
    const cookies = [...url.searchParams.keys()].filter((key, index, all) =>
      all.indexOf(key) === index
    ).map((key) => `${key}=${url.searchParams.get(key)}`);
    send(
      response,
      200,
      "",
      cookies.length > 0 ? { "Set-Cookie": cookies } : {},
    );
  }],
  ["GET", /^\/api\/headers$/, ({ request, response }) => {
    const headers: Record<string, string> = {};
    for (let i = 0; i < request.rawHeaders.length; i += 2) {
      const name = canonical(request.rawHeaders[i]);
      const value = request.rawHeaders[i + 1];
      headers[name] = name in headers ? `${headers[name]},${value}` : value;
    }
    headers.Host = request.headers.host ?? "";
    sendJSON(response, 200, { headers });
  }],
  [
    "GET",
    /^\/api\/basic-auth\/([^/]+)\/([^/]+)$/,
    ({ request, response }, m) => {
      const [user, password] = basicAuth(request) ?? ["", ""];
      sendJSON(response, 200, {
        user: m[1],
        password: m[2],
        authenticated: user === m[1] && password === m[2],
      });
    },
  ],
  ["GET", /^\/api\/json$/, ({ response, url }) => {
    const data: Record<string, string> = {};
    for (const key of url.searchParams.keys()) {
      data[key] ??= url.searchParams.get(key)!;
    }
    sendJSON(response, 200, data);
  }],
  ["GET", /^\/api\/doughs$/, ({ response }) => {
    sendJSON(response, 200, {
      doughs: [
        { ID: 1, name: "Thin", caloriesPerSlice: 150 },
        { ID: 2, name: "Thick", caloriesPerSlice: 200 },
      ],
    });
  }],
  ["POST", /^\/api\/users\/token\/login$/, ({ response, body, tokens }) => {
    let credentials: { username?: unknown; password?: unknown };
    try {
      credentials = JSON.parse(Buffer.from(body).toString("utf8"));
    } catch {
      return sendJSON(response, 400, { error: "invalid JSON body" });
    }
    const { username, password } = credentials ?? {};
    if (
      typeof username !== "string" || USERS[username] === undefined ||
      USERS[username] !== password
    ) {
      return sendJSON(response, 401, { error: "authentication failed" });
    }
    const token = randomBytes(8).toString("hex");
    tokens.set(token, username);
    sendJSON(response, 200, { token });
  }],
  ["GET", /^\/api\/users\/me$/, ({ request, response, url, tokens }) => {
    const user = tokens.get(requestToken(request, url));
    if (user === undefined) {
      return sendJSON(response, 401, { error: "authentication failed" });
    }
    sendJSON(response, 200, { username: user });
  }],
  // test.k6.io and k6.io pages.
  ["GET", /^\/$/, ({ response }) =>
    send(response, 200, HOME_PAGE, {
      "Content-Type": "text/html; charset=UTF-8",
    })],
  [
    "GET",
    /^\/style\.css$/,
    ({ response }) =>
      send(response, 200, STYLE, { "Content-Type": "text/css" }),
  ],
  [
    "GET",
    /^\/images\/logo\.png$/,
    ({ response }) =>
      send(response, 200, LOGO, { "Content-Type": "image/png" }),
  ],
  ["GET", /^\/pi\.php$/, ({ response, url }) => {
    const decimals = Math.min(
      Number(url.searchParams.get("decimals") ?? "2") || 2,
      PI.length - 2,
    );
    send(response, 200, PI.slice(0, 2 + decimals), {
      "Content-Type": "text/html; charset=UTF-8",
    });
  }],
  [
    "GET",
    /^\/features$/,
    ({ response }) =>
      send(response, 200, "<html><body>Features</body></html>\n", {
        "Content-Type": "text/html; charset=UTF-8",
      }),
  ],
  [
    "OPTIONS",
    /^\/$/,
    ({ response }) =>
      send(response, 204, "", { Allow: "OPTIONS, GET, HEAD, POST" }),
  ],
  // wsload's own test routes.
  ["*", /^\/anything(\/.*)?$/, ({ request, response, url, body }) => {
    const headers: [string, string][] = [];
    for (let i = 0; i < request.rawHeaders.length; i += 2) {
      headers.push([request.rawHeaders[i], request.rawHeaders[i + 1]]);
    }
    sendJSON(response, 200, {
      method: request.method,
      url: url.pathname + url.search,
      headers,
      body: Buffer.from(body).toString("latin1"),
    });
  }],
  ["*", /^\/redirect\/(\d+)$/, ({ response }, m) => {
    const left = Number(m[1]);
    if (left === 0) return send(response, 200, "redirected");
    send(response, 302, "", { Location: `/redirect/${left - 1}` });
  }],
  ["*", /^\/redirect-to$/, ({ response, url }) => {
    send(response, Number(url.searchParams.get("status") ?? "302"), "", {
      Location: url.searchParams.get("url") ?? "/",
    });
  }],
  ["GET", /^\/set-cookie-redirect$/, ({ response, url }) => {
    send(response, 302, "", {
      Location: url.searchParams.get("url") ?? "/api/cookies",
      "Set-Cookie": `${url.searchParams.get("name") ?? "visited"}=yes; Path=/`,
    });
  }],
  ["GET", /^\/gzip$/, compressed("gzip", gzipSync)],
  ["GET", /^\/deflate$/, compressed("deflate", deflateSync)],
  ["GET", /^\/br$/, compressed("br", brotliCompressSync)],
  [
    "GET",
    /^\/bad-gzip$/,
    ({ response }) =>
      send(response, 200, "this is not gzip", { "Content-Encoding": "gzip" }),
  ],
  ["GET", /^\/slow-body$/, ({ response, url, timers }) => {
    response.writeHead(200, { "Content-Type": "text/plain" });
    response.write("first part;");
    const timer = setTimeout(() => {
      timers.delete(timer);
      response.end("second part");
    }, Number(url.searchParams.get("ms") ?? "100"));
    timers.add(timer);
  }],
  ["GET", /^\/large$/, ({ response, url }) => {
    send(response, 200, "x".repeat(Number(url.searchParams.get("n") ?? "0")));
  }],
  ["*", /^\/fault\/reset$/, ({ request }) => {
    const socket = request.socket as Socket & { resetAndDestroy?: () => void };
    if (typeof socket.resetAndDestroy === "function") socket.resetAndDestroy();
    else socket.destroy();
  }],
  ["*", /^\/fault\/eof$/, ({ request }) => request.socket.end()],
  ["*", /^\/fault\/hang$/, () => {}],
];

/**
 * Answers one request.
 *
 * @param exchange The request, its body and the server's state.
 */
export function route(exchange: Exchange): void {
  const method = exchange.request.method ?? "GET";
  const path = exchange.url.pathname;
  let pathMatched = false;
  for (const [wanted, pattern, handler] of ROUTES) {
    const match = pattern.exec(path);
    if (match === null) continue;
    pathMatched = true;
    if (
      wanted === "*" || wanted === method ||
      (method === "HEAD" && wanted === "GET")
    ) {
      handler(exchange, match);
      return;
    }
  }
  if (pathMatched) send(exchange.response, 405, "Method Not Allowed\n");
  else {
    send(exchange.response, 404, "404 page not found\n", {
      "Content-Type": "text/plain; charset=utf-8",
    });
  }
}
