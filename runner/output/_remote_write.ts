/**
 * Prometheus remote write 1.0 on the wire: a `prometheus.WriteRequest`
 * protobuf message (time series of labels with float samples or native
 * histograms), snappy-compressed (block format), POSTed with the
 * protocol's headers. protobufjs encodes the message from a reflection
 * schema carrying the field numbers of Prometheus' `prompb/types.proto`
 * and `remote.proto` (only the fields a writer sends); snappyjs
 * compresses it.
 *
 * @module
 */
import protobuf from "protobufjs";
import snappy from "snappyjs";
import { VERSION } from "../../version.ts";

/** A label: `__name__` or a tag. */
export interface Label {
  /** The label name. */
  readonly name: string;
  /** The label value. */
  readonly value: string;
}

/** A float sample. */
export interface FloatSample {
  /** The value. */
  readonly value: number;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
}

/** A run of consecutive native-histogram buckets. */
export interface BucketSpan {
  /** Gap to the previous span's end (the first: the first bucket's index). */
  readonly offset: number;
  /** How many buckets. */
  readonly length: number;
}

/** A native (sparse, exponential) histogram with integer counts. */
export interface NativeHistogram {
  /** Observations. */
  readonly countInt: number;
  /** Sum of the observations. */
  readonly sum: number;
  /** Resolution: bucket boundaries grow by 2^(2^-schema). */
  readonly schema: number;
  /** Values whose magnitude is at most this go to the zero bucket. */
  readonly zeroThreshold: number;
  /** Observations in the zero bucket. */
  readonly zeroCountInt: number;
  /** Spans of the negative buckets. */
  readonly negativeSpans: readonly BucketSpan[];
  /** Negative bucket counts, each as the difference from the previous one. */
  readonly negativeDeltas: readonly number[];
  /** Spans of the positive buckets. */
  readonly positiveSpans: readonly BucketSpan[];
  /** Positive bucket counts, each as the difference from the previous one. */
  readonly positiveDeltas: readonly number[];
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
}

/** One time series of a write request. */
export interface TimeSeries {
  /** Its labels, sorted by name, `__name__` among them. */
  readonly labels: readonly Label[];
  /** Float samples. */
  readonly samples?: readonly FloatSample[];
  /** Native histograms. */
  readonly histograms?: readonly NativeHistogram[];
}

const repeated = (type: string, id: number) => ({ rule: "repeated", type, id });

const root = protobuf.Root.fromJSON({
  nested: {
    prometheus: {
      nested: {
        WriteRequest: { fields: { timeseries: repeated("TimeSeries", 1) } },
        TimeSeries: {
          fields: {
            labels: repeated("Label", 1),
            samples: repeated("Sample", 2),
            histograms: repeated("Histogram", 4),
          },
        },
        Label: {
          fields: {
            name: { type: "string", id: 1 },
            value: { type: "string", id: 2 },
          },
        },
        Sample: {
          fields: {
            value: { type: "double", id: 1 },
            timestamp: { type: "int64", id: 2 },
          },
        },
        BucketSpan: {
          fields: {
            offset: { type: "sint32", id: 1 },
            length: { type: "uint32", id: 2 },
          },
        },
        Histogram: {
          oneofs: {
            count: { oneof: ["countInt"] },
            zeroCount: { oneof: ["zeroCountInt"] },
          },
          fields: {
            countInt: { type: "uint64", id: 1 },
            sum: { type: "double", id: 3 },
            schema: { type: "sint32", id: 4 },
            zeroThreshold: { type: "double", id: 5 },
            zeroCountInt: { type: "uint64", id: 6 },
            negativeSpans: repeated("BucketSpan", 8),
            negativeDeltas: {
              ...repeated("sint64", 9),
              options: { packed: true },
            },
            positiveSpans: repeated("BucketSpan", 11),
            positiveDeltas: {
              ...repeated("sint64", 12),
              options: { packed: true },
            },
            timestamp: { type: "int64", id: 15 },
          },
        },
      },
    },
  },
});

const WRITE_REQUEST = root.lookupType("prometheus.WriteRequest");

/**
 * The body of a remote write request: the protobuf `WriteRequest`,
 * snappy-compressed.
 *
 * @param series The time series.
 * @returns The body.
 */
export function writeRequestBody(series: readonly TimeSeries[]): Uint8Array {
  const message = WRITE_REQUEST.encode({ timeseries: series }).finish();
  return snappy.compress(message);
}

/**
 * The headers the remote write protocol (1.0) asks for.
 *
 * @returns Content type, encoding, protocol version, user agent.
 */
export function writeRequestHeaders(): Record<string, string> {
  return {
    "Content-Encoding": "snappy",
    "Content-Type": "application/x-protobuf",
    "X-Prometheus-Remote-Write-Version": "0.1.0",
    "User-Agent": `wsload/${VERSION}`,
  };
}
