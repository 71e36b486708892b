/**
 * Renders a {@link Report} as k6's compact and full end-of-test summary text
 * (k6's `summary.js`): `█ THRESHOLDS`, `█ TOTAL RESULTS`, then in full mode
 * `█ GROUP:` and `█ SCENARIO:` blocks.
 *
 * @module
 */
import { SGR, sgr } from "../../internal/ansi.ts";
import { humanizeValue } from "./format.ts";
import {
  CATEGORIES,
  type Category,
  type Report,
  type ReportCheck,
  type ReportChecks,
  type ReportGroup,
  type ReportMetric,
  type ReportThresholds,
} from "./report.ts";
import {
  localeCompare,
  parentName,
  sortMetricNames,
  strWidth,
  subMetricFilter,
} from "./text.ts";

/** How to render. */
export interface ReportTextOptions {
  readonly trendStats: readonly string[];
  readonly timeUnit: string | null;
  readonly colors: boolean;
}

// A piece of content: a line, or the marker NEWLINE that ends a paragraph.
const NEWLINE = "\n";

type Color = "red" | "green" | "cyan" | "white";
type Style = "faint";

/** k6's formatter: styles first, then the colour, one reset. */
class Formatter {
  readonly #colors: boolean;

  constructor(colors: boolean) {
    this.#colors = colors;
  }

  decorate(text: string, color: Color, ...styles: Style[]): string {
    if (!this.#colors) return text;
    return sgr(text, ...styles.map((style) => SGR[style]), SGR[color]);
  }

  // k6 decorates a missing value too: it prints as `undefined` in colour and
  // as nothing without.
  decorateValue(text: string | undefined, color: Color): string {
    return this.#colors ? this.decorate(String(text), color) : text ?? "";
  }

  bold(text: string): string {
    return this.#colors ? sgr(text, SGR.bold) : text;
  }
}

/** Indentation: two spaces per level above the base. */
class Indent {
  readonly base: number;

  constructor(base: number) {
    this.base = base;
  }

  spaces(level = 1): string {
    return " ".repeat((this.base + level) * 2);
  }

  line(text: string, level = 1): string {
    return this.spaces(level) + text;
  }

  deeper(): Indent {
    return new Indent(this.base + 1);
  }
}

/** Precomputed columns of one metrics block (k6's `SummaryInfo`). */
interface Columns {
  /** `undefined`: no dots (k6's single-metric quirk). */
  readonly maxNameWidth: number | undefined;
  readonly values: Map<string, string>;
  readonly extras: Map<string, string[]>;
  readonly maxValueWidth: number;
  readonly maxExtraWidths: number[];
  readonly trendCols: Map<string, string[]>;
  readonly trendKeys: Map<string, Record<string, string>>;
  readonly trendColWidths: number[];
}

/**
 * Renders the report; the result is what k6's `textSummary` returns (k6
 * prints it between a newline and two more).
 *
 * @param report The report.
 * @param options Trend stats, time unit, colours.
 * @returns The summary text.
 */
export function renderReportText(
  report: Report,
  options: ReportTextOptions,
): string {
  return new ReportRenderer(report, options).render();
}

class ReportRenderer {
  readonly #report: Report;
  readonly #options: ReportTextOptions;
  readonly #format: Formatter;
  readonly #root = new Indent(0);
  // k6 means to align the names of all metric blocks across the report but
  // computes that width wrongly (NaN), so each block aligns on its own; only
  // with a single distinct metric name is the "width" that name, which
  // leaves the metric blocks (not the check totals) without dots.
  readonly #noDots: boolean;

  constructor(report: Report, options: ReportTextOptions) {
    this.#report = report;
    this.#options = options;
    this.#format = new Formatter(options.colors);
    this.#noDots = distinctMetricNames(report).size === 1;
  }

  render(): string {
    const sections: { title: string; content: string[] }[] = [];
    const report = this.#report;
    if (report.thresholds.length > 0) {
      sections.push({
        title: "THRESHOLDS",
        content: this.#thresholds(report.thresholds),
      });
    }
    sections.push({
      title: "TOTAL RESULTS",
      content: [
        ...this.#checks(report.total.checks, this.#root),
        ...this.#metrics(report.total.metrics, this.#root),
      ],
    });
    for (const [name, group] of report.groups) {
      sections.push({
        title: `GROUP: ${name}`,
        content: this.#groupContent(group, this.#root),
      });
    }
    const scenarios = [...report.scenarios].sort(([a], [b]) =>
      localeCompare(a, b)
    );
    for (const [name, scenario] of scenarios) {
      sections.push({
        title: `SCENARIO: ${name}`,
        content: this.#groupContent(scenario, this.#root),
      });
    }
    let text = "";
    for (const section of sections) {
      for (
        const piece of [
          this.#title(section.title, this.#root, "█"),
          ...section.content,
          NEWLINE,
        ]
      ) {
        text += piece === NEWLINE ? piece : NEWLINE + piece;
      }
    }
    return text;
  }

