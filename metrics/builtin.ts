/**
 * The built-in metrics k6 emits, defined in the process-wide registry.
 *
 * @module
 */
import type { Metric } from "./metric.ts";
import { registry } from "./registry.ts";

/** Counter: WebSocket sessions started (one per connection attempt). */
export const WS_SESSIONS: Metric = registry.define("ws_sessions", "counter");
/** Trend (ms): duration of the WebSocket handshake. */
export const WS_CONNECTING: Metric = registry.define(
  "ws_connecting",
  "trend",
  "time",
);
/** Trend (ms): duration of a WebSocket session. */
export const WS_SESSION_DURATION: Metric = registry.define(
  "ws_session_duration",
  "trend",
  "time",
);
/** Counter: WebSocket messages sent. */
export const WS_MSGS_SENT: Metric = registry.define("ws_msgs_sent", "counter");
/** Counter: WebSocket messages received. */
export const WS_MSGS_RECEIVED: Metric = registry.define(
  "ws_msgs_received",
  "counter",
);
/** Trend (ms): ping to matching pong round trip. */
export const WS_PING: Metric = registry.define("ws_ping", "trend", "time");
/** Counter (bytes): bytes written by the VU's connections. */
export const DATA_SENT: Metric = registry.define(
  "data_sent",
  "counter",
  "data",
);
/** Counter (bytes): bytes read by the VU's connections. */
export const DATA_RECEIVED: Metric = registry.define(
  "data_received",
  "counter",
  "data",
);
/** Gauge: active VUs. */
export const VUS: Metric = registry.define("vus", "gauge");
/** Gauge: allocated VUs. */
export const VUS_MAX: Metric = registry.define("vus_max", "gauge");
/** Counter: completed iterations. */
export const ITERATIONS: Metric = registry.define("iterations", "counter");
/** Trend (ms): duration of a complete iteration. */
export const ITERATION_DURATION: Metric = registry.define(
  "iteration_duration",
  "trend",
  "time",
);
/** Counter: iterations that could not be started. */
export const DROPPED_ITERATIONS: Metric = registry.define(
  "dropped_iterations",
  "counter",
);
/** Rate: passed checks. */
export const CHECKS: Metric = registry.define("checks", "rate");
/** Trend (ms): duration of a `group()` call. */
export const GROUP_DURATION: Metric = registry.define(
  "group_duration",
  "trend",
  "time",
);
/** Counter: HTTP requests made (one per round trip, redirects included). */
export const HTTP_REQS: Metric = registry.define("http_reqs", "counter");
/** Trend (ms): sending + waiting + receiving of an HTTP request. */
export const HTTP_REQ_DURATION: Metric = registry.define(
  "http_req_duration",
  "trend",
  "time",
);
/** Trend (ms): waiting for a connection (includes a new one's dial and TLS). */
export const HTTP_REQ_BLOCKED: Metric = registry.define(
  "http_req_blocked",
  "trend",
  "time",
);
/** Trend (ms): establishing the TCP connection. */
export const HTTP_REQ_CONNECTING: Metric = registry.define(
  "http_req_connecting",
  "trend",
  "time",
);
/** Trend (ms): the TLS handshake. */
export const HTTP_REQ_TLS_HANDSHAKING: Metric = registry.define(
  "http_req_tls_handshaking",
  "trend",
  "time",
);
/** Trend (ms): writing the request. */
export const HTTP_REQ_SENDING: Metric = registry.define(
  "http_req_sending",
  "trend",
  "time",
);
/** Trend (ms): from the request written to the first response byte. */
export const HTTP_REQ_WAITING: Metric = registry.define(
  "http_req_waiting",
  "trend",
  "time",
);
/** Trend (ms): from the first response byte to the end of the body. */
export const HTTP_REQ_RECEIVING: Metric = registry.define(
  "http_req_receiving",
  "trend",
  "time",
);
/** Rate: HTTP requests whose response the response callback did not expect. */
export const HTTP_REQ_FAILED: Metric = registry.define(
  "http_req_failed",
  "rate",
);
