// Issue row 6: a group around a connect that holds its socket 1 s.
// k6 v0.48.0: group_duration 1,004 ms; the sessions carry the group tag
// (wsload 0.1: 1.3 ms). Two iterations: the second one shows the steady state.
import ws from "k6/ws";
import { group } from "k6";

export const options = { iterations: 2 };

export default function () {
  const status = group("chat", () => {
    const res = ws.connect(__ENV.WS_URL, null, (socket) => {
      socket.on("open", () => socket.setTimeout(() => socket.close(), 1000));
    });
    return res.status;
  });
  console.log(`group returned ${status}`);
}
