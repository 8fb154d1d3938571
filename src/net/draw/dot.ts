// The topology in Graphviz's DOT language: the source of the SVG, and useful on its own.
import type { Topology, TopologyNode } from "../topology.js";
import { lookOf } from "./palette.js";

/** DOT source; every config string is a quoted DOT string with `"` and `\` escaped. */
export function drawDot(topology: Topology): string {
  const lines = [
    "graph topology {",
    `  graph [rankdir=LR, fontname="Helvetica", fontsize=16, labelloc=t, label=${quote([topology.title])}, pad=0.3, nodesep=0.35, ranksep=0.9];`,
    '  node [fontname="Helvetica", fontsize=11, style=filled, penwidth=1.4];',
    '  edge [fontname="Helvetica", fontsize=10, color="#555555"];',
  ];
  for (const node of topology.nodes) {
    const look = lookOf(node);
    lines.push(`  ${node.id} [${shapeOf(node)}, fillcolor="${look.fill}", color="${look.stroke}", label=${quote(node.lines)}];`);
  }
  for (const edge of topology.edges) {
    const attributes = [edge.label ? `label=${quote([edge.label])}` : "", edge.dashed ? "style=dashed" : ""].filter(Boolean);
    lines.push(`  ${edge.from} -- ${edge.to}${attributes.length ? ` [${attributes.join(", ")}]` : ""};`);
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

function shapeOf(node: TopologyNode): string {
  switch (node.kind) {
    case "machine":
      return 'shape=box, style="rounded,filled"';
    case "host":
      return "shape=box3d";
    case "outside":
      return "shape=ellipse";
    case "detached":
      return "shape=note";
    default:
      return "shape=hexagon";
  }
}

/** One DOT string, lines joined by DOT's \n; a backslash in a value stays a backslash. */
export function quote(lines: string[]): string {
  const escaped = lines.map((line) => line.replace(/[\r\n]+/g, " ").replace(/\\/g, "\\\\").replace(/"/g, '\\"'));
  return `"${escaped.join("\\n")}"`;
}