  #title(title: string, indent: Indent, prefix: string): string {
    return indent.line(`${prefix} ${this.#format.bold(title)} ${NEWLINE}`);
  }

  #groupContent(group: ReportGroup, indent: Indent): string[] {
    const nested = indent.deeper();
    return [
      ...this.#checks(group.checks, indent),
      ...this.#metrics(group.metrics, indent),
      ...group.groups.flatMap(([name, child]) => [
        this.#title(`GROUP: ${name}`, nested, "↳"),
        ...this.#groupContent(child, nested),
      ]),
    ];
  }

  #checks(checks: ReportChecks | undefined, indent: Indent): string[] {
    if (!checks) return [];
    const inner = indent.deeper();
    const columns = this.#columns(checks.metrics, inner);
    return [
      ...checks.metrics.map((metric) =>
        this.#metricLine(metric, columns, inner)
      ),
      NEWLINE,
      ...checks.ordered.map((check) => this.#check(check, inner)),
      NEWLINE,
    ];
  }

  #check(check: ReportCheck, indent: Indent): string {
    const format = this.#format;
    if (check.fails === 0) {
      return indent.line(format.decorate(`✓ ${check.name}`, "green"));
    }
    const percent = Math.floor(
      (100 * check.passes) / (check.passes + check.fails),
    );
    const details = `↳  ${percent}% — ✓ ${check.passes} / ✗ ${check.fails}`;
    // k6 passes the base level as the extra level here, so the details line
    // moves right faster than the check in nested groups.
    return indent.line(format.decorate(`✗ ${check.name}`, "red")) + NEWLINE +
      indent.line(format.decorate(details, "red"), indent.base + 1);
  }

  #metrics(
    categories: ReadonlyMap<Category, readonly ReportMetric[]>,
    indent: Indent,
  ): string[] {
    const inner = indent.deeper();
    const all = CATEGORIES.flatMap((category) =>
      categories.get(category) ?? []
    );
    const columns = this.#columns(all, inner, !this.#noDots);
    const order: Category[] = [
      "custom",
      ...CATEGORIES.filter((c) => c !== "custom"),
    ];
    return order.flatMap((category) => {
      const metrics = categories.get(category) ?? [];
      if (metrics.length === 0) return [];
      const byName = new Map(metrics.map((metric) => [metric.name, metric]));
      return [
        inner.line(this.#format.bold(category.toUpperCase())),
        ...sortMetricNames([...byName.keys()]).map((name) =>
          this.#metricLine(byName.get(name)!, columns, inner)
        ),
        NEWLINE,
      ];
    });
  }

  #thresholds(entries: readonly ReportThresholds[]): string[] {
    const indent = this.#root.deeper();
    const byName = new Map(entries.map((entry) => [entry.metric.name, entry]));
    const columns = this.#columns(entries.map((entry) => entry.metric), indent);
    const lines: string[] = [];
    for (const name of sortMetricNames([...byName.keys()])) {
      const parent = parentName(name);
      const underParent = name.length > parent.length && byName.has(parent);
      const inner = underParent ? indent.deeper() : indent;
      lines.push(inner.line(underParent ? name.slice(parent.length) : name));
      const entry = byName.get(name)!;
      for (const threshold of entry.thresholds) {
        const format = this.#format;
        const status = threshold.ok
          ? format.decorate("✓", "green")
          : format.decorate("✗", "red");
        const source = format.decorate(`'${threshold.source.trim()}'`, "white");
        const value = this.#thresholdValue(
          entry.metric,
          threshold.source,
          columns,
        );
        lines.push(inner.line([status, source, value].join(" ")));
      }
      lines.push(NEWLINE);
    }
    return lines;
  }

  #thresholdValue(
    metric: ReportMetric,
    source: string,
    columns: Columns,
  ): string {
    const aggregation = source.split(/[=><]/)[0].trim();
    let value: string | undefined;
    switch (metric.type) {
      case "trend": {
        const column = this.#options.trendStats.indexOf(aggregation);
        value = column !== -1
          ? columns.trendCols.get(metric.name)?.[column]
          : columns.trendKeys.get(metric.name)?.[aggregation];
        break;
      }
      case "counter":
        value = aggregation === "count"
          ? columns.values.get(metric.name)
          : columns.extras.get(metric.name)?.[0];
        break;
      default:
        value = columns.values.get(metric.name);
    }
    return [
      this.#format.decorate(aggregation, "white"),
      this.#format.decorateValue(value, "cyan"),
    ].join("=");
  }

  #metricLine(metric: ReportMetric, columns: Columns, indent: Indent): string {
    const format = this.#format;
    const name = displayName(metric.name);
    const nameWidth = strWidth(name) + strWidth(indent.spaces());
    const dots = columns.maxNameWidth === undefined
      ? ""
      : ".".repeat(Math.max(3, columns.maxNameWidth - nameWidth + 3));
    const data = metric.type === "trend"
      ? this.#trendData(metric.name, columns)
      : this.#nonTrendData(metric.name, columns);
    return indent.line(
      name + format.decorate(`${dots}:`, "white", "faint") + " " + data,
    );
  }

  #trendData(name: string, columns: Columns): string {
    const { trendStats } = this.#options;
    return columns.trendCols.get(name)!.map((col, i) =>
      trendStats[i] + "=" + this.#format.decorate(col, "cyan") +
      " ".repeat(columns.trendColWidths[i] - strWidth(col))
    ).join(" ");
  }

  #nonTrendData(name: string, columns: Columns): string {
    const format = this.#format;
    const value = columns.values.get(name)!;
    const extras = columns.extras.get(name) ?? [];
    let text = format.decorate(value, "cyan") +
      " ".repeat(columns.maxValueWidth - strWidth(value));
    if (extras.length === 1) {
      text += " " + format.decorate(extras[0], "cyan", "faint");
    } else if (extras.length > 1) {
      text += " " +
        extras.map((extra, i) =>
          format.decorate(extra, "cyan", "faint") +
          " ".repeat(columns.maxExtraWidths[i] - strWidth(extra))
        ).join(" ");
    }
    return text;
  }

  #columns(
    metrics: readonly ReportMetric[],
    indent: Indent,
    alignNames = true,
  ): Columns {
    const { trendStats, timeUnit } = this.#options;
    const values = new Map<string, string>();
    const extras = new Map<string, string[]>();
    const trendCols = new Map<string, string[]>();
    const trendKeys = new Map<string, Record<string, string>>();
    const trendColWidths = trendStats.map(() => 0);
    const maxExtraWidths: number[] = [];
    let maxNameWidth = 0;
    let maxValueWidth = 0;
    const trendValue = (metric: ReportMetric, stat: string) =>
      stat === "count"
        ? metric.values[stat].toString()
        : humanizeValue(metric.values[stat], metric, timeUnit);
    for (const metric of metrics) {
      maxNameWidth = Math.max(
        maxNameWidth,
        strWidth(indent.line(displayName(metric.name))),
      );
      if (metric.type === "trend") {
        const keys: Record<string, string> = {};
        for (const key of Object.keys(metric.values)) {
          if (!trendStats.includes(key)) keys[key] = trendValue(metric, key);
        }
        const cols = trendStats.map((stat) => trendValue(metric, stat));
        cols.forEach((col, i) => {
          trendColWidths[i] = Math.max(trendColWidths[i], strWidth(col));
        });
        trendCols.set(metric.name, cols);
        trendKeys.set(metric.name, keys);
        continue;
      }
      const [value, ...rest] = nonTrendValues(metric, timeUnit);
      values.set(metric.name, value);
      maxValueWidth = Math.max(maxValueWidth, strWidth(value));
      extras.set(metric.name, rest);
      rest.forEach((extra, i) => {
        maxExtraWidths[i] = Math.max(maxExtraWidths[i] ?? 0, strWidth(extra));
      });
    }
    return {
      maxNameWidth: alignNames ? maxNameWidth : undefined,
      values,
      extras,
      maxValueWidth,
      maxExtraWidths,
      trendCols,
      trendKeys,
      trendColWidths,
    };
  }
}

