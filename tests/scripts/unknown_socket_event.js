// Every iteration adds a handler for "mesage" (a typo): k6 accepts it and
// it never runs; wsload warns once per run.
import ws from "k6/ws";

export const options = { vus: 2, iterations: 4 };

export default function () {
  ws.connect(__ENV.WS_URL, null, (socket) => {
    socket.on("mesage", () => console.log("never"));
    socket.on("open", () => socket.close());
  });
}
