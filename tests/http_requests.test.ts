// k6/http's requests against the embedded HTTP server: what is sent, what
// the Response shows, redirects, cookies, bodies, and the samples with k6's
// tags.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CookieJar } from "../http/cookie_jar.ts";
import { cookieJar } from "../http/default_jar.ts";
import { expectedStatuses } from "../http/expected_statuses.ts";
import { file } from "../http/file.ts";
import { request, setResponseCallback } from "../http/client.ts";
import { get, head, options, post, put } from "../http/methods.ts";
import { url } from "../http/url.ts";
import { DEFAULT_OPTIONS } from "../context/context.ts";
import { TestVU, useHttpServers } from "./_http.ts";

const servers = useHttpServers();

function header(
  headers: readonly (readonly [string, string])[],
  name: string,
): string | undefined {
  return headers.find(([key]) => key.toLowerCase() === name.toLowerCase())
    ?.[1];
}

describe("request()", () => {
  it("returns k6's Response: status line, canonical headers, body, timings", async () => {
    const vu = new TestVU();
    const res = await vu.run(() =>
      get(`${servers.plain.url}/api/json?a=1&b=2`, {
        headers: { "x-custom": "v" },
      })
    );
    assert.equal(res.status, 200);
    assert.equal(res.status_text, "200 OK");
    assert.equal(res.proto, "HTTP/1.1");
    assert.equal(res.url, `${servers.plain.url}/api/json?a=1&b=2`);
    assert.equal(res.body, '{"a":"1","b":"2"}');
    assert.deepEqual(res.json(), { a: "1", b: "2" });
    assert.equal(res.headers["Content-Type"], "application/json");
    assert.equal(res.headers["Transfer-Encoding"], undefined);
    assert.equal(res.remote_ip, "127.0.0.1");
    assert.equal(res.remote_port, servers.plain.port);
    assert.equal(res.error, "");
    assert.equal(res.error_code, 0);
    assert.equal(res.tls_version, "");
    assert.deepEqual(Object.keys(res.timings), [
      "duration",
      "blocked",
      "looking_up",
      "connecting",
      "tls_handshaking",
      "sending",
      "waiting",
      "receiving",
    ]);
    const t = res.timings;
    assert.ok(
      Math.abs(t.duration - (t.sending + t.waiting + t.receiving)) < 1e-9,
    );
    assert.ok(t.connecting > 0, "a new connection takes time to connect");
    assert.ok(t.blocked >= t.connecting, "blocked includes the dial");
    assert.equal(t.tls_handshaking, 0);
    assert.deepEqual(res.request.headers["X-Custom"], ["v"]);
    assert.deepEqual(res.request.headers["User-Agent"], [
      DEFAULT_OPTIONS.userAgent,
    ]);
    const sent = servers.plain.requests.at(-1)!;
    assert.equal(header(sent.headers, "X-Custom"), "v");
  });

  it("json(selector) reads GJSON paths; undefined when absent", async () => {
    const res = await new TestVU().run(() =>
      get(`${servers.plain.url}/api/json?name=Bert&id=7`)
    );
    assert.equal(res.json("name"), "Bert");
    assert.equal(res.json("missing"), undefined);
    assert.equal(res.json("@keys.#"), 2);
  });

  it("json() throws k6's texts for a null body and for invalid JSON", async () => {
    const vu = new TestVU();
    const page = await vu.run(() => get(`${servers.plain.url}/`));
    assert.throws(() => page.json(), {
      message:
        "cannot parse json due to an error at line 1, character 2 , error: invalid character '<' looking for beginning of value",
    });
    assert.equal(page.json("a"), undefined);
    const none = await vu.run(() =>
      get(`${servers.plain.url}/`, { responseType: "none" })
    );
    assert.equal(none.body, null);
    assert.throws(() => none.json(), /the body is null/);
  });

  it("encodes bodies as k6: strings, binary, sorted forms, multipart files", async () => {
    const vu = new TestVU();
    const echo = async (body: unknown) =>
      JSON.parse(
        (await vu.run(() => post(`${servers.plain.url}/anything`, body)))
          .body as string,
      );
    const form = await echo({ b: [1, 2], a: "x y!", c: true });
    assert.equal(form.body, "a=x+y%21&b=1&b=2&c=true");
    assert.equal(
      form.headers.find(([n]: string[]) => n === "Content-Type")[1],
      "application/x-www-form-urlencoded",
    );
    assert.equal((await echo(new Uint8Array([104, 105]))).body, "hi");
    assert.equal((await echo(new Uint8Array([104, 105]).buffer)).body, "hi");
    const multipart = await echo({
      field: "value",
      upload: file("file content", "a.txt", "text/plain"),
    });
    const type =
      multipart.headers.find(([n]: string[]) => n === "Content-Type")[1];
    const boundary = /^multipart\/form-data; boundary=([0-9a-f]{60})$/.exec(
      type,
    )![1];
    assert.equal(
      multipart.body,
      `--${boundary}\r\nContent-Disposition: form-data; name="field"\r\n\r\nvalue\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="upload"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nfile content\r\n` +
        `--${boundary}--\r\n`,
    );
  });

  it("an unknown body type fails the request with k6's text (a warning, no request)", async () => {
    const vu = new TestVU();
    const before = servers.plain.requests.length;
    const res = await vu.run(() => post(`${servers.plain.url}/anything`, 5));
    assert.equal(res.error, "unknown request body type int64");
    assert.equal(res.status, 0);
    assert.equal(servers.plain.requests.length, before);
    assert.deepEqual(vu.warnings, [
      'Request Failed {"error":"unknown request body type int64"}',
    ]);
    assert.equal(vu.samplesOf("http_reqs").length, 0);
  });

  it("compresses request bodies and decompresses gzip, deflate and br answers", async () => {
    const vu = new TestVU();
    const sent = await vu.run(() =>
      post(`${servers.plain.url}/anything`, "x".repeat(100), {
        compression: "gzip",
      })
    );
    const echoed = JSON.parse(sent.body as string);
    assert.equal(
      echoed.headers.find(([n]: string[]) => n === "Content-Encoding")[1],
      "gzip",
    );
    assert.ok(echoed.body.length < 100);
    for (const encoding of ["gzip", "deflate", "br"]) {
      const res = await vu.run(() => get(`${servers.plain.url}/${encoding}`));
      assert.deepEqual(res.json(), { [encoding]: true, method: "GET" });
      assert.equal(res.headers["Content-Encoding"], encoding);
    }
    const bad = await vu.run(() => get(`${servers.plain.url}/bad-gzip`));
    assert.equal(bad.error_code, 1701);
    assert.equal(
      bad.error,
      "error decompressing response body (gzip: invalid header)",
    );
    assert.equal(bad.status, 0);
  });

  it("responseType binary gives an ArrayBuffer, none gives null", async () => {
    const vu = new TestVU();
    const binary = await vu.run(() =>
      get(`${servers.plain.url}/api/bytes/10`, { responseType: "binary" })
    );
    assert.ok(binary.body instanceof ArrayBuffer);
    assert.equal((binary.body as ArrayBuffer).byteLength, 10);
    const none = await vu.run(() =>
      get(`${servers.plain.url}/api/bytes/10`, { responseType: "none" })
    );
    assert.equal(none.body, null);
    const bad = await vu.run(() =>
      get(`${servers.plain.url}/`, { responseType: "nonsense" })
    );
    assert.equal(bad.error, "nonsense does not belong to ResponseType values");
  });

  it("discardResponseBodies makes none the default, binary still keeps", async () => {
    const vu = new TestVU({ http: { discardResponseBodies: true } });
    assert.equal((await vu.run(() => get(`${servers.plain.url}/`))).body, null);
    const kept = await vu.run(() =>
      get(`${servers.plain.url}/api/bytes/3`, { responseType: "binary" })
    );
    assert.equal((kept.body as ArrayBuffer).byteLength, 3);
  });

  it("HEAD and OPTIONS: no body", async () => {
    const vu = new TestVU();
    const headRes = await vu.run(() => head(`${servers.plain.url}/`));
    assert.equal(headRes.status, 200);
    assert.equal(headRes.body, "");
    const optionsRes = await vu.run(() =>
      options(`${servers.plain.url}/`, null, {
        headers: { "X-MyHeader": "k6test" },
      })
    );
    assert.equal(optionsRes.headers.Allow, "OPTIONS, GET, HEAD, POST");
  });
});

