// deno-fmt-ignore-file
// deno-lint-ignore-file no-unused-vars
// From the k6 documentation: grafana/k6-docs,
// docs/sources/k6/next/javascript-api/k6-ws/socket/socket-settimeout.md.
// Unchanged except for the server URL, which comes from __ENV.WS_URL.
import ws from 'k6/ws';
import { sleep } from 'k6';

export default function () {
  console.log('T0: Script started');
  const url = __ENV.WS_URL || 'wss://echo.websocket.org';
  const response = ws.connect(url, null, function (socket) {
    console.log('T0: Entered WebSockets run loop');
    socket.setTimeout(function () {
      console.log('T0+1: This is printed');
    }, 1000);
    socket.setTimeout(function () {
      console.log('T0+2: Closing socket');
      socket.close();
    }, 2000);
    socket.setTimeout(function () {
      console.log('T0+3: This is not printed, because socket is closed');
    }, 3000);
  });
  console.log('T0+2: Exited WebSockets run loop');
  sleep(2);
  console.log('T0+4: Script finished');
}
