// Topology drawing and scaffolding: SVG layout time (Graphviz in WebAssembly) for labs of
// 1, 10 and 100 machines, and a whole create-kvm-lab run per template.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { checkConfig } from "../dist/config/load.js";
import { topologyOf } from "../dist/net/topology.js";
import { drawSvg, drawMermaid } from "../dist/net/draw/index.js";
import { median, timeMs } from "./util.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CREATE_BIN = path.join(ROOT, "dist", "create", "bin.js");

export async function benchCreate(labOf) {
  console.log("topology drawing (median)");
  const t0 = process.hrtime.bigint();
  await drawSvg(topologyOf(checkConfig(labOf(1)).lab));
  console.log(`  first SVG in a process (loads the Graphviz wasm): ${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(0)} ms`);
  for (const count of [1, 10, 100]) {
    const topology = topologyOf(checkConfig(labOf(count)).lab);
    const samples = [];
    let svg = "";
    for (let i = 0; i < (count === 100 ? 3 : 10); i++) {
      const start = process.hrtime.bigint();
      svg = await drawSvg(topology);
      samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    const mermaid = timeMs(() => drawMermaid(topology), 20);
    console.log(
      `  ${String(count).padStart(3)} machines: SVG ${median(samples).toFixed(0)} ms (${(svg.length / 1024).toFixed(0)} KiB), Mermaid ${mermaid.median.toFixed(2)} ms`,
    );
  }
  console.log("create-kvm-lab --yes, whole process, median of 5 runs");
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "kvm-lab-bench-create-"));
  try {
    for (const template of ["minimal", "openstack"]) {
      let n = 0;
      const t = timeMs(() => execFileSync("node", [CREATE_BIN, `${template}-${n++}`, "-t", template, "-y"], { cwd: work, stdio: "ignore" }), 5);
      console.log(`  ${template}: ${t.median.toFixed(0)} ms (min ${t.min.toFixed(0)} ms)`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
