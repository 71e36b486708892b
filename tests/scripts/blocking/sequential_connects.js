// Issue row 4: three sequential ws.connect() calls, each holding the socket
// 1 s; each is checked through flags its handlers set and its response.
// k6 v0.48.0: one iteration of 3.0 s, 12/12 checks (wsload 0.1: 1.04 s,
// 6/12, the flags and res.status read before they were set).
import ws from "k6/ws";
import { check } from "k6";

export const options = { iterations: 1 };

function session(name) {
  let opened = false;
  let closed = false;
  const res = ws.connect(__ENV.WS_URL, { tags: { step: name } }, (socket) => {
    socket.on("open", () => {
      opened = true;
      socket.setTimeout(() => socket.close(), 1000);
    });
    socket.on("close", () => {
      closed = true;
    });
  });
  check(res, {
    [`${name}: status is 101`]: (r) => r && r.status === 101,
    [`${name}: opened`]: () => opened,
    [`${name}: closed`]: () => closed,
    [`${name}: url`]: (r) => r && r.url === __ENV.WS_URL,
  });
}

export default function () {
  session("first");
  session("second");
  session("third");
}
