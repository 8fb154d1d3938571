// Box build times (cold: empty cache, everything downloaded and bootstrapped; warm: package
// and base-system cache kept, box rebuilt; reuse: recipe unchanged, box reused) and sizes.
// Needs root and the build tools; skipped with the reason otherwise. Takes several minutes.
import path from "node:path";
import fs from "fs-extra";
import { buildBox } from "../dist/boxes/build.js";
import { listRecipeNames } from "../dist/boxes/registry.js";

export async function benchBoxes() {
  if (process.env.BENCH_BOXES === "0") return console.log("box builds: skipped (BENCH_BOXES=0)");
  if (process.getuid?.() !== 0) return console.log("box builds: skipped (needs root)");
  console.log("box builds (seconds; sizes per .box)");
  const root = await fs.mkdtemp(path.join("/var/tmp", "kvm-lab-bench-"));
  try {
    for (const recipe of await listRecipeNames()) {
      const cache = path.join(root, "cache");
      const out = path.join(root, "out");
      await fs.remove(cache);
      await fs.remove(out);
      const time = (options) => buildBox({ recipe, providers: ["libvirt", "virtualbox"], outDir: out, cacheDir: cache, ...options });
      const cold = await time({});
      const warm = await time({ force: true });
      const reuse = await time({});
      const sizes = warm.boxes.map((b) => `${b.provider} ${(b.bytes / 2 ** 20).toFixed(0)} MiB (${(b.bytes / 1e6).toFixed(1)} MB)`).join(", ");
      // Byte-reproducible: the cold and the warm build made the same bytes.
      const same = cold.boxes.every((b, i) => b.sha256 === warm.boxes[i].sha256);
      const slowest = [...warm.steps].sort((a, b) => b.seconds - a.seconds)[0];
      console.log(
        `  ${recipe} ${warm.version}: cold ${cold.seconds.toFixed(0)} s, warm ${warm.seconds.toFixed(0)} s (longest step: ${slowest.name.split(":")[0]} ${slowest.seconds.toFixed(0)} s), reuse ${reuse.seconds.toFixed(1)} s; boxes: ${sizes}; cold and warm builds byte-identical: ${same ? "yes" : "NO"}`,
      );
    }
  } finally {
    await fs.remove(root);
  }
}
