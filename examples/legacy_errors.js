// The "Error handling" pattern of the k6 WebSockets guide
// (https://grafana.com/docs/k6/latest/using-k6/protocols/websockets/): an
// `error` handler that ignores `websocket: close sent` and logs anything
// else.
//
// Adapted for wsload only where it must be:
// - `await ws.connect(...)`: wsload's connect returns a promise of the
//   Response instead of blocking;
// - the guide's public echo server is replaced by wsload's embedded one
//   (`wsload serve`), or any server named by the WS_URL environment variable;
// - the guide leaves the `open` handler empty (`// ...`), so the session
//   would never end; here it closes the socket and then sends once more,
//   which produces the `websocket: close sent` error the handler ignores.
import ws from "k6/ws";
import { check } from "k6";

const url = __ENV.WS_URL || "ws://127.0.0.1:8080/echo";

export default async function () {
  const params = { tags: { my_tag: "hello" } };

  const res = await ws.connect(url, params, function (socket) {
    socket.on("open", function open() {
      socket.close();
      socket.send("one message too many");
    });

    socket.on("error", function (e) {
      if (e.error() != "websocket: close sent") {
        console.log("An unexpected error occured: ", e.error());
      }
    });
  });

  check(res, { "status is 101": (r) => r && r.status === 101 });
}
