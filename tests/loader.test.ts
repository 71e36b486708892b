// The script loader (runner/loader/): k6 scripts, written to a temporary
// folder, loaded and run in this process. What a script does is observed
// through globalThis.events, which the scripts push to.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, beforeEach, describe, it } from "node:test";
import {
  type LoadedScript,
  loadScript,
  prepareScript,
} from "../runner/loader/mod.ts";
import { tlsFixtures } from "./_tls.ts";

declare global {
  var events: unknown[];
}

const folders: string[] = [];
after(() => folders.forEach((folder) => rmSync(folder, { recursive: true })));

function writeScript(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), "wsload-loader-test-"));
  folders.push(folder);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, name)), { recursive: true });
    writeFileSync(join(folder, name), text);
  }
  return folder;
}

async function load(
  files: Record<string, string>,
  entry = "main.js",
  env: Record<string, string> = {},
): Promise<{ script: LoadedScript; folder: string }> {
  const folder = writeScript(files);
  const script = await loadScript(join(folder, entry), { env });
  return { script, folder };
}

/** Loads, instantiates once and runs the default function. */
async function run(
  files: Record<string, string>,
  entry = "main.js",
): Promise<unknown[]> {
  const { script } = await load(files, entry);
  try {
    const exports = await script.instantiate();
    await (exports.default as () => unknown)();
    return globalThis.events;
  } finally {
    await script.dispose();
  }
}

beforeEach(() => {
  globalThis.events = [];
});

describe("the loader waits where k6 blocks", () => {
  it("awaits sleep() and every function that calls it, across modules", async () => {
    const started = Date.now();
    const events = await run({
      "main.js": `
        import { pause } from "./lib/pause.js";
        export default function () {
          events.push("before");
          pause();
          events.push("after");
        }`,
      "lib/pause.js": `
        import { sleep } from "k6";
        export function pause() {
          sleep(0.05);
          events.push("slept");
        }`,
    });
    assert.deepEqual(events, ["before", "slept", "after"]);
    assert.ok(Date.now() - started >= 50);
  });

  it("follows functions passed to functions that call them", async () => {
    const events = await run({
      "main.js": `
        import { sleep } from "k6";
        function withRetry(attempts, fn) {
          for (let i = 0; i < attempts; i++) fn(i);
        }
        export default function () {
          withRetry(2, (i) => { sleep(0.01); events.push("try " + i); });
          events.push("done");
        }`,
    });
    assert.deepEqual(events, ["try 0", "try 1", "done"]);
  });

  it("follows methods of classes and objects by name, and f.call()", async () => {
    const events = await run({
      "main.js": `
        import { sleep } from "k6";
        class Client {
          login() { sleep(0.01); events.push("login"); return this; }
        }
        const api = { logout: function () { sleep(0.01); events.push("logout"); } };
        function step(name) { sleep(0.01); events.push(name); }
        export default function () {
          new Client().login();
          api.logout();
          step.call(null, "called");
          events.push("done");
        }`,
    });
    assert.deepEqual(events, ["login", "logout", "called", "done"]);
  });

  it("runs array methods one element at a time when their callback blocks", async () => {
    const events = await run({
      "main.js": `
        import { sleep } from "k6";
        function slow(n) { sleep(0.01 * (4 - n)); return n; }
        export default function () {
          [1, 2, 3].forEach((n) => events.push(slow(n)));
          events.push([1, 2, 3].map((n) => slow(n) * 10));
          events.push([1, 2, 3].filter((n) => slow(n) !== 2));
          events.push([1, 2, 3].reduce((sum, n) => sum + slow(n), 0));
          new Set(["a", "b"]).forEach((v) => { sleep(0.01); events.push(v); });
          new Map([["k", "v"]]).forEach((v, k) => { sleep(0.01); events.push(k + v); });
        }`,
    });
    assert.deepEqual(events, [
      1,
      2,
      3,
      [10, 20, 30],
      [1, 3],
      6,
      "a",
      "b",
      "kv",
    ]);
  });

  it("does not await functions the user wrote async, as k6 does not", async () => {
    const events = await run({
      "main.js": `
        import { sleep } from "k6";
        async function background() { sleep(0.02); events.push("background"); }
        export default async function () {
          background();
          events.push("went on");
          await new Promise((resolve) => setTimeout(resolve, 50));
        }`,
    });
    assert.deepEqual(events, ["went on", "background"]);
  });

  it("keeps scripts that await, and promise chains, working", async () => {
    const events = await run({
      "main.js": `
        import { sleep } from "k6";
        export default async function () {
          await sleep(0.01);
          events.push("awaited");
          await sleep(0.01).then(() => events.push("then"));
        }`,
    });
    assert.deepEqual(events, ["awaited", "then"]);
  });

  it("awaits a check() whose check function blocks, and group() around blocking code", async () => {
    const events = await run({
      "main.js": `
        import { check, group, sleep } from "k6";
        function slowTrue() { sleep(0.01); return true; }
        export default function () {
          events.push(check(1, { fast: (v) => v === 1, slow: () => slowTrue() }));
          events.push(group("g", () => { sleep(0.01); return "group value"; }));
        }`,
    });
    assert.deepEqual(events, [true, "group value"]);
  });

  it("warns, with file, line and column, where k6's order cannot be kept", async () => {
    const { script, folder } = await load({
      "main.js": `import { sleep } from "k6";
const lazy = { get value() { sleep(1); return 1; } };
export default function () {
  new Promise((resolve) => { sleep(1); resolve(); });
  unknownLibrary.each([1], () => sleep(1));
}`,
    });
    await script.dispose();
    const file = pathToFileURL(join(folder, "main.js")).href;
    assert.deepEqual(script.warnings, [
      `${file}:2:30: sleep() blocks in k6, but it is called in a getter, which cannot wait for it: the code after it runs at once`,
      `${file}:4:15: this function calls sleep(), which blocks in k6, but new Promise() does not wait for it: the code after new Promise() goes on at once`,
      `${file}:5:28: this function calls sleep(), which blocks in k6, but unknownLibrary.each() does not wait for it: the code after unknownLibrary.each() goes on at once`,
    ]);
  });
});

