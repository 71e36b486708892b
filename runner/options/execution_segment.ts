/**
 * Execution segments: how one instance of a distributed test knows its share
 * of the work (k6's `--execution-segment` and
 * `--execution-segment-sequence`), with k6's exact arithmetic.
 *
 * A segment is a part `(from, to]` of the whole test `(0, 1]`. A sequence is
 * the list of segments all instances use. Scaling is *striped*: values are
 * handed out to the segments of the sequence in an interleaved order that
 * repeats every `lcd` elements (the lowest common denominator of the segment
 * lengths), so that per-segment shares always add up to the total and grow
 * steadily. VU numbers, iteration numbers and arrival-rate start times are
 * distributed the same way (see {@link SegmentedIndex}).
 *
 * @module
 */
import { ONE, Rat, ZERO } from "./_rational.ts";

function parseRat(text: string): Rat {
  if (text.endsWith("%")) {
    const percent = text.slice(0, -1);
    if (!/^[+-]?\d+$/.test(percent)) {
      throw new SyntaxError(`'${text}' is not a valid percentage`);
    }
    return new Rat(BigInt(percent), 100n);
  }
  const rat = Rat.parse(text);
  if (!rat) {
    throw new SyntaxError(
      `'${text}' is not a valid percentage, decimal, fraction or interval value`,
    );
  }
  return rat;
}

interface Bounds {
  readonly from: Rat;
  readonly to: Rat;
  readonly length: Rat;
}

// Module-private access to the exact bounds (set up in the class's static
// block), so the public API shows no rational-number type.
let boundsOf: (segment: ExecutionSegment) => Bounds;
let createSegment: (from: Rat, to: Rat) => ExecutionSegment;

function newSegment(from: Rat, to: Rat): ExecutionSegment {
  if (from.cmp(ZERO) < 0) {
    throw new RangeError(
      `segment start value must be at least 0 but was ${from.toFixed(2)}`,
    );
  }
  if (from.cmp(to) >= 0) {
    throw new RangeError(
      `segment start(${from.toFixed(2)}) must be less than its end(${
        to.toFixed(2)
      })`,
    );
  }
  if (to.cmp(ONE) > 0) {
    throw new RangeError(
      `segment end value can't be more than 1 but was ${to.toFixed(2)}`,
    );
  }
  return createSegment(from, to);
}

/** A part `(from, to]` of the whole test, with `0 <= from < to <= 1`. */
export class ExecutionSegment {
  readonly #from: Rat;
  readonly #to: Rat;
  readonly #length: Rat;

  static {
    boundsOf = (segment) => ({
      from: segment.#from,
      to: segment.#to,
      length: segment.#length,
    });
    createSegment = (from, to) => new ExecutionSegment(from, to);
  }

  private constructor(from: Rat, to: Rat) {
    this.#from = from;
    this.#to = to;
    this.#length = to.sub(from);
  }

  /** The whole test, `0:1`. */
  static readonly FULL: ExecutionSegment = new ExecutionSegment(ZERO, ONE);

  /**
   * Parses k6's segment syntax: `from:to`, or just `to` (meaning `0:to`);
   * each value a fraction (`1/3`), a decimal (`0.25`) or a whole percentage
   * (`25%`). The empty text is the whole test.
   *
   * @param text The segment text.
   * @returns The segment.
   * @throws {SyntaxError} For a malformed value, e.g. `'1a5' is not a valid
   * percentage, decimal, fraction or interval value`.
   * @throws {RangeError} For bounds outside `0 <= from < to <= 1`, e.g.
   * `segment end value can't be more than 1 but was 1.25`.
   *
   * @example Parse segments
   * ```ts
   * import { ExecutionSegment } from "./execution_segment.ts";
   * import assert from "node:assert/strict";
   *
   * assert.equal(ExecutionSegment.parse("50%:75%").toString(), "1/2:3/4");
   * assert.equal(ExecutionSegment.parse("0.25").toString(), "0:1/4");
   * ```
   */
  static parse(text: string): ExecutionSegment {
    let from = ZERO;
    let toText = text === "" ? "1" : text;
    const colon = toText.indexOf(":");
    if (colon >= 0) {
      from = parseRat(toText.slice(0, colon));
      toText = toText.slice(colon + 1);
    }
    return newSegment(from, parseRat(toText));
  }

