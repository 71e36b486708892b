// deno-fmt-ignore-file
// From the k6 documentation: grafana/k6-docs,
// docs/sources/k6/next/javascript-api/k6-websockets/websocket/websocket-onping.md.
// Unchanged except for the server URL, which comes from __ENV.WS_URL.
import { WebSocket } from 'k6/websockets';

export default function () {
  const ws = new WebSocket(__ENV.WS_URL || 'wss://quickpizza.grafana.com/ws');

  ws.onping = () => {
    console.log('A ping happened!');
    ws.close();
  };

  ws.onclose = () => {
    console.log('WebSocket connection closed!');
  };

  ws.onopen = () => {
    ws.send(JSON.stringify({ event: 'SET_NAME', new_name: `Croc ${__VU}` }));
  };
  ws.onerror = (err) => {
    console.log(err);
  };
}
