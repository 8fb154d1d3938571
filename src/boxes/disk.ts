// A BIOS-bootable disk image from a root tree, with no loop devices and no mounts:
// partition 1 is a small FAT file system with the kernel, the initrd and SYSLINUX;
// partition 2 is ext4 made straight from the tree (mkfs.ext4 -d at an offset in the file).
// The same disk boots under libvirt/QEMU and VirtualBox.
import path from "node:path";
import fs from "fs-extra";
import { SYSLINUX_MBR } from "./preflight.js";
import { run, type RunContext } from "./run.js";
import { BoxBuildError } from "../errors.js";

const MIB = 1024 * 1024;
const BOOT_START = 1 * MIB;
const BOOT_SIZE = 160 * MIB;
const ROOT_START = BOOT_START + BOOT_SIZE;

/** Kernel command line: serial console for logs, classic eth0.. names in PCI order. */
export function kernelCommandLine(rootUuid: string): string {
  return `root=UUID=${rootUuid} ro console=tty0 console=ttyS0,115200n8 net.ifnames=0 biosdevname=0`;
}

/** The newest kernel and its initrd in the tree's /boot. */
async function findKernel(rootfs: string): Promise<{ kernel: string; initrd: string }> {
  const boot = path.join(rootfs, "boot");
  const kernels = (await fs.readdir(boot)).filter((f) => f.startsWith("vmlinuz-")).sort();
  const kernel = kernels.pop();
  if (!kernel) throw new BoxBuildError("no kernel in the tree's /boot (linux-image-amd64 did not install)");
  const initrd = `initrd.img-${kernel.slice("vmlinuz-".length)}`;
  if (!(await fs.pathExists(path.join(boot, initrd)))) throw new BoxBuildError(`no ${initrd} beside ${kernel}`);
  return { kernel: path.join(boot, kernel), initrd: path.join(boot, initrd) };
}

export async function makeBootableDisk(ctx: RunContext, options: { rootfs: string; disk: string; sizeGiB: number; rootUuid: string; workDir: string }): Promise<void> {
  const { rootfs, disk, rootUuid, workDir } = options;
  const total = options.sizeGiB * 1024 * MIB;
  const rootSize = total - ROOT_START;
  const { kernel, initrd } = await findKernel(rootfs);

  // 1. A sparse file with an MBR partition table: FAT boot (active), Linux root.
  await fs.writeFile(disk, "");
  await fs.promises.truncate(disk, total);
  await run(ctx, "sfdisk", ["--quiet", disk], {
    input: `label: dos\nstart=${BOOT_START / 512}, size=${BOOT_SIZE / 512}, type=c, bootable\nstart=${ROOT_START / 512}, type=83\n`,
  });

  // 2. The boot file system: kernel, initrd, SYSLINUX and its config.
  const offset = `${disk}@@${BOOT_START}`;
  await run(ctx, "mkfs.vfat", ["-F", "16", "-n", "KVMLABBOOT", "--offset", String(BOOT_START / 512), disk, String(BOOT_SIZE / 1024)]);
  const config = path.join(workDir, "syslinux.cfg");
  await fs.writeFile(
    config,
    ["DEFAULT debian", "PROMPT 0", "TIMEOUT 0", "LABEL debian", "  LINUX /vmlinuz", "  INITRD /initrd.img", `  APPEND ${kernelCommandLine(rootUuid)}`, ""].join("\n"),
  );
  await run(ctx, "mcopy", ["-i", offset, kernel, "::/vmlinuz"]);
  await run(ctx, "mcopy", ["-i", offset, initrd, "::/initrd.img"]);
  await run(ctx, "mcopy", ["-i", offset, config, "::/syslinux.cfg"]);
  await run(ctx, "syslinux", ["--install", "--offset", String(BOOT_START), disk]);

  // 3. The root file system, made from the tree in place at partition 2's offset.
  await run(ctx, "mkfs.ext4", [
    "-q", "-F", "-L", "root", "-U", rootUuid, "-d", rootfs,
    "-E", `offset=${ROOT_START},root_owner=0:0`,
    disk, `${Math.floor(rootSize / 1024)}k`,
  ]);

  // 4. SYSLINUX's MBR boot code into the first 440 bytes.
  const mbr = await fs.readFile(SYSLINUX_MBR);
  const handle = await fs.promises.open(disk, "r+");
  try {
    await handle.write(mbr.subarray(0, 440), 0, 440, 0);
  } finally {
    await handle.close();
  }
}
