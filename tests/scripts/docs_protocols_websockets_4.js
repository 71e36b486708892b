// deno-fmt-ignore-file
// From the k6 documentation: grafana/k6-docs,
// docs/sources/k6/next/using-k6/protocols/websockets.md
// (code block 4 of 5).
// Unchanged except for the server URL, which comes from __ENV.WS_URL.
import ws from 'k6/ws';
import { check } from 'k6';

export default function () {
  const url = __ENV.WS_URL || 'wss://echo.websocket.org';
  const params = { tags: { my_tag: 'hello' } };

  const res = ws.connect(url, params, function (socket) {
    socket.on('open', () => console.log('connected'));
    socket.on('close', () => console.log('disconnected'));

    socket.setTimeout(function () {
      console.log('2 seconds passed, closing the socket');
      socket.close();
    }, 2000);
  });

  check(res, { 'status is 101': (r) => r && r.status === 101 });
}
