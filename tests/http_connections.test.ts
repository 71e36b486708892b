// k6/http's connections: keep-alive per VU and its options, TLS (verify,
// client certificates, versions), the hosts option, k6's error codes for
// network failures, timeouts, throw, and http.batch()'s limits.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { batch } from "../http/batch.ts";
import { request } from "../http/client.ts";
import type { Response } from "../http/response.ts";
import { get } from "../http/methods.ts";
import { TestVU, useHttpServers } from "./_http.ts";
import { tlsFixtures } from "./_tls.ts";

const servers = useHttpServers();

function connectionsOf(responses: readonly Response[]): string[] {
  return responses.map((res) => res.headers["X-Connection"]);
}

describe("connections", () => {
  it("a VU keeps its connection alive across requests and iterations", async () => {
    const vu = new TestVU();
    const first = await vu.run(() => get(`${servers.plain.url}/api/get`));
    const second = await vu.run(() => get(`${servers.plain.url}/api/get`));
    assert.equal(second.headers["X-Connection"], first.headers["X-Connection"]);
    assert.equal(second.timings.connecting, 0);
    assert.ok(second.timings.blocked < first.timings.blocked);
    const other = await new TestVU().run(() =>
      get(`${servers.plain.url}/api/get`)
    );
    assert.notEqual(
      other.headers["X-Connection"],
      first.headers["X-Connection"],
      "each VU has its own connections",
    );
  });

  it("keeps connections alive without a Connection header, as Go's client does", async () => {
    const vu = new TestVU();
    const before = servers.plain.requests.length;
    await vu.run(async () => {
      await get(`${servers.plain.url}/api/get`);
      await get(`${servers.plain.url}/api/get`);
      await get(`${servers.plain.url}/api/get`, {
        headers: { Connection: "close" },
      });
    });
    const sent = servers.plain.requests.slice(before);
    // k6 v0.48.0 sends Host and User-Agent only: HTTP/1.1 keeps the
    // connection by default. The script's own Connection header still goes.
    assert.deepEqual(
      sent.map((request) =>
        request.headers.filter(([name]) => name.toLowerCase() === "connection")
      ),
      [[], [], [["Connection", "close"]]],
    );
    assert.equal(sent[1].connection, sent[0].connection);
    assert.equal(sent[2].connection, sent[0].connection);
  });

  it("noVUConnectionReuse: a new connection per iteration, reused within it", async () => {
    const vu = new TestVU({ http: { noVUConnectionReuse: true } });
    const one = await vu.run(async () => [
      await get(`${servers.plain.url}/api/get`),
      await get(`${servers.plain.url}/api/get`),
    ]);
    const two = await vu.run(() => get(`${servers.plain.url}/api/get`));
    const [a, b] = connectionsOf(one);
    assert.equal(a, b);
    assert.notEqual(two.headers["X-Connection"], a);
  });

  it("noConnectionReuse: a new connection for every request", async () => {
    const vu = new TestVU({ http: { noConnectionReuse: true } });
    const responses = await vu.run(async () => [
      await get(`${servers.plain.url}/api/get`),
      await get(`${servers.plain.url}/api/get`),
    ]);
    const [a, b] = connectionsOf(responses);
    assert.notEqual(a, b);
    assert.ok(responses[1].timings.connecting > 0);
  });

  it("hosts maps a name (and port) to the server", async () => {
    const vu = new TestVU({
      hosts: { "quickpizza.grafana.com:80": `127.0.0.1:${servers.plain.port}` },
    });
    const res = await vu.run(() =>
      get("http://quickpizza.grafana.com/api/headers")
    );
    assert.equal(res.status, 200);
    assert.equal(res.json("headers.Host"), "quickpizza.grafana.com");
    assert.equal(res.url, "http://quickpizza.grafana.com/api/headers");
  });
});

