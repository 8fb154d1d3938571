// Box sizes: the virtual size of a box's disk, read from the box as Vagrant stored it
// under $VAGRANT_HOME/boxes (the resource fit's disk figure).
import os from "node:os";
import path from "node:path";
import fs from "fs-extra";
import type { Lab, Machine, Provider } from "../config/types.js";
import type { HostSources } from "../host/host-resources.js";

const GiB = 1024 ** 3;

/**
 * Vagrant's box folder: $VAGRANT_HOME/boxes, default ~/.vagrant.d/boxes
 * (lib/vagrant/shared_helpers.rb Vagrant.user_data_path). A box lives under its name with
 * "/" spelled "-VAGRANTSLASH-", then a folder per version, then per provider
 * (lib/vagrant/box_collection.rb dir_name, find); Vagrant 2.4 and later may put an
 * architecture folder between version and provider.
 */
export function vagrantBoxesDir(sources: HostSources = {}): string {
  const env = sources.env ?? process.env;
  return path.join(env.VAGRANT_HOME ? path.resolve(env.VAGRANT_HOME) : path.join(sources.home ?? os.homedir(), ".vagrant.d"), "boxes");
}

/** Version folders newest first, compared number by number as Gem::Version does for plain versions. */
function newestFirst(versions: string[]): string[] {
  const parts = (v: string) => v.split(/[.-]/).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return [...versions].sort((a, b) => {
    const [x, y] = [parts(a), parts(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      const [p, q] = [x[i] ?? 0, y[i] ?? 0];
      if (p === q) continue;
      if (typeof p === "number" && typeof q === "number") return q - p;
      return String(q).localeCompare(String(p));
    }
    return 0;
  });
}

async function subdirs(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith(".")).map((e) => e.name);
}

/** The newest added version of a box for a provider: its folder, or nothing when not added. */
export async function boxFolder(box: string, provider: Provider, boxesDir: string): Promise<string | undefined> {
  const root = path.join(boxesDir, box.replace(/\//g, "-VAGRANTSLASH-"));
  for (const version of newestFirst(await subdirs(root))) {
    const direct = path.join(root, version, provider);
    if (await fs.pathExists(path.join(direct, "metadata.json"))) return direct;
    for (const arch of await subdirs(path.join(root, version))) {
      const nested = path.join(root, version, arch, provider);
      if (await fs.pathExists(path.join(nested, "metadata.json"))) return nested;
    }
  }
  return undefined;
}

/** A qcow2 image's virtual size: bytes 24-31 of its header, big-endian (QEMU docs/interop/qcow2.txt). */
async function qcow2Size(file: string): Promise<number | undefined> {
  const handle = await fs.promises.open(file, "r").catch(() => undefined);
  if (!handle) return undefined;
  try {
    const header = Buffer.alloc(32);
    const { bytesRead } = await handle.read(header, 0, 32, 0);
    if (bytesRead < 32 || header.readUInt32BE(0) !== 0x514649fb) return undefined;
    return Number(header.readBigUInt64BE(24));
  } finally {
    await handle.close();
  }
}

/**
 * The OVF's disk capacities in bytes: `ovf:capacity` times `ovf:capacityAllocationUnits`
 * ("byte", "byte * 2^30"; DMTF OVF 1.x/2.x, DSP0243 "DiskSection").
 */
export function ovfDiskBytes(ovf: string): number | undefined {
  let total = 0;
  let found = false;
  for (const [disk] of ovf.matchAll(/<(?:\w+:)?Disk\b[^>]*>/g)) {
    const capacity = /\bovf:capacity="(\d+)"/.exec(disk);
    if (!capacity) continue;
    const units = /\bovf:capacityAllocationUnits="byte(?:\s*\*\s*(\d+)\s*\^\s*(\d+))?"/.exec(disk);
    const factor = units?.[1] ? Number(units[1]) ** Number(units[2]) : 1;
    total += Number(capacity[1]) * factor;
    found = true;
  }
  return found ? total : undefined;
}

/**
 * A box's disk size in bytes as Vagrant stored it. libvirt: `virtual_size` in GiB from
 * metadata.json, as vagrant-libvirt reads it (action/handle_box_image.rb: "capacity:
 * #{box_virtual_size}G"), else the qcow2 header of box.img. VirtualBox: the OVF's disks.
 */
export async function boxDiskBytes(box: string, provider: Provider, boxesDir: string): Promise<number | undefined> {
  const dir = await boxFolder(box, provider, boxesDir);
  if (!dir) return undefined;
  if (provider === "libvirt") {
    const metadata = await fs.readJson(path.join(dir, "metadata.json")).catch(() => ({}));
    const size = Number((metadata as { virtual_size?: unknown }).virtual_size);
    if (Number.isFinite(size) && size > 0) return size * GiB;
    return qcow2Size(path.join(dir, "box.img"));
  }
  const ovf = await fs.readFile(path.join(dir, "box.ovf"), "utf8").catch(() => undefined);
  return ovf === undefined ? undefined : ovfDiskBytes(ovf);
}

/** Each machine's disk size for a provider (default the lab's), looked up once per box. */
export async function machineDisks(lab: Lab, boxesDir: string, provider: Provider = lab.provider): Promise<(machine: Machine) => number | undefined> {
  const sizes = new Map<string, number | undefined>();
  for (const box of new Set(lab.machines.map((m) => m.box))) sizes.set(box, await boxDiskBytes(box, provider, boxesDir));
  return (machine) => {
    const box = sizes.get(machine.box);
    // A root disk grown past the box's (diskSizeGiB), and the machine's extra disks.
    const root = machine.diskSizeGiB === undefined ? box : Math.max(box ?? 0, machine.diskSizeGiB * GiB);
    if (root === undefined) return undefined;
    return root + machine.disks.reduce((sum, disk) => sum + disk.sizeGiB * GiB, 0);
  };
}


