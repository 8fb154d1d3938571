// Plain-text tables for people: columns padded to their widest cell; the last column may
// wrap, word by word, under itself so a table fits a terminal's width.

export interface TableOptions {
  /** The widest a line may be; the last column wraps to fit (never narrower than 24 characters). */
  width?: number;
}

const MIN_LAST_COLUMN = 24;

export function formatTable(header: string[], rows: string[][], options: TableOptions = {}): string {
  const last = header.length - 1;
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)));
  if (options.width !== undefined) {
    const before = widths.slice(0, last).reduce((sum, w) => sum + w + 2, 0);
    widths[last] = Math.max(header[last].length, Math.min(widths[last], Math.max(MIN_LAST_COLUMN, options.width - before)));
  }
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd();
  const lines = (row: string[]) => wrap(row[last] ?? "", widths[last]).map((part, n) => line([...(n === 0 ? row.slice(0, last) : widths.slice(0, last).map(() => "")), part]));
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.flatMap(lines)].join("\n");
}

/** Words into lines of at most `width` characters; a word longer than that is cut. */
export function wrap(text: string, width: number): string[] {
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
