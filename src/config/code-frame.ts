// Source positions for messages about a config file, the way compilers show them: the
// line and column (both counted from 1), and the source line with a caret under the spot.

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column, in UTF-16 code units as editors count them. */
  column: number;
}

/** The line and column of a 0-based character offset in `text`. */
export function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/** `file:line:column`, or `file:line` when the column is unknown. */
export function formatLocation(file: string, position: { line: number; column?: number }): string {
  return position.column === undefined ? `${file}:${position.line}` : `${file}:${position.line}:${position.column}`;
}

/**
 * The lines before `position` for context, the line itself marked with `>`, and a caret
 * under the column (no caret when the column is unknown). Tabs before the column are kept
 * under the caret so it lines up in a terminal.
 */
export function codeFrame(text: string, position: { line: number; column?: number }, context = 2): string {
  const lines = text.split(/\r\n|\r|\n/);
  const last = Math.min(position.line, lines.length);
  const first = Math.max(1, last - context);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const source = lines[n - 1].replace(/\s+$/, "");
    const marker = n === last ? ">" : " ";
    out.push(`${marker} ${String(n).padStart(width)} |${source ? ` ${source}` : ""}`);
  }
  if (position.column !== undefined && last === position.line) {
    const lead = (lines[last - 1] ?? "").slice(0, position.column - 1).replace(/[^\t]/g, " ");
    out.push(`  ${" ".repeat(width)} | ${lead}^`);
  }
  return out.join("\n");
}