describe("cookies", () => {
  it("sends the params' cookies and the jar's; replace wins over the jar", async () => {
    const vu = new TestVU();
    const res = await vu.run(async () => {
      cookieJar().set(`${servers.plain.url}/api/cookies`, "jarred", "j");
      cookieJar().set(`${servers.plain.url}/api/cookies`, "over", "old");
      return await get(`${servers.plain.url}/api/cookies`, {
        cookies: { plain: "p", over: { value: "new", replace: true } },
      });
    });
    assert.deepEqual(res.json("cookies"), {
      plain: "p",
      over: "new",
      jarred: "j",
    });
    assert.deepEqual(res.request.cookies.plain, [
      { name: "plain", value: "p", replace: false },
    ]);
  });

  it("stores Set-Cookie in the jar (redirect hops too) and shows them in res.cookies", async () => {
    const vu = new TestVU();
    const [set, after, jarCookies] = await vu.run(async () => {
      const set = await post(`${servers.plain.url}/api/cookies?one=1&two=2`);
      const after = await get(
        `${servers.plain.url}/set-cookie-redirect?name=visited`,
      );
      return [set, after, cookieJar().cookiesForURL(`${servers.plain.url}/`)];
    });
    assert.deepEqual(set.cookies.one, [{
      name: "one",
      value: "1",
      domain: "",
      path: "",
      http_only: false,
      secure: false,
      max_age: 0,
      expires: -6795364578871,
    }]);
    assert.equal(set.headers["Set-Cookie"], "one=1, two=2");
    assert.equal(after.url, `${servers.plain.url}/api/cookies`);
    assert.deepEqual(after.json("cookies"), {
      one: "1",
      two: "2",
      visited: "yes",
    });
    assert.deepEqual(jarCookies, { visited: ["yes"] });
  });

  it("a jar param replaces the iteration's jar", async () => {
    const vu = new TestVU();
    const jar = new CookieJar();
    jar.set(`${servers.plain.url}/`, "mine", "1");
    const res = await vu.run(() =>
      get(`${servers.plain.url}/api/cookies`, { jar })
    );
    assert.deepEqual(res.json("cookies"), { mine: "1" });
  });
});

