/**
 * InfluxDB's line protocol, laid out as k6's InfluxDB v1 output writes
 * samples: the metric name is the measurement, the sample's tags are tags
 * (sorted, empty values left out, as the InfluxDB client does), the value
 * is the `value` field, and the tags configured as fields
 * (`K6_INFLUXDB_TAGS_AS_FIELDS`, by default `vu,iter,url`) move from the
 * tags to typed fields.
 *
 * @module
 */
import type { Sample } from "../../metrics/sample.ts";

/** The type a tag configured as a field is written as. */
export type FieldKind = "string" | "int" | "float" | "bool";

/** Timestamp precisions (Go duration units, as k6 takes them). */
export type Precision = "ns" | "us" | "ms" | "s" | "m" | "h";

const PRECISION_NS: Readonly<Record<Precision, bigint>> = {
  ns: 1n,
  us: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const escapeMeasurement = (text: string) => text.replace(/[, ]/g, "\\$&");
const escapeKey = (text: string) => text.replace(/[,= ]/g, "\\$&");
const quoteString = (text: string) => `"${text.replace(/["\\]/g, "\\$&")}"`;

// Go's strconv.ParseBool.
const TRUE = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const FALSE = new Set(["0", "f", "F", "FALSE", "false", "False"]);

// A tag moved to a field: typed when its text parses as the type, a string
// otherwise (k6 falls back the same way).
function fieldValue(kind: FieldKind, text: string): string {
  switch (kind) {
    case "int":
      if (/^[+-]?\d+$/.test(text)) return `${BigInt(text)}i`;
      break;
    case "float": {
      const value = Number(text);
      if (text.trim() !== "" && Number.isFinite(value)) return String(value);
      break;
    }
    case "bool":
      if (TRUE.has(text)) return "true";
      if (FALSE.has(text)) return "false";
      break;
  }
  return quoteString(text);
}

function timestamp(ms: number, precision: Precision): string {
  const whole = Math.floor(ms);
  const ns = BigInt(whole) * 1_000_000n +
    BigInt(Math.round((ms - whole) * 1e6));
  return String(ns / PRECISION_NS[precision]);
}

/**
 * One sample as a line (without the newline), or `undefined` for a value
 * InfluxDB cannot store (NaN, ±Infinity).
 *
 * @param sample The sample.
 * @param fields Tags written as fields, by name.
 * @param precision The timestamp unit.
 * @returns The line.
 */
export function sampleLine(
  sample: Sample,
  fields: ReadonlyMap<string, FieldKind>,
  precision: Precision,
): string | undefined {
  if (!Number.isFinite(sample.value)) return undefined;
  let line = escapeMeasurement(sample.metric.name);
  let extra = "";
  for (const name of Object.keys(sample.tags).sort()) {
    const value = sample.tags[name];
    const kind = fields.get(name);
    if (kind !== undefined) {
      extra += `,${escapeKey(name)}=${fieldValue(kind, value)}`;
    } else if (value !== "") {
      line += `,${escapeKey(name)}=${escapeKey(value)}`;
    }
  }
  return `${line} value=${sample.value}${extra} ${
    timestamp(sample.time, precision)
  }`;
}
