/**
 * The route table of {@linkcode startServer}: for each request head, either
 * a plain HTTP answer or an upgrade plan (fixture + the carriers that can
 * reproduce its wire behaviour). Pure: resolving a route changes nothing;
 * only opening the plan starts the fixture.
 *
 * @module
 */

import { ChatRooms } from "./_chat.ts";
import { CoupleRelay } from "./_couple.ts";
import { echoServerFixture, echoServerPage } from "./_echo_server.ts";
import {
  type Carrier,
  type Fixture,
  openSession,
  type Recorder,
  type UpgradePlan,
} from "./_fixture.ts";
import { utf8 } from "./_frames.ts";
import { offeredProtocols, type RequestHead } from "./_http.ts";

/** A plain HTTP response. */
export interface HttpAnswer {
  readonly kind: "http";
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A WebSocket route. */
export interface WebSocketAnswer {
  readonly kind: "websocket";
  readonly plan: UpgradePlan;
  /** The answer when the request is not an upgrade (default: 400). */
  readonly plain?: HttpAnswer;
}

/** The state routes share on one server. */
export interface RouteState {
  readonly recorder: Recorder;
  readonly rooms: ChatRooms;
  readonly couples: CoupleRelay;
  /** The most bytes that may wait to be written to one client. */
  readonly maxQueuedBytes: number;
}

/**
 * Creates the route state of a new server.
 *
 * @param recorder The server's logs.
 * @param maxQueuedBytes The most bytes that may wait to be written to one
 * client (or, on the relay, for a partner not yet connected).
 * @returns Fresh chat rooms and relay pairs.
 */
export function createRouteState(
  recorder: Recorder,
  maxQueuedBytes: number,
): RouteState {
  return {
    recorder,
    rooms: new ChatRooms(),
    couples: new CoupleRelay(maxQueuedBytes),
    maxQueuedBytes,
  };
}

/** Every carrier; the server's engine decides between "deno" and "ws". */
const ANY: readonly Carrier[] = ["deno", "ws", "raw"];
/** Needs pings, pongs or a TCP drop, which Deno's server cannot do. */
const NOT_DENO: readonly Carrier[] = ["ws", "raw"];
/**
 * Needs the gorilla close reply (same code, EMPTY reason): Deno's and ws's
 * servers echo the client's reason.
 */
const RAW: readonly Carrier[] = ["raw"];

/**
 * The ~250-character text `/ws-compression` and `/ws-compression-disabled`
 * send (long enough for deflate to matter).
 *
 * @example Check what the compression route sent
 * ```ts
 * import { COMPRESSION_TEXT, startServer } from "./mod.ts";
 * import WebSocket from "ws";
 *
 * const server = await startServer();
 * const ws = new WebSocket(`${server.url}/ws-compression`, {
 *   perMessageDeflate: { serverNoContextTakeover: true, clientNoContextTakeover: true },
 * });
 * const [data] = await new Promise<unknown[]>((resolve) =>
 *   ws.once("message", (...args) => resolve(args))
 * );
 * await new Promise((resolve) => ws.on("close", resolve));
 * await server.close();
 * console.log(String(data) === COMPRESSION_TEXT); // true
 * ```
 */
export const COMPRESSION_TEXT: string =
  "Lorem ipsum dolor sit amet, consectetur adipiscing elit. Integer " +
  "fermentum tortor at nibh luctus, sed posuere lorem pulvinar. Curabitur " +
  "vitae justo non arcu dictum consequat. Sed ut massa eu turpis tincidunt " +
  "faucibus quis vel magna. Fusce a feugiat nisl.";

/** Server subprotocol preferences of `/ws-subprotocols`. */
const SUPPORTED_PROTOCOLS = ["unsupported", "supported"];

const echoOnce: Fixture = (socket) => {
  let echoed = false;
  return {
    message(data) {
      if (echoed) return;
      echoed = true;
      socket.send(data);
    },
  };
};

const echoThenDrop: Fixture = (socket) => {
  let echoed = false;
  return {
    message(data) {
      if (echoed) return;
      echoed = true;
      socket.send(data);
      socket.drop();
    },
  };
};

const echoAll: Fixture = (socket) => ({
  message: (data) => socket.send(data),
});

function closeWith(code: number | undefined, reason?: string): Fixture {
  return (socket) => socket.close(code, reason);
}

function sendThenClose(text: string): Fixture {
  return (socket) => {
    socket.send(text);
    socket.close(1000);
  };
}

const serverPing: Fixture = (socket) => {
  socket.ping("server-ping");
  return echoAll(socket);
};

const pingThenDrop: Fixture = (socket) => {
  for (let i = 0; i < 20; i++) socket.ping("p");
  socket.drop();
};

interface Route {
  readonly path: RegExp;
  answer(head: RequestHead, match: RegExpExecArray, state: RouteState):
    | HttpAnswer
    | WebSocketAnswer
    | undefined;
}

const ROUTES: readonly Route[] = [
  {
    path: /^\/ws-echo$/,
    answer: (head, _, state) => websocket(head, state, RAW, echoOnce),
  },
  {
    path: /^\/ws-(?:echo|close)-invalid$/,
    answer: (head, _, state) => websocket(head, state, NOT_DENO, echoThenDrop),
  },
  {
    path: /^\/ws-echo-multi$|^\/ws\/echo$/,
    answer: (head, _, state) => websocket(head, state, RAW, echoAll),
  },
  {
    path: /^\/ws-close$/,
    answer: (head, _, state) => websocket(head, state, ANY, closeWith(1000)),
  },
  {
    path: /^\/ws-close-code$/,
    answer(head, _, state) {
      const code = Number(head.query.get("code") ?? "1000");
      if (!Number.isInteger(code) || code < 0 || code > 0xffff) {
        return http(400, "Query parameter code must be an integer 0-65535\n");
      }
      const reason = head.query.get("reason") ?? "";
      const carriers = isSendableClose(code, reason) ? ANY : RAW;
      return websocket(head, state, carriers, closeWith(code, reason));
    },
  },
  {
    path: /^\/ws-remote-close$/,
    answer: (head, _, state) =>
      websocket(head, state, ANY, closeWith(1001, "closed by server")),
  },
  {
    path: /^\/ws-close-no-status$/,
    answer: (head, _, state) =>
      websocket(head, state, ANY, closeWith(undefined)),
  },
  {
    path: /^\/status\/(\d{3})$/,
    answer(_head, match) {
      const status = Number(match[1]);
      if (status < 200 || status > 599) return undefined;
      return http(status, `${status}\n`, { "X-Fixture": "status" });
    },
  },
  {
    path: /^\/ws-echo-(?:useragent|someheader)$/,
    answer(head, _, state) {
      const headers: Record<string, string> = {};
      const userAgent = head.headers["user-agent"];
      if (userAgent !== undefined) headers["Echo-User-Agent"] = userAgent;
      const someheader = head.cookies["someheader"];
      if (someheader !== undefined) headers["Echo-Someheader"] = someheader;
      return websocket(head, state, ANY, closeWith(1000), { headers });
    },
  },
  {
    path: /^\/ws-compression$/,
    answer: (head, _, state) =>
      websocket(head, state, ["ws"], sendThenClose(COMPRESSION_TEXT), {
        compression: true,
      }),
  },
  {
    path: /^\/ws-compression-disabled$/,
    answer: (head, _, state) =>
      websocket(head, state, ANY, sendThenClose(COMPRESSION_TEXT)),
  },
  {
    path: /^\/ws-subprotocols$|^\/ws\/protocols$/,
    answer(head, _, state) {
      const offered = offeredProtocols(head);
      const protocol = SUPPORTED_PROTOCOLS.find((p) => offered.includes(p));
      return websocket(head, state, ANY, echoAll, { protocol });
    },
  },
  {
    path: /^\/ws\/couple\/([1-9]\d{0,8})$/,
    answer: (head, match, state) =>
      websocket(head, state, ANY, state.couples.fixture(Number(match[1]))),
  },
  {
    path: /^\/ws-server-ping$/,
    answer: (head, _, state) => websocket(head, state, NOT_DENO, serverPing),
  },
  {
    path: /^\/ws-ping-then-drop$/,
    answer: (head, _, state) => websocket(head, state, NOT_DENO, pingThenDrop),
  },
  {
    path: /^\/ws-set-cookie$/,
    answer: (head, _, state) =>
      websocket(head, state, ANY, echoAll, {
        headers: { "Set-Cookie": "session=abc; Path=/" },
      }),
  },
  {
    path: /^\/echo$/,
    answer: (head, _, state) => ({
      ...websocket(head, state, ANY, echoServerFixture(head)),
      plain: http(200, echoServerPage(head)),
    }),
  },
  {
    // `/ws` is the room of the current k6 docs' example (QuickPizza's URL).
    path: /^\/chat\/([^/]+)$|^\/ws\/crocochat\/([^/]+)\/$|^\/ws$/,
    answer(head, match, state) {
      const room = decodeURIComponent(match[1] ?? match[2] ?? "default");
      return websocket(head, state, ANY, state.rooms.fixture(room));
    },
  },
];

/**
 * Finds the answer to a request.
 *
 * @param head The request head.
 * @param state The server's shared state.
 * @returns The route's answer; 404 for unknown paths.
 */
export function resolveRoute(
  head: RequestHead,
  state: RouteState,
): HttpAnswer | WebSocketAnswer {
  for (const route of ROUTES) {
    const match = route.path.exec(head.path);
    if (match === null) continue;
    let answer: HttpAnswer | WebSocketAnswer | undefined;
    try {
      answer = route.answer(head, match, state);
    } catch {
      return http(400, "Malformed request path\n");
    }
    if (answer !== undefined) return answer;
  }
  return http(404, "404 page not found\n");
}

/**
 * A plain answer.
 *
 * @param status HTTP status.
 * @param body Text body.
 * @param headers Extra headers.
 * @returns The answer.
 */
export function http(
  status: number,
  body: string,
  headers: Readonly<Record<string, string>> = {},
): HttpAnswer {
  return { kind: "http", status, headers, body };
}

interface UpgradeOptions {
  readonly protocol?: string | undefined;
  readonly headers?: Readonly<Record<string, string>>;
  readonly compression?: boolean;
}

function websocket(
  head: RequestHead,
  state: RouteState,
  carriers: readonly Carrier[],
  fixture: Fixture,
  options: UpgradeOptions = {},
): WebSocketAnswer {
  return {
    kind: "websocket",
    plan: {
      carriers,
      protocol: options.protocol,
      headers: options.headers ?? {},
      compression: options.compression ?? false,
      open: (socket) =>
        openSession(
          head.path,
          state.recorder,
          socket,
          fixture,
          state.maxQueuedBytes,
        ),
    },
  };
}

/**
 * Whether Deno's and ws's servers can send this close frame: a code `ws`
 * accepts and a reason that fits a control frame. Anything else is sent raw.
 */
function isSendableClose(code: number, reason: string): boolean {
  const validCode = (code >= 1000 && code <= 1014 && code !== 1004 &&
    code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
  return validCode && utf8(reason).byteLength <= 123;
}
