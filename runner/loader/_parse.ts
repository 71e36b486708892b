/**
 * Parsing a script module, and syntax errors shown the way k6 shows them:
 * the file, the position and a code frame of the user's own source.
 *
 * @module
 */
import { parse, type Program } from "acorn";
import { ScriptError } from "./script_error.ts";

/**
 * A few lines of source around a position, with a caret under it, in the
 * layout k6 (Babel) uses.
 *
 * @param source The module's text.
 * @param line 1-based line.
 * @param column 0-based column.
 * @returns The frame.
 */
export function codeFrame(
  source: string,
  line: number,
  column: number,
): string {
  const lines = source.split(/\r\n|\r|\n/);
  const first = Math.max(1, line - 2);
  const last = Math.min(lines.length, line + 2);
  const width = String(last).length;
  const out: string[] = [];
  for (let number = first; number <= last; number++) {
    const gutter = String(number).padStart(width);
    const text = lines[number - 1];
    out.push(
      `${number === line ? ">" : " "} ${gutter} |${text ? ` ${text}` : ""}`,
    );
    if (number === line) {
      out.push(`  ${" ".repeat(width)} | ${" ".repeat(column)}^`);
    }
  }
  return out.join("\n");
}

/**
 * Parses one module of a script.
 *
 * @param source Its JavaScript (TypeScript already stripped).
 * @param name Its file path or URL, for the error.
 * @param display The text a syntax error's frame shows (the user's own
 * source, e.g. before type stripping; same positions).
 * @returns The ESTree program.
 * @throws {ScriptError} `SyntaxError: <file>: <message> (<line>:<column>)`
 * and a code frame.
 */
export function parseModule(
  source: string,
  name: string,
  display: string = source,
): Program {
  try {
    return parse(source, {
      ecmaVersion: "latest",
      sourceType: "module",
      locations: true,
      // eslint-scope reads node ranges.
      ranges: true,
      allowHashBang: true,
    });
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    if (!(error instanceof SyntaxError) || loc === undefined) throw error;
    const message = error.message.replace(/ \(\d+:\d+\)$/, "");
    throw new ScriptError(
      `SyntaxError: ${name}: ${message} (${loc.line}:${loc.column})\n${
        codeFrame(display, loc.line, loc.column)
      }`,
      { cause: error },
    );
  }
}