  /** The segment's share of the test, `to - from`, as a float (1 for `0:1`). */
  get length(): number {
    return this.#length.toNumber();
  }

  /**
   * Whether both segments have the same bounds.
   *
   * @param other The other segment.
   * @returns `true` when equal.
   */
  equals(other: ExecutionSegment): boolean {
    return this.#from.cmp(other.#from) === 0 && this.#to.cmp(other.#to) === 0;
  }

  /**
   * Splits the segment into equal consecutive parts.
   *
   * @param parts How many parts (at least 1).
   * @returns The parts, in order.
   * @throws {RangeError} When `parts` is not an integer of at least 1.
   *
   * @example Split a test for three workers
   * ```ts
   * import { ExecutionSegment } from "./execution_segment.ts";
   * import assert from "node:assert/strict";
   *
   * const parts = ExecutionSegment.FULL.split(3).map(String);
   * assert.deepEqual(parts, ["0:1/3", "1/3:2/3", "2/3:1"]);
   * ```
   */
  split(parts: number): ExecutionSegment[] {
    if (!Number.isInteger(parts) || parts < 1) {
      throw new RangeError(
        `the number of parts must be at least 1, ${parts} received`,
      );
    }
    const step = this.#length.mul(new Rat(1n, BigInt(parts)));
    const result: ExecutionSegment[] = [];
    let from = this.#from;
    for (let i = 0; i < parts; i++) {
      const to = i === parts - 1 ? this.#to : from.add(step);
      result.push(new ExecutionSegment(from, to));
      from = to;
    }
    return result;
  }

  /**
   * The part of this segment that a segment of the whole covers: `0:1/2`
   * of `1/2:1` is `1/2:3/4`.
   *
   * @param inner A segment of `0:1`.
   * @returns The same share of this segment.
   *
   * @example Half of the second half
   * ```ts
   * import { ExecutionSegment } from "./execution_segment.ts";
   * import assert from "node:assert/strict";
   *
   * const half = ExecutionSegment.parse("1/2:1");
   * assert.equal(String(half.part(ExecutionSegment.parse("0:1/2"))), "1/2:3/4");
   * ```
   */
  part(inner: ExecutionSegment): ExecutionSegment {
    return new ExecutionSegment(
      this.#from.add(this.#length.mul(inner.#from)),
      this.#from.add(this.#length.mul(inner.#to)),
    );
  }

  /**
   * The segment as k6 prints it: `from:to` with exact fractions (`1/3:2/3`).
   *
   * @returns The text.
   */
  toString(): string {
    return `${this.#from}:${this.#to}`;
  }
}

/**
 * An ordered chain of segments without gaps, e.g. `0,1/4,1/2,1` (the
 * segments `0:1/4`, `1/4:1/2`, `1/2:1`). It need not cover the whole test;
 * {@link ExecutionTuple} fills the gaps.
 */
export class ExecutionSegmentSequence {
  /** The segments, in order. */
  readonly segments: readonly ExecutionSegment[];

  /**
   * Creates a sequence from consecutive segments.
   *
   * @param segments Segments where each starts where the previous ends.
   * @throws {RangeError} When two neighbours do not touch: `the start value
   * 1/2 of segment #1 must be equal to the end value of the previous one,
   * but it is 1/3`.
   */
  constructor(segments: readonly ExecutionSegment[]) {
    for (let i = 1; i < segments.length; i++) {
      const previousEnd = boundsOf(segments[i - 1]).to;
      if (boundsOf(segments[i]).from.cmp(previousEnd) !== 0) {
        throw new RangeError(
          `the start value ${
            boundsOf(segments[i]).from
          } of segment #${i} must be equal to the end value of the previous one, but it is ${previousEnd}`,
        );
      }
    }
    this.segments = Object.freeze([...segments]);
  }

