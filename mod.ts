/**
 * wsload: test and load-test WebSocket services with Grafana k6's two
 * WebSocket APIs and k6's metrics, in Deno and Node.
 *
 * - `WebSocket` and `Blob` — k6/websockets, the standard WebSocket API
 *   (also at `@wsload/wsload/websockets`).
 * - `connect()` — k6/ws, the legacy callback API, returning a promise of
 *   the handshake response once the socket closed (also at
 *   `@wsload/wsload/ws`).
 * - Metrics (`ws_sessions`, `ws_connecting`, `ws_msgs_sent`, …) are
 *   recorded for every socket; listen to them with `addSampleListener`
 *   (also at `@wsload/wsload/metrics`). Custom metrics: k6's `Counter`,
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
export * from "./websockets/mod.ts";
export * from "./ws_legacy/mod.ts";
export * from "./metrics/mod.ts";
export { CookieJar, cookieJar, type CookieOptions } from "./http/mod.ts";
export {
  Counter,
  type CustomMetric,
  Gauge,
  Rate,
  Trend,
} from "./k6/metrics.ts";
export type { TagValues } from "./k6/k6.ts";