describe("modules are instantiated per VU", () => {
  it("evaluates every module again for each instance, with its own state", async () => {
    const { script } = await load({
      "main.js": `
        import { next } from "./counter.js";
        export default function () { return next(); }`,
      "counter.js": `
        let count = 0;
        events.push("evaluated");
        export function next() { return ++count; }`,
    });
    try {
      const first = await script.instantiate();
      const second = await script.instantiate();
      const call = (exports: Record<string, unknown>) =>
        (exports.default as () => number)();
      assert.deepEqual([call(first), call(first), call(second)], [1, 2, 1]);
      assert.deepEqual(globalThis.events, ["evaluated", "evaluated"]);
    } finally {
      await script.dispose();
    }
  });

  it("gives import cycles the hoisted functions, as ES modules do", async () => {
    const events = await run({
      "main.js": `
        import { ping } from "./a.js";
        export default function () { events.push(ping(2)); }`,
      "a.js": `
        import { pong } from "./b.js";
        export function ping(n) { return n === 0 ? "a" : pong(n - 1); }`,
      "b.js": `
        import { ping } from "./a.js";
        export function pong(n) { return n === 0 ? "b" : ping(n - 1); }`,
    });
    assert.deepEqual(events, ["a"]);
  });

  it("gives a cycle the constants its modules defined so far, as ES modules do", async () => {
    const events = await run({
      "main.js": `
        import { seen } from "./a.js";
        export default function () { events.push(...seen); }`,
      "a.js": `
        import { readBack } from "./b.js";
        export const before = "defined";
        export const seen = [readBack()];`,
      "b.js": `
        import { before } from "./a.js";
        export function readBack() { return before; }`,
    });
    assert.deepEqual(events, ["defined"]);
  });

  it("lists a namespace's exports in name order, read-only", async () => {
    const events = await run({
      "main.js": `
        import * as lib from "./lib.js";
        export default function () {
          events.push(Object.keys(lib).join(","), lib[Symbol.toStringTag]);
          events.push(lib.b, typeof lib.a, lib.c, lib.d);
          lib.bump();
          events.push(lib.c);
          try { lib.b = "changed"; } catch (error) { events.push(error.name); }
          events.push(lib.b);
        }`,
      "lib.js": `
        export const d = "d";
        export let c = 1;
        export function bump() { c++; }
        export const b = "b";
        export function a() {}`,
    });
    assert.deepEqual(events, [
      "a,b,bump,c,d",
      "Module",
      "b",
      "function",
      1,
      "d",
      2,
      "TypeError",
      "b",
    ]);
  });

  it("supports every export form and live bindings", async () => {
    const events = await run({
      "main.js": `
        import anonymous, { a, b, renamed, "string name" as stringName, all, later, bump, sleepAgain } from "./exports.js";
        import Klass from "./class.js";
        import value from "./value.js";
        export default function () {
          events.push(anonymous(), a, b, renamed, stringName, all.a, new Klass().x, value);
          bump();
          events.push(later, typeof sleepAgain);
        }`,
      "exports.js": `
        export default function () { return "anonymous"; }
        export const a = "a";
        const local = "b";
        export { local as b };
        export { c as renamed, c as "string name" } from "./more.js";
        export * from "./star.js";
        export * as all from "./star.js";
        export let later = 1;
        export function bump() { later += 1; }
        export { sleep as sleepAgain } from "k6";`,
      "more.js": `export const c = "c";`,
      "star.js": `export const a = "star a"; export const d = "d";`,
      "class.js":
        `export default class { constructor() { this.x = "class"; } }`,
      "value.js": `export default 6 * 7;`,
    });
    assert.deepEqual(events, [
      "anonymous",
      "a",
      "b",
      "c",
      "c",
      "star a",
      "class",
      42,
      2,
      "function",
    ]);
  });

  it("gives import() of a local module the same instance", async () => {
    const events = await run({
      "main.js": `
        import { state } from "./state.js";
        export default async function () {
          state.value = "set";
          const again = await import("./state.js");
          events.push(again.state.value);
        }`,
      "state.js": `export const state = { value: "initial" };`,
    });
    assert.deepEqual(events, ["set"]);
  });

  it("reads open() relative to each module's folder, in the init stage only", async () => {
    const events = await run({
      "main.js": `
        import { text } from "./lib/data.js";
        const root = open("./root.txt");
        export default function () { events.push(root, text); }`,
      "root.txt": "root",
      "lib/data.js": `export const text = open("./lib.txt");`,
      "lib/lib.txt": "lib",
    });
    assert.deepEqual(events, ["root", "lib"]);
  });
});

