/**
 * The command line of the bare clients (`bench/bare_echo.ts`,
 * `bench/bare_churn.ts`): `--url`, `--connections`, `--seconds`,
 * `--payload-size`, as `scripts/bench_process.ts` `runBareClient` passes
 * them.
 *
 * @module
 */
import { parseArgs } from "node:util";

/** A bare client's load. */
export interface BareArgs {
  /** The echo endpoint. */
  readonly url: string;
  /** Concurrent loops. */
  readonly connections: number;
  /** How long, in seconds. */
  readonly seconds: number;
  /** The message sent, `payload-size` bytes of "x". */
  readonly payload: string;
}

/**
 * Reads the process's arguments.
 *
 * @returns The load.
 * @throws {TypeError} Without `--url`.
 */
export function bareArgs(): BareArgs {
  const { values } = parseArgs({
    options: {
      url: { type: "string" },
      connections: { type: "string", default: "100" },
      seconds: { type: "string", default: "10" },
      "payload-size": { type: "string", default: "32" },
    },
  });
  if (values.url === undefined) throw new TypeError("--url is required");
  return {
    url: values.url,
    connections: Number(values.connections),
    seconds: Number(values.seconds),
    payload: "x".repeat(Number(values["payload-size"])),
  };
}
