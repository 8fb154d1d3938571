// The drawings of a topology by format name, for the CLI and the scaffolder.
import type { Topology } from "../topology.js";
import { drawMermaid } from "./mermaid.js";
import { drawDot } from "./dot.js";
import { drawSvg } from "./svg.js";

export const TOPOLOGY_FORMATS = ["mermaid", "dot", "svg"] as const;
export type TopologyFormat = (typeof TOPOLOGY_FORMATS)[number];

/** The topology drawn in one format. */
export async function drawTopology(topology: Topology, format: TopologyFormat): Promise<string> {
  if (format === "svg") return drawSvg(topology);
  return format === "dot" ? drawDot(topology) : drawMermaid(topology);
}

export { drawMermaid, drawDot, drawSvg };