  /**
   * Parses k6's sequence syntax: comma-separated points `r1,r2,...,rn`
   * (fractions, decimals or percentages), at least two. The empty text is
   * an empty sequence.
   *
   * @param text The sequence text.
   * @returns The sequence.
   * @throws {SyntaxError} For a malformed point or fewer than two points:
   * `at least 2 points are needed for an execution segment sequence, 1 given`.
   * @throws {RangeError} When points do not increase within `0..1`.
   *
   * @example Parse a sequence
   * ```ts
   * import { ExecutionSegmentSequence } from "./execution_segment.ts";
   * import assert from "node:assert/strict";
   *
   * const sequence = ExecutionSegmentSequence.parse("0,25%,0.5,1");
   * assert.equal(sequence.toString(), "0,1/4,1/2,1");
   * ```
   */
  static parse(text: string): ExecutionSegmentSequence {
    if (text === "") return new ExecutionSegmentSequence([]);
    const points = text.split(",");
    if (points.length < 2) {
      throw new SyntaxError(
        `at least 2 points are needed for an execution segment sequence, ${points.length} given`,
      );
    }
    const segments: ExecutionSegment[] = [];
    let start = parseRat(points[0]);
    for (const point of points.slice(1)) {
      const end = parseRat(point);
      segments.push(newSegment(start, end));
      start = end;
    }
    return new ExecutionSegmentSequence(segments);
  }

  /**
   * Whether the sequence covers the whole test, from 0 to 1.
   *
   * @returns `true` when full.
   */
  isFull(): boolean {
    const { segments } = this;
    return segments.length > 0 && boundsOf(segments[0]).from.cmp(ZERO) === 0 &&
      boundsOf(segments[segments.length - 1]).to.cmp(ONE) === 0;
  }

  /**
   * The lowest common denominator of the segment lengths: the period after
   * which the striped distribution repeats.
   *
   * @returns The LCD.
   * @throws {RangeError} For an empty sequence.
   */
  lcd(): number {
    if (this.segments.length === 0) {
      throw new RangeError("an empty sequence has no LCD");
    }
    let result = 1n;
    for (const segment of this.segments) {
      const den = boundsOf(segment).length.den;
      let [a, b] = [result, den];
      while (b !== 0n) [a, b] = [b, a % b];
      result = (result / a) * den;
    }
    return Number(result);
  }

  /**
   * The sequence as k6 prints it: `0,1/3,2/3,1`.
   *
   * @returns The text.
   */
  toString(): string {
    if (this.segments.length === 0) return "";
    return [
      boundsOf(this.segments[0]).from,
      ...this.segments.map((s) => boundsOf(s).to),
    ].join(",");
  }
}

/** Where a segment's elements sit in each `lcd`-long cycle. */
export interface StripedOffsets {
  /** Index (0-based) of the segment's first element in a cycle. */
  readonly start: number;
  /**
   * Gaps from each of the segment's elements to its next one, cycling; the
   * last gap leads into the next cycle.
   */
  readonly offsets: readonly number[];
  /** Cycle length: the sequence's lowest common denominator. */
  readonly lcd: number;
}

