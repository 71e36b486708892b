/**
 * Text measuring and ordering shared by the summary renderers.
 *
 * @module
 */

/**
 * The width k6 gives a string on screen: code points after NFKC
 * normalisation, not counting ANSI escape sequences.
 *
 * @param text The text, possibly with ANSI sequences.
 * @returns Its display width.
 */
export function strWidth(text: string): number {
  let inEscape = false;
  let inLongEscape = false;
  let width = 0;
  for (const char of text.normalize("NFKC")) {
    const code = char.charCodeAt(0);
    if (char === "\x1b") {
      inEscape = true;
    } else if (inEscape && char === "[") {
      inLongEscape = true;
    } else if (inEscape && inLongEscape && code >= 0x40 && code <= 0x7e) {
      inEscape = false;
      inLongEscape = false;
    } else if (inEscape && !inLongEscape && code >= 0x40 && code <= 0x5f) {
      inEscape = false;
    } else if (!inEscape && !inLongEscape) {
      width++;
    }
  }
  return width;
}

// k6's JavaScript runtime compares with Go's root-locale (CLDR) collator;
// English has no tailoring of that order, and naming it keeps the result
// independent of the machine's locale. Code-unit order would differ for `_`
// and upper case.
const collator = new Intl.Collator("en");

/**
 * Compares two strings the way `localeCompare` does in k6's runtime.
 *
 * @param a The first string.
 * @param b The second string.
 * @returns Negative, zero or positive.
 */
export function localeCompare(a: string, b: string): number {
  return collator.compare(a, b);
}

/**
 * Sorts metric names by name, each sub-metric (`name{tag:value}`) right
 * after its parent, as k6's summaries do.
 *
 * @param names The names; sorted in place.
 * @returns The same array.
 */
export function sortMetricNames(names: string[]): string[] {
  return names.sort((left, right) => {
    const leftParent = parentName(left);
    const rightParent = parentName(right);
    return localeCompare(leftParent, rightParent) ||
      localeCompare(
        left.slice(leftParent.length),
        right.slice(rightParent.length),
      );
  });
}

/**
 * The parent metric's name of a sub-metric name; the name itself otherwise.
 *
 * @param name A metric or sub-metric name.
 * @returns The part before the first `{`.
 */
export function parentName(name: string): string {
  const brace = name.indexOf("{");
  return brace < 0 ? name : name.slice(0, brace);
}

/**
 * The tag filter of a sub-metric name, without braces (`tag:value`).
 *
 * @param name A sub-metric name.
 * @returns The text between the first `{` and the last character, or
 * `undefined` for a plain metric name.
 */
export function subMetricFilter(name: string): string | undefined {
  const brace = name.indexOf("{");
  return brace < 0 ? undefined : name.slice(brace + 1, name.length - 1);
}