describe("redirects", () => {
  it("follows them, one sample set per hop, res.url is the last", async () => {
    const vu = new TestVU();
    const res = await vu.run(() => get(`${servers.plain.url}/redirect/3`));
    assert.equal(res.status, 200);
    assert.equal(res.url, `${servers.plain.url}/redirect/0`);
    assert.equal(res.request.url, `${servers.plain.url}/redirect/3`);
    assert.deepEqual(
      vu.samplesOf("http_reqs").map((s) => [s.tags.url, s.tags.status]),
      [
        [`${servers.plain.url}/redirect/3`, "302"],
        [`${servers.plain.url}/redirect/2`, "302"],
        [`${servers.plain.url}/redirect/1`, "302"],
        [`${servers.plain.url}/redirect/0`, "200"],
      ],
    );
  });

  it("stops after maxRedirects with k6's warning; redirects: 0 returns the 302", async () => {
    const vu = new TestVU();
    const res = await vu.run(() => get(`${servers.plain.url}/redirect/12`));
    assert.equal(res.status, 302);
    assert.equal(res.url, `${servers.plain.url}/redirect/2`);
    assert.deepEqual(vu.warnings, [
      `Stopped after 11 redirects and returned the redirection; pass { redirects: n } in request params or set global maxRedirects to silence this {"url":"${servers.plain.url}/redirect/12"}`,
    ]);
    const none = await vu.run(() =>
      get(`${servers.plain.url}/redirect/1`, { redirects: 0 })
    );
    assert.equal(none.status, 302);
    assert.equal(vu.warnings.length, 1, "an explicit limit does not warn");
    const limited = new TestVU({ http: { maxRedirects: 1 } });
    const short = await limited.run(() =>
      get(`${servers.plain.url}/redirect/3`)
    );
    assert.equal(short.url, `${servers.plain.url}/redirect/2`);
    assert.deepEqual(limited.warnings, []);
  });

  it("303 turns a POST into a GET without body; 307 keeps method and body", async () => {
    const vu = new TestVU();
    const to = encodeURIComponent("/anything");
    const seeOther = await vu.run(() =>
      post(`${servers.plain.url}/redirect-to?status=303&url=${to}`, "data")
    );
    assert.equal(seeOther.json("method"), "GET");
    assert.equal(seeOther.json("body"), "");
    const temporary = await vu.run(() =>
      put(`${servers.plain.url}/redirect-to?status=307&url=${to}`, "data")
    );
    assert.equal(temporary.json("method"), "PUT");
    assert.equal(temporary.json("body"), "data");
  });
});

