/**
 * `deno task demo` / `npm run demo`: the main job of wsload in one command.
 * Starts the embedded chat server in-process, then runs the k6 docs' chat
 * example (examples/chat.js, imports unchanged) through `wsload run` with a
 * few VUs for about ten seconds, and prints k6's end-of-test summary.
 *
 * @module
 */
import { main } from "../cli.ts";
import { startServer } from "../server/mod.ts";

const server = await startServer({ engine: "node", record: false });
const exitCode = await main([
  "run",
  "--env",
  `CHAT_URL=${server.url}/ws`,
  "--vus",
  "4",
  "--duration",
  "10s",
  "examples/chat.js",
]);
await server.close();
process.exit(exitCode);
