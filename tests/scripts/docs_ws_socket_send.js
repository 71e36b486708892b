// deno-fmt-ignore-file
// deno-lint-ignore-file no-unused-vars
// From the k6 documentation: grafana/k6-docs,
// docs/sources/k6/next/javascript-api/k6-ws/socket/socket-send.md.
// Unchanged except for the server URL, which comes from __ENV.WS_URL.
import ws from 'k6/ws';

export default function () {
  const url = __ENV.WS_URL || 'wss://echo.websocket.org';
  const response = ws.connect(url, null, function (socket) {
    socket.on('open', function () {
      socket.send('my-message');
      socket.send(JSON.stringify({ data: 'hola' }));
    });
  });
}