/**
 * The value and the extras of a counter, gauge or rate line, as k6's
 * summaries print them.
 *
 * @param metric The metric.
 * @param timeUnit The summary time unit.
 * @returns The main value, then the extras.
 */
export function nonTrendValues(
  metric: ReportMetric,
  timeUnit: string | null,
): string[] {
  const { values } = metric;
  const human = (value: number) => humanizeValue(value, metric, timeUnit);
  switch (metric.type) {
    case "counter":
      return [human(values.count), `${human(values.rate)}/s`];
    case "gauge":
      return [
        human(values.value),
        `min=${human(values.min)}`,
        `max=${human(values.max)}`,
      ];
    case "rate":
      return [
        human(values.rate),
        `${values.passes} out of ${values.passes + values.fails}`,
      ];
    default:
      return ["[no data]"];
  }
}

function displayName(name: string): string {
  const filter = subMetricFilter(name);
  return filter === undefined ? name : `  { ${filter} }`;
}

function distinctMetricNames(report: Report): Set<string> {
  const names = new Set<string>();
  const visit = (group: ReportGroup) => {
    for (const metrics of group.metrics.values()) {
      for (const metric of metrics) names.add(metric.name);
    }
    for (const [, child] of group.groups) visit(child);
  };
  visit(report.total);
  for (const [, group] of report.groups) visit(group);
  for (const [, scenario] of report.scenarios) visit(scenario);
  return names;
}
