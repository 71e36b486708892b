/**
 * k6's live progress bars: one line per scenario, `<name> <status>
 * [=====>-----] <right parts>`, and the block of lines k6 redraws every
 * 100 ms on a terminal (every second elsewhere, as new lines).
 *
 * @module
 */
import { formatFixed } from "../internal/go_format.ts";
import { goColor, SGR } from "../internal/ansi.ts";

/** A scenario's state as its bar shows it. */
export type ProgressStatus =
  | "running"
  | "waiting"
  | "stopping"
  | "interrupted"
  | "done";

/** One progress bar. */
export interface ProgressBarState {
  /** The left text: the scenario name. */
  readonly left: string;
  /** Blank while running, `•` waiting, `↓` stopping, `✗` interrupted, `✓` done. */
  readonly status?: ProgressStatus;
  /** The fraction done; clamped to 0..1. */
  readonly progress: number;
  /** The right-hand parts (see `executorProgress`). */
  readonly right?: readonly string[];
}

/** Options of {@link renderProgressBar}. */
export interface ProgressBarOptions {
  /** The bar width including brackets, 8 to 40 (default 40); at 8 or less
   * the bar becomes a percentage, `[ 100% ]`. */
  readonly width?: number;
  /** Longer left texts are cut to this length, ending in `...`; 0 (the
   * default) never cuts. */
  readonly maxLeft?: number;
}

const DEFAULT_WIDTH = 40;
const MIN_WIDTH = 8;
const MAX_LEFT = 30;
const TERM_PADDING = 1;
const STATUS_MARKS: Readonly<Record<ProgressStatus, string>> = {
  running: " ",
  waiting: "•",
  stopping: "↓",
  interrupted: "✗",
  done: "✓",
};
const STATUS_COLORS: Partial<Record<ProgressStatus, number>> = {
  interrupted: SGR.red,
  done: SGR.green,
  waiting: SGR.faint,
};

interface BarParts {
  readonly left: string;
  readonly status: ProgressStatus;
  readonly right: readonly string[];
  /** Set when the bar is a percentage instead of a filling. */
  readonly percent?: string;
  readonly fill: string;
  readonly padding: string;
}

/**
 * Renders one bar as a line, as k6 prints a single bar (no colours, parts
 * separated by two spaces).
 *
 * @param bar The bar.
 * @param options Width and left cut.
 * @returns The line, e.g. `default ✓ [======================================] 10 VUs  30s`.
 *
 * @example A bar at half way and one in a narrow terminal
 * ```ts
 * import { renderProgressBar } from "./progress_bar.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   renderProgressBar({ left: "left", progress: 0.5, right: ["right"] }),
 *   "left   [==================>-------------------] right",
 * );
 * assert.equal(
 *   renderProgressBar({ left: "", progress: 0.25, right: [""] }, { width: 0 }),
 *   "   [  25% ] ",
 * );
 * ```
 */
export function renderProgressBar(
  bar: ProgressBarState,
  options: ProgressBarOptions = {},
): string {
  const parts = barParts(
    bar,
    clamp(options.width ?? DEFAULT_WIDTH, MIN_WIDTH, DEFAULT_WIDTH),
    options.maxLeft ?? 0,
  );
  const right = parts.right.length > 0 ? ` ${parts.right.join("  ")}` : "";
  return `${parts.left} ${statusText(parts, false)} ${
    barText(parts, false)
  }${right}`;
}

/** Options of a {@link ProgressDisplay}. */
export interface ProgressDisplayOptions {
  /** Whether stdout is a terminal: redraw in place, bars fit the width. */
  readonly tty: boolean;
  /** Whether to colour the status marks and the bar's empty part. */
  readonly colors: boolean;
  /** The terminal width in columns; default 80. */
  readonly termWidth?: number;
}

/** A row of the display: a bar, or a text line (k6's run status line). */
export type ProgressRow = ProgressBarState | string;

/**
 * The block of progress lines k6 prints while a test runs: an empty line,
 * the run status line, one bar per scenario. On a terminal each frame ends
 * by moving the cursor back up so the next frame overwrites it, and bars
 * shrink (down to `[ 100% ]`) to fit the terminal width over the following
 * frames; elsewhere bars are always percentages and frames follow each
 * other.
 *
 * A text row counts as k6's `Init` bar (4 characters) when the left
 * column's width is computed, as in k6, where that bar turns into the
 * status line.
 *
 * @example Two frames on a non-terminal output
 * ```ts
 * import { ProgressDisplay } from "./progress_bar.ts";
 * import assert from "node:assert/strict";
 *
 * const display = new ProgressDisplay({ tty: false, colors: false });
 * const frame = display.render([
 *   "running (05.0s), 1/1 VUs, 4 complete and 0 interrupted iterations",
 *   { left: "default", progress: 0.5, right: ["1 VUs", "05.0s/10s"] },
 * ]);
 * assert.equal(frame, [
 *   "",
 *   "running (05.0s), 1/1 VUs, 4 complete and 0 interrupted iterations",
 *   "default   [  50% ] 1 VUs  05.0s/10s",
 *   "",
 * ].join("\n"));
 * ```
 */
export class ProgressDisplay {
  readonly #tty: boolean;
  readonly #colors: boolean;
  readonly #widths: number[] = [];
  #widthDelta: number;
  #termWidth = 80;

