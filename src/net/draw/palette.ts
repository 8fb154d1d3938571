// One palette for every drawing, so the Mermaid form and the SVG look alike.
import type { TopologyNode } from "../topology.js";

export interface NodeLook {
  fill: string;
  stroke: string;
}

const BY_MODE: Record<string, NodeLook> = {
  hostonly: { fill: "#e3f2e1", stroke: "#3c8d2f" },
  hostonlynet: { fill: "#e3f2e1", stroke: "#3c8d2f" },
  intnet: { fill: "#f6e3f3", stroke: "#9c3d8f" },
  natnetwork: { fill: "#fdf0d5", stroke: "#b07a12" },
  nat: { fill: "#fdf0d5", stroke: "#b07a12" },
  management: { fill: "#fdf0d5", stroke: "#b07a12" },
  bridged: { fill: "#e0eefa", stroke: "#2d6aa3" },
  null: { fill: "#eeeeee", stroke: "#888888" },
  generic: { fill: "#eeeeee", stroke: "#888888" },
};

const BY_KIND: Record<string, NodeLook> = {
  machine: { fill: "#dbe9f6", stroke: "#1f4e79" },
  host: { fill: "#fff8c4", stroke: "#7a6a00" },
  outside: { fill: "#ffffff", stroke: "#555555" },
};

/** The fill and stroke of a node: by kind for machines, host and outside, else by mode. */
export function lookOf(node: TopologyNode): NodeLook {
  return BY_KIND[node.kind] ?? BY_MODE[node.mode ?? ""] ?? BY_KIND.outside;
}