// k6's striping algorithm (NewExecutionSegmentSequenceWrapper): walk the
// elements of one cycle and give each to the biggest segment that is behind
// its proportional share.
function computeOffsets(sequence: ExecutionSegmentSequence): number[][] {
  const lcd = BigInt(sequence.lcd());
  const segments = sequence.segments;
  const offsets: number[][] = segments.map(() => []);
  const sorted = segments
    .map((segment, originalIndex) => ({
      numerator: boundsOf(segment).length.num *
        (lcd / boundsOf(segment).length.den),
      originalIndex,
    }))
    .sort((
      a,
      b,
    ) => (a.numerator > b.numerator ? -1 : a.numerator < b.numerator ? 1 : 0));
  const previous = segments.map(() => 0n);
  const chosen = segments.map(() => 0n);
  for (let i = 0n; i < lcd; i++) {
    for (let sortedIndex = 0; sortedIndex < sorted.length; sortedIndex++) {
      const num = chosen[sortedIndex] * lcd;
      const { numerator: denom, originalIndex } = sorted[sortedIndex];
      const quotient = num / denom;
      if (i > quotient || (i === quotient && num % denom === 0n)) {
        chosen[sortedIndex]++;
        const own = offsets[originalIndex];
        own.push(Number(i - previous[originalIndex]));
        previous[originalIndex] = i;
        if (BigInt(own.length) === denom) own.push(own[0] + Number(lcd - i));
        break;
      }
    }
  }
  return offsets;
}

function fillSequence(
  sequence: ExecutionSegmentSequence | undefined,
  segment: ExecutionSegment | undefined,
): ExecutionSegmentSequence {
  let segments: ExecutionSegment[];
  if (!sequence || sequence.segments.length === 0) {
    if (!segment || boundsOf(segment).length.cmp(ONE) === 0) {
      return new ExecutionSegmentSequence([ExecutionSegment.FULL]);
    }
    segments = [segment];
  } else {
    segments = [...sequence.segments];
  }
  const first = boundsOf(segments[0]).from;
  if (first.cmp(ZERO) !== 0) {
    segments.unshift(newSegment(ZERO, first));
  }
  const last = boundsOf(segments[segments.length - 1]).to;
  if (last.cmp(ONE) !== 0) {
    segments.push(newSegment(last, ONE));
  }
  return new ExecutionSegmentSequence(segments);
}

/**
 * What the scheduler needs of its share of a test: an instance's
 * {@link ExecutionTuple}, or one part of it (a worker process's share,
 * `runner/options/nested_tuple.ts`).
 */
export interface ExecutionShare {
  /** The range of the test it covers (its length scales rates). */
  readonly segment: ExecutionSegment;
  /**
   * Its part of a whole number (VUs, iterations); the parts of all shares
   * add up to `value`.
   *
   * @param value The test-wide value.
   * @returns This share's part.
   */
  scale(value: number): number;
  /**
   * The share re-segmented by a value, as k6's
   * `GetNewExecutionTupleFromValue` (see {@link ExecutionTuple.withValue}).
   *
   * @param value The test-wide value (at least 1).
   * @returns The new share.
   * @throws {RangeError} When `value` is below 1 or this share gets none of it.
   */
  withValue(value: number): ExecutionShare;
  /**
   * Where its elements sit among the test's: their test-wide numbers.
   *
   * @returns Start, gaps and cycle length.
   */
  stripedOffsets(): StripedOffsets;
  /**
   * Where its elements sit among its instance's: the instance-wide numbers
   * (`__VU`, `iterationInInstance`). Every element, for an instance's own
   * tuple.
   *
   * @returns Start, gaps and cycle length.
   */
  instanceOffsets(): StripedOffsets;
}

/** Every element: an instance numbers its own elements 1, 2, 3, … */
const EVERY_ELEMENT: StripedOffsets = Object.freeze({
  start: 0,
  offsets: Object.freeze([1]),
  lcd: 1,
});

/**
 * One segment within its (filled) sequence: what an instance uses to scale
 * VU counts, iteration counts and rates, and to number VUs and iterations.
 */
export class ExecutionTuple implements ExecutionShare {
  /** The full sequence (gaps filled), from 0 to 1. */
  readonly sequence: ExecutionSegmentSequence;
  /** This instance's segment. */
  readonly segment: ExecutionSegment;
  /** The segment's position in {@link ExecutionTuple.sequence}. */
  readonly segmentIndex: number;
  readonly #offsets: number[][];
  readonly #lcd: number;

  private constructor(
    sequence: ExecutionSegmentSequence,
    segmentIndex: number,
  ) {
    this.sequence = sequence;
    this.segment = sequence.segments[segmentIndex];
    this.segmentIndex = segmentIndex;
    this.#lcd = sequence.lcd();
    this.#offsets = computeOffsets(sequence);
  }

