// The web dashboard (K6_WEB_DASHBOARD=true) in headless Chromium: the page
// loads, updates over server-sent events while the run goes on, shows the
// custom trend's chart and its failing threshold, the errors, and its last
// state when the run ends; K6_WEB_DASHBOARD_EXPORT writes the same page as
// a self-contained report.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import {
  assertExit,
  type CliProcess,
  scriptPath,
  startCli,
  useServer,
} from "./_cli.ts";
import { chromiumMissing, openPage } from "./_browser.ts";
import { freePort } from "./_net.ts";

interface PageState {
  ready: boolean;
  live: boolean;
  running: boolean;
  updates: number;
  errors: string[];
  charts: {
    id: string;
    empty: boolean;
    series: { label: string; points: number }[];
  }[];
}

describe("the web dashboard", { skip: chromiumMissing }, () => {
  const served = useServer();
  let dir: string;
  let run: CliProcess;
  let url: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "wsload-dashboard-"));
    const port = await freePort();
    const refused = await freePort();
    run = startCli(["run", scriptPath("dashboard.js")], {
      env: {
        NO_COLOR: "1",
        WS_URL: served.url("/ws-echo-multi"),
        REFUSED_URL: `ws://127.0.0.1:${refused}/`,
        K6_WEB_DASHBOARD: "true",
        K6_WEB_DASHBOARD_PORT: String(port),
        K6_WEB_DASHBOARD_PERIOD: "1s",
        K6_WEB_DASHBOARD_EXPORT: join(dir, "export.html"),
      },
      killAfterMs: 60_000,
    });
    await run.waitFor(/ web dashboard: http:\/\/127\.0\.0\.1:\d+/);
    url = / web dashboard: (http:\/\/127\.0\.0\.1:\d+)/.exec(run.stdout())![1];
    assert.equal(url, `http://127.0.0.1:${port}`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("loads, updates while the run goes on, and shows a failing threshold", {
    timeout: 60_000,
  }, async () => {
    const browser = await openPage();
    const { page, problems } = browser;
    try {
      await page.goto(url);
      const read = () =>
        page.evaluate(() =>
          JSON.parse(JSON.stringify(
            (globalThis as unknown as { __wsloadReport: unknown })
              .__wsloadReport,
          ))
        ) as Promise<PageState>;
      await page.waitForFunction(() =>
        (globalThis as { __wsloadReport?: { ready: boolean } }).__wsloadReport
          ?.ready === true
      );
      const first = await read();
      assert.equal(first.live, true);
      assert.equal(first.running, true);

      // Later, still running, the charts have more points.
      const points = (state: PageState, id: string) =>
        state.charts.find((chart) => chart.id === id)?.series[0]?.points ?? 0;
      const before = points(first, "ws_messages");
      await page.waitForFunction(
        (count) => {
          const state = (globalThis as unknown as {
            __wsloadReport: PageState;
          }).__wsloadReport;
          const chart = state.charts.find((c) => c.id === "ws_messages");
          return (chart?.series[0]?.points ?? 0) > count + 1;
        },
        before,
        { timeout: 10_000 },
      );
      const later = await read();
      assert.equal(later.running, true, "updated while the run goes on");
      assert.ok(later.updates >= 2, `${later.updates} updates`);
      assert.deepEqual(later.charts.map((chart) => chart.id), [
        "vus",
        "iterations",
        "ws_messages",
        "ws_connecting",
        "ws_session_duration",
        "ws_ping",
        "checks",
        "msg_rtt",
      ]);
      for (const chart of later.charts) {
        assert.equal(chart.empty, false, chart.id);
      }

      const failing = await page.locator("#thresholds tr.fail")
        .allTextContents();
      assert.ok(
        failing.some((row) =>
          row.includes("msg_rtt") && row.includes("p(95)<0") &&
          row.includes("failed")
        ),
        failing.join("\n"),
      );
      const errors = await page.locator("#errors tbody tr").allTextContents();
      assert.equal(errors.length, 1, errors.join("\n"));
      assert.match(
        errors[0],
        /connection refused.*connection failed\s*2/,
        "one per VU",
      );

      // The run ends: one last update, with the exit code.
      const result = await run.done;
      assertExit(result, 99);
      await page.waitForFunction(() =>
        (globalThis as unknown as { __wsloadReport: { running: boolean } })
          .__wsloadReport.running === false
      );
      assert.match(
        await page.locator("#meta").textContent() ?? "",
        /exit 99 · thresholds crossed/,
      );
      await page.screenshot({
        path: join(tmpdir(), "wsload-dashboard.png"),
        fullPage: true,
      });
      assert.deepEqual(problems, []);

      // The export: the same page, self-contained, as a report.
      const exported = join(dir, "export.html");
      assert.ok(existsSync(exported));
      await page.goto(pathToFileURL(exported).href);
      await page.waitForFunction(() =>
        (globalThis as { __wsloadReport?: { ready: boolean } }).__wsloadReport
          ?.ready === true
      );
      const report = await read();
      assert.equal(report.live, false);
      assert.deepEqual(report.errors, []);
      assert.ok(points(report, "msg_rtt") > 0);
      assert.ok(points(report, "ws_ping") > 0);
      const html = readFileSync(exported, "utf8");
      assert.match(html, /<title>wsload report · .*dashboard\.js<\/title>/);
      assert.match(
        html,
        /<span class="badge bad">exit 99 · thresholds crossed<\/span>/,
      );
      assert.match(html, /<tr class="fail"><td class="name">msg_rtt<\/td>/);
    } finally {
      await browser.close();
    }
  });
});
