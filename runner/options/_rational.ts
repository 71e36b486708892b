/**
 * Exact rational numbers (bigint numerator and denominator), enough of Go's
 * `math/big.Rat` for execution segments: parsing, arithmetic, comparison and
 * the two string forms k6 prints.
 *
 * @module
 */

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** An exact fraction, always normalised (positive denominator, lowest terms). */
export class Rat {
  /** The numerator (carries the sign). */
  readonly num: bigint;
  /** The denominator (always positive). */
  readonly den: bigint;

  /**
   * Creates `num/den` in lowest terms.
   *
   * @param num The numerator.
   * @param den The denominator (not zero).
   * @throws {RangeError} When `den` is zero.
   */
  constructor(num: bigint, den: bigint = 1n) {
    if (den === 0n) throw new RangeError("division by zero");
    if (den < 0n) {
      num = -num;
      den = -den;
    }
    const divisor = gcd(num, den) || 1n;
    this.num = num / divisor;
    this.den = den / divisor;
  }

  /**
   * Parses what Go's `Rat.SetString` accepts in practice: `a/b`, decimals
   * (`0.25`, `.5`, `1e-3`).
   *
   * @param text The text.
   * @returns The number, or `undefined` when the text is not one.
   */
  static parse(text: string): Rat | undefined {
    const fraction = /^([+-]?\d+)\/(\d+)$/.exec(text);
    if (fraction) {
      const den = BigInt(fraction[2]);
      return den === 0n ? undefined : new Rat(BigInt(fraction[1]), den);
    }
    const decimal = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
    if (!decimal || (decimal[2] === "" && (decimal[3] ?? "") === "")) {
      return undefined;
    }
    const [, sign, whole, fractionDigits = "", exponentText = "0"] = decimal;
    const exponent = Number(exponentText) - fractionDigits.length;
    if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 10_000) {
      return undefined;
    }
    let num = BigInt((whole || "0") + fractionDigits);
    if (sign === "-") num = -num;
    return exponent >= 0
      ? new Rat(num * 10n ** BigInt(exponent))
      : new Rat(num, 10n ** BigInt(-exponent));
  }

  /**
   * Adds another number.
   *
   * @param other The addend.
   * @returns The sum.
   */
  add(other: Rat): Rat {
    return new Rat(
      this.num * other.den + other.num * this.den,
      this.den * other.den,
    );
  }

  /**
   * Subtracts another number.
   *
   * @param other The subtrahend.
   * @returns The difference.
   */
  sub(other: Rat): Rat {
    return new Rat(
      this.num * other.den - other.num * this.den,
      this.den * other.den,
    );
  }

  /**
   * Multiplies by another number.
   *
   * @param other The factor.
   * @returns The product.
   */
  mul(other: Rat): Rat {
    return new Rat(this.num * other.num, this.den * other.den);
  }

  /**
   * Compares with another number.
   *
   * @param other The other number.
   * @returns -1, 0 or 1.
   */
  cmp(other: Rat): -1 | 0 | 1 {
    const left = this.num * other.den;
    const right = other.num * this.den;
    return left < right ? -1 : left > right ? 1 : 0;
  }

  /**
   * The nearest float.
   *
   * @returns The value as a number.
   */
  toNumber(): number {
    return Number(this.num) / Number(this.den);
  }

  /**
   * Go's `RatString`: `a/b`, or just `a` for integers.
   *
   * @returns The text.
   */
  toString(): string {
    return this.den === 1n ? `${this.num}` : `${this.num}/${this.den}`;
  }

  /**
   * Go's `FloatString(digits)`: a decimal with that many digits, the last
   * rounded half away from zero.
   *
   * @param digits The number of decimals.
   * @returns The text.
   */
  toFixed(digits: number): string {
    const negative = this.num < 0n;
    const scale = 10n ** BigInt(digits);
    const absolute = negative ? -this.num : this.num;
    let scaled = (absolute * scale) / this.den;
    const remainder = (absolute * scale) % this.den;
    if (remainder * 2n >= this.den) scaled++;
    const text = scaled.toString().padStart(digits + 1, "0");
    const whole = text.slice(0, text.length - digits);
    const fraction = digits > 0 ? `.${text.slice(text.length - digits)}` : "";
    return `${negative ? "-" : ""}${whole}${fraction}`;
  }
}

/** 0. */
export const ZERO: Rat = new Rat(0n);
/** 1. */
export const ONE: Rat = new Rat(1n);
