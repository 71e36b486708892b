// Sockets still open when the scenario ends (1 s, gracefulStop 0s): one per
// module. Their close handlers log the close code.
import ws from "k6/ws";
import { WebSocket } from "k6/websockets";

export const options = {
  scenarios: {
    main: {
      executor: "constant-vus",
      vus: 1,
      duration: "1s",
      gracefulStop: "0s",
    },
  },
};

export default function () {
  const socket = new WebSocket(__ENV.STANDARD_URL);
  socket.addEventListener("open", () => console.log("k6/websockets open"));
  socket.addEventListener("close", (event) => {
    console.log(`k6/websockets close ${event.code}`);
  });
  ws.connect(__ENV.LEGACY_URL, (legacy) => {
    legacy.on("open", () => console.log("k6/ws open"));
    legacy.on("close", (code) => console.log(`k6/ws close ${code}`));
  });
}
