// deno-fmt-ignore-file
// From the k6 documentation: grafana/k6-docs,
// docs/sources/k6/next/javascript-api/k6-websockets/websocket/websocket-ping.md.
// Unchanged except for the server URL, which comes from __ENV.WS_URL.
import { WebSocket } from 'k6/websockets';

export default function () {
  const ws = new WebSocket(__ENV.WS_URL || 'ws://localhost:10000');

  ws.onopen = () => {
    console.log('WebSocket connection established!');
    ws.ping();
    ws.close();
  };

  ws.onpong = () => {
    // As required by the spec, when the ping is received, the recipient must send back a pong.
    console.log('connection is alive');
  };
}
