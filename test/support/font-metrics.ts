// How wide a text is in a real TrueType font: advance widths read from the font file's
// cmap (format 4) and hmtx tables, so drawing tests can check text against its box with
// the font a viewer actually substitutes (DejaVu Sans on Debian), not Graphviz's estimate.
import fs from "node:fs";

/** DejaVu Sans: what fontconfig gives for Verdana, Helvetica and "sans" on a Debian host. */
export const DEJAVU_SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

export interface FontWidths {
  /** Width of `text` in points at `size` (kerning ignored; it only narrows). */
  measure(text: string, size: number): number;
}

/** The font's advance widths, or undefined where the file is missing. */
export function loadFontWidths(file: string): FontWidths | undefined {
  if (!fs.existsSync(file)) return undefined;
  const font = fs.readFileSync(file);
  const tables = new Map<string, number>();
  for (let i = 0; i < font.readUInt16BE(4); i++) {
    const record = 12 + 16 * i;
    tables.set(font.toString("latin1", record, record + 4), font.readUInt32BE(record + 8));
  }
  const table = (tag: string) => {
    const at = tables.get(tag);
    if (at === undefined) throw new Error(`${file} has no ${tag} table`);
    return at;
  };
  const unitsPerEm = font.readUInt16BE(table("head") + 18);
  const metrics = font.readUInt16BE(table("hhea") + 34);
  const hmtx = table("hmtx");
  const advance = (glyph: number) => font.readUInt16BE(hmtx + 4 * Math.min(glyph, metrics - 1));
  const glyphOf = cmapFormat4(font, table("cmap"));
  return {
    measure: (text, size) => ([...text].reduce((sum, ch) => sum + advance(glyphOf(ch.codePointAt(0)!)), 0) * size) / unitsPerEm,
  };
}

/** The glyph of a BMP code point through the Unicode (3,1) or (0,3) format 4 subtable. */
function cmapFormat4(font: Buffer, cmap: number): (code: number) => number {
  let sub = -1;
  for (let i = 0; i < font.readUInt16BE(cmap + 2); i++) {
    const record = cmap + 4 + 8 * i;
    const [platform, encoding] = [font.readUInt16BE(record), font.readUInt16BE(record + 2)];
    const at = cmap + font.readUInt32BE(record + 4);
    if (((platform === 3 && encoding === 1) || (platform === 0 && encoding === 3)) && font.readUInt16BE(at) === 4) sub = at;
  }
  if (sub < 0) throw new Error("no format 4 Unicode cmap");
  const segments = font.readUInt16BE(sub + 6) / 2;
  const ends = sub + 14;
  const starts = ends + 2 * segments + 2;
  const deltas = starts + 2 * segments;
  const rangeOffsets = deltas + 2 * segments;
  return (code) => {
    for (let i = 0; i < segments; i++) {
      if (code > font.readUInt16BE(ends + 2 * i)) continue;
      const start = font.readUInt16BE(starts + 2 * i);
      if (code < start) return 0;
      const delta = font.readUInt16BE(deltas + 2 * i);
      const rangeOffset = font.readUInt16BE(rangeOffsets + 2 * i);
      if (rangeOffset === 0) return (code + delta) & 0xffff;
      const glyph = font.readUInt16BE(rangeOffsets + 2 * i + rangeOffset + 2 * (code - start));
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
}
