// The topology as SVG, laid out by Graphviz compiled to WebAssembly (@viz-js/viz): no
// system Graphviz needed, the same picture on every machine.
import type { Topology } from "../topology.js";
import { drawDot } from "./dot.js";

/** A standalone SVG document of the topology. */
export async function drawSvg(topology: Topology): Promise<string> {
  const { instance } = await import("@viz-js/viz");
  const viz = await instance();
  return viz.renderString(drawDot(topology), { format: "svg", engine: "dot" });
}