  /**
   * Builds the tuple of a segment (default: the whole test) in a sequence
   * (default: just that segment); missing parts of the sequence are filled
   * with gap segments.
   *
   * @param segment The instance's segment.
   * @param sequence The sequence all instances share.
   * @returns The tuple.
   * @throws {RangeError} When the segment is not in the sequence:
   * `couldn't find segment 1/3:1/2 in sequence 0,1/3,2/3,1`.
   *
   * @example Scale 50 VUs for the first of three instances
   * ```ts
   * import {
   *   ExecutionSegment,
   *   ExecutionSegmentSequence,
   *   ExecutionTuple,
   * } from "./execution_segment.ts";
   * import assert from "node:assert/strict";
   *
   * const tuple = ExecutionTuple.create(
   *   ExecutionSegment.parse("0:1/3"),
   *   ExecutionSegmentSequence.parse("0,1/3,2/3,1"),
   * );
   * assert.equal(tuple.scale(50), 17);
   * ```
   */
  static create(
    segment?: ExecutionSegment,
    sequence?: ExecutionSegmentSequence,
  ): ExecutionTuple {
    const filled = fillSequence(sequence, segment);
    const wanted = segment ?? ExecutionSegment.FULL;
    const index = filled.segments.findIndex((s) => s.equals(wanted));
    if (index < 0) {
      throw new RangeError(
        `couldn't find segment ${wanted} in sequence ${filled}`,
      );
    }
    return new ExecutionTuple(filled, index);
  }

