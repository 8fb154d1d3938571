// A BIOS-bootable disk image from a root tree, with no loop devices and no mounts:
// partition 1 is a small FAT file system with the kernel, the initrd and SYSLINUX;
// partition 2 is ext4 made straight from the tree (mkfs.ext4 -d at an offset in the file).
// The same disk boots under libvirt/QEMU and VirtualBox.
import path from "node:path";
import fs from "fs-extra";
import { SYSLINUX_MBR } from "./preflight.js";
import { fixInodeTimes } from "./reproducible.js";
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

/** The newest kernel and its initrd in the tree's /boot, by file name. */
async function findKernel(boot: string): Promise<{ kernel: string; initrd: string }> {
  const kernels = (await fs.readdir(boot)).filter((f) => f.startsWith("vmlinuz-")).sort();
  const kernel = kernels.pop();
  if (!kernel) throw new BoxBuildError("no kernel in the tree's /boot (linux-image-amd64 did not install)");
  const initrd = `initrd.img-${kernel.slice("vmlinuz-".length)}`;
  if (!(await fs.pathExists(path.join(boot, initrd)))) throw new BoxBuildError(`no ${initrd} beside ${kernel}`);
  return { kernel, initrd };
}

export interface DiskOptions {
  rootfs: string;
  disk: string;
  sizeGiB: number;
  rootUuid: string;
  /** The FAT boot partition's volume id, 8 hex digits (mounted as /boot by its UUID). */
  bootVolumeId: string;
  /** SOURCE_DATE_EPOCH: every time in both file systems (the tools read it from ctx.env too). */
  epoch: number;
  workDir: string;
}

export async function makeBootableDisk(ctx: RunContext, options: DiskOptions): Promise<void> {
  const { rootfs, disk, rootUuid, workDir } = options;
  const total = options.sizeGiB * 1024 * MIB;
  const rootSize = total - ROOT_START;
  const boot = path.join(rootfs, "boot");
  const { kernel, initrd } = await findKernel(boot);

  // 1. A sparse file with an MBR partition table: FAT boot (active), Linux root.
  await fs.writeFile(disk, "");
  await fs.promises.truncate(disk, total);
  // The disk identifier from the content too (sfdisk makes a random one when none is given).
  await run(ctx, "sfdisk", ["--quiet", disk], {
    input: `label: dos\nlabel-id: 0x${options.bootVolumeId}\nstart=${BOOT_START / 512}, size=${BOOT_SIZE / 512}, type=c, bootable\nstart=${ROOT_START / 512}, type=83\n`,
  });

  // 2. The boot file system, which the guest mounts as /boot: the tree's /boot, SYSLINUX and its config.
  const offset = `${disk}@@${BOOT_START}`;
  // --invariant: no time-based or random data (dosfstools mkfs.fat); -i after it sets our id.
  await run(ctx, "mkfs.vfat", ["--invariant", "-F", "16", "-n", "BOOT", "-i", options.bootVolumeId, "--offset", String(BOOT_START / 512), disk, String(BOOT_SIZE / 1024)]);
  const config = path.join(workDir, "syslinux.cfg");
  await fs.writeFile(
    config,
    ["DEFAULT debian", "PROMPT 0", "TIMEOUT 0", "LABEL debian", `  LINUX /${kernel}`, `  INITRD /${initrd}`, `  APPEND ${kernelCommandLine(rootUuid)}`, ""].join("\n"),
  );
  // In name order; mcopy and syslinux's installer (which runs mcopy) date each entry by
  // SOURCE_DATE_EPOCH in ctx.env, in TZ's local time (mtools getTimeNow, mk_entry).
  const bootFiles = (await fs.readdir(boot)).sort().map((f) => path.join(boot, f));
  await run(ctx, "mcopy", ["-i", offset, "-s", ...bootFiles, config, "::/"]);
  await run(ctx, "syslinux", ["--install", "--offset", String(BOOT_START), disk]);
  await fs.emptyDir(boot); // now a mount point: the files live on the FAT partition only
  await fs.promises.utimes(boot, options.epoch, options.epoch);

  // 3. The root file system, made from the tree in place at partition 2's offset. Fixed
  // UUID and directory hash seed; no discard and inode tables written out, so the result
  // does not depend on whether the build host's file system punches holes (mke2fs.c,
  // lazy_itable_init and discard); C collation for the tree's name order (create_inode.c
  // scandir with alphasort). Then the inode times no flag fixes.
  await run(ctx, "mkfs.ext4", [
    "-q", "-F", "-L", "root", "-U", rootUuid, "-d", rootfs,
    "-E", `offset=${ROOT_START},root_owner=0:0,hash_seed=${rootUuid},nodiscard,lazy_itable_init=0,lazy_journal_init=0`,
    disk, `${Math.floor(rootSize / 1024)}k`,
  ], { env: { LC_ALL: "C" } });
  await fixInodeTimes(ctx, `${disk}?offset=${ROOT_START}`, options.epoch);

  // 4. SYSLINUX's MBR boot code into the first 440 bytes.
  const mbr = await fs.readFile(SYSLINUX_MBR);
  const handle = await fs.promises.open(disk, "r+");
  try {
    await handle.write(mbr.subarray(0, 440), 0, 440, 0);
  } finally {
    await handle.close();
  }
}
