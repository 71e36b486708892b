// What the `url` (and `name`) tag of a socket's samples may show: never a
// password (masked as k6's HTTP module masks it), and, with
// `--strip-url-query`, no query string, where tokens travel.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { Context, DEFAULT_OPTIONS } from "../context/context.ts";
import type { Sample } from "../metrics/sample.ts";
import { urlTag } from "../transport/url_tag.ts";
import { WebSocket } from "../websockets/mod.ts";
import ws from "../ws_legacy/mod.ts";
import { runCli, scriptPath, useServer, useTempDir } from "./_cli.ts";

const suite = useServer();
const dir = useTempDir();

describe("urlTag", () => {
  for (
    const [url, dropQuery, tag] of [
      ["ws://alice:pw@h:1/p", false, "ws://****:****@h:1/p"],
      ["ws://alice@h/p", false, "ws://****@h/p"],
      ["ws://a:b@c@h/p@q", false, "ws://****:****@h/p@q"],
      ["ws://h/p?token=x", false, "ws://h/p?token=x"],
      ["ws://h/p?token=x", true, "ws://h/p"],
      ["ws://h/p#frag", true, "ws://h/p"],
      ["ws://u:p@h/p?a=1", true, "ws://****:****@h/p"],
      ["wss://h", true, "wss://h"],
    ] as const
  ) {
    it(`${url}${dropQuery ? " without query" : ""} → ${tag}`, () => {
      assert.equal(urlTag(url, dropQuery), tag);
    });
  }
});

/** The url and name tags of every sample a socket emitted. */
function urlTags(samples: readonly Sample[]): Set<string> {
  const tags = new Set<string>();
  for (const sample of samples) {
    if (sample.tags.url !== undefined) tags.add(sample.tags.url);
    if (sample.tags.name !== undefined) tags.add(sample.tags.name);
  }
  return tags;
}

function contextFor(stripUrlQuery: boolean, samples: Sample[]): Context {
  return new Context({
    sink: (sample) => samples.push(sample),
    options: {
      ...DEFAULT_OPTIONS,
      systemTags: new Set(["url", "name"]),
      stripUrlQuery,
    },
  });
}

for (const stripUrlQuery of [false, true]) {
  const suffix = stripUrlQuery ? "" : "?token=t0ken";
  describe(`stripUrlQuery ${stripUrlQuery}`, () => {
    it("k6/ws: the password is masked", async () => {
      const samples: Sample[] = [];
      const url = suite.server.url.replace("ws://", "ws://alice:pa55word@");
      await contextFor(stripUrlQuery, samples).run(() =>
        ws.connect(`${url}/ws-echo?token=t0ken`, null, (socket) => {
          socket.on("open", () => socket.close());
        })
      );
      assert.deepEqual(
        urlTags(samples),
        new Set([
          `${
            suite.server.url.replace("ws://", "ws://****:****@")
          }/ws-echo${suffix}`,
        ]),
      );
    });

    /** The url and name tags of one k6/websockets socket to `url`. */
    async function socketTags(url: string): Promise<Set<string>> {
      const samples: Sample[] = [];
      await contextFor(stripUrlQuery, samples).run(() =>
        new Promise((resolve) => {
          const socket = new WebSocket(url);
          socket.onopen = () => socket.close();
          socket.onclose = resolve;
        })
      );
      return urlTags(samples);
    }

    it("k6/websockets: the url and name tags", async () => {
      assert.deepEqual(
        await socketTags(`${suite.server.url}/ws-echo?token=t0ken`),
        new Set([`${suite.server.url}/ws-echo${suffix}`]),
      );
    });

    it("k6/websockets: a URL with credentials fails, and its tag is masked", async () => {
      const url = suite.server.url.replace("ws://", "ws://alice:pa55word@");
      assert.deepEqual(
        await socketTags(`${url}/ws-echo?token=t0ken`),
        new Set([
          `${
            suite.server.url.replace("ws://", "ws://****:****@")
          }/ws-echo${suffix}`,
        ]),
      );
    });
  });
}

describe("wsload run --strip-url-query", () => {
  it("no password and no token reaches the NDJSON, CSV or summary", async () => {
    const json = dir.file("out.json");
    const csv = dir.file("out.csv");
    const summary = dir.file("summary.json");
    const { code, stderr } = await runCli([
      "run",
      "-q",
      "--strip-url-query",
      "--system-tags",
      "url,name,status",
      "-e",
      `URL=${suite.server.url}`,
      "--out",
      `json=${json}`,
      "--out",
      `csv=${csv}`,
      "--summary-export",
      summary,
      scriptPath("url_secrets.js"),
    ]);
    assert.equal(code, 0, stderr);
    const written = [json, csv, summary].map((file) =>
      readFileSync(file, "utf8")
    ).join("\n");
    assert.ok(written.includes(`"url":"${suite.server.url}/ws-echo"`), written);
    assert.ok(written.includes("****:****@"), "the k6/ws URL, masked");
    assert.doesNotMatch(written, /pa55word|t0ken|alice/);
  });
});
