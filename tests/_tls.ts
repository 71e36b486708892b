/**
 * Reads the TLS fixtures of `tests/fixtures/tls/` (see its README).
 *
 * @module
 */

import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The PEM texts of the TLS fixtures. */
export interface TlsFixtures {
  /** The test CA's certificate: trust it to accept `cert`. */
  readonly ca: string;
  /** Server certificate for 127.0.0.1 and localhost, signed by `ca`. */
  readonly cert: string;
  /** Key of `cert`. */
  readonly key: string;
  /** Self-signed certificate for the same names, not signed by `ca`. */
  readonly selfSignedCert: string;
  /** Key of `selfSignedCert`. */
  readonly selfSignedKey: string;
  /** Client certificate `CN=wsload test client`, signed by `ca`. */
  readonly clientCert: string;
  /** Key of `clientCert`. */
  readonly clientKey: string;
}

// From tests/ (source) or npm/esm/tests/ (compiled by the npm build).
const CANDIDATES = ["./fixtures/tls/", "../../../tests/fixtures/tls/"];

let cached: TlsFixtures | undefined;

/**
 * Loads the TLS fixtures (once).
 *
 * @returns The certificates and keys as PEM strings.
 * @throws {Error} When the fixture directory cannot be found.
 */
export function tlsFixtures(): TlsFixtures {
  if (cached !== undefined) return cached;
  const directory = CANDIDATES.map((path) => new URL(path, import.meta.url))
    .find((url) => existsSync(new URL("ca.crt", url)));
  if (directory === undefined) {
    throw new Error(
      `TLS fixtures not found next to ${fileURLToPath(import.meta.url)}`,
    );
  }
  const read = (name: string) => readFileSync(new URL(name, directory), "utf8");
  cached = {
    ca: read("ca.crt"),
    cert: read("server.crt"),
    key: read("server.key"),
    selfSignedCert: read("selfsigned.crt"),
    selfSignedKey: read("selfsigned.key"),
    clientCert: read("client.crt"),
    clientKey: read("client.key"),
  };
  return cached;
}
