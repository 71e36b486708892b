// deno-fmt-ignore-file
// From the k6 documentation: grafana/k6-docs,
// docs/sources/k6/next/using-k6/protocols/websockets.md
// (code block 2 of 5).
// Unchanged except for the server URL, which comes from __ENV.WS_URL.
import ws from 'k6/ws';
import { check } from 'k6';

export default function () {
  const url = __ENV.WS_URL || 'wss://echo.websocket.org';
  const params = { tags: { my_tag: 'hello' } };

  const res = ws.connect(url, params, function (socket) {
    socket.on('open', function open() {
      // ...
    });

    socket.on('error', function (e) {
      if (e.error() != 'websocket: close sent') {
        console.log('An unexpected error occured: ', e.error());
      }
    });
  });

  check(res, { 'status is 101': (r) => r && r.status === 101 });
}
