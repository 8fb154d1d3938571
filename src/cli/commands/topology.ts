import path from "node:path";
import { topologyOf } from "../../net/topology.js";
import { drawTopology, type TopologyFormat } from "../../net/draw/index.js";
import { writeFileAtomic } from "../../render/write.js";
import { loadForCommand, type Io, type LabArgs } from "../context.js";

/** Draws the lab's machines and networks as Mermaid, DOT or SVG, to stdout or --out. */
export async function topologyCommand(io: Io, args: LabArgs & { format: TopologyFormat; out?: string }): Promise<number> {
  const { lab } = await loadForCommand(io, args);
  const drawing = await drawTopology(topologyOf(lab), args.format);
  if (!args.out) {
    io.out(drawing.trimEnd());
    return 0;
  }
  const file = path.resolve(io.cwd, args.out);
  await writeFileAtomic(file, drawing);
  const shown = path.relative(io.cwd, file);
  io.err(`wrote ${shown.startsWith("..") ? file : shown} (${args.format})`);
  return 0;
}
