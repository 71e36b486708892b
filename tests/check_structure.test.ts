// scripts/check_structure.ts, the rules `deno task check` enforces: each
// rule catches its violation in a small tree, and the repository obeys all.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { checkStructure } from "../scripts/check_structure.ts";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const trees: string[] = [];
after(() => {
  for (const tree of trees) rmSync(tree, { recursive: true, force: true });
});

/** A source tree of the given files (path → text). */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "wsload-structure-"));
  trees.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const DOC = "/** Documented. */\n";

describe("the structure check", () => {
  it("passes the repository", {
    // Under Node the tests run from the npm build, which has no .ts sources.
    skip: typeof Deno === "undefined" && "the npm build holds no sources",
  }, () => {
    assert.deepEqual(checkStructure(repo), []);
  });

  it("finds an import cycle, but allows one of types only", () => {
    const problems = checkStructure(tree({
      "a/one.ts":
        `import { two } from "./two.ts";\n${DOC}export const one = two;\n`,
      "a/two.ts":
        `import { one } from "./one.ts";\n${DOC}export const two = () => one;\n`,
      "b/three.ts":
        `import type { Four } from "./four.ts";\n${DOC}export type Three = Four;\n`,
      "b/four.ts":
        `import type { Three } from "./three.ts";\n${DOC}export type Four = Three | 4;\n`,
    }));
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.match(problems[0], /^import cycle: .*a\/one\.ts.*a\/two\.ts/);
  });

  it("finds a _ file imported from another folder", () => {
    const problems = checkStructure(tree({
      "a/_private.ts": `${DOC}export const secret = 1;\n`,
      "a/public.ts":
        `import { secret } from "./_private.ts";\n${DOC}export const value = secret;\n`,
      "b/user.ts":
        `import { secret } from "../a/_private.ts";\n${DOC}export const leak = secret;\n`,
    }));
    assert.deepEqual(problems, [
      "b/user.ts imports a/_private.ts, private to a/",
    ]);
  });

  it("finds a mod.ts that does more than re-export", () => {
    const problems = checkStructure(tree({
      "a/mod.ts": `export * from "./one.ts";\n${DOC}export const extra = 1;\n`,
      "a/one.ts": `${DOC}export const one = 1;\n`,
    }));
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.match(problems[0], /^a\/mod\.ts does more than re-export/);
  });

  it("finds an export without a doc comment", () => {
    const problems = checkStructure(tree({
      "a/one.ts": `${DOC}export const one = 1;\nexport function two() {}\n`,
    }));
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.match(
      problems[0],
      /^a\/one\.ts:3: export .*two.* has no doc comment/,
    );
  });
});
