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

/**
 * Where Vagrant's gem (and so its keys/ folder, Vagrant.source_root in hashicorp/vagrant
 * lib/vagrant/shared_helpers.rb) is installed:
 * - Debian's vagrant package: /usr/share/rubygems-integration/all/gems/vagrant-<version>/;
 * - HashiCorp's package (apt.releases.hashicorp.com, what CI runners install): the gem goes
 *   to GEM_HOME=<substrate>/embedded/gems (hashicorp/vagrant-installers package/install-vagrant),
 *   and embedded/ moves to /opt/vagrant (package/build-deb), so
 *   /opt/vagrant/embedded/gems/gems/vagrant-<version>/.
 */
export const VAGRANT_GEM_DIRS = ["/usr/share/rubygems-integration/all/gems", "/opt/vagrant/embedded/gems/gems"];

async function onPath(tool: string): Promise<boolean> {
  const result = await runProcess("sh", ["-c", 'command -v "$1"', "sh", tool], { env: { PATH: toolPath() } });
  return result.exitCode === 0;
}

/** Orders "2.4.10" after "2.4.9": by each numeric part, not by text. */
function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/**
 * The file of Vagrant's well-known insecure public key(s), keys/vagrant.pub of the newest
 * Vagrant gem installed (Debian's package or HashiCorp's). Since Vagrant 2.3.8 that one file
 * holds both public keys, RSA and ED25519 (hashicorp/vagrant keys/README.md); older ones hold RSA only.
 */
export async function findInsecureKey(gemDirs: readonly string[] = VAGRANT_GEM_DIRS): Promise<string | undefined> {
  const found: { version: string; key: string }[] = [];
  for (const dir of gemDirs) {
    for (const gem of (await fs.readdir(dir).catch(() => [] as string[])).filter((g) => /^vagrant-\d/.test(g))) {
      const key = path.join(dir, gem, "keys", "vagrant.pub");
      if (await fs.pathExists(key)) found.push({ version: gem.slice("vagrant-".length), key });
    }
  }
  found.sort((a, b) => compareVersions(b.version, a.version));
  return found[0]?.key;
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
  if (!insecureKey) {
    problems.push(
      `Vagrant's insecure key (keys/vagrant.pub of the vagrant gem, under ${VAGRANT_GEM_DIRS.join(" or ")}) was not found; fix: apt-get install -y vagrant (Debian's or HashiCorp's)`,
    );
  }
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
