// The script typings (types/k6/, for TypeScript k6 scripts run by wsload)
// against @types/k6: a typed k6 script compiles against both, and the
// types whose behaviour is the same are the same types.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";

// The repository: next to tests/ (Deno) or three folders up from
// npm/esm/tests/ (Node, compiled).
const ROOT = ["../", "../../../"]
  .map((path) => fileURLToPath(new URL(path, import.meta.url)))
  .find((path) => existsSync(join(path, "types/k6/index.d.ts")));
const TSC = ROOT && join(ROOT, "node_modules/typescript/bin/tsc");
const THEIRS = ROOT && join(ROOT, "node_modules/@types/k6");

// A TypeScript k6 script as k6's documentation writes them.
const SCRIPT = `
import { check, group, sleep } from "k6";
import ws, { type Socket } from "k6/ws";
import { WebSocket, Blob, type MessageEvent } from "k6/websockets";
import { Trend, Counter } from "k6/metrics";
import exec from "k6/execution";
import { setTimeout, clearTimeout } from "k6/timers";
import encoding from "k6/encoding";
import { CookieJar } from "k6/http";

const rtt = new Trend("msg_rtt", true);
const sent = new Counter("sent");

export default function (): void {
  const jar = new CookieJar();
  jar.set("http://127.0.0.1/", "session", "1");
  const response = ws.connect(__ENV.URL, { tags: { kind: "legacy" }, jar }, (socket: Socket) => {
    socket.on("open", () => socket.send(encoding.b64encode("hi")));
    socket.on("message", (text: string) => check(text, { "text": (t) => t.length > 0 }));
    socket.on("binaryMessage", (bytes: ArrayBuffer) => sent.add(bytes.byteLength));
    socket.on("error", (error) => console.log(error.error()));
    socket.on("close", (code: number) => console.log(code));
    socket.setTimeout(() => socket.close(), 1000);
  });
  check(response, { "upgraded": (r) => r.status === 101 && r.error === "" });

  group("standard API", () => {
    const socket = new WebSocket(__ENV.URL, null, { compression: "deflate", tags: { vu: exec.vu.idInTest } });
    socket.binaryType = "arraybuffer";
    let started = 0;
    socket.onopen = () => {
      started = Date.now();
      socket.send(new Blob(["hello"], { type: "text/plain" }));
      socket.send(new Uint8Array([1, 2, 3]));
      socket.ping();
    };
    socket.onmessage = (event?: MessageEvent) => {
      rtt.add(Date.now() - started, { kind: String(typeof event?.data) });
      if (socket.readyState === WebSocket.OPEN) socket.close(1000, "done");
    };
    socket.addEventListener("error", (event) => console.log(event.type, event.timestamp));
    const timer = setTimeout(() => socket.close(), 5000);
    socket.onclose = () => clearTimeout(timer);
  });
  sleep(1);
}
`;

// Same<A, B>: each is assignable to the other.
const CONFORMANCE = `
import type * as TheirWs from "k6/ws";
import type * as OurWs from "wsload-k6/ws";
import type * as Their from "k6/websockets";
import type * as Our from "wsload-k6/websockets";
import type * as TheirTimers from "k6/timers";
import type * as OurTimers from "wsload-k6/timers";
import type * as TheirEncoding from "k6/encoding";
import type * as OurEncoding from "wsload-k6/encoding";
import type * as TheirK6 from "k6";
import type * as OurK6 from "wsload-k6";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
function same<A, B>(_proof: Same<A, B>): void {}

same<Their.ReadyState, Our.ReadyState>(true);
same<Their.BinaryType, Our.BinaryType>(true);
same<Their.EventName, Our.EventName>(true);
same<Their.CompressionAlgorithm, Our.CompressionAlgorithm>(true);
same<Their.ErrorEvent, Our.ErrorEvent>(true);
same<Omit<Their.MessageEvent, "data">, Omit<Our.MessageEvent, "data">>(true);
same<Omit<Their.Params, "jar">, Omit<Our.Params, "jar">>(true);
same<Their.WebSocket["readyState"], Our.WebSocket["readyState"]>(true);
same<Parameters<Their.WebSocket["close"]>, Parameters<Our.WebSocket["close"]>>(true);
same<typeof Their.WebSocket.OPEN, typeof Our.WebSocket.OPEN>(true);

same<TheirWs.Response, OurWs.Response>(true);
same<ReturnType<typeof TheirWs.connect>, ReturnType<typeof OurWs.connect>>(true);
same<Omit<TheirWs.Params, "jar">, Omit<OurWs.Params, "jar">>(true);
same<TheirWs.EventType, OurWs.EventType>(true);

same<typeof TheirTimers.setTimeout, typeof OurTimers.setTimeout>(true);
same<typeof TheirEncoding.b64encode, typeof OurEncoding.b64encode>(true);
same<typeof TheirK6.sleep, typeof OurK6.sleep>(true);
same<typeof TheirK6.check, typeof OurK6.check>(true);
`;

