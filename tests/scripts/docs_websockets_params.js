// deno-fmt-ignore-file
// From the k6 documentation: grafana/k6-docs,
// docs/sources/k6/next/javascript-api/k6-websockets/params.md.
// Unchanged except for the server URL, which comes from __ENV.WS_URL.
import { WebSocket } from 'k6/websockets';

export default function () {
  const url = __ENV.WS_URL || 'ws://localhost:10000';
  const params = {
    headers: { 'X-MyHeader': 'k6test' },
    tags: { k6test: 'yes' },
  };

  const ws = new WebSocket(url, null, params);

  ws.onopen = () => {
    console.log('WebSocket connection established!');
    ws.close();
  };
}
