// Plain-text tables for people (the CLI and the reports): columns padded to their widest cell. Given a width, the
// table fits it: the last column (the prose one) narrows first, down to 24 characters, then
// the widest of the others; a cell too wide for its column wraps, word by word, under itself.

export interface TableOptions {
  /** The widest a line may be. */
  width?: number;
}

/** The narrowest the last column gets before other columns give way. */
const MIN_LAST_COLUMN = 24;
/** The narrowest any other column gets. */
const MIN_COLUMN = 8;
const GAP = 2;

/** A table with a header and a rule under it; with `width`, wrapped to fit it. */
export function formatTable(header: string[], rows: string[][], options: TableOptions = {}): string {
  const natural = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)));
  const widths = options.width === undefined ? natural : fitWidths(header, natural, options.width);
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join(" ".repeat(GAP)).trimEnd();
  const lines = (row: string[]) => {
    const cells = widths.map((width, i) => wrap(row[i] ?? "", width));
    const height = Math.max(...cells.map((parts) => parts.length));
    return Array.from({ length: height }, (_, n) => line(cells.map((parts) => parts[n] ?? "")));
  };
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.flatMap(lines)].join("\n");
}

/** Column widths whose sum (with gaps) is at most `width`, as far as the minimums allow. */
function fitWidths(header: string[], natural: number[], width: number): number[] {
  const widths = [...natural];
  const last = widths.length - 1;
  const floor = (i: number) => Math.min(natural[i], Math.max(header[i].length, i === last ? MIN_LAST_COLUMN : MIN_COLUMN));
  let excess = widths.reduce((sum, w) => sum + w, 0) + GAP * last - width;
  const lastGives = Math.min(Math.max(0, excess), widths[last] - floor(last));
  widths[last] -= lastGives;
  excess -= lastGives;
  while (excess > 0) {
    const widest = widths.slice(0, last).reduce((best, w, i) => (w - floor(i) > 0 && (best < 0 || w > widths[best]) ? i : best), -1);
    if (widest < 0) break;
    widths[widest]--;
    excess--;
  }
  return widths;
}

/** Words into lines of at most `width` characters; a word longer than that is cut. */
export function wrap(text: string, width: number): string[] {
  if (text.length <= width) return [text];
  const out: string[] = [];
  let current = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    for (let rest = word; rest.length; ) {
      const room = current ? width - current.length - 1 : width;
      if (rest.length <= room) {
        current = current ? `${current} ${rest}` : rest;
        rest = "";
      } else if (current) {
        out.push(current);
        current = "";
      } else {
        out.push(rest.slice(0, width));
        rest = rest.slice(width);
      }
    }
  }
  return [...out, current].filter((part, i, all) => part || all.length === 1);
}