function tsconfig(
  dir: string,
  name: string,
  files: string[],
  paths: Record<string, string[]>,
): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: "ES2022",
        module: "ESNext",
        moduleResolution: "Bundler",
        lib: ["ES2022", "DOM"],
        types: [],
        skipLibCheck: false,
        paths,
      },
      files: files.map((f) => join(dir, f)),
    }),
  );
  return file;
}

function compile(project: string): { code: number | null; output: string } {
  const result = spawnSync("node", [TSC!, "-p", project], { encoding: "utf8" });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("script typings (types/k6) against @types/k6", {
  skip: ROOT && existsSync(TSC!) && existsSync(THEIRS!)
    ? false
    : "the repository's types/k6, typescript and @types/k6 are not installed here (npm ci installs them)",
}, () => {
  let dir: string;
  const ours = (root: string) => ({
    "k6": [join(root, "types/k6/index.d.ts")],
    "k6/*": [join(root, "types/k6/*/index.d.ts")],
  });
  const theirs = (root: string) => ({
    "k6": [join(root, "node_modules/@types/k6/index.d.ts")],
    "k6/*": [join(root, "node_modules/@types/k6/*/index.d.ts")],
  });
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "wsload-types-"));
    writeFileSync(join(dir, "script.ts"), SCRIPT);
    writeFileSync(join(dir, "conformance.ts"), CONFORMANCE);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(
    "a typed k6 script compiles against @types/k6",
    { timeout: 120_000 },
    () => {
      const result = compile(
        tsconfig(dir, "theirs.json", ["script.ts"], theirs(ROOT!)),
      );
      assert.equal(result.code, 0, result.output);
    },
  );

  it(
    "the same script compiles against wsload's typings",
    { timeout: 120_000 },
    () => {
      const result = compile(
        tsconfig(dir, "ours.json", ["script.ts"], ours(ROOT!)),
      );
      assert.equal(result.code, 0, result.output);
    },
  );

  it(
    "types of the same behaviour are the same types",
    { timeout: 120_000 },
    () => {
      const paths = {
        ...theirs(ROOT!),
        "wsload-k6": [join(ROOT!, "types/k6/index.d.ts")],
        "wsload-k6/*": [join(ROOT!, "types/k6/*/index.d.ts")],
      };
      const result = compile(
        tsconfig(dir, "both.json", ["conformance.ts"], paths),
      );
      assert.equal(result.code, 0, result.output);
    },
  );

  it(
    "a mismatch fails the check (the test can fail)",
    { timeout: 120_000 },
    () => {
      writeFileSync(
        join(dir, "mismatch.ts"),
        `import type * as Our from "wsload-k6/ws";
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const proof: Same<ReturnType<typeof Our.connect>, Promise<Our.Response>> = true;
void proof;
`,
      );
      const result = compile(tsconfig(dir, "mismatch.json", ["mismatch.ts"], {
        "wsload-k6/*": [join(ROOT!, "types/k6/*/index.d.ts")],
      }));
      assert.notEqual(result.code, 0);
      assert.match(result.output, /TS2322/);
    },
  );
});
