// Issue row 12: k6/data's SharedArray. k6 v0.48.0: made once, read by every
// VU, elements frozen (wsload 0.1: exit 107).
import { SharedArray } from "k6/data";

const users = new SharedArray("users", function () {
  console.log("made once");
  return [{ name: "ada" }, { name: "grace" }];
});

export const options = {
  scenarios: {
    main: { executor: "per-vu-iterations", vus: 2, iterations: 1 },
  },
};

export default function () {
  const user = users[__VU - 1];
  let refused = false;
  try {
    user.name = "changed";
  } catch (_) {
    refused = true;
  }
  console.log(
    `vu ${__VU}: ${user.name} of ${users.length}, frozen ${refused}, array ${
      Array.isArray(users)
    }`,
  );
}
