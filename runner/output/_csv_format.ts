/**
 * k6's `--out csv` rows: the header, one row per sample with the enabled
 * system tags as columns, other tags and metadata as `k=v&k=v`, values as
 * Go's `%f`, and fields quoted like Go's `encoding/csv`.
 *
 * @module
 */
import type { Sample } from "../../metrics/sample.ts";
import type { Tags } from "../../metrics/tags.ts";
import { formatFixed } from "../../internal/go_format.ts";
import { compareGoStrings } from "./_go_json.ts";
import {
  epochMicros,
  GoTimeFormatter,
  unixTimestamp,
} from "../../internal/go_time.ts";

/** k6's `K6_CSV_TIME_FORMAT` values. */
export const CSV_TIME_FORMATS: readonly string[] = Object.freeze([
  "unix",
  "unix_milli",
  "unix_micro",
  "unix_nano",
  "rfc3339",
  "rfc3339_nano",
]);

/** One of {@link CSV_TIME_FORMATS}. */
export type CsvTimeFormat =
  | "unix"
  | "unix_milli"
  | "unix_micro"
  | "unix_nano"
  | "rfc3339"
  | "rfc3339_nano";

// Go's unicode.IsSpace, which differs from \s on U+0085 and U+FEFF.
const GO_SPACE =
  /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

// High-cardinality system tags that k6 keeps as metadata, never as columns.
const NON_INDEXABLE = new Set(["vu", "iter"]);

/**
 * The tag columns: the enabled system tags except `vu` and `iter`, sorted
 * (k6's `buildTagSets`).
 *
 * @param systemTags The enabled system tags.
 * @returns The column names.
 */
export function csvTagColumns(systemTags: ReadonlySet<string>): string[] {
  return [...systemTags].filter((tag) => !NON_INDEXABLE.has(tag)).sort(
    compareGoStrings,
  );
}

/**
 * Quotes a field like Go's `encoding/csv` writer: only when it holds a
 * comma, quote, CR or LF, starts with white space, or is `\.`; quotes
 * inside are doubled.
 *
 * @param field The field.
 * @returns The field as written.
 */
export function csvField(field: string): string {
  if (field === "") return field;
  if (
    field !== "\\." && !/[",\r\n]/.test(field) && !GO_SPACE.test(field)
  ) {
    return field;
  }
  return `"${field.replaceAll('"', '""')}"`;
}

/**
 * Joins fields into a line, `\n`-terminated.
 *
 * @param fields The fields.
 * @returns The line.
 */
export function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(",") + "\n";
}

/**
 * The header line: `metric_name,timestamp,metric_value`, the tag columns,
 * `extra_tags,metadata`.
 *
 * @param columns The tag columns.
 * @returns The line.
 */
export function csvHeader(columns: readonly string[]): string {
  return csvLine([
    "metric_name",
    "timestamp",
    "metric_value",
    ...columns,
    "extra_tags",
    "metadata",
  ]);
}

/**
 * Formats a value like Go's `fmt.Sprintf("%f", value)`.
 *
 * @param value The value.
 * @returns Six decimals; `NaN`, `+Inf`, `-Inf` for those.
 */
export function goPercentF(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "+Inf" : "-Inf";
  // toFixed switches to exponent notation from 1e21; such doubles are
  // whole numbers, so BigInt prints their digits exactly.
  if (Math.abs(value) >= 1e21) return `${BigInt(value)}.000000`;
  return formatFixed(value, 6);
}

function timeFormatter(
  format: CsvTimeFormat,
  offsetMinutes: ((ms: number) => number) | undefined,
): (ms: number) => string {
  switch (format) {
    case "unix":
      return (ms) => unixTimestamp(epochMicros(ms), "s");
    case "unix_milli":
      return (ms) => unixTimestamp(epochMicros(ms), "ms");
    case "unix_micro":
      return (ms) => unixTimestamp(epochMicros(ms), "us");
    case "unix_nano":
      return (ms) => unixTimestamp(epochMicros(ms), "ns");
    case "rfc3339":
    case "rfc3339_nano": {
      const formatter = new GoTimeFormatter(
        format === "rfc3339" ? "RFC3339" : "RFC3339Nano",
        offsetMinutes,
      );
      return (ms) => formatter.format(ms);
    }
  }
}

// k6 walks Go maps here, whose order is random; sorted keys keep files
// reproducible.
function joinPairs(tags: Tags | undefined, skip: ReadonlySet<string>): string {
  if (!tags) return "";
  return Object.keys(tags).filter((key) => !skip.has(key)).sort(
    compareGoStrings,
  ).map((key) => `${key}=${tags[key]}`).join("&");
}

/** Encodes samples as CSV rows. */
export class CsvRowEncoder {
  readonly #columns: readonly string[];
  readonly #columnSet: ReadonlySet<string>;
  readonly #time: (ms: number) => string;

  /**
   * Creates an encoder for these columns and time format.
   *
   * @param columns The tag columns (from {@link csvTagColumns}).
   * @param format The time format.
   * @param offsetMinutes The zone offset at a time; the local zone by default.
   */
  constructor(
    columns: readonly string[],
    format: CsvTimeFormat,
    offsetMinutes?: (ms: number) => number,
  ) {
    this.#columns = columns;
    this.#columnSet = new Set(columns);
    this.#time = timeFormatter(format, offsetMinutes);
  }

  /**
   * Encodes samples, one line each.
   *
   * @param samples The samples.
   * @returns The lines.
   */
  encode(samples: readonly Sample[]): string {
    let text = "";
    for (const sample of samples) {
      const tags = sample.tags ?? {};
      text += csvLine([
        sample.metric.name,
        this.#time(sample.time),
        goPercentF(sample.value),
        ...this.#columns.map((column) => tags[column] ?? ""),
        joinPairs(tags, this.#columnSet),
        // k6 filters metadata keys against the columns too.
        joinPairs(sample.metadata, this.#columnSet),
      ]);
    }
    return text;
  }
}
