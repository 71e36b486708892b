/**
 * Sample times as k6's outputs print them: Go's `time.RFC3339` and
 * `time.RFC3339Nano` layouts in the local time zone, and Unix timestamps.
 *
 * @module
 */

/**
 * Converts a sample time to whole microseconds since the epoch. A sample
 * time is a double of milliseconds (~0.2 µs resolution today), so digits
 * below the microsecond would be noise; microseconds of any date until the
 * year 2255 are exact integers in a double.
 *
 * @param ms Milliseconds since the epoch.
 * @returns Microseconds since the epoch.
 */
export function epochMicros(ms: number): number {
  return Math.round(ms * 1000);
}

/**
 * The local time zone's offset from UTC at that moment, in minutes east of
 * UTC (`+120` for CEST), as Go's local `time.Time` carries it.
 *
 * @param ms Milliseconds since the epoch.
 * @returns The offset in minutes.
 */
export function localOffsetMinutes(ms: number): number {
  const offset = -new Date(ms).getTimezoneOffset();
  return offset === 0 ? 0 : offset;
}

/**
 * Microseconds since the epoch → Unix seconds, milliseconds, microseconds
 * or nanoseconds (Go's `Unix()`, `UnixMilli()`, ...: floored).
 *
 * @param micros Microseconds since the epoch.
 * @param unit The unit.
 * @returns The timestamp as decimal text.
 */
export function unixTimestamp(
  micros: number,
  unit: "s" | "ms" | "us" | "ns",
): string {
  switch (unit) {
    case "s":
      return String(Math.floor(micros / 1_000_000));
    case "ms":
      return String(Math.floor(micros / 1000));
    case "us":
      return String(micros);
    case "ns":
      return micros === 0 ? "0" : `${micros}000`;
  }
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

/**
 * Formats times like Go's `time.Format` with `time.RFC3339Nano` (what
 * `encoding/json` writes for a `time.Time`) or `time.RFC3339`:
 * `2021-02-24T13:37:10.123456+02:00`, the fraction without trailing zeros
 * (none when zero), `Z` for a zero offset. Consecutive times in the same
 * second reuse its text, as samples arrive in order.
 */
export class GoTimeFormatter {
  readonly #fraction: boolean;
  readonly #offsetMinutes: (ms: number) => number;
  #second = Number.NaN;
  #prefix = "";
  #zone = "";

  /**
   * Creates a formatter.
   *
   * @param layout `RFC3339Nano` (with the fraction) or `RFC3339`.
   * @param offsetMinutes The zone offset (minutes east of UTC) at a time;
   * the local zone by default.
   */
  constructor(
    layout: "RFC3339" | "RFC3339Nano",
    offsetMinutes: (ms: number) => number = localOffsetMinutes,
  ) {
    this.#fraction = layout === "RFC3339Nano";
    this.#offsetMinutes = offsetMinutes;
  }

  /**
   * Formats a time.
   *
   * @param ms Milliseconds since the epoch.
   * @returns The text.
   */
  format(ms: number): string {
    const micros = epochMicros(ms);
    const second = Math.floor(micros / 1_000_000);
    if (second !== this.#second) this.#startSecond(second);
    const fraction = micros - second * 1_000_000;
    if (!this.#fraction || fraction === 0) return this.#prefix + this.#zone;
    return `${this.#prefix}.${
      pad(fraction, 6).replace(/0+$/, "")
    }${this.#zone}`;
  }

  #startSecond(second: number): void {
    const offset = this.#offsetMinutes(second * 1000);
    const local = new Date(second * 1000 + offset * 60_000);
    this.#second = second;
    this.#prefix = `${pad(local.getUTCFullYear(), 4)}-${
      pad(local.getUTCMonth() + 1, 2)
    }-${pad(local.getUTCDate(), 2)}T${pad(local.getUTCHours(), 2)}:${
      pad(local.getUTCMinutes(), 2)
    }:${pad(local.getUTCSeconds(), 2)}`;
    const magnitude = Math.abs(offset);
    this.#zone = offset === 0
      ? "Z"
      : `${offset < 0 ? "-" : "+"}${pad(Math.floor(magnitude / 60), 2)}:${
        pad(magnitude % 60, 2)
      }`;
  }
}
