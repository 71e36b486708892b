// 2 VUs for 3 s: long enough for a few progress frames.
import { sleep } from "k6";

export const options = { vus: 2, duration: "3s" };

export default async function () {
  await sleep(0.1);
}
