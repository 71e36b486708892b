/**
 * TLS settings as k6 takes them (`insecureSkipTLSVerify`, `tlsAuth`,
 * `tlsVersion`, extra CAs), combined once for every client that dials TLS:
 * both WebSocket modules and `k6/http`.
 *
 * @module
 */
import type { ConnectionOptions, SecureVersion } from "node:tls";
import { rootCertificates } from "node:tls";
import type { ContextOptions } from "../context/context.ts";
import type { TlsAuth, TlsOptions } from "./transport.ts";

/** Per-call overrides of the context's TLS settings. */
export interface TlsOverrides {
  /** Accept any certificate for this call. */
  readonly insecureSkipTLSVerify?: boolean;
  /** CAs trusted for this call, on top of the context's. */
  readonly ca?: readonly string[];
}

/**
 * The TLS settings of one dial: the context's (k6's options), with a
 * call's overrides on top.
 *
 * @param options The context's options.
 * @param overrides The call's `tls` params, if any.
 * @returns The settings.
 *
 * @example A call that adds a CA to the test's
 * ```ts
 * import { tlsSettings } from "./tls.ts";
 * import { DEFAULT_OPTIONS } from "../context/context.ts";
 * import assert from "node:assert/strict";
 *
 * const tls = tlsSettings(DEFAULT_OPTIONS, { ca: ["PEM"] });
 * assert.deepEqual(tls.ca, ["PEM"]);
 * assert.equal(tls.insecureSkipTLSVerify, false);
 * ```
 */
export function tlsSettings(
  options: ContextOptions,
  overrides: TlsOverrides = {},
): TlsOptions {
  return {
    insecureSkipTLSVerify: overrides.insecureSkipTLSVerify ??
      options.insecureSkipTLSVerify,
    ca: overrides.ca === undefined || overrides.ca.length === 0
      ? options.tlsCA
      : [...options.tlsCA, ...overrides.ca],
    auth: options.tlsAuth ?? [],
    minVersion: options.tlsVersion?.min,
    maxVersion: options.tlsVersion?.max,
  };
}

/**
 * Whether the settings change anything from a default TLS dial (the native
 * WebSocket transport can apply none of them).
 *
 * @param tls The settings.
 * @returns `true` when any is set.
 */
export function customizesTls(tls: TlsOptions): boolean {
  return tls.insecureSkipTLSVerify === true || (tls.ca?.length ?? 0) > 0 ||
    (tls.auth?.length ?? 0) > 0 || tls.minVersion !== undefined ||
    tls.maxVersion !== undefined;
}

const NODE_VERSIONS: Readonly<Record<string, SecureVersion>> = {
  "tls1.0": "TLSv1",
  "tls1.1": "TLSv1.1",
  "tls1.2": "TLSv1.2",
  "tls1.3": "TLSv1.3",
};

/** k6's TLS version names (`http.TLS_1_2` …), accepted by `tlsVersion`. */
export const TLS_VERSIONS: readonly string[] = Object.freeze(
  Object.keys(NODE_VERSIONS),
);

/**
 * k6's name of a TLS version as `node:tls` reports it (`getProtocol()`).
 *
 * @param protocol E.g. `TLSv1.3`.
 * @returns E.g. `tls1.3`; `""` for anything else.
 *
 * @example
 * ```ts
 * import { k6TlsVersion } from "./tls.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(k6TlsVersion("TLSv1.2"), "tls1.2");
 * ```
 */
export function k6TlsVersion(protocol: string | null | undefined): string {
  for (const [name, node] of Object.entries(NODE_VERSIONS)) {
    if (node === protocol) return name;
  }
  return "";
}

function domainMatches(pattern: string, host: string): boolean {
  const wanted = pattern.toLowerCase();
  const name = host.toLowerCase();
  if (wanted.startsWith("*.")) {
    return name.endsWith(wanted.slice(1)) &&
      !name.slice(0, -wanted.length + 1).includes(".");
  }
  return wanted === name;
}

/**
 * The client certificate to present to a host: the first `tlsAuth` entry
 * whose `domains` list the host (`*.example.com` matches one label), or
 * that lists no domains.
 *
 * @param auth The `tlsAuth` entries.
 * @param host The server name dialled.
 * @returns The entry, or `undefined` when none applies.
 */
export function clientCertificateFor(
  auth: readonly TlsAuth[],
  host: string,
): TlsAuth | undefined {
  return auth.find((entry) =>
    entry.domains === undefined || entry.domains.length === 0 ||
    entry.domains.some((domain) => domainMatches(domain, host))
  );
}

/**
 * The `node:tls` connection options for a dial with these settings.
 *
 * @param tls The settings.
 * @param host The server name (used for SNI, certificate checks and the
 * choice of client certificate).
 * @returns Options for `tls.connect`, `https.request` or `ws`.
 *
 * @example Skip verification, only TLS 1.3
 * ```ts
 * import { nodeTlsOptions } from "./tls.ts";
 * import assert from "node:assert/strict";
 *
 * const options = nodeTlsOptions(
 *   { insecureSkipTLSVerify: true, minVersion: "tls1.3" },
 *   "example.com",
 * );
 * assert.equal(options.rejectUnauthorized, false);
 * assert.equal(options.minVersion, "TLSv1.3");
 * ```
 */
export function nodeTlsOptions(
  tls: TlsOptions,
  host: string,
): ConnectionOptions {
  const extraCA = tls.ca ?? [];
  const options: ConnectionOptions = {
    rejectUnauthorized: tls.insecureSkipTLSVerify !== true,
    // Node's `ca` replaces the default roots instead of adding to them.
    ca: extraCA.length > 0 ? [...rootCertificates, ...extraCA] : undefined,
  };
  const client = clientCertificateFor(tls.auth ?? [], host);
  if (client !== undefined) {
    options.cert = client.cert;
    options.key = client.key;
    if (client.password !== undefined) options.passphrase = client.password;
  }
  if (tls.minVersion !== undefined) {
    options.minVersion = NODE_VERSIONS[tls.minVersion];
  }
  if (tls.maxVersion !== undefined) {
    options.maxVersion = NODE_VERSIONS[tls.maxVersion];
  }
  return options;
}
