/**
 * Reading k6's TLS and DNS options (`tlsAuth`, `tlsVersion`, `hosts`) the
 * way k6 validates them, with k6's error texts.
 *
 * @module
 */
import { isIP } from "node:net";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { TLS_VERSIONS } from "../../transport/tls.ts";
import type { TlsAuth } from "../../transport/transport.ts";
import { ConfigError } from "./config_error.ts";
import { isObject } from "./_json_fields.ts";

/** k6's `tlsVersion`: the lowest and highest version allowed. */
export interface TlsVersionRange {
  /** Lowest version (`tls1.2` …); any when absent. */
  readonly min?: string;
  /** Highest version; any when absent. */
  readonly max?: string;
}

function readVersion(value: unknown, where: string): string | undefined {
  if (value === "" || value === null || value === undefined) return undefined;
  if (typeof value !== "string" || !TLS_VERSIONS.includes(value)) {
    throw new ConfigError(
      `invalid value for ${where}: unknown TLS version '${String(value)}'`,
    );
  }
  return value;
}

/**
 * Reads `tlsVersion`: one version (`"tls1.2"`: exactly that one) or
 * `{ min, max }`.
 *
 * @param value The raw value (`null`/`undefined`: not set).
 * @returns The range or `undefined`.
 * @throws {ConfigError} `invalid value for tlsVersion: unknown TLS version 'x'`.
 */
export function readTlsVersion(value: unknown): TlsVersionRange | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string") {
    const version = readVersion(value, "tlsVersion");
    return Object.freeze({ min: version, max: version });
  }
  if (!isObject(value)) {
    throw new ConfigError(
      `invalid value for tlsVersion: expected a TLS version like "tls1.2" or { min, max }, got ${typeof value}`,
    );
  }
  return Object.freeze({
    min: readVersion(value.min, "tlsVersion.min"),
    max: readVersion(value.max, "tlsVersion.max"),
  });
}

/**
 * Reads `tlsAuth`: client certificates (`{ cert, key, password?, domains? }`),
 * checking that each certificate and key load.
 *
 * @param value The raw value (`null`/`undefined`: not set).
 * @returns The entries or `undefined`.
 * @throws {ConfigError} When an entry is malformed or its PEM does not load.
 */
export function readTlsAuth(value: unknown): readonly TlsAuth[] | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Array.isArray(value)) {
    throw new ConfigError(
      "invalid value for tlsAuth: expected an array of { cert, key, password?, domains? }",
    );
  }
  return Object.freeze(value.map((entry, index): TlsAuth => {
    const where = `tlsAuth[${index}]`;
    if (!isObject(entry)) {
      throw new ConfigError(
        `invalid value for ${where}: expected an object with cert and key`,
      );
    }
    const { cert, key, password, domains } = entry;
    if (typeof cert !== "string" || typeof key !== "string") {
      throw new ConfigError(
        `invalid value for ${where}: cert and key must be PEM strings`,
      );
    }
    if (
      password !== undefined && password !== null &&
      typeof password !== "string"
    ) {
      throw new ConfigError(
        `invalid value for ${where}.password: expected a string`,
      );
    }
    if (
      domains !== undefined && domains !== null &&
      !(Array.isArray(domains) && domains.every((d) => typeof d === "string"))
    ) {
      throw new ConfigError(
        `invalid value for ${where}.domains: expected an array of host names`,
      );
    }
    try {
      new X509Certificate(cert);
      createPrivateKey({
        key,
        passphrase: typeof password === "string" ? password : undefined,
      });
    } catch (error) {
      throw new ConfigError(
        `invalid value for ${where}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    return Object.freeze({
      cert,
      key,
      ...(typeof password === "string" ? { password } : {}),
      ...(Array.isArray(domains)
        ? { domains: Object.freeze([...domains]) }
        : {}),
    });
  }));
}

// k6's host pattern: an optional `*.` wildcard, DNS labels, an optional port.
const HOST_PATTERN =
  /^(\*\.?)?((([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])\.)*([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]))?(:[0-9]{1,5})?$/;

function isAddress(target: string): boolean {
  if (isIP(target) !== 0) return true;
  const match = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(target);
  return match !== null && isIP(match[1]) !== 0;
}

/**
 * Reads `hosts`: `host`, `host:port` or `*.domain` → `ip` or `ip:port`.
 *
 * @param value The raw value (`null`/`undefined`: not set).
 * @returns The mapping (keys lower-case) or `undefined`.
 * @throws {ConfigError} `invalid host pattern 'x'`, or for a target that is
 * no IP address.
 */
export function readHosts(
  value: unknown,
): Readonly<Record<string, string>> | undefined {
  if (value === null || value === undefined) return undefined;
  if (!isObject(value)) {
    throw new ConfigError(
      "invalid value for hosts: expected an object of host name to IP address",
    );
  }
  const hosts: Record<string, string> = {};
  for (const [pattern, target] of Object.entries(value)) {
    if (!HOST_PATTERN.test(pattern)) {
      throw new ConfigError(
        `invalid value for hosts: invalid host pattern '${pattern}'`,
      );
    }
    if (typeof target !== "string" || !isAddress(target)) {
      throw new ConfigError(
        `invalid value for hosts: '${pattern}' must map to an IP address or ip:port, got ${
          JSON.stringify(target)
        }`,
      );
    }
    hosts[pattern.toLowerCase()] = target;
  }
  return Object.freeze(hosts);
}
