// Before a box build touches anything: root, the tools each step needs, Vagrant's insecure
// key, and room on disk. Every missing piece is reported at once with its fix.
import fs from "fs-extra";
import path from "node:path";
import { runProcess } from "../process/run.js";
import { UsageError } from "../errors.js";
import { freeBytesUnder } from "../host/disk-space.js";
import { toolPath } from "./run.js";

/** Tool -> the Debian package that has it. */
const TOOLS: Record<string, string> = {
  debootstrap: "debootstrap",
  chroot: "coreutils",
  "mkfs.ext4": "e2fsprogs",
  "mkfs.vfat": "dosfstools",
  mcopy: "mtools",
  syslinux: "syslinux",
  sfdisk: "fdisk",
  "qemu-img": "qemu-utils",
  tar: "tar",
  mount: "mount",
};

export const SYSLINUX_MBR = "/usr/lib/syslinux/mbr/mbr.bin";
const VAGRANT_GEMS = "/usr/share/rubygems-integration/all/gems";

async function onPath(tool: string): Promise<boolean> {
  const result = await runProcess("sh", ["-c", 'command -v "$1"', "sh", tool], { env: { PATH: toolPath() } });
  return result.exitCode === 0;
}

/** Vagrant's well-known insecure public key, as the vagrant package ships it. */
export async function findInsecureKey(): Promise<string | undefined> {
  const gems = await fs.readdir(VAGRANT_GEMS).catch(() => [] as string[]);
  for (const gem of gems.filter((g) => /^vagrant-\d/.test(g)).sort().reverse()) {
    const key = path.join(VAGRANT_GEMS, gem, "keys", "vagrant.pub");
    if (await fs.pathExists(key)) return key;
  }
  return undefined;
}

export interface PreflightNeeds {
  /** Folders the build writes to, with the bytes each needs. */
  room: { dir: string; bytes: number }[];
}

export async function preflight(needs: PreflightNeeds): Promise<{ insecureKey: string }> {
  const problems: string[] = [];
  if (process.getuid?.() !== 0) problems.push("box builds run as root (debootstrap and chroot need it): run again with sudo");
  const missing: string[] = [];
  for (const [tool, pkg] of Object.entries(TOOLS)) {
    if (!(await onPath(tool))) missing.push(`${tool} (${pkg})`);
  }
  if (missing.length) {
    const packages = [...new Set(missing.map((m) => m.replace(/^.*\((.*)\)$/, "$1")))].join(" ");
    problems.push(`missing tools: ${missing.join(", ")}; fix: apt-get install -y ${packages}`);
  }
  if (!(await fs.pathExists(SYSLINUX_MBR))) problems.push(`no ${SYSLINUX_MBR}; fix: apt-get install -y syslinux-common`);
  const insecureKey = await findInsecureKey();
  if (!insecureKey) problems.push("Vagrant's insecure key (keys/vagrant.pub of the vagrant gem) was not found; fix: apt-get install -y vagrant");
  for (const { dir, bytes } of needs.room) {
    const free = await freeBytesUnder(dir);
    if (free !== undefined && free < bytes) {
      problems.push(
        `not enough room in ${dir}: ${(free / 2 ** 30).toFixed(1)} GiB free, the build needs about ${(bytes / 2 ** 30).toFixed(1)} GiB; free some space or pass --out elsewhere`,
      );
    }
  }
  if (problems.length) {
    throw new UsageError(`cannot build boxes here:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
  return { insecureKey: insecureKey! };
}
