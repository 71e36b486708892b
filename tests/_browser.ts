/**
 * Headless Chromium for the suites that look at pages (the HTML report,
 * the web dashboard): Debian's `chromium`, driven by playwright-core, with
 * the flags this machine's closed network needs.
 *
 * @module
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";

const CHROMIUM = "/usr/bin/chromium";

/**
 * Why a browser test cannot run, or `false` when it can (the `skip`
 * option of a node:test case).
 */
export const chromiumMissing: string | false = existsSync(CHROMIUM)
  ? false
  : `Chromium is not installed at ${CHROMIUM} (CI installs it: apt-get install chromium)`;

/** A page in a fresh headless Chromium, with its console errors collected. */
export interface BrowserPage {
  /** The page. */
  readonly page: Page;
  /** Console errors and uncaught page errors, as they come. */
  readonly problems: string[];
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/**
 * Starts headless Chromium with a new, empty profile and opens a page.
 *
 * @returns The page.
 */
export async function openPage(): Promise<BrowserPage> {
  const { chromium } = await import("playwright-core");
  const profile = mkdtempSync(join(tmpdir(), "wsload-chromium-"));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      // Without the background-networking flags Chromium keeps trying to
      // reach Google's hosts, which this machine refuses.
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  const page = context.pages()[0] ?? await context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  return {
    page,
    problems,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