describe("TLS", () => {
  it("verifies the server against the trusted CAs; tls_version tag, cipher, timings", async () => {
    const vu = new TestVU({ tlsCA: [tlsFixtures().ca] });
    const res = await vu.run(() =>
      get(`https://localhost:${servers.tls.port}/api/get`)
    );
    assert.equal(res.status, 200);
    assert.equal(res.tls_version, "tls1.3");
    assert.match(res.tls_cipher_suite, /^TLS_/);
    assert.equal(res.ocsp.status, "unknown");
    assert.ok(res.timings.tls_handshaking > 0);
    assert.ok(res.timings.blocked >= res.timings.tls_handshaking);
    const [sample] = vu.samplesOf("http_reqs");
    assert.equal(sample.tags.tls_version, "tls1.3");
  });

  it("an unknown authority fails with 1310; insecureSkipTLSVerify accepts it", async () => {
    const target = `${servers.tls.url}/api/get`;
    const refused = await new TestVU().run(() => get(target));
    assert.equal(refused.error_code, 1310);
    assert.equal(refused.error, "x509: unknown authority");
    const accepted = await new TestVU({ insecureSkipTLSVerify: true }).run(() =>
      get(target)
    );
    assert.equal(accepted.status, 200);
  });

  it("a certificate for another name fails with 1311", async () => {
    const vu = new TestVU({
      tlsCA: [tlsFixtures().ca],
      hosts: { "wrong.test": "127.0.0.1" },
    });
    const res = await vu.run(() =>
      get(`https://wrong.test:${servers.tls.port}/api/get`)
    );
    assert.equal(res.error_code, 1311);
    assert.equal(res.error, "x509: certificate doesn't match hostname");
  });

  it("TLS to a plain server fails with 1301", async () => {
    const res = await new TestVU({ insecureSkipTLSVerify: true }).run(() =>
      get(`https://127.0.0.1:${servers.plain.port}/`)
    );
    assert.equal(res.error_code, 1301);
  });

  it("tlsAuth presents the client certificate to its domains", async () => {
    const { ca, clientCert, clientKey } = tlsFixtures();
    const target = `https://localhost:${servers.tls.port}/api/get`;
    const withCert = new TestVU({
      tlsCA: [ca],
      tlsAuth: [{ cert: clientCert, key: clientKey, domains: ["localhost"] }],
    });
    await withCert.run(() => get(target));
    assert.equal(servers.tls.requests.at(-1)!.clientCert, "wsload test client");
    const otherDomain = new TestVU({
      tlsCA: [ca],
      tlsAuth: [{ cert: clientCert, key: clientKey, domains: ["example.com"] }],
    });
    await otherDomain.run(() => get(target));
    assert.equal(servers.tls.requests.at(-1)!.clientCert, "");
  });

  it("tlsVersion limits the versions", async () => {
    const vu = new TestVU({
      insecureSkipTLSVerify: true,
      tlsVersion: { max: "tls1.2" },
    });
    const res = await vu.run(() => get(`${servers.tls.url}/api/get`));
    assert.equal(res.tls_version, "tls1.2");
  });
});

