// A machine's disk figure for the resource fit: the box's disk, grown to diskSizeGiB, plus
// the machine's extra disks.
import os from "node:os";
import path from "node:path";
import fs from "fs-extra";
import { normalizeLab } from "../../../src/config/normalize.js";
import { machineDisks } from "../../../src/vagrant/box-disks.js";

const GiB = 1024 ** 3;

test("extra disks and a grown root disk count in a machine's disk bytes", async () => {
  const boxes = await fs.mkdtemp(path.join(os.tmpdir(), "kvm-lab-boxes-"));
  try {
    const dir = path.join(boxes, "kvm-lab-VAGRANTSLASH-small", "1.0.0", "libvirt");
    await fs.outputJson(path.join(dir, "metadata.json"), { provider: "libvirt", format: "qcow2", virtual_size: 20 });
    const { lab } = normalizeLab({
      name: "fit",
      provider: "libvirt",
      box: "kvm-lab/small",
      machines: [
        { name: "plain" },
        { name: "data", disks: [{ sizeGiB: 5 }, { sizeGiB: 7 }] },
        { name: "grown", diskSizeGiB: 40 },
        { name: "smaller", diskSizeGiB: 10 },
        { name: "unknown", box: "other/box", disks: [{ sizeGiB: 5 }] },
      ],
    });
    const diskOf = await machineDisks(lab, boxes);
    expect(lab.machines.map((m) => diskOf(m))).toEqual([20 * GiB, 32 * GiB, 40 * GiB, 20 * GiB, undefined]);
  } finally {
    await fs.remove(boxes);
  }
});
