// Two builds of the same boxes at once (the two test runs, two terminals): the second waits
// for the cache's lock, then finds the boxes the first made and reuses them instead of
// building them again.
import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import { boxFileName, buildBox } from "../../../src/boxes/build.js";
import { loadRecipe } from "../../../src/boxes/registry.js";
import { boxContent, buildInputs } from "../../../src/boxes/version.js";
import { tempDir } from "../../support/tools.js";

const asRoot = process.getuid?.() === 0;
if (!asRoot) process.stderr.write("build-lock: skipped: box builds run as root (their preflight refuses otherwise)\n");

(asRoot ? test : test.skip)("a build that waited for the lock reuses the boxes another build finished meanwhile", async () => {
  const dir = await tempDir("kvm-lab-build-lock-");
  const cache = path.join(dir, "cache");
  const out = path.join(dir, "out");
  const owner = execa("sleep", ["60"]);
  try {
    await fs.outputFile(path.join(cache, "build.lock"), String(owner.pid));
    const lines: string[] = [];
    const building = buildBox({ recipe: "debian-13-minimal", providers: ["libvirt"], outDir: out, cacheDir: cache, progress: (l) => lines.push(l) });
    // The other build finishes its box while this one waits (lockCache polls every 2 s).
    while (!lines.some((l) => l.startsWith("waiting for another box build"))) await new Promise((r) => setTimeout(r, 50));
    const { recipe } = await loadRecipe("debian-13-minimal");
    const { digest } = boxContent(recipe, await buildInputs(recipe));
    const file = path.join(out, boxFileName("debian-13-minimal", "libvirt"));
    await fs.outputFile(file, "a finished box");
    await fs.writeJson(`${file}.json`, { key: digest, sha256: "f".repeat(64), bytes: 14 });
    owner.kill();
    const result = await building;
    expect(result.boxes).toEqual([{ provider: "libvirt", file, bytes: 14, sha256: "f".repeat(64), reused: true }]);
    expect(result.steps.map((s) => s.name.split(":")[0])).toEqual(["preflight"]);
    expect(await fs.readFile(file, "utf8")).toBe("a finished box");
    expect(await fs.pathExists(path.join(cache, "build.lock"))).toBe(false);
    expect(await fs.readdir(path.join(cache, "work")).catch(() => [])).toEqual([]);
  } finally {
    owner.kill();
    await owner.catch(() => undefined);
    await fs.remove(dir);
  }
}, 60_000);
