// The topology as a Mermaid flowchart, for READMEs (GitHub renders it in place).
import type { Topology, TopologyNode } from "../topology.js";
import { lookOf } from "./palette.js";

/** Mermaid source; every config string is written as entity codes outside a small safe set. */
export function drawMermaid(topology: Topology): string {
  const lines = ["flowchart LR"];
  for (const node of topology.nodes) lines.push(`  ${node.id}${shapeOf(node, label(node.lines))}`);
  for (const edge of topology.edges) {
    const link = edge.dashed ? "-.-" : "---";
    lines.push(edge.label ? `  ${edge.from} ${link}|"${text(edge.label)}"| ${edge.to}` : `  ${edge.from} ${link} ${edge.to}`);
  }
  for (const node of topology.nodes) {
    const look = lookOf(node);
    lines.push(`  style ${node.id} fill:${look.fill},stroke:${look.stroke},color:#000`);
  }
  return `${lines.join("\n")}\n`;
}

function shapeOf(node: TopologyNode, body: string): string {
  switch (node.kind) {
    case "machine":
      return `["${body}"]`;
    case "host":
      return `[["${body}"]]`;
    case "outside":
      return `(("${body}"))`;
    case "detached":
      return `>"${body}"]`;
    default:
      return `{{"${body}"}}`;
  }
}

function label(lines: string[]): string {
  return lines.map(text).join("<br/>");
}

/** Letters, digits and plain punctuation stay; anything else (quotes, <, #, newlines) becomes #code;. */
export function text(value: string): string {
  return [...value].map((ch) => (/^[A-Za-z0-9 .,:/()_+=@-]$/.test(ch) ? ch : `#${ch.codePointAt(0)};`)).join("");
}