describe("errors point at the user's code", () => {
  it("names the imported module's file, line and column of a syntax error, with a code frame", async () => {
    const folder = writeScript({
      "main.js":
        `import { x } from "./broken.js";\nexport default function () {}\n`,
      "broken.js": `export const x = 1;\nexport function y( {\n`,
    });
    await assert.rejects(
      loadScript(join(folder, "main.js")),
      (error: Error) => {
        const file = pathToFileURL(join(folder, "broken.js")).href;
        assert.equal(
          error.message.split("\n")[0],
          `SyntaxError: ${file}: Unexpected token (3:0)`,
        );
        assert.match(error.message, /^ {2}2 \| export function y\( \{$/m);
        assert.doesNotMatch(error.message, /__wsload/);
        return true;
      },
    );
  });

  it("maps stack traces through inserted awaits and TypeScript to the user's lines and columns", async () => {
    const { script, folder } = await load({
      "main.ts": `import { sleep } from "k6";
enum Kind { A = "a" }
export default function (): void {
  sleep(0.001); sleep(0.001); const e: Error = new Error(Kind.A); throw e;
}
`,
    }, "main.ts");
    try {
      const exports = await script.instantiate();
      // Called unbound, as the runner calls it.
      const main = exports.default as () => Promise<void>;
      await assert.rejects(
        main(),
        (error: Error) => {
          const stack = script.mapPaths(String(error.stack));
          const file = pathToFileURL(join(folder, "main.ts")).href;
          assert.match(stack, /^Error: a$/m);
          assert.ok(
            stack.includes(`at default (${file}:4:48)`),
            stack,
          );
          return true;
        },
      );
    } finally {
      await script.dispose();
    }
  });

  it("warns of a k6 name wsload lacks, suggests the closest, and fails when it is used", async () => {
    const { script, folder } = await load({
      "main.js": `import { slep } from "k6";
import http from "k6/http";
export default function () { slep(1); }
export function other() { http.gett("/"); }`,
    });
    try {
      const file = pathToFileURL(join(folder, "main.js")).href;
      assert.deepEqual(script.warnings, [
        `${file}:1:10: wsload's k6 has no 'slep' (did you mean 'sleep'?); the test stops with an error if it is used`,
        `${file}:4:27: wsload's k6/http has no 'gett' (did you mean 'get'?); the test stops with an error if it is used`,
      ]);
      const exports = await script.instantiate();
      assert.throws(
        () => (exports.default as () => void)(),
        /^Error: k6 has no 'slep' in wsload \(did you mean 'sleep'\?\)$/,
      );
    } finally {
      await script.dispose();
    }
  });

  it("refuses a k6 module wsload does not provide, at its import", async () => {
    const folder = writeScript({
      "main.js":
        `import { browser } from "k6/browser";\nexport default function () {}\n`,
    });
    await assert.rejects(
      loadScript(join(folder, "main.js")),
      /main\.js:1:25: wsload does not provide the k6 module 'k6\/browser'; supported modules: k6, /,
    );
  });
});

describe("the sandbox's rules in the loader", () => {
  it("refuses node:, npm:, jsr: and package imports, naming the import and what is allowed", async () => {
    for (
      const [specifier, kind] of [
        ["node:child_process", "a Node.js built-in module"],
        ["npm:lodash", "an npm package"],
        ["jsr:@std/fs", "a JSR package"],
        ["lodash", "a package name, which k6 does not resolve"],
      ]
    ) {
      const folder = writeScript({
        "main.js": `import "./lib.js";\nexport default function () {}\n`,
        "lib.js": `// a library\nconst x = await import(${
          JSON.stringify(specifier)
        });\n`,
      });
      await assert.rejects(
        prepareScript(join(folder, "main.js")),
        (error: Error) => {
          const lib = pathToFileURL(join(folder, "lib.js")).href;
          assert.equal(
            error.message,
            `${lib}:2:24: cannot import '${specifier}', ${kind}: scripts may import k6 modules (k6, k6/http, k6/ws, ...), local files ('./lib.js') and https:// modules; wsload runs script code in a sandbox that allows the network and reading the script's files; run a trusted script with --no-sandbox to lift it`,
          );
          return true;
        },
      );
    }
  });

  it("passes them to the runtime outside the sandbox", async () => {
    const folder = writeScript({
      "main.js": `import { basename } from "node:path";
        export default function () { events.push(basename("/a/b.txt")); }`,
    });
    const script = await loadScript(join(folder, "main.js"), {
      sandbox: false,
    });
    try {
      const exports = await script.instantiate();
      await (exports.default as () => unknown)();
      assert.deepEqual(globalThis.events, ["b.txt"]);
    } finally {
      await script.dispose();
    }
  });

  it("makes process, Deno and require throw a clear ReferenceError; typeof says undefined, as in k6", async () => {
    const events = await run({
      "main.js": `
        const attempt = (name, read) => {
          try { read(); events.push(name + ": read"); }
          catch (error) { events.push(name + ": " + error.name + ": " + error.message); }
        };
        export default function () {
          events.push(typeof process, typeof Deno, typeof require);
          attempt("process", () => process.env.HOME);
          attempt("Deno", () => Deno.readTextFileSync("/etc/hostname"));
          attempt("require", () => require("k6/http"));
          attempt("shorthand", () => ({ process }));
        }`,
    });
    const sandbox =
      "wsload runs script code in a sandbox that allows the network and reading the script's files; run a trusted script with --no-sandbox to lift it";
    assert.deepEqual(events, [
      "undefined",
      "undefined",
      "undefined",
      `process: ReferenceError: process is not defined: k6 scripts have no Node.js process object, and ${sandbox}`,
      `Deno: ReferenceError: Deno is not defined: k6 scripts have no Deno namespace, and ${sandbox}`,
      "require: ReferenceError: require is not defined: wsload runs scripts as ES modules; use import for k6 modules, local files and https:// modules",
      `shorthand: ReferenceError: process is not defined: k6 scripts have no Node.js process object, and ${sandbox}`,
    ]);
  });

  it("lists what the script reads: its modules' folders and the files literal open() calls name", async () => {
    const folder = writeScript({
      "main.js": `import "./lib/data.js";
        const a = open("./a.txt");
        const b = open(\`../outside/b.bin\`, "b");
        const c = open(__ENV.FILE ?? "./a.txt");
        export default function () {}`,
      "lib/data.js": `export const text = open("/etc/hostname");`,
    });
    const prepared = await prepareScript(join(folder, "main.js"));
    try {
      assert.deepEqual(
        [...prepared.reads].sort(),
        [
          "/etc/hostname",
          folder,
          join(folder, "..", "outside", "b.bin"),
          join(folder, "a.txt"),
          join(folder, "lib"),
        ].sort(),
      );
    } finally {
      await prepared.dispose();
    }
  });
});

describe("module names of older k6 scripts and extensions", () => {
  it("resolves k6/experimental/timers and k6/x/websockets", async () => {
    const events = await run({
      "main.js": `
        import { setTimeout } from "k6/experimental/timers";
        import { WebSocket } from "k6/x/websockets";
        export default async function () {
          await new Promise((resolve) => setTimeout(resolve, 1));
          events.push(typeof WebSocket);
        }`,
    });
    assert.deepEqual(events, ["function"]);
  });
});

describe("remote modules", () => {
  let server: Server;
  let base = "";
  let caFile = "";
  const served = new Map<string, string>();
  const requests: string[] = [];

  before(async () => {
    const tls = tlsFixtures();
    caFile = join(writeScript({ "ca.pem": tls.ca }), "ca.pem");
    server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
      requests.push(req.url ?? "");
      if (req.url === "/moved.js") {
        res.writeHead(302, { Location: "/lib/index.js" }).end();
        return;
      }
      const body = served.get(req.url ?? "");
      if (body === undefined) res.writeHead(404).end("not found");
      else res.writeHead(200, { "Content-Type": "text/javascript" }).end(body);
    });
    await new Promise<void>((resolve) =>
      server.listen(0, "127.0.0.1", resolve)
    );
    const address = server.address() as { port: number };
    base = `https://127.0.0.1:${address.port}`;
    served.set("/lib/index.js", `export { greet } from "./greet.js";`);
    served.set(
      "/lib/greet.js",
      `import { sleep } from "k6";\nexport function greet(name) { sleep(0.01); return "hello " + name; }`,
    );
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  it("fetches them once over https, resolves their relative imports, and instantiates them per VU", async () => {
    requests.length = 0;
    const folder = writeScript({
      "main.js": `
        import { greet } from "${base}/moved.js";
        import { greet as again } from "${base}/lib/index.js";
        export default function () { events.push(greet("k6"), again === greet); }`,
    });
    const script = await loadScript(join(folder, "main.js"), {
      env: { SSL_CERT_FILE: caFile },
    });
    try {
      const exports = await script.instantiate();
      await (exports.default as () => Promise<void>)();
      assert.deepEqual(globalThis.events, ["hello k6", true]);
      assert.deepEqual(requests.sort(), [
        "/lib/greet.js",
        "/lib/index.js",
        "/moved.js",
      ]);
    } finally {
      await script.dispose();
    }
  });

  it("says which module could not be fetched and why", async () => {
    const folder = writeScript({
      "main.js": `import "${base}/missing.js";\nexport default function () {}`,
    });
    await assert.rejects(
      loadScript(join(folder, "main.js"), { env: { SSL_CERT_FILE: caFile } }),
      new RegExp(
        `^ScriptError: cannot load '${base}/missing.js': the server answered 404$`,
      ),
    );
    const untrusted = writeScript({
      "main.js":
        `import "${base}/lib/index.js";\nexport default function () {}`,
    });
    await assert.rejects(
      loadScript(join(untrusted, "main.js")),
      /^ScriptError: cannot load 'https:\/\/127\.0\.0\.1:\d+\/lib\/index\.js': .*certificate/i,
    );
    const plain = writeScript({
      "main.js":
        `import "http://127.0.0.1:1/x.js";\nexport default function () {}`,
    });
    await assert.rejects(
      loadScript(join(plain, "main.js")),
      /^ScriptError: cannot load 'http:\/\/127\.0\.0\.1:1\/x\.js': remote modules are loaded over https only, as in k6$/,
    );
  });
});
