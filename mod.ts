/**
 * wsload: test and load-test WebSocket services with Grafana k6's two
 * WebSocket APIs and k6's metrics, in Deno and Node.
 *
 * - `WebSocket` and `Blob` — k6/websockets, the standard WebSocket API
 *   (also at `@wsload/wsload/websockets`).
 * - `connect()` — k6/ws, the legacy callback API, returning a promise of
 *   the handshake response (`WsResponse`) once the socket closed (also at
 *   `@wsload/wsload/ws`, where the type is `Response`, as in k6).
 * - Metrics (`ws_sessions`, `ws_connecting`, `ws_msgs_sent`, …) are
 *   recorded for every socket; listen to them with `addSampleListener`
 *   (`@wsload/wsload/metrics` also has the engine's parts: contexts, the
 *   registry, the built-in metrics). Custom metrics: k6's `Counter`,
 *   `Gauge`, `Rate` and `Trend` (`new Trend("msg_rtt", true).add(12.5)`).
 * - Cookie jars for the handshake: `CookieJar`, `cookieJar()` (also at
 *   `@wsload/wsload/http`).
 * - The `wsload` command runs k6 scripts: `@wsload/wsload/cli`.
 *
 * @example Echo a message and count the WebSocket samples
 * ```ts ignore
 * import { addSampleListener, WebSocket } from "@wsload/wsload";
 *
 * let messages = 0;
 * addSampleListener((sample) => {
 *   if (sample.metric.name === "ws_msgs_received") messages += sample.value;
 * });
 * const ws = new WebSocket("ws://127.0.0.1:10000/echo");
 * ws.onopen = () => ws.send("hello");
 * ws.onmessage = (event) => {
 *   console.log(event.data);
 *   ws.close();
 * };
 * ws.onclose = () => console.log(`${messages} messages received`);
 * ```
 *
 * @module
 */
// The public API, named one by one: what a library user needs. The
// metrics engine's internals (contexts, the registry, tag helpers) stay at
// `@wsload/wsload/metrics`; tests/public_api.test.ts keeps this list.
export * from "./websockets/mod.ts";
export {
  connect,
  type ConnectParams,
  type ConnectTlsParams,
  type Response as WsResponse,
  setThrow,
  type Socket,
  type SocketCallback,
  SocketError,
  type SocketEventHandler,
} from "./ws_legacy/mod.ts";
export {
  addSampleListener,
  type Metric,
  type MetricType,
  now,
  type Sample,
  type SampleSink,
  type Tags,
  type ValueType,
} from "./metrics/mod.ts";
export { CookieJar, cookieJar, type CookieOptions } from "./http/mod.ts";
export {
  Counter,
  type CustomMetric,
  Gauge,
  Rate,
  Trend,
} from "./k6/metrics.ts";
export type { TagValues } from "./k6/k6.ts";