  /**
   * Creates a display.
   *
   * @param options Terminal or not, colours, terminal width.
   * @throws {RangeError} When the terminal width is not a positive integer.
   */
  constructor(options: ProgressDisplayOptions) {
    this.#tty = options.tty;
    this.#colors = options.colors;
    this.termWidth = options.termWidth ?? 80;
    this.#widthDelta = options.tty ? 0 : -DEFAULT_WIDTH;
  }

  /** The terminal width in columns; set it when the terminal is resized. */
  get termWidth(): number {
    return this.#termWidth;
  }

  /**
   * Sets the terminal width.
   *
   * @param columns The width in columns.
   * @throws {RangeError} When it is not a positive integer.
   */
  set termWidth(columns: number) {
    if (!Number.isInteger(columns) || columns <= 0) {
      throw new RangeError(
        `Invalid terminal width ${columns}; expected a positive integer number of columns`,
      );
    }
    this.#termWidth = columns;
  }

  /**
   * Renders one frame.
   *
   * @param rows The status line and the bars, top to bottom.
   * @param final Whether this is the last frame: on a terminal the cursor
   * then stays below it.
   * @returns The text to write.
   */
  render(rows: readonly ProgressRow[], final = false): string {
    const lineEnd = this.#tty ? "\x1b[K\n" : "\n";
    const maxLeft = Math.min(
      MAX_LEFT,
      Math.max(
        0,
        ...rows.map((row) =>
          utf8Length(typeof row === "string" ? "Init" : row.left)
        ),
      ),
    );
    const rendered = rows.map((row, i) => {
      if (typeof row === "string") return row;
      const width = clamp(
        (this.#widths[i] ?? DEFAULT_WIDTH) + this.#widthDelta,
        MIN_WIDTH,
        DEFAULT_WIDTH,
      );
      this.#widths[i] = width;
      return barParts(row, width, maxLeft);
    });
    // k6 aligns only the first two right-hand columns, and never the last
    // column of a bar.
    const columnWidths = [0, 0];
    for (const parts of rendered) {
      if (typeof parts === "string") continue;
      parts.right.slice(0, -1).forEach((part, i) => {
        if (i < columnWidths.length) {
          columnWidths[i] = Math.max(columnWidths[i], utf8Length(part));
        }
      });
    }
    let lineBreaks = 0;
    let longestLine = 0;
    const lines = rendered.map((parts) => {
      if (typeof parts === "string") {
        lineBreaks += Math.trunc(
          (runeLength(parts) - TERM_PADDING) / this.termWidth,
        );
        return parts + lineEnd;
      }
      const left = padEnd(parts.left, maxLeft);
      const right = parts.right.map((part, i) =>
        ` ${padEnd(part, (columnWidths[i] ?? 0) + 1)}`
      ).join("");
      const plain = `${left} ${statusText(parts, false)} ${
        barText(parts, false)
      }${right}`;
      const length = runeLength(plain);
      longestLine = Math.max(longestLine, length);
      lineBreaks += Math.trunc((length - TERM_PADDING) / this.termWidth);
      const line = this.#colors
        ? `${left} ${statusText(parts, true)} ${barText(parts, true)}${right}`
        : plain;
      return line + lineEnd;
    });
    if (this.#tty) {
      this.#widthDelta = this.termWidth - longestLine - TERM_PADDING;
    }
    const back = this.#tty && !final
      ? `\r\x1b[J\x1b[${rows.length + lineBreaks + 1}A`
      : "";
    return lineEnd + lines.join("") + back;
  }
}

function barParts(
  bar: ProgressBarState,
  width: number,
  maxLeft: number,
): BarParts {
  const progress = Number.isNaN(bar.progress) ? 0 : clamp(bar.progress, 0, 1);
  let left = bar.left;
  if (maxLeft > 0 && utf8Length(left) > maxLeft) {
    left = `${[...left].slice(0, maxLeft - 3).join("")}...`;
  }
  const common = {
    left,
    status: bar.status ?? "running",
    right: bar.right ?? [],
  };
  if (width <= MIN_WIDTH) {
    const percent = formatFixed(progress * 100, 0).padStart(3, " ");
    return { ...common, percent: `${percent}%`, fill: "", padding: "" };
  }
  const space = width - 2;
  const filled = Math.trunc(space * progress);
  let fill = "";
  if (filled > 0) {
    fill = filled < space ? `${"=".repeat(filled - 1)}>` : "=".repeat(filled);
  }
  return { ...common, fill, padding: "-".repeat(Math.max(0, space - filled)) };
}

function statusText(parts: BarParts, colors: boolean): string {
  const mark = STATUS_MARKS[parts.status];
  const color = STATUS_COLORS[parts.status];
  return colors && color !== undefined ? goColor(mark, color) : mark;
}

function barText(parts: BarParts, colors: boolean): string {
  if (parts.percent !== undefined) return `[ ${parts.percent} ]`;
  const padding = colors ? goColor(parts.padding, SGR.faint) : parts.padding;
  return `[${parts.fill}${padding}]`;
}

function clamp(value: number, floor: number, ceiling: number): number {
  return value < floor ? floor : value > ceiling ? ceiling : value;
}

const encoder = new TextEncoder();

// Go measures strings in bytes for lengths and pads them in runes.
function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

function runeLength(text: string): number {
  return [...text].length;
}

function padEnd(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - runeLength(text)));
}
