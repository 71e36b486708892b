/**
 * `deno task test`: the whole suite. Runs the node:test files under Deno,
 * builds the npm package and runs the same files compiled for Node under
 * `node --test`, then tries the packed package as a new Node user would
 * (scripts/smoke_npm.ts). Ends with one line summing all three:
 * `N passed, N failed`.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { countJUnit, type Totals } from "./_junit.ts";
import { smokeTestNpmPackage } from "./smoke_npm.ts";

const reports = ".test-reports";
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

function runSuite(
  label: string,
  command: string,
  args: string[],
  report: string,
  separator: string | null,
): Totals {
  console.log(`\n== ${label}: ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit" });
  let totals: Totals;
  try {
    totals = countJUnit(readFileSync(report, "utf8"), separator);
  } catch {
    totals = {
      passed: 0,
      failed: 1,
      failures: [`${label}: no report (exit ${result.status})`],
    };
  }
  if (result.status !== 0 && totals.failed === 0) {
    totals.failed = 1;
    totals.failures.push(`${label}: exited with ${result.status}`);
  }
  console.log(`== ${label}: ${totals.passed} passed, ${totals.failed} failed`);
  return totals;
}

const denoReport = join(reports, "deno.xml");
const suites: Totals[] = [
  runSuite(
    "deno suite",
    process.execPath,
    [
      "test",
      "-A",
      "--doc",
      "--reporter=dot",
      `--junit-path=${denoReport}`,
    ],
    denoReport,
    " > ",
  ),
];

// The same suite under Node, compiled by the npm build.
console.log("\n== npm build (tsc) for the Node suite");
const build = spawnSync(
  process.execPath,
  ["run", "-A", "scripts/build_npm.ts"],
  {
    stdio: "inherit",
  },
);
if (build.status !== 0) {
  suites.push({ passed: 0, failed: 1, failures: ["npm build"] });
} else {
  const folder = join("npm", "esm", "tests");
  const files = readdirSync(folder).filter((name) => name.endsWith(".test.js"))
    .map((name) => join(folder, name));
  const nodeReport = join(reports, "node.xml");
  suites.push(runSuite(
    "node suite",
    "node",
    [
      "--test",
      "--test-reporter=dot",
      "--test-reporter-destination=stdout",
      "--test-reporter=junit",
      `--test-reporter-destination=${nodeReport}`,
      ...files,
    ],
    nodeReport,
    null,
  ));
  console.log("\n== npm package smoke test (npm pack, install, use)");
  suites.push(await smokeTestNpmPackage());
}

const passed = suites.reduce((sum, s) => sum + s.passed, 0);
const failed = suites.reduce((sum, s) => sum + s.failed, 0);
for (const name of suites.flatMap((s) => s.failures)) {
  console.log(`FAILED: ${name}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
