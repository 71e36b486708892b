// Sockets whose URLs carry secrets: a password (k6/ws) and a token in the
// query string (both modules). With --strip-url-query, neither may reach
// any output.
import ws from "k6/ws";
import { WebSocket } from "k6/websockets";

export const options = { vus: 1, iterations: 1 };

export default async function () {
  const base = __ENV.URL.replace("ws://", "ws://alice:pa55word@");
  await ws.connect(`${base}/ws-echo?token=t0ken`, null, (socket) => { // wsload 0.1: await until auto-await lands
    socket.on("open", () => socket.close());
  });
  const socket = new WebSocket(`${__ENV.URL}/ws-echo?token=t0ken`);
  socket.onopen = () => socket.close();
}
