// Issue row 5: sleep(0.5) inside an open handler blocks the socket's loop.
// k6 v0.48.0: ws_session_duration 502 ms; the message that arrived
// meanwhile is handled after the sleep (wsload 0.1: 18 ms). Two iterations:
// the second one shows the steady state.
import ws from "k6/ws";
import { sleep } from "k6";

export const options = { iterations: 2 };

export default function () {
  const started = Date.now();
  ws.connect(__ENV.WS_URL, null, (socket) => {
    socket.on("open", () => {
      socket.send("ping-1");
      sleep(0.5);
      console.log(
        `open handler done after ${
          Date.now() - started >= 500 ? "500+" : "<500"
        } ms`,
      );
    });
    socket.on("message", (data) => {
      console.log(`message ${data}`);
      if (data === "ping-1") socket.close();
    });
  });
  console.log("connect returned");
}