describe("failures", () => {
  it("a refused connection: 1212, status 0, error tags, a warning", async () => {
    const vu = new TestVU();
    const res = await vu.run(() => get("http://127.0.0.1:1/"));
    assert.equal(res.status, 0);
    assert.equal(res.error, "dial: connection refused");
    assert.equal(res.error_code, 1212);
    assert.equal(res.body, null);
    assert.deepEqual(res.timings.duration, 0);
    const [sample] = vu.samplesOf("http_reqs");
    assert.equal(sample.tags.error, "dial: connection refused");
    assert.equal(sample.tags.error_code, "1212");
    assert.equal(sample.tags.status, "0");
    assert.equal(sample.tags.expected_response, "false");
    assert.deepEqual(vu.warnings, [
      'Request Failed {"error":"Get \\"http://127.0.0.1:1/\\": dial: connection refused"}',
    ]);
  });

  it("a name that does not resolve: 1101", async () => {
    const res = await new TestVU().run(() =>
      get("http://nonexistent.invalid/")
    );
    assert.equal(res.error_code, 1101);
    assert.equal(res.error, "lookup: no such host");
  });

  it("a reset connection: 1220; a connection closed without answer: EOF (1000)", async () => {
    const vu = new TestVU();
    const reset = await vu.run(() => get(`${servers.plain.url}/fault/reset`));
    assert.equal(reset.error_code, 1220);
    assert.equal(reset.error, "read: connection reset by peer");
    assert.equal(reset.remote_ip, "127.0.0.1");
    const eof = await vu.run(() => get(`${servers.plain.url}/fault/eof`));
    assert.equal(eof.error_code, 1000);
    assert.equal(eof.error, "EOF");
  });

  it("a request over its timeout: 1050", async () => {
    const vu = new TestVU();
    const res = await vu.run(() =>
      get(`${servers.plain.url}/fault/hang`, { timeout: "200ms" })
    );
    assert.equal(res.error_code, 1050);
    assert.equal(res.error, "request timeout");
    assert.ok(res.timings.waiting >= 150, `waited ${res.timings.waiting}`);
  });

  it("throw makes a failure reject with Go's text instead", async () => {
    const vu = new TestVU();
    await assert.rejects(
      vu.run(() => get("http://127.0.0.1:1/", { throw: true })),
      { message: 'Get "http://127.0.0.1:1/": dial: connection refused' },
    );
    const throwing = new TestVU({ throw: true });
    await assert.rejects(
      throwing.run(() => request("GET", "http://127.0.0.1:1/")),
      /connection refused/,
    );
    assert.deepEqual(vu.warnings, []);
  });

  it("an unsupported scheme: k6's error, samples still emitted", async () => {
    const vu = new TestVU();
    const res = await vu.run(() => get("ftp://127.0.0.1/x"));
    assert.equal(res.error, 'unsupported protocol scheme "ftp"');
    assert.equal(res.error_code, 1000);
    assert.equal(vu.samplesOf("http_reqs").length, 1);
  });

  it("an interrupted iteration aborts its request without samples", async () => {
    const vu = new TestVU();
    const controller = new AbortController();
    const context = vu.iteration(controller.signal);
    const pending = context.run(() => get(`${servers.plain.url}/fault/hang`));
    setTimeout(() => controller.abort(), 50);
    const res = await pending;
    assert.equal(res.status, 0);
    assert.equal(vu.samplesOf("http_reqs").length, 0);
    assert.deepEqual(vu.warnings, []);
  });
});

describe("batch()", () => {
  it("takes k6's request shapes and answers in the same shape", async () => {
    const vu = new TestVU();
    const base = servers.plain.url;
    const list = await vu.run(() =>
      batch([
        `${base}/`,
        ["GET", `${base}/pi.php?decimals=2`, null, { tags: { ctype: "pi" } }],
        { method: "post", url: `${base}/api/post`, body: "x" },
      ])
    ) as Response[];
    assert.deepEqual(list.map((res) => res.status), [200, 200, 200]);
    assert.equal(list[1].body, "3.14");
    assert.equal(list[2].body, "x");
    assert.ok(
      vu.samplesOf("http_reqs").some((sample) => sample.tags.ctype === "pi"),
    );
    const named = await vu.run(() =>
      batch({ front: `${base}/`, pi: { url: `${base}/pi.php` } })
    ) as Record<string, Response>;
    assert.deepEqual(Object.keys(named), ["front", "pi"]);
    assert.equal(named.pi.body, "3.14");
  });

  it("batchPerHost limits the connections to one host", async () => {
    const vu = new TestVU({ http: { batchPerHost: 2 } });
    const before = servers.plain.connections;
    const responses = await vu.run(() =>
      batch(
        Array.from({ length: 6 }, () => `${servers.plain.url}/api/delay/30ms`),
      )
    ) as Response[];
    assert.equal(responses.length, 6);
    assert.ok(servers.plain.connections - before <= 2);
  });

  it("rejects bad arguments with k6's texts", async () => {
    const vu = new TestVU();
    await assert.rejects(vu.run(() => batch()), {
      message: "no argument was provided to http.batch()",
    });
    const malformed = await vu.run(() => batch([["GET"]])) as Response[];
    assert.deepEqual(malformed, []);
    assert.deepEqual(vu.warnings, [
      'A batch request failed {"error":"invalid batch request \'[\\"GET\\"]\'"}',
    ]);
  });
});
