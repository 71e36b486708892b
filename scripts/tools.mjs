#!/usr/bin/env node
// `npm run <task>` lands here: install what a fresh machine is missing (npm
// packages, the pinned Deno), then run the Deno task of the same name.
//
//   node scripts/tools.mjs <task> [args...]   ensure tools, then `deno task <task>`
//   node scripts/tools.mjs --ensure           ensure tools only
//   deno run -A scripts/tools.mjs --ensure-deps   npm packages only (Deno tasks)
import { delimiter, dirname } from "node:path";
import { denoBin, ensureDeno, ensureNodeModules, run } from "./_setup.mjs";

const [task, ...rest] = process.argv.slice(2);
if (!task) {
  console.error(
    "usage: node scripts/tools.mjs <deno task> [args...] | --ensure",
  );
  process.exit(2);
}
try {
  ensureNodeModules();
  if (task === "--ensure-deps") process.exit(0);
  ensureDeno();
} catch (error) {
  console.error(`wsload setup: ${error.message}`);
  process.exit(1);
}
if (task === "--ensure") process.exit(0);
const env = {
  ...process.env,
  PATH: `${dirname(denoBin)}${delimiter}${process.env.PATH ?? ""}`,
};
process.exit(run(denoBin, ["task", task, ...rest], { env }));
