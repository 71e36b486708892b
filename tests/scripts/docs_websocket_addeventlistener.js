// deno-fmt-ignore-file
// From the k6 documentation: grafana/k6-docs,
// docs/sources/k6/next/javascript-api/k6-websockets/websocket/websocket-addeventlistener.md.
// Unchanged except for the server URL, which comes from __ENV.WS_URL.
import { WebSocket } from 'k6/websockets';

export default function () {
  const ws = new WebSocket(__ENV.WS_URL || 'ws://localhost:10000');
  ws.binaryType = 'arraybuffer';

  ws.onopen = () => {
    console.log('connected');
    ws.send(Date.now().toString());
  };

  ws.onmessage = () => {
    console.log('onmessage event handler!');
  };

  // Multiple event handlers on the same event
  ws.addEventListener('message', () => {
    console.log('addEventListener event handler!');

    ws.close();
  });
}