describe("metrics", () => {
  it("emits http_reqs, the duration and its six phases and http_req_failed with k6's tags", async () => {
    const vu = new TestVU();
    await vu.run(() => get(`${servers.plain.url}/api/get`));
    assert.deepEqual(vu.samples.map((s) => s.metric.name), [
      "http_reqs",
      "http_req_duration",
      "http_req_blocked",
      "http_req_connecting",
      "http_req_tls_handshaking",
      "http_req_sending",
      "http_req_waiting",
      "http_req_receiving",
      "http_req_failed",
    ]);
    const target = `${servers.plain.url}/api/get`;
    for (const sample of vu.samples) {
      assert.deepEqual(sample.tags, {
        group: "",
        scenario: "default",
        name: target,
        url: target,
        method: "GET",
        status: "200",
        proto: "HTTP/1.1",
        expected_response: "true",
      });
    }
    assert.equal(vu.samplesOf("http_req_failed")[0].value, 0);
  });

  it("a 4xx answer: error_code tag, no error tag, failed", async () => {
    const vu = new TestVU();
    const res = await vu.run(() => get(`${servers.plain.url}/api/status/404`));
    assert.equal(res.error_code, 1404);
    assert.equal(res.error, "");
    const [sample] = vu.samplesOf("http_req_failed");
    assert.equal(sample.value, 1);
    assert.equal(sample.tags.error_code, "1404");
    assert.equal(sample.tags.error, undefined);
    assert.equal(sample.tags.expected_response, "false");
  });

  it("http.url and a name tag name the series; url follows name", async () => {
    const vu = new TestVU();
    await vu.run(async () => {
      await get(url`${servers.plain.url}/api/json?id=${1}`);
      await get(`${servers.plain.url}/api/json?id=2`, {
        tags: { name: "PostsItemURL", extra: 5 },
      });
    });
    const [first, second] = vu.samplesOf("http_reqs");
    // The server's URL is a value of the template too.
    assert.equal(first.tags.name, "${}/api/json?id=${}");
    assert.equal(first.tags.url, first.tags.name);
    assert.equal(second.tags.name, "PostsItemURL");
    assert.equal(second.tags.url, "PostsItemURL");
    assert.equal(second.tags.extra, "5");
  });

  it("invalid tags fail the request with k6's text", async () => {
    const vu = new TestVU();
    const res = await vu.run(() =>
      get(`${servers.plain.url}/`, { tags: { a: {} } })
    );
    assert.equal(
      res.error,
      "invalid HTTP request metric tags: invalid value for metric tag 'a': only String, Boolean and Number types are accepted as a metric tag values",
    );
  });

  it("response callbacks: the VU's, a request's, or none", async () => {
    const vu = new TestVU();
    await vu.run(async () => {
      setResponseCallback(expectedStatuses(406, { min: 200, max: 204 }));
      await get(`${servers.plain.url}/api/status/205`);
      await get(`${servers.plain.url}/api/status/200`, {
        responseCallback: expectedStatuses(300),
      });
    });
    // The callback belongs to the VU: the next iteration keeps it.
    await vu.run(() => get(`${servers.plain.url}/api/status/406`));
    assert.deepEqual(
      vu.samplesOf("http_req_failed").map((s) => s.value),
      [1, 1, 0],
    );
    await vu.run(async () => {
      setResponseCallback(null);
      await get(`${servers.plain.url}/api/status/500`);
    });
    assert.equal(vu.samplesOf("http_req_failed").length, 3);
    assert.equal(
      vu.samplesOf("http_reqs").at(-1)!.tags.expected_response,
      undefined,
    );
    assert.throws(() => vu.iteration().run(() => setResponseCallback(5)), {
      message: "unsupported argument, expected http.expectedStatuses",
    });
  });

  it("counts the bytes of the iteration into the context", async () => {
    const vu = new TestVU();
    const context = vu.iteration();
    await context.run(() => get(`${servers.plain.url}/api/bytes/1000`));
    const bytes = context.takeBytes();
    assert.ok(bytes.received > 1000, `received ${bytes.received}`);
    assert.ok(bytes.sent > 50, `sent ${bytes.sent}`);
  });

  it("an unawaited request keeps the iteration going (asyncRequest)", async () => {
    const vu = new TestVU();
    const context = vu.iteration();
    let settled = false;
    context.run(() => {
      request("GET", `${servers.plain.url}/api/delay/50ms`).then(() =>
        settled = true
      );
    });
    assert.equal(context.pending.size, 1);
    await context.pending.idle();
    assert.equal(settled, true);
  });
});
