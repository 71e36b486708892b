import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  EXPERIMENTAL_WEBSOCKETS_WARNING,
  warnExperimentalWebsockets,
} from "../k6/_experimental_warning.ts";
import { createHarness } from "./_k6_harness.ts";

describe("k6/experimental/websockets", () => {
  it("warns once per test with k6's text, however often it is imported", () => {
    const h = createHarness({ stage: "init" });
    h.run(() => {
      warnExperimentalWebsockets();
      warnExperimentalWebsockets();
    });
    assert.deepEqual(h.onceWarnings, [
      "k6/experimental/websockets is deprecated and will be removed in a future release. Please use k6/websockets instead.",
    ]);
  });

  it("warns on import, and exports what k6/websockets exports", async () => {
    const original = console.warn;
    const printed: unknown[][] = [];
    console.warn = (...args: unknown[]) => printed.push(args);
    try {
      const experimental = await import("../k6/experimental_websockets.ts");
      assert.deepEqual(printed, [[EXPERIMENTAL_WEBSOCKETS_WARNING]]);
      const standard = await import("../k6/websockets.ts");
      assert.equal(experimental.default, standard.default);
      assert.equal(experimental.WebSocket, standard.WebSocket);
      assert.equal(experimental.Blob, standard.Blob);
      // Outside `wsload run`: printed once per process.
      warnExperimentalWebsockets();
      assert.deepEqual(printed, [[EXPERIMENTAL_WEBSOCKETS_WARNING]]);
    } finally {
      console.warn = original;
    }
  });
});

describe("k6/ws and k6/websockets", () => {
  it("re-export the modules with their default export objects", async () => {
    const ws = await import("../k6/ws.ts");
    const legacy = await import("../ws_legacy/mod.ts");
    assert.equal(ws.default, legacy.default);
    assert.equal(ws.connect, legacy.connect);
    assert.equal(ws.default.connect, legacy.connect);
    const websockets = await import("../k6/websockets.ts");
    assert.equal(typeof websockets.default.WebSocket, "function");
    assert.equal(websockets.default.Blob, websockets.Blob);
  });
});
