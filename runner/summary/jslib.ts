/**
 * The k6-summary jslib (`https://jslib.k6.io/k6-summary/0.0.2/index.js`)
 * for scripts' `handleSummary(data)`: `textSummary` (the classic summary
 * text), `jUnit` (thresholds as JUnit XML) and `humanizeValue`. Output
 * matches the jslib's byte for byte.
 *
 * @example Write a text and a JUnit report from handleSummary
 * ```ts
 * import { jUnit, textSummary } from "./jslib.ts";
 * import type { SummaryData } from "./data.ts";
 *
 * export function handleSummary(data: SummaryData) {
 *   return {
 *     stdout: textSummary(data, { indent: " ", enableColors: true }),
 *     "junit.xml": jUnit(data),
 *   };
 * }
 * ```
 *
 * @module
 */
import type { SummaryData } from "./data.ts";
import { renderLegacyText } from "./_legacy_text.ts";

export { humanizeValue } from "./format.ts";

/** Options of {@link textSummary}; they override the data's own options. */
export interface TextSummaryOptions {
  /** The left margin; default one space. */
  indent?: string;
  /** Whether to emit ANSI colours; default `true` (as the jslib). */
  enableColors?: boolean;
  /** The trend columns; default the data's `options.summaryTrendStats`. */
  summaryTrendStats?: readonly string[];
  /** `s`, `ms` or `us`; default the data's `options.summaryTimeUnit`. */
  summaryTimeUnit?: string | null;
}

/** Options of {@link jUnit}. */
export interface JUnitOptions {
  /** The test suite name; default `k6 thresholds`. */
  name?: string;
}

/** The parts of {@link SummaryData} that {@link textSummary} reads. */
export type TextSummaryData =
  & Pick<SummaryData, "root_group" | "metrics">
  & { options?: Partial<SummaryData["options"]> };

/**
 * Renders the classic summary text of the k6-summary jslib 0.0.2: checks by
 * group, then every metric in one list, rate metrics as `✓ passes ✗ fails`.
 * Options are merged over the data's options as the jslib merges them.
 *
 * @param data The `handleSummary` data.
 * @param options Indent, colours, trend columns, time unit.
 * @returns The text (no leading or trailing newline).
 * @throws {TypeError} When no trend columns are given (neither in `data`
 * nor in `options`).
 *
 * @example Render without colours
 * ```ts
 * import { textSummary } from "./jslib.ts";
 * import assert from "node:assert/strict";
 *
 * const text = textSummary({
 *   root_group: { name: "", path: "", id: "d41d8cd98f00b204e9800998ecf8427e", groups: [], checks: [] },
 *   options: { summaryTrendStats: ["avg"], summaryTimeUnit: "", noColor: false },
 *   metrics: {
 *     checks: { type: "rate", contains: "default", values: { rate: 0.5, passes: 1, fails: 1 } },
 *     ws_sessions: { type: "counter", contains: "default", values: { count: 2, rate: 1 } },
 *   },
 * }, { enableColors: false });
 * assert.equal(text, [
 *   "     checks........: 50.00% ✓ 1 ✗ 1",
 *   "     ws_sessions...: 2      1/s",
 * ].join("\n"));
 * ```
 */
export function textSummary(
  data: TextSummaryData,
  options?: TextSummaryOptions,
): string {
  const merged = Object.assign(
    {
      indent: " ",
      enableColors: true,
      summaryTimeUnit: null as string | null,
      summaryTrendStats: null as readonly string[] | null,
    },
    data.options,
    options,
  );
  if (!Array.isArray(merged.summaryTrendStats)) {
    throw new TypeError(
      "textSummary needs the trend columns: pass data.options.summaryTrendStats or options.summaryTrendStats",
    );
  }
  return renderLegacyText(data, {
    indent: merged.indent,
    enableColors: Boolean(merged.enableColors),
    summaryTrendStats: merged.summaryTrendStats,
    summaryTimeUnit: merged.summaryTimeUnit ?? null,
    variant: "jslib",
  });
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  "'": "&#39;",
  '"': "&quot;",
};

function escapeHTML(text: string): string {
  return text.replace(/[&<>'"]/g, (char) => HTML_ESCAPES[char]);
}

/**
 * Renders the thresholds as JUnit XML, one test case per threshold, as the
 * k6-summary jslib 0.0.2 does (including its `</testsuite >` spelling).
 *
 * @param data The `handleSummary` data (only `metrics` is read).
 * @param options The suite name.
 * @returns The XML text.
 *
 * @example One passing and one failing threshold
 * ```ts
 * import { jUnit } from "./jslib.ts";
 * import assert from "node:assert/strict";
 *
 * const xml = jUnit({
 *   metrics: {
 *     ws_connecting: {
 *       type: "trend", contains: "time", values: { "p(95)": 120 },
 *       thresholds: { "p(95)<500": { ok: true }, "p(95)<100": { ok: false } },
 *     },
 *   },
 * });
 * assert.equal(xml, [
 *   '<?xml version="1.0"?>',
 *   '<testsuites tests="2" failures="1">',
 *   '<testsuite name="k6 thresholds" tests="2" failures="1"><testcase name="ws_connecting - p(95)&lt;500" />',
 *   '<testcase name="ws_connecting - p(95)&lt;100"><failure message="failed" /></testcase>',
 *   "</testsuite >",
 *   "</testsuites >",
 * ].join("\n"));
 * ```
 */
export function jUnit(
  data: Pick<SummaryData, "metrics">,
  options?: JUnitOptions,
): string {
  let failures = 0;
  const cases: string[] = [];
  for (const [metricName, metric] of Object.entries(data.metrics)) {
    for (const [source, threshold] of Object.entries(metric.thresholds ?? {})) {
      const name = `${escapeHTML(metricName)} - ${escapeHTML(source)}`;
      if (threshold.ok) {
        cases.push(`<testcase name="${name}" />`);
      } else {
        failures++;
        cases.push(
          `<testcase name="${name}"><failure message="failed" /></testcase>`,
        );
      }
    }
  }
  const suite = options?.name ? escapeHTML(options.name) : "k6 thresholds";
  return `<?xml version="1.0"?>\n<testsuites tests="${cases.length}" failures="${failures}">\n` +
    `<testsuite name="${suite}" tests="${cases.length}" failures="${failures}">` +
    cases.join("\n") + "\n</testsuite >\n</testsuites >";
}
