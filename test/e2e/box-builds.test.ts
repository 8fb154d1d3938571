// Box builds that boot no libvirt VM, run beside the VM files (scripts/test-runs/split.cjs,
// REST_FILES) so their minutes of CPU do not lengthen the suite: the Debian 12 recipes (kept
// beside the Debian 13 defaults) built for both providers, debian-12-minimal's VMDK booted
// under plain QEMU; and debian-13-minimal built a second time, which must give the same bytes.
import fs from "fs-extra";
import { buildBox } from "../../src/boxes/build.js";
import { boxRecipeTests } from "../support/box-checks.js";
import { buildTestBox, cannotBootVms } from "../support/e2e.js";

const MINUTES = 60_000;
const skip = cannotBootVms();
if (skip) process.stderr.write(`e2e box builds: skipped: ${skip}\n`);
const maybe = skip ? describe.skip : describe;

boxRecipeTests("debian-12-minimal", { bootVmdk: true });
boxRecipeTests("debian-12-kvm", { bootVmdk: false });

// Byte-reproducible (src/boxes/reproducible.ts): the same recipe, builder and packages
// (the package cache the first build filled) give the same sha256 for each .box.
maybe("debian-13-minimal, built again", () => {
  test("gives byte-identical boxes for both providers", async () => {
    const first = await buildTestBox("debian-13-minimal");
    const out = await fs.mkdtemp("/var/tmp/kvm-lab-rebuild-");
    try {
      const again = await buildBox({ recipe: "debian-13-minimal", providers: ["libvirt", "virtualbox"], outDir: out, force: true });
      expect(again.boxes.every((b) => !b.reused)).toBe(true);
      expect(again.boxes.map((b) => [b.provider, b.sha256])).toEqual(first.boxes.map((b) => [b.provider, b.sha256]));
      expect(again.version).toBe(first.version);
    } finally {
      await fs.remove(out);
    }
  }, 20 * MINUTES);
});

