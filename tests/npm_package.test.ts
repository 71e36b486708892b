// The npm package as a user gets it: the packed tarball carries the user
// README (install, run, library use, Node specifics; not the developer
// README), the k6 script typings, and its examples import the package's
// public entry points.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";

// Compiled, this file is npm/esm/tests/npm_package.test.js: the package is
// two folders up.
const PACKAGE = fileURLToPath(new URL("../../", import.meta.url));
const underNode = process.versions.deno === undefined;

describe("the npm package", {
  skip: underNode && existsSync(join(PACKAGE, "package.json"))
    ? false
    : "runs under Node on the npm build (deno task build:npm), where the package is",
}, () => {
  it("packs the user README, the license and the k6 typings", () => {
    const [pack] = JSON.parse(
      execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
        cwd: PACKAGE,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }),
    ) as [{ files: { path: string }[] }];
    const files = pack.files.map((file) => file.path);
    for (
      const path of [
        "README.md",
        "LICENSE",
        "package.json",
        "bin/wsload.js",
        "types/k6/index.d.ts",
        "types/k6/ws/index.d.ts",
        "types/k6/websockets/index.d.ts",
      ]
    ) {
      assert.ok(files.includes(path), `${path} is packed`);
    }
    assert.ok(!files.some((path) => path.startsWith("esm/tests/")));
  });

  it("has a README for users: install, run, library, Node", () => {
    const readme = readFileSync(join(PACKAGE, "README.md"), "utf8");
    for (
      const heading of [
        "## Install",
        "## Run a k6 script",
        "## Use it as a library",
        "## Node specifics",
      ]
    ) {
      assert.ok(readme.includes(heading), heading);
    }
    assert.match(readme, /npm install wsload/);
    assert.match(readme, /npx wsload run/);
    assert.doesNotMatch(readme, /deno task|## Development|\.ci\/run/);
  });

  it("imports only the package's public entry points in its examples", () => {
    const readme = readFileSync(join(PACKAGE, "README.md"), "utf8");
    const manifest = JSON.parse(
      readFileSync(join(PACKAGE, "package.json"), "utf8"),
    ) as { exports: Record<string, unknown> };
    const entryPoints = Object.keys(manifest.exports).map((key) =>
      key === "." ? "wsload" : `wsload/${key.slice(2)}`
    );
    const imported = [...readme.matchAll(/from "([^"]+)"/g)].map((m) => m[1]);
    assert.ok(imported.length >= 2);
    for (const specifier of imported) {
      assert.ok(entryPoints.includes(specifier), `${specifier} is exported`);
    }
  });
});
