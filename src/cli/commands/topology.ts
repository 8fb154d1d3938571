// `kvm-lab topology`: the lab's machines and networks drawn as Mermaid, DOT or SVG, to
// stdout or to --out. Without --format, --out's extension says which; a format the
// extension contradicts, or an extension that names none, is refused with the fix.
import path from "node:path";
import { UsageError } from "../../errors.js";
import { topologyOf } from "../../net/topology.js";
import { drawTopology, type TopologyFormat } from "../../net/draw/index.js";
import { writeFileAtomic } from "../../render/write.js";
import { loadForCommand, shownPath, type Io, type LabArgs } from "../context.js";

/** The format each file extension holds; .md gets the Mermaid drawing inside a ```mermaid fence. */
export const FORMAT_OF_EXTENSION: Readonly<Record<string, TopologyFormat>> = {
  ".svg": "svg",
  ".dot": "dot",
  ".gv": "dot",
  ".mmd": "mermaid",
  ".md": "mermaid",
};

const KNOWN = Object.entries(FORMAT_OF_EXTENSION)
  .map(([ext, format]) => `${ext} (${format})`)
  .join(", ");

/** The format to draw: --format, else --out's extension, else Mermaid; refuses a contradiction or an unknown extension. */
export function formatFor(format: TopologyFormat | undefined, out: string | undefined): TopologyFormat {
  if (!out) return format ?? "mermaid";
  const extension = path.extname(out).toLowerCase();
  const implied = FORMAT_OF_EXTENSION[extension];
  if (format && implied && format !== implied) {
    const fitting = Object.keys(FORMAT_OF_EXTENSION).filter((ext) => FORMAT_OF_EXTENSION[ext] === format);
    throw new UsageError(`--format ${format} contradicts --out ${out}, whose extension means ${implied}`, {
      hint: `name the file ${fitting.map((ext) => path.basename(out, path.extname(out)) + ext).join(" or ")}, or leave out --format to write ${implied}`,
    });
  }
  if (format) return format; // an extension we do not know, but the format is said
  if (implied) return implied;
  throw new UsageError(`--out ${out}: ${extension ? `the extension ${extension} names no drawing format` : "no extension to tell the format by"}`, {
    hint: `use one of ${KNOWN}, or pass --format mermaid|dot|svg`,
  });
}

/** Draws the lab's machines and networks as Mermaid, DOT or SVG, to stdout or --out. */
export async function topologyCommand(io: Io, args: LabArgs & { format?: TopologyFormat; out?: string }): Promise<number> {
  const format = formatFor(args.format, args.out);
  const { lab } = await loadForCommand(io, args);
  const drawing = await drawTopology(topologyOf(lab), format);
  if (!args.out) {
    io.out(drawing.trimEnd());
    return 0;
  }
  const file = path.resolve(io.cwd, args.out);
  const markdown = path.extname(file).toLowerCase() === ".md";
  await writeFileAtomic(file, markdown ? `\`\`\`mermaid\n${drawing.trimEnd()}\n\`\`\`\n` : drawing);
  io.err(`wrote ${shownPath(io, file)} (${format}${markdown ? " in a Markdown fence" : ""})`);
  return 0;
}
