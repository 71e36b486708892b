import { describe, it } from "node:test";
import assert from "node:assert/strict";
import http, * as httpModule from "../k6/http.ts";
import { CookieJar as JarClass } from "../http/cookie_jar.ts";
import { createHarness } from "./_k6_harness.ts";

const { CookieJar, cookieJar } = httpModule;

const REQUEST_FUNCTIONS = [
  "request",
  "asyncRequest",
  "get",
  "head",
  "post",
  "put",
  "patch",
  "del",
  "options",
  "batch",
  "setResponseCallback",
  "expectedStatuses",
  "file",
  "url",
] as const;

describe("cookieJar", () => {
  it("returns the iteration's jar: the same within it, another in the next", () => {
    const first = createHarness();
    const second = createHarness();
    const jar = first.run(() => cookieJar());
    assert.ok(jar instanceof JarClass);
    assert.equal(first.run(() => cookieJar()), jar);
    assert.equal(
      first.run(() => first.context.withGroup("g").run(() => cookieJar())),
      jar,
    );
    assert.notEqual(second.run(() => cookieJar()), jar);
  });

  it("keeps cookies set through it", () => {
    const h = createHarness();
    h.run(() => cookieJar().set("http://127.0.0.1:8080/", "session", "abc"));
    assert.equal(
      h.run(() => cookieJar().cookieHeader("ws://127.0.0.1:8080/chat")),
      "session=abc",
    );
  });

  it("is not available in the init stage (k6's text)", () => {
    const h = createHarness({ stage: "init" });
    assert.throws(() => h.run(() => cookieJar()), {
      message: "Making cookie jars in the init context is not supported",
    });
  });
});

describe("CookieJar", () => {
  it("is the jar class the WebSocket modules accept, usable in init code", () => {
    assert.equal(CookieJar, JarClass);
    const jar = createHarness({ stage: "init" }).run(() => new CookieJar());
    jar.set("http://127.0.0.1/", "k", "v");
    assert.deepEqual(jar.cookiesForURL("http://127.0.0.1/"), { k: ["v"] });
  });
});

describe("request functions", () => {
  const INIT_TEXTS: Record<string, string> = {
    batch: "Using batch in the init context is not supported",
  };
  for (const name of REQUEST_FUNCTIONS.slice(0, 10)) {
    it(`${name}() in the init stage throws k6's text`, () => {
      const fn = httpModule[name] as (...args: unknown[]) => unknown;
      const args = name === "request" || name === "asyncRequest"
        ? ["GET", "http://127.0.0.1:1/"]
        : name === "batch"
        ? [["http://127.0.0.1:1/"]]
        : ["http://127.0.0.1:1/"];
      assert.throws(
        () => createHarness({ stage: "init" }).run(() => fn(...args)),
        {
          message: INIT_TEXTS[name] ??
            "Making http requests in the init context is not supported",
        },
      );
    });
  }

  it("in VU code they return a promise of k6's Response", async () => {
    const h = createHarness();
    const pending = h.run(() => httpModule.get("http://127.0.0.1:1/"));
    assert.ok(pending instanceof Promise);
    const res = await pending;
    assert.equal(res.error_code, 1212);
    assert.equal(h.samplesOf("http_reqs").length, 1);
    assert.equal(h.samplesOf("http_reqs")[0].tags.scenario, "default");
  });

  it("expectedStatuses, file and url work in init code, as in k6", () => {
    const h = createHarness({ stage: "init" });
    h.run(() => {
      http.setResponseCallback(http.expectedStatuses(200));
      assert.equal(http.file("x", "x.txt").filename, "x.txt");
      assert.equal(http.url`http://h/${1}`.name, "http://h/${}");
    });
    assert.throws(() => http.expectedStatuses(), { message: "no arguments" });
    assert.throws(() => http.expectedStatuses("x"), {
      message:
        "argument number 1 to expectedStatuses was neither an integer nor an object like {min:100, max:329}",
    });
    assert.throws(() => http.expectedStatuses({ min: 1.5, max: 2 }), {
      message: "both min and max need to be integers for argument number 1",
    });
  });
});

describe("constants", () => {
  it("have k6's values", () => {
    assert.deepEqual(
      [
        httpModule.TLS_1_0,
        httpModule.TLS_1_1,
        httpModule.TLS_1_2,
        httpModule.TLS_1_3,
      ],
      ["tls1.0", "tls1.1", "tls1.2", "tls1.3"],
    );
    assert.equal(httpModule.OCSP_STATUS_SERVER_FAILED, "server_failed");
    assert.equal(
      httpModule.OCSP_REASON_CESSATION_OF_OPERATION,
      "cessation_of_operation",
    );
    assert.equal(httpModule.OCSP_REASON_AA_COMPROMISE, "aa_compromise");
  });
});

describe("default export", () => {
  it("holds every named export", () => {
    const { default: _default, ...named } = httpModule;
    assert.deepEqual(Object.keys(http).sort(), Object.keys(named).sort());
    for (const [key, value] of Object.entries(named)) {
      assert.equal((http as Record<string, unknown>)[key], value, key);
    }
    assert.ok(REQUEST_FUNCTIONS.every((name) => name in http));
  });
});
