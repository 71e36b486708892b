/**
 * Counts passed and failed tests in a JUnit XML report (as written by
 * `deno test --reporter=junit` and `node --test --test-reporter=junit`).
 * Suites (`describe` blocks) appear as test cases too; only leaves count.
 *
 * @module
 */

/** Pass/fail totals of one suite run. */
export interface Totals {
  /** Leaf tests that passed. */
  passed: number;
  /** Leaf tests that failed. */
  failed: number;
  /** Names of the failed leaf tests. */
  failures: string[];
}

function unescape(text: string): string {
  return text.replaceAll("&gt;", ">").replaceAll("&lt;", "<").replaceAll(
    "&quot;",
    '"',
  )
    .replaceAll("&apos;", "'").replaceAll("&amp;", "&");
}

/**
 * Counts the leaf test cases of a JUnit report.
 *
 * @param xml The report.
 * @param separator How the reporter joins nested names (Deno: `" > "`); `null`
 * when nesting is expressed by nested `<testsuite>` elements (Node).
 * @returns The totals.
 */
export function countJUnit(xml: string, separator: string | null): Totals {
  const cases: { name: string; failed: boolean; skipped: boolean }[] = [];
  const pattern = /<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g;
  for (const match of xml.matchAll(pattern)) {
    const name = unescape(/\bname="([^"]*)"/.exec(match[1])?.[1] ?? "");
    const body = match[3] ?? "";
    cases.push({
      name: `${/\bclassname="([^"]*)"/.exec(match[1])?.[1] ?? ""}\u0000${name}`,
      failed: /<(failure|error)\b/.test(body),
      skipped: /<skipped\b/.test(body),
    });
  }
  const names = cases.map((c) => c.name.split("\u0000")[1]);
  const totals: Totals = { passed: 0, failed: 0, failures: [] };
  for (const [index, test] of cases.entries()) {
    const name = names[index];
    if (
      separator !== null &&
      names.some((other) => other.startsWith(name + separator))
    ) {
      continue; // a describe() block, not a test
    }
    if (test.skipped) continue;
    if (test.failed) {
      totals.failed++;
      totals.failures.push(name);
    } else {
      totals.passed++;
    }
  }
  return totals;
}
