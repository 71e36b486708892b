/**
 * wsload: test and load-test WebSocket services with k6's two WebSocket APIs
 * (`k6/websockets` and `k6/ws`) and k6's metrics, in Deno and Node.
 *
 * @module
 */
export * from "./metrics/mod.ts";
