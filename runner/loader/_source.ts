/**
 * Reading a script module's text: a local file or an `https://` URL
 * (fetched once per run, as k6 does), with TypeScript's types removed.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { request } from "node:https";
import { rootCertificates } from "node:tls";
import { ScriptError } from "./script_error.ts";

/** A module's JavaScript, and how its positions map to the user's source. */
export interface ModuleSource {
  /** The JavaScript to parse and run. */
  readonly code: string;
  /** What the user wrote (for code frames). */
  readonly original: string;
  /**
   * A source map from `code` to `original`, when positions moved (a
   * TypeScript feature that needs more than removing types).
   */
  readonly map?: string;
}

const TS_EXTENSION = /\.(?:ts|mts|cts)$/i;
const REMOTE_TIMEOUT_MS = 60_000;
const MAX_REDIRECTS = 10;

type Amaro = {
  transformSync(
    code: string,
    options: { mode: string; sourceMap?: boolean; filename?: string },
  ): { code: string; map?: string };
};
let amaro: Promise<Amaro> | undefined;

/**
 * Whether a path or URL names a TypeScript module.
 *
 * @param name The path or URL.
 * @returns `true` for `.ts`, `.mts` and `.cts`.
 */
export function isTypeScript(name: string): boolean {
  return TS_EXTENSION.test(new URL(name, "file:///").pathname);
}

/**
 * Removes TypeScript's types, keeping every position (Node's own
 * stripper, amaro). Enums, namespaces and parameter properties need code,
 * not just removal: those modules are transformed, with a source map.
 *
 * @param code The TypeScript.
 * @param name The file, for errors.
 * @returns The JavaScript.
 * @throws {ScriptError} For a syntax error.
 */
export async function stripTypes(
  code: string,
  name: string,
): Promise<ModuleSource> {
  const { transformSync } = await (amaro ??= import("amaro") as Promise<Amaro>);
  try {
    return {
      code: transformSync(code, { mode: "strip-only" }).code,
      original: code,
    };
  } catch (error) {
    const text = typeof error === "string"
      ? error
      : (error as Error)?.message ?? String(error);
    if (/not supported in strip-only mode/.test(text)) {
      const out = transformSync(code, {
        mode: "transform",
        sourceMap: true,
        filename: name,
      });
      return { code: out.code, original: code, map: out.map };
    }
    throw new ScriptError(`SyntaxError: ${name}:\n${text.trimEnd()}`);
  }
}

/**
 * Reads a local module.
 *
 * @param path Its absolute path.
 * @returns Its text.
 * @throws {ScriptError} When it cannot be read.
 */
export async function readLocal(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new ScriptError(
      `cannot read script '${path}': ${(error as Error).message}`,
      { cause: error },
    );
  }
}

let extraCA: readonly string[] | undefined;

// Like k6 (Go's crypto/x509), SSL_CERT_FILE adds trusted certificates.
async function trustedCertificates(
  env: Readonly<Record<string, string | undefined>>,
): Promise<readonly string[] | undefined> {
  const file = env.SSL_CERT_FILE;
  if (!file) return undefined;
  extraCA ??= [await readFile(file, "utf8")];
  return [...rootCertificates, ...extraCA];
}

/**
 * Fetches a remote module over HTTPS, following redirects.
 *
 * @param url Its `https:` URL.
 * @param env The environment (`SSL_CERT_FILE` adds trusted certificates).
 * @returns Its text and its final URL (after redirects).
 * @throws {ScriptError} For another scheme, a network failure, or an
 * answer other than 200.
 */
export async function fetchRemote(
  url: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ text: string; url: string }> {
  if (!url.startsWith("https://")) {
    throw new ScriptError(
      `cannot load '${url}': remote modules are loaded over https only, as in k6`,
    );
  }
  const ca = await trustedCertificates(env);
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const answer = await get(current, ca).catch((error: Error) => {
      throw new ScriptError(
        `cannot load '${url}': ${error.message}`,
        { cause: error },
      );
    });
    if (answer.status >= 300 && answer.status < 400 && answer.location) {
      current = new URL(answer.location, current).href;
      continue;
    }
    if (answer.status !== 200) {
      throw new ScriptError(
        `cannot load '${url}': the server answered ${answer.status}`,
      );
    }
    return { text: answer.body, url: current };
  }
  throw new ScriptError(`cannot load '${url}': too many redirects`);
}

function get(
  url: string,
  ca: readonly string[] | undefined,
): Promise<{ status: number; location?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: "GET",
      ...(ca ? { ca: [...ca] } : {}),
      headers: { "User-Agent": "wsload", Accept: "*/*" },
      timeout: REMOTE_TIMEOUT_MS,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          location: res.headers.location,
          body: Buffer.concat(chunks).toString("utf8"),
        }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end();
  });
}
