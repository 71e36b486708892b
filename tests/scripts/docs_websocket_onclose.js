// deno-fmt-ignore-file
// From the k6 documentation: grafana/k6-docs,
// docs/sources/k6/next/javascript-api/k6-websockets/websocket/websocket-onclose.md.
// Unchanged except for the server URL, which comes from __ENV.WS_URL.
import { WebSocket } from 'k6/websockets';

export default function () {
  const ws = new WebSocket(__ENV.WS_URL || 'ws://localhost:10000');

  ws.onopen = () => {
    console.log('WebSocket connection established!');
    ws.close();
  };

  ws.onclose = () => {
    console.log('WebSocket connection closed!');
  };
}
