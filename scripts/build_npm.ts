/**
 * `deno task build:npm [version]`: builds the npm package `wsload` into
 * `npm/` with plain `tsc` (the stand-in for dnt, which lives on JSR):
 *
 * 1. compile the sources to ESM + .d.ts in `npm/esm/`, and the test suite
 *    to `npm/esm/tests/` (with its fixtures), so `node --test` proves the
 *    same tests under Node;
 * 2. point the .d.ts imports at `.js` (tsc leaves `.ts` there);
 * 3. drop the Deno-only adapters (`*_deno.ts`), checking that nothing but a
 *    guarded dynamic import refers to them;
 * 4. write `npm/package.json` (exports, the `wsload` bin, dependencies from
 *    deno.json's npm imports) and copy the user README
 *    (docs/npm-readme.md), LICENSE and the k6 script typings (types/).
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join, relative } from "node:path";

const OUT = "npm";
const ESM = join(OUT, "esm");

interface DenoConfig {
  version: string;
  exports: Record<string, string>;
  imports: Record<string, string>;
}

const denoConfig = JSON.parse(readFileSync("deno.json", "utf8")) as DenoConfig;
const version = process.argv[2] ?? denoConfig.version;
if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version)) {
  console.error(
    `build_npm: invalid version '${version}', expected semver like 1.2.3`,
  );
  process.exit(2);
}

function step(name: string, command: string, args: string[]): void {
  console.log(`build_npm: ${name}`);
  const result = spawnSync(command, args, { stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`build_npm: ${name} failed`);
    process.exit(result.status ?? 1);
  }
}

function* walk(folder: string): Generator<string> {
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}

rmSync(OUT, { recursive: true, force: true });
const tsc = ["run", "-A", "npm:typescript/tsc"];
step("compile sources", process.execPath, [
  ...tsc,
  "-p",
  "tsconfig.build.json",
]);
step("compile tests", process.execPath, [...tsc, "-p", "tsconfig.test.json"]);

// tsc keeps ".ts" in declaration imports (microsoft/TypeScript#61037).
for (const file of walk(ESM)) {
  if (!file.endsWith(".d.ts")) continue;
  const text = readFileSync(file, "utf8");
  const fixed = text.replace(
    /(from\s+["']\.{1,2}\/[^"']*?)\.ts(["'])/g,
    "$1.js$2",
  )
    .replace(/(import\(["']\.{1,2}\/[^"']*?)\.ts(["']\))/g, "$1.js$2");
  if (fixed !== text) writeFileSync(file, fixed);
}

// Deno-only adapters never reach npm; only guarded dynamic imports may name them.
const denoOnly = [...walk(ESM)].filter((file) =>
  /_deno\.(js|d\.ts)$/.test(file)
);
for (const file of denoOnly) rmSync(file);
for (const file of walk(ESM)) {
  if (!file.endsWith(".js") && !file.endsWith(".d.ts")) continue;
  const text = readFileSync(file, "utf8");
  for (
    const match of text.matchAll(
      /(?:from\s+|import\()\s*["']([^"']*_deno\.js)["']/g,
    )
  ) {
    if (!match[0].startsWith("import(")) {
      console.error(
        `build_npm: ${file} statically imports the Deno-only ${match[1]}`,
      );
      process.exit(1);
    }
  }
}

// Test fixtures next to the compiled tests.
for (const folder of ["fixtures", "golden", "scripts"]) {
  if (existsSync(join("tests", folder))) {
    cpSync(join("tests", folder), join(ESM, "tests", folder), {
      recursive: true,
    });
  }
}

// The package's runtime dependencies: the npm imports of deno.json that the
// development package.json lists as dependencies (not devDependencies).
const devManifest = JSON.parse(readFileSync("package.json", "utf8")) as {
  dependencies?: Record<string, string>;
};
const dependencies: Record<string, string> = {};
for (const target of Object.values(denoConfig.imports)) {
  const match = /^npm:((?:@[^/]+\/)?[^@/]+)@([^/]+)$/.exec(target);
  if (match && devManifest.dependencies?.[match[1]] !== undefined) {
    dependencies[match[1]] = match[2];
  }
}
const exportsMap: Record<string, { types: string; default: string }> = {};
for (const [key, source] of Object.entries(denoConfig.exports)) {
  const js = source.replace(/^\.\//, "./esm/").replace(/\.ts$/, ".js");
  exportsMap[key] = { types: js.replace(/\.js$/, ".d.ts"), default: js };
}
mkdirSync(join(OUT, "bin"), { recursive: true });
writeFileSync(
  join(OUT, "bin", "wsload.js"),
  `#!/usr/bin/env node\nimport { cli } from "../esm/cli.js";\n\ncli();\n`,
);
const packageJson = {
  name: "wsload",
  version,
  description:
    "Test and load-test WebSocket services with k6's WebSocket APIs (k6/websockets, k6/ws) and metrics, and run k6 WebSocket scripts",
  license: "MIT",
  keywords: ["websocket", "load-testing", "k6", "benchmark", "testing"],
  type: "module",
  main: "./esm/mod.js",
  types: "./esm/mod.d.ts",
  exports: exportsMap,
  bin: { wsload: "./bin/wsload.js" },
  files: ["esm/", "!esm/tests/", "bin/", "types/"],
  engines: { node: ">=20.19" },
  dependencies,
};
writeFileSync(
  join(OUT, "package.json"),
  JSON.stringify(packageJson, null, 2) + "\n",
);
// The package's README is for its users (the repository's is for us).
cpSync("docs/npm-readme.md", join(OUT, "README.md"));
// The k6/* typings for TypeScript scripts.
cpSync("types", join(OUT, "types"), { recursive: true });
cpSync("LICENSE", join(OUT, "LICENSE"));
console.log(`build_npm: wsload@${version} in ${relative(".", OUT)}/`);