  /**
   * This segment's striped offsets.
   *
   * @returns Start, gaps and cycle length.
   */
  stripedOffsets(): StripedOffsets {
    const own = this.#offsets[this.segmentIndex];
    return { start: own[0], offsets: own.slice(1), lcd: this.#lcd };
  }

  /**
   * The instance's numbering of its own elements: all of them, in order.
   *
   * @returns Every element.
   */
  instanceOffsets(): StripedOffsets {
    return EVERY_ELEMENT;
  }

  #scaleAt(index: number, value: number): number {
    const own = this.#offsets[index];
    const start = own[0];
    const gaps = own.length - 1;
    let result = Math.floor(value / this.#lcd) * gaps;
    const remainder = value % this.#lcd;
    for (let gi = 0, i = start; i < remainder; i += own[1 + gi], gi++) {
      result++;
    }
    return result;
  }

  /**
   * This segment's share of a whole number (VUs, iterations): shares of all
   * segments of the sequence add up to `value`.
   *
   * @param value The test-wide value (a non-negative integer).
   * @returns This instance's part.
   */
  scale(value: number): number {
    if (this.sequence.segments.length === 1) return value;
    return this.#scaleAt(this.segmentIndex, value);
  }

  /**
   * k6's `GetNewExecutionTupleFromValue`: re-segments the sequence so that
   * each segment's new length is its share of `value` divided by `value`,
   * dropping segments whose share is 0. Executors whose work is split among
   * a fixed number of VUs (shared iterations, arrival rates) use it so that
   * iterations follow the VUs.
   *
   * @param value The test-wide value (at least 1).
   * @returns The new tuple for this instance's segment.
   * @throws {RangeError} When `value` is below 1 (`cannot generate new
   * sequence for value 0`), or when this segment gets no share of it.
   */
  withValue(value: number): ExecutionTuple {
    if (value < 1) {
      throw new RangeError(`cannot generate new sequence for value ${value}`);
    }
    if (value % this.#lcd === 0) return this;
    const segments: ExecutionSegment[] = [];
    let newIndex = -1;
    let previous = 0n;
    const total = BigInt(value);
    for (let i = 0; i < this.sequence.segments.length; i++) {
      const share = BigInt(this.#scaleAt(i, value));
      if (share === 0n) continue;
      if (i === this.segmentIndex) newIndex = segments.length;
      segments.push(
        newSegment(
          new Rat(previous, total),
          new Rat(previous + share, total),
        ),
      );
      previous += share;
    }
    if (newIndex < 0) {
      throw new RangeError(
        `segment ${this.segmentIndex} (${this.segment}) isn't present in the new sequence`,
      );
    }
    return new ExecutionTuple(new ExecutionSegmentSequence(segments), newIndex);
  }

  /**
   * k6's text for a tuple: `<segment> in <sequence>`.
   *
   * @returns The text.
   */
  toString(): string {
    return `${this.segment} in ${this.sequence}`;
  }
}

/**
 * An iterator over a segment's elements: each step gives both the
 * instance-local number (`scaled`, 1-based) and the test-wide number
 * (`unscaled`, 1-based) of the next element. k6 numbers VUs
 * (`idInInstance`/`idInTest`) and scenario iterations
 * (`iterationInInstance`/`iterationInTest`) with it.
 *
 * @example The second half of a test gets every other element
 * ```ts
 * import { ExecutionSegment, ExecutionTuple, SegmentedIndex } from "./execution_segment.ts";
 * import assert from "node:assert/strict";
 *
 * const index = new SegmentedIndex(
 *   ExecutionTuple.create(ExecutionSegment.parse("1/2:1")),
 * );
 * assert.deepEqual(index.next(), [1, 2]);
 * assert.deepEqual(index.next(), [2, 4]);
 * ```
 */
export class SegmentedIndex {
  readonly #start: number;
  readonly #offsets: readonly number[];
  readonly #lcd: number;
  #scaled = 0;
  #unscaled = 0;

  /**
   * Creates an index positioned before the first element.
   *
   * @param source The tuple, or its striped offsets.
   */
  constructor(source: ExecutionShare | StripedOffsets) {
    const { start, offsets, lcd } = "stripedOffsets" in source
      ? source.stripedOffsets()
      : source;
    this.#start = start;
    this.#offsets = offsets;
    this.#lcd = lcd;
  }

  /** The instance-local number of the current element (0 before the first). */
  get scaled(): number {
    return this.#scaled;
  }

  /** The test-wide number of the current element (0 before the first). */
  get unscaled(): number {
    return this.#unscaled;
  }

  /**
   * Moves to the next element.
   *
   * @returns `[scaled, unscaled]`, both 1-based.
   */
  next(): [number, number] {
    if (this.#scaled === 0) this.#unscaled += this.#start + 1;
    else {
      this.#unscaled +=
        this.#offsets[(this.#scaled - 1) % this.#offsets.length];
    }
    this.#scaled++;
    return [this.#scaled, this.#unscaled];
  }

  /**
   * Moves to the previous element (undefined before the first).
   *
   * @returns `[scaled, unscaled]`.
   */
  prev(): [number, number] {
    if (this.#scaled === 1) this.#unscaled -= this.#start + 1;
    else {
      this.#unscaled -=
        this.#offsets[(this.#scaled - 2) % this.#offsets.length];
    }
    this.#scaled--;
    return [this.#scaled, this.#unscaled];
  }

  /**
   * Moves to the last element whose test-wide number is at most `value`.
   *
   * @param value The test-wide number.
   * @returns `[scaled, unscaled]`.
   */
  goTo(value: number): [number, number] {
    const offsets = this.#offsets;
    const wholeCycles = Math.floor(value / this.#lcd);
    let scaled = wholeCycles * offsets.length;
    let unscaled = wholeCycles * this.#lcd + this.#start + 1;
    let gi = 0;
    for (let i = this.#start; i < value % this.#lcd; i += offsets[gi], gi++) {
      scaled++;
      unscaled += offsets[gi];
    }
    if (gi > 0) unscaled -= offsets[gi - 1];
    else if (scaled > 0) unscaled -= offsets[offsets.length - 1];
    if (scaled === 0) unscaled = 0;
    this.#scaled = scaled;
    this.#unscaled = unscaled;
    return [scaled, unscaled];
  }
}
