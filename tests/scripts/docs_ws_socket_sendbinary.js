// deno-fmt-ignore-file
// From the k6 documentation: grafana/k6-docs,
// docs/sources/k6/next/javascript-api/k6-ws/socket/socket-sendbinary.md.
// Unchanged except for the server URL, which comes from __ENV.WS_URL.
import ws from 'k6/ws';

const binFile = open('./file.pdf', 'b');

export default function () {
  ws.connect(__ENV.WS_URL || 'http://wshost/', function (socket) {
    socket.on('open', function () {
      socket.sendBinary(binFile);
    });

    socket.on('binaryMessage', function (msg) {
      // msg is an ArrayBuffer, so we can wrap it in a typed array directly.
      new Uint8Array(msg);
    });
  });
}
