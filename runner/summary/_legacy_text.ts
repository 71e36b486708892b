/**
 * The classic end-of-test summary text, rendered from `handleSummary` data:
 * checks grouped by `█ group`, then one flat list of every metric with a
 * `✓`/`✗` threshold mark in the margin. Two variants differ in one detail:
 * k6's built-in legacy summary (`summary-legacy.js`) prints a rate metric's
 * counts as `N out of M`, the k6-summary jslib 0.0.2 (`textSummary`) as
 * `✓ passes ✗ fails`.
 *
 * @module
 */
import { SGR, sgr } from "../../internal/ansi.ts";
import type { SummaryData, SummaryGroup } from "./data.ts";
import { humanizeValue } from "./format.ts";
import { nonTrendValues } from "./report_text.ts";
import { sortMetricNames, strWidth, subMetricFilter } from "./text.ts";

/** Merged options of the legacy renderers (k6's names). */
export interface LegacyTextOptions {
  readonly indent: string;
  readonly enableColors: boolean;
  readonly summaryTrendStats: readonly string[];
  readonly summaryTimeUnit: string | null;
  /** `k6`: the built-in legacy summary; `jslib`: k6-summary 0.0.2. */
  readonly variant: "k6" | "jslib";
}

type Decorate = (text: string, color: number, ...styles: number[]) => string;

/**
 * Renders the classic summary; the result is what the renderers' own
 * `textSummary` returns (k6 prints it between a newline and two more).
 *
 * @param data The summary data (only `root_group` and `metrics` are read).
 * @param options The merged options.
 * @returns The text.
 */
export function renderLegacyText(
  data: Pick<SummaryData, "root_group" | "metrics">,
  options: LegacyTextOptions,
): string {
  const decorate: Decorate = options.enableColors
    ? (text, color, ...styles) => sgr(text, color, ...styles)
    : (text) => text;
  return [
    ...groupLines(`${options.indent}    `, data.root_group, decorate),
    ...metricLines(data.metrics, options, decorate),
  ].join("\n");
}

function groupLines(
  indent: string,
  group: SummaryGroup,
  decorate: Decorate,
): string[] {
  const lines: string[] = [];
  if (group.name !== "") {
    lines.push(`${indent}█ ${group.name}\n`);
    indent += "  ";
  }
  for (const check of group.checks) {
    if (check.fails === 0) {
      lines.push(decorate(`${indent}✓ ${check.name}`, SGR.green));
      continue;
    }
    const percent = Math.floor(
      (100 * check.passes) / (check.passes + check.fails),
    );
    lines.push(decorate(
      `${indent}✗ ${check.name}\n${indent} ↳  ${percent}% — ✓ ${check.passes} / ✗ ${check.fails}`,
      SGR.red,
    ));
  }
  if (group.checks.length > 0) lines.push("");
  for (const child of group.groups) {
    lines.push(...groupLines(indent, child, decorate));
  }
  return lines;
}

function metricLines(
  metrics: SummaryData["metrics"],
  options: LegacyTextOptions,
  decorate: Decorate,
): string[] {
  const stats = options.summaryTrendStats;
  const timeUnit = options.summaryTimeUnit;
  const names = Object.keys(metrics);
  let nameWidth = 0;
  let valueWidth = 0;
  const values = new Map<string, string>();
  const extras = new Map<string, string[]>();
  const extraWidths = [0, 0];
  const trendCols = new Map<string, string[]>();
  const trendWidths = stats.map(() => 0);
  for (const name of names) {
    const metric = metrics[name];
    nameWidth = Math.max(
      nameWidth,
      strWidth(marginOf(name) + displayName(name)),
    );
    if (metric.type === "trend") {
      const cols = stats.map((stat) =>
        stat === "count"
          ? metric.values[stat].toString()
          : humanizeValue(metric.values[stat], metric, timeUnit)
      );
      cols.forEach((col, i) => {
        trendWidths[i] = Math.max(trendWidths[i], strWidth(col));
      });
      trendCols.set(name, cols);
      continue;
    }
    const [value, ...rest] =
      options.variant === "jslib" && metric.type === "rate"
        ? [
          humanizeValue(metric.values.rate, metric, timeUnit),
          `✓ ${metric.values.passes}`,
          `✗ ${metric.values.fails}`,
        ]
        : nonTrendValues({ name, ...metric }, timeUnit);
    values.set(name, value);
    valueWidth = Math.max(valueWidth, strWidth(value));
    extras.set(name, rest);
    rest.forEach((extra, i) => {
      extraWidths[i] = Math.max(extraWidths[i] ?? 0, strWidth(extra));
    });
  }
  sortMetricNames(names);

  const data = (name: string): string => {
    const cols = trendCols.get(name);
    if (cols) {
      return cols.map((col, i) =>
        stats[i] + "=" + decorate(col, SGR.cyan) +
        " ".repeat(trendWidths[i] - strWidth(col))
      ).join(" ");
    }
    const value = values.get(name)!;
    let text = decorate(value, SGR.cyan) +
      " ".repeat(valueWidth - strWidth(value));
    const rest = extras.get(name)!;
    if (rest.length === 1) {
      text += " " + decorate(rest[0], SGR.cyan, SGR.faint);
    } else if (rest.length > 1) {
      text += " " +
        rest.map((extra, i) =>
          decorate(extra, SGR.cyan, SGR.faint) +
          " ".repeat(extraWidths[i] - strWidth(extra))
        ).join(" ");
    }
    return text;
  };

  return names.map((name) => {
    const metric = metrics[name];
    let mark = " ";
    let markColor = (text: string) => text;
    if (metric.thresholds) {
      const failed = Object.values(metric.thresholds).some((t) => !t.ok);
      mark = failed ? "✗" : "✓";
      markColor = (text) => decorate(text, failed ? SGR.red : SGR.green);
    }
    const margin = marginOf(name);
    const shown = displayName(name);
    const dots = ".".repeat(nameWidth - strWidth(shown) - strWidth(margin) + 3);
    return `${options.indent}  ${margin}${markColor(mark)} ${shown}${
      decorate(`${dots}:`, SGR.faint)
    } ${data(name)}`;
  });
}

function displayName(name: string): string {
  const filter = subMetricFilter(name);
  return filter === undefined ? name : `{ ${filter} }`;
}

function marginOf(name: string): string {
  return name.includes("{") ? "  " : "";
}
