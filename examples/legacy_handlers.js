// The "Multiple event handlers" pattern of the k6 WebSockets guide
// (https://grafana.com/docs/k6/latest/using-k6/protocols/websockets/): two
// handlers on `pong`, pings every second, close after two seconds.
//
// Adapted for wsload only where it must be:
// - `await ws.connect(...)`: wsload's connect returns a promise of the
//   Response instead of blocking;
// - the guide's public echo server is replaced by wsload's embedded one
//   (`wsload serve`), or any server named by the WS_URL environment variable;
// - PING_EVERY_MS and CLOSE_AFTER_MS may shorten the guide's timings (1 s,
//   2 s), e.g. in tests.
import ws from "k6/ws";
import { check } from "k6";

const url = __ENV.WS_URL || "ws://127.0.0.1:8080/echo";
const pingEveryMs = Number(__ENV.PING_EVERY_MS || 1000);
const closeAfterMs = Number(__ENV.CLOSE_AFTER_MS || 2000);

export default async function () {
  const params = { tags: { my_tag: "hello" } };

  const response = await ws.connect(url, params, function (socket) {
    socket.on("open", function open() {
      console.log("connected");
      socket.send(Date.now());

      socket.setInterval(function timeout() {
        socket.ping();
        console.log("Pinging every 1sec (setInterval test)");
      }, pingEveryMs);
    });

    socket.on("ping", () => console.log("PING!"));
    socket.on("pong", () => console.log("PONG!"));
    socket.on("pong", () => {
      // Multiple event handlers on the same event
      console.log("OTHER PONG!");
    });

    socket.on("close", () => console.log("disconnected"));

    socket.on("error", (e) => {
      if (e.error() != "websocket: close sent") {
        console.log("An unexpected error occurred: ", e.error());
      }
    });

    socket.setTimeout(function () {
      console.log("2 seconds passed, closing the socket");
      socket.close();
    }, closeAfterMs);
  });

  check(response, { "status is 101": (r) => r && r.status === 101 });
}
