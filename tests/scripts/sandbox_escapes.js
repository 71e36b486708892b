// One scenario per way out of the sandbox: the process environment, the
// Deno namespace, writing a file, starting a process, reading a file
// outside the script's folder (at init with open() when INIT_OPEN is set).
// Sandboxed, each fails with an error that says why; under --no-sandbox
// each works and logs "escaped <what>: <result>".
const init = __ENV.INIT_OPEN ? open(__ENV.OUTSIDE) : undefined;
if (init !== undefined && __VU === 0) {
  console.log(`escaped open: ${init.trim()}`);
}

const once = (exec) => ({
  executor: "per-vu-iterations",
  vus: 1,
  iterations: 1,
  exec,
});

export const options = {
  scenarios: {
    env: once("env"),
    globalEnv: once("globalEnv"),
    deno: once("deno"),
    write: once("write"),
    spawn: once("spawn"),
    read: once("read"),
  },
};

// Not a literal: the loader lets it through, the runtime's permissions decide.
const builtin = (name) => import(["node", name].join(":"));

export function env() {
  console.log(`escaped env: ${process.env.WSLOAD_TEST_SECRET}`);
}

// Caught: a script error log shows five errors in full, and there are five
// others.
export function globalEnv() {
  try {
    console.log(
      `escaped globalEnv: ${globalThis.process.env.WSLOAD_TEST_SECRET}`,
    );
  } catch (error) {
    console.log(`refused globalEnv: ${error.name}`);
  }
}

export function deno() {
  console.log(`escaped deno: ${Deno.readTextFileSync(__ENV.OUTSIDE).trim()}`);
}

export async function write() {
  const fs = await builtin("fs");
  fs.writeFileSync(__ENV.WRITE_TO, "written by the script");
  console.log("escaped write: done");
}

export async function spawn() {
  const { execSync } = await builtin("child_process");
  console.log(`escaped spawn: ${String(execSync("echo started")).trim()}`);
}

export async function read() {
  const fs = await builtin("fs");
  console.log(`escaped read: ${fs.readFileSync(__ENV.OUTSIDE, "utf8").trim()}`);
}
