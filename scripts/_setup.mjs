// Fresh-machine setup shared by scripts/tools.mjs (run by npm) and the Deno
// tasks: npm packages from the lock file and the pinned Deno from npm.
// Plain JavaScript that runs unchanged under Node and Deno.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The Deno version every tool and CI run uses (toolchain.md §4.3). */
export const DENO_VERSION = "2.9.5";
/** The project's root folder. */
export const root = dirname(dirname(fileURLToPath(import.meta.url)));
/** Where the pinned Deno binary lives once installed. */
export const denoBin = join(root, ".tools", "node_modules", ".bin", "deno");

const isWindows = process.platform === "win32";

/** Runs a command in the project root with inherited stdio; returns its exit status. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: "inherit",
    shell: isWindows,
    ...options,
  });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function mustRun(command, args) {
  const status = run(command, args);
  if (status !== 0) {
    throw new Error(
      `'${command} ${args.join(" ")}' failed with status ${status}`,
    );
  }
}

function mtime(path) {
  return existsSync(path) ? statSync(path).mtimeMs : -1;
}

function hasCommand(command) {
  const probe = spawnSync(command, ["--version"], {
    stdio: "ignore",
    shell: isWindows,
  });
  return !probe.error && probe.status === 0;
}

/** Installs the npm packages when node_modules is missing or older than the lock file. */
export function ensureNodeModules() {
  const installed = join(root, "node_modules", ".package-lock.json");
  if (mtime(installed) >= mtime(join(root, "package-lock.json"))) return;
  const npm = isWindows ? "npm.cmd" : "npm";
  if (hasCommand(npm)) {
    console.error("wsload setup: installing npm packages (npm ci)");
    mustRun(npm, ["ci", "--no-audit", "--no-fund"]);
  } else {
    // A Deno-only machine: Deno installs package.json's packages itself.
    console.error("wsload setup: installing npm packages (deno install)");
    mustRun(process.execPath, ["install"]);
  }
}

function installedDenoVersion() {
  if (!existsSync(denoBin)) return null;
  const result = spawnSync(denoBin, ["--version"], { encoding: "utf8" });
  return /^deno (\S+)/.exec(result.stdout ?? "")?.[1] ?? null;
}

/** Installs the pinned Deno into .tools/ when missing or of another version. */
export function ensureDeno() {
  if (installedDenoVersion() === DENO_VERSION) return;
  console.error(`wsload setup: installing deno@${DENO_VERSION} into .tools/`);
  const npm = isWindows ? "npm.cmd" : "npm";
  mustRun(npm, [
    "install",
    "--no-save",
    "--no-audit",
    "--no-fund",
    "--prefix",
    join(root, ".tools"),
    `deno@${DENO_VERSION}`,
  ]);
  const found = installedDenoVersion();
  if (found !== DENO_VERSION) {
    throw new Error(`expected deno ${DENO_VERSION} in .tools/, found ${found}`);
  }
}
