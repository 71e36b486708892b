// The root module's exports are the public API, named one by one: a name
// added or dropped there is a decision, made here too.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as root from "../mod.ts";

/** The root module's runtime exports (types leave no trace at run time). */
const PUBLIC_VALUES = [
  "Blob",
  "CookieJar",
  "Counter",
  "DEFAULT_HANDSHAKE_TIMEOUT_MS",
  "DEFAULT_MAX_PAYLOAD",
  "Gauge",
  "Rate",
  "SocketError",
  "Trend",
  "WebSocket",
  "addSampleListener",
  "connect",
  "cookieJar",
  "now",
  "setThrow",
];

describe("the root module", () => {
  it("exports the public API and nothing of the engine's internals", () => {
    assert.deepEqual(Object.keys(root).sort(), [...PUBLIC_VALUES].sort());
  });

  it("exports no name that shadows a global", () => {
    for (const name of Object.keys(root)) {
      if (name === "WebSocket" || name === "Blob") continue; // k6's own
      assert.equal(name in globalThis, false, `${name} shadows a global`);
    }
  });
});
