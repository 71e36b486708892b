/**
 * `deno task check`: every static check CI runs, in order, stopping at the
 * first failure: format, lint, the structure rules
 * (`scripts/check_structure.ts`), Deno type check (sources, tests and JSDoc
 * examples), tsc on the same sources (they must stay tsc-compatible for the
 * npm build), doc lint of the entry points, and a JSR publish dry run.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

const config = JSON.parse(readFileSync("deno.json", "utf8")) as {
  exports: Record<string, string>;
};
const entryPoints = Object.values(config.exports);
// Everything but tests/scripts/, whose k6 scripts include deliberately
// broken ones (unknown modules, syntax errors) for the CLI's exit-code tests.
const checkTargets = readdirSync(".", { withFileTypes: true }).flatMap(
  (entry) => {
    if (
      entry.name.startsWith(".") || ["node_modules", "npm"].includes(entry.name)
    ) return [];
    if (entry.name === "tests") {
      return readdirSync("tests").filter((name) => name.endsWith(".ts")).map((
        name,
      ) => `tests/${name}`);
    }
    return entry.isDirectory() || /\.(ts|js|mjs)$/.test(entry.name)
      ? [entry.name]
      : [];
  },
);
const deno = process.execPath;

const steps: [string, string, string[]][] = [
  ["format", deno, ["fmt", "--check"]],
  ["lint", deno, ["lint"]],
  ["structure", deno, ["run", "--allow-read", "scripts/check_structure.ts"]],
  ["deno check", deno, ["check", "--doc", ...checkTargets]],
  ["tsc", deno, ["run", "-A", "npm:typescript/tsc", "-p", "tsconfig.json"]],
  ["doc lint", deno, ["doc", "--lint", ...entryPoints]],
  ["publish dry run", deno, ["publish", "--dry-run", "--allow-dirty"]],
];

for (const [name, command, args] of steps) {
  console.log(
    `\n== check: ${name}: ${
      [command === deno ? "deno" : command, ...args].join(" ")
    }`,
  );
  const started = performance.now();
  const result = spawnSync(command, args, { stdio: "inherit" });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`== check: ${name} FAILED (${seconds}s)`);
    process.exit(result.status ?? 1);
  }
  console.log(`== check: ${name} ok (${seconds}s)`);
}
console.log("\nall checks passed");
