/**
 * The uPlot chart library's script and stylesheet, read from the installed
 * `uplot` npm package so the report can inline them and open offline.
 * Found next to this module (Node, and Deno with a `node_modules` folder),
 * through the import map (Deno), or in the working directory's
 * `node_modules`.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** uPlot's code and CSS. */
export interface UplotAssets {
  /** The browser build (`dist/uPlot.iife.min.js`), defining `uPlot`. */
  readonly script: string;
  /** `dist/uPlot.min.css`. */
  readonly style: string;
}

// uplot has no `exports` map: its `main` is dist/uPlot.cjs.js, next to the
// browser build and the stylesheet.
function candidateEntries(): (() => string)[] {
  return [
    () => createRequire(import.meta.url).resolve("uplot"),
    () => {
      const url = import.meta.resolve("uplot");
      if (!url.startsWith("file:")) throw new Error(`resolved to ${url}`);
      return fileURLToPath(url);
    },
    () =>
      createRequire(pathToFileURL(resolve("package.json")).href).resolve(
        "uplot",
      ),
  ];
}

let loading: Promise<UplotAssets> | undefined;

/**
 * Reads uPlot's browser build and stylesheet (once per process).
 *
 * @returns The assets.
 * @throws {Error} When the `uplot` package cannot be found or read.
 */
export function loadUplotAssets(): Promise<UplotAssets> {
  loading ??= load().catch((error) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function load(): Promise<UplotAssets> {
  const reasons: string[] = [];
  for (const entry of candidateEntries()) {
    let dist: string;
    try {
      dist = dirname(entry());
    } catch (error) {
      reasons.push((error as Error).message.split("\n")[0]);
      continue;
    }
    try {
      const [script, style] = await Promise.all([
        readFile(join(dist, "uPlot.iife.min.js"), "utf8"),
        readFile(join(dist, "uPlot.min.css"), "utf8"),
      ]);
      return { script, style };
    } catch (error) {
      reasons.push((error as Error).message);
    }
  }
  throw new Error(
    `the HTML report needs the uplot package (npm install uplot), which could not be loaded: ${
      reasons.join("; ")
    }`,
  );
}
