// k6/websockets events while the VU blocks: sleep() in the default function
// and in a listener holds every event of the VU, in order, until it ends;
// the second listener of an event waits for the first. k6 v0.48.0 logs:
//   before sleep, after sleep, open, timer, msg a, after sleep in a,
//   second listener a, msg b, second listener b, close
// wsload's one deliberate difference: a timer fires on time during a sleep
// (k6 holds it, k6 issue 2964), so "timer" comes right after "before sleep".
import { WebSocket } from "k6/experimental/websockets";
import { setTimeout } from "k6/experimental/timers";
import { sleep } from "k6";

export const options = { iterations: 1 };

export default function () {
  const ws = new WebSocket(__ENV.WS_URL);
  ws.onopen = () => {
    console.log("open");
    ws.send("a");
    ws.send("b");
  };
  ws.onmessage = (e) => {
    console.log(`msg ${e.data}`);
    if (e.data === "a") {
      sleep(0.3);
      console.log("after sleep in a");
    }
    if (e.data === "b") ws.close();
  };
  ws.addEventListener(
    "message",
    (e) => console.log(`second listener ${e.data}`),
  );
  ws.onclose = () => console.log("close");
  setTimeout(() => console.log("timer"), 100);
  console.log("before sleep");
  sleep(0.3);
  console.log("after sleep");
}
