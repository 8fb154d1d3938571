// The topology in Graphviz's DOT language: the source of the SVG, and useful on its own.
// Readable at 10+ machines: the machines stand in one column in config order; a label that
// belongs to a machine or the host (its NIC, its address on a network) is a row of that
// node's own box, and the edge leaves from that row; text is measured as Verdana, the widest
// of the common sans fonts, so it fits its box in whatever font a viewer substitutes.
import type { Topology, TopologyEdge, TopologyNode } from "../topology.js";
import { lookOf } from "./palette.js";

/**
 * The font Graphviz sizes the boxes for. Graphviz measures text with built-in metrics of a
 * few families (lib/common/textspan_lut.c); Verdana's are wider than DejaVu Sans (Linux's
 * fallback for it), Arial, Helvetica and Liberation Sans, so boxes sized for Verdana hold
 * the text in any of them.
 */
export const DRAWING_FONT = "Verdana";

/** Nodes whose labelled edges become rows of their own box (the edge's owner). */
const OWNS_EDGE_LABELS: TopologyNode["kind"][] = ["machine", "host"];

/** DOT source; every config string is a quoted DOT string or an escaped HTML-like label. */
export function drawDot(topology: Topology): string {
  const owned = ownedRows(topology);
  const lines = [
    "graph topology {",
    `  graph [rankdir=LR, fontname="${DRAWING_FONT}", fontsize=16, labelloc=t, label=${quote([topology.title])}, pad=0.3, nodesep=0.3, ranksep=1.1, newrank=true];`,
    `  node [fontname="${DRAWING_FONT}", fontsize=11, style=filled, penwidth=1.4, margin="0.15,0.06"];`,
    `  edge [fontname="${DRAWING_FONT}", fontsize=10, color="#555555"];`,
  ];
  for (const node of topology.nodes) {
    const look = lookOf(node);
    const rows = owned.get(node.id) ?? [];
    const label = node.kind === "machine" || rows.length ? htmlLabel(node.lines, rows) : quote(node.lines);
    lines.push(`  ${node.id} [${shapeOf(node)}, fillcolor="${look.fill}", color="${look.stroke}", label=${label}];`);
  }
  // The machines in one column, in config order: a rank of their own, chained by invisible edges.
  const machines = topology.nodes.filter((n) => n.kind === "machine").map((n) => n.id);
  if (machines.length) {
    lines.push(`  { rank=same; ${machines.join("; ")}; }`);
    if (machines.length > 1) lines.push(`  ${machines.join(" -- ")} [style=invis];`);
  }
  topology.edges.forEach((edge, index) => {
    const port = owned.has(edge.from) && edge.label ? `:${portOf(index)}` : "";
    const attributes = [edge.label && !port ? `label=${quote([edge.label])}` : "", edge.dashed ? "style=dashed" : ""].filter(Boolean);
    lines.push(`  ${edge.from}${port} -- ${edge.to}${attributes.length ? ` [${attributes.join(", ")}]` : ""};`);
  });
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

interface Row {
  port: string;
  text: string;
}

/** For each machine or host: the labels of the edges it starts, as rows with a port each. */
function ownedRows(topology: Topology): Map<string, Row[]> {
  const kinds = new Map(topology.nodes.map((n) => [n.id, n.kind]));
  const rows = new Map<string, Row[]>();
  topology.edges.forEach((edge: TopologyEdge, index) => {
    if (!edge.label || !OWNS_EDGE_LABELS.includes(kinds.get(edge.from)!)) return;
    rows.set(edge.from, [...(rows.get(edge.from) ?? []), { port: portOf(index), text: edge.label }]);
  });
  return rows;
}

const portOf = (edgeIndex: number) => `p${edgeIndex}`;

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

/** An HTML-like label: the node's lines, a rule, then one row per owned edge label (its port). */
function htmlLabel(lines: string[], rows: Row[]): string {
  const cells = lines.map((line) => `<TR><TD>${html(line)}</TD></TR>`);
  const ports = rows.map((row) => `<TR><TD PORT="${row.port}" ALIGN="LEFT">${html(row.text)}</TD></TR>`);
  return `<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">${[...cells, ...(ports.length ? ["<HR/>", ...ports] : [])].join("")}</TABLE>>`;
}

/**
 * Text for an HTML-like label: markup characters as entities, newlines as spaces, and a
 * backslash doubled: Graphviz expands its escapes (\N, \G, \L) in HTML-like text too.
 */
export function html(value: string): string {
  return value
    .replace(/[\r\n]+/g, " ")
    .replace(/\\/g, "\\\\")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** One DOT string, lines joined by DOT's \n; a backslash in a value stays a backslash. */
export function quote(lines: string[]): string {
  const escaped = lines.map((line) => line.replace(/[\r\n]+/g, " ").replace(/\\/g, "\\\\").replace(/"/g, '\\"'));
  return `"${escaped.join("\\n")}"`;
}
