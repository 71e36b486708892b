// Issue row 13: a TypeScript script (k6 >= 0.52 runs TS; wsload 0.1 needed
// amaro under Node 20). Types are stripped; an enum needs a transform.
import ws from "k6/ws";
import { check, sleep } from "k6";

interface Options {
  iterations: number;
}

enum Step {
  Connect = "connect",
}

export const options: Options = { iterations: 1 };

export default function (): void {
  const res = ws.connect(__ENV.WS_URL as string, null, (socket) => {
    socket.on("open", () => socket.close());
  });
  check(res, { [`${Step.Connect}: 101`]: (r) => r.status === 101 });
  sleep(0.1);
  throw new Error(`typed ${Step.Connect}`);
}
