// The box's root file system: a cached Debian base (debootstrap minbase), the recipe's
// packages from Debian's archive, then what every Vagrant box needs.
import { createHash } from "node:crypto";
import path from "node:path";
import fs from "fs-extra";
import { UsageError } from "../errors.js";
import type { BoxRecipe, RecipeFile } from "./recipe.js";
import { inChroot, run, type RunContext } from "./run.js";
import { sourceDateEpoch } from "./reproducible.js";

/** What every box holds before its recipe's packages. */
export const BASE_PACKAGES = [
  "openssh-server",
  "sudo",
  "systemd-sysv",
  "udev",
  "kmod",
  "iproute2",
  "dbus",
  "netbase",
];

/** Bumped when the base tree the builder makes changes, so cached bases are not reused. */
const BASE_FORMAT = 2;

/** The Debian mirror apt on this host uses (Debian's packages are all a build may fetch). */
export async function debianMirror(): Promise<string> {
  if (process.env.KVM_LAB_DEBIAN_MIRROR) return process.env.KVM_LAB_DEBIAN_MIRROR;
  for (const file of ["/etc/apt/sources.list.d/debian.sources", "/etc/apt/sources.list"]) {
    const text = await fs.readFile(file, "utf8").catch(() => "");
    const match = /^URIs:\s*(\S+\/debian)\/?\s*$/m.exec(text) ?? /^deb\s+(?:\[[^\]]*\]\s+)?(\S+\/debian)\/?\s+\S+/m.exec(text);
    if (match) return match[1];
  }
  return "http://deb.debian.org/debian";
}

/**
 * Whether the mirror is a dated snapshot of Debian's archive (snapshot.debian.org/archive/
 * debian/<time>/): its Release files are frozen, so their Valid-Until has passed, and apt
 * must be told to take them (apt's Acquire::Check-Valid-Until; they are still verified
 * against Debian's keys). Pinning a build to a snapshot is how its packages stay the same.
 */
export function snapshotMirror(mirror: string): boolean {
  return /^https?:\/\/snapshot\.debian\.org\/archive\/debian\/\d{8}T\d{6}Z\/?$/.test(mirror);
}

function baseKey(suite: string, mirror: string): string {
  return createHash("sha256").update(JSON.stringify({ suite, mirror, BASE_PACKAGES, BASE_FORMAT })).digest("hex").slice(0, 12);
}

const TAR_FLAGS = ["--numeric-owner", "--xattrs", "--xattrs-include=*"];

/** Fills `rootfs` with the Debian base: from the cache when there, else debootstrap (then cached). */
export async function bootstrapBase(ctx: RunContext, rootfs: string, cacheDir: string, suite: string): Promise<"cached" | "built"> {
  const mirror = await debianMirror();
  const tarball = path.join(cacheDir, `base-${suite}-${baseKey(suite, mirror)}.tar`);
  await fs.ensureDir(rootfs);
  if (await fs.pathExists(tarball)) {
    await run(ctx, "tar", ["-xpf", tarball, "-C", rootfs, ...TAR_FLAGS]);
    return "cached";
  }
  const debs = path.join(cacheDir, "debs");
  await fs.ensureDir(debs);
  await run(ctx, "debootstrap", [
    "--variant=minbase",
    `--cache-dir=${debs}`,
    `--include=${BASE_PACKAGES.join(",")}`,
    suite,
    rootfs,
    mirror,
  ]);
  const partial = `${tarball}.${process.pid}.partial`;
  try {
    await run(ctx, "tar", ["-cpf", partial, "-C", rootfs, ...TAR_FLAGS, "."]);
    await fs.rename(partial, tarball);
  } finally {
    await fs.remove(partial);
  }
  return "built";
}

/** Mounts what package scripts need inside the tree; returns the undo, which never throws. */
async function mountForChroot(ctx: RunContext, rootfs: string, archives: string): Promise<() => Promise<void>> {
  const mounted: string[] = [];
  const mount = async (args: string[], target: string) => {
    await fs.ensureDir(target);
    await run(ctx, "mount", [...args, target]);
    mounted.push(target);
  };
  const undo = async () => {
    for (const target of mounted.reverse()) {
      await run(ctx, "umount", [target]).catch(() => run(ctx, "umount", ["-l", target]).catch(() => undefined));
    }
  };
  try {
    await mount(["-t", "proc", "proc"], path.join(rootfs, "proc"));
    await mount(["-t", "sysfs", "sysfs"], path.join(rootfs, "sys"));
    await mount(["--bind", "/dev"], path.join(rootfs, "dev"));
    await mount(["--bind", "/dev/pts"], path.join(rootfs, "dev", "pts"));
    await mount(["--bind", archives], path.join(rootfs, "var", "cache", "apt", "archives"));
  } catch (error) {
    await undo();
    throw error;
  }
  return undo;
}

/** Documentation, manual pages and translations are not installed into boxes. */
const NODOC = [
  "path-exclude=/usr/share/doc/*",
  "path-include=/usr/share/doc/*/copyright",
  "path-exclude=/usr/share/man/*",
  "path-exclude=/usr/share/info/*",
  "path-exclude=/usr/share/locale/*",
  "path-include=/usr/share/locale/locale.alias",
  // QEMU: firmware for other architectures, the 32-bit and microvm x86 emulators.
  "path-exclude=/usr/bin/qemu-system-x86_64-microvm",
  // The 32-bit x86 emulator: libvirt runs i686 guests on qemu-system-x86_64 when it is
  // missing (src/qemu/qemu_capabilities.c, virQEMUCapsFindBinaryForArch).
  "path-exclude=/usr/bin/qemu-system-i386",
  "path-exclude=/usr/share/qemu/openbios-*",
  "path-exclude=/usr/share/qemu/skiboot.lid",
  "path-exclude=/usr/share/qemu/slof.bin",
  "path-exclude=/usr/share/qemu/hppa-firmware.img",
  "path-exclude=/usr/share/qemu/opensbi-*",
  "path-exclude=/usr/share/qemu/palcode-*",
  "path-exclude=/usr/share/qemu/s390-*",
  "path-exclude=/usr/share/qemu/u-boot*",
  "path-exclude=/usr/share/qemu/*.dtb",
  "",
].join("\n");

/**
 * Kernel modules no VM of a lab needs (graphics, sound, wireless, media, exotic NICs and
 * storage adapters). Kept: virtio, e1000 and pcnet (VirtualBox's cards), AHCI/ATA, SCSI
 * core, file systems, netfilter, bridges, tun/vhost and KVM itself.
 */
const PRUNED_MODULES = [
  "sound",
  "drivers/gpu",
  "drivers/media",
  "drivers/staging",
  "drivers/infiniband",
  "drivers/iio",
  "drivers/comedi",
  "drivers/net/wireless",
  "drivers/net/can",
  "drivers/net/usb",
  "drivers/net/wan",
  "drivers/bluetooth",
  "drivers/isdn",
  "drivers/nfc",
  "drivers/thunderbolt",
  "drivers/usb/serial",
  "drivers/usb/gadget",
  "drivers/mtd",
  "drivers/hwmon",
  "drivers/mfd",
  "drivers/platform/chrome",
  "drivers/input/touchscreen",
  "drivers/input/joystick",
  "net/bluetooth",
  "net/wireless",
  "net/mac80211",
  "net/nfc",
  "fs/ocfs2",
  "fs/gfs2",
  "fs/nilfs2",
  "fs/jfs",
  "fs/reiserfs",
  "fs/f2fs",
  "fs/ubifs",
  "fs/jffs2",
  "fs/dlm",
  "drivers/net/ethernet/intel/ice",
  "drivers/net/ethernet/intel/i40e",
  "drivers/net/ethernet/intel/iavf",
  "drivers/net/ethernet/intel/ixgbe",
  "drivers/net/ethernet/intel/ixgbevf",
  "drivers/net/ethernet/intel/igb",
  "drivers/net/ethernet/intel/igbvf",
  "drivers/net/ethernet/intel/igc",
  "drivers/net/ethernet/intel/fm10k",
];

/** NIC drivers kept under drivers/net/ethernet: VirtualBox's e1000 (intel) and PCnet (amd). */
const KEPT_ETHERNET = ["intel", "amd"];

/** Turns apt-get's output into a few progress lines: how many packages, downloaded, unpacked. */
function aptProgress(say: (line: string) => void): (line: string) => void {
  let total = 0;
  let unpacked = 0;
  let shown = 0;
  return (line) => {
    const planned = /(\d+) newly installed/.exec(line);
    if (planned) {
      total = Number(planned[1]);
      say(`      ${total} packages to install`);
    } else if (/^Need to get /.test(line)) {
      say(`      ${line.replace(/^Need to get /, "downloading ").replace(/\.$/, "")}`);
    } else if (/^Unpacking /.test(line) && total) {
      unpacked++;
      const tenth = Math.floor((unpacked / total) * 10);
      if (tenth > shown) {
        shown = tenth;
        say(`      unpacked ${unpacked}/${total}`);
      }
    }
  };
}

async function pruneKernelModules(ctx: RunContext, rootfs: string): Promise<void> {
  const modules = path.join(rootfs, "usr", "lib", "modules");
  for (const version of await fs.readdir(modules)) {
    const kernel = path.join(modules, version, "kernel");
    for (const dir of PRUNED_MODULES) await fs.remove(path.join(kernel, dir));
    // Host-bus adapters are subfolders of drivers/scsi; the SCSI core and disk drivers sit at its top.
    const scsi = path.join(kernel, "drivers", "scsi");
    for (const entry of await fs.readdir(scsi, { withFileTypes: true }).catch(() => [])) {
      if (entry.isDirectory()) await fs.remove(path.join(scsi, entry.name));
    }
    const ethernet = path.join(kernel, "drivers", "net", "ethernet");
    for (const entry of await fs.readdir(ethernet).catch(() => [] as string[])) {
      if (!KEPT_ETHERNET.includes(entry)) await fs.remove(path.join(ethernet, entry));
    }
    const mode = (await fs.pathExists(path.join(rootfs, "boot", `initrd.img-${version}`))) ? "-u" : "-c";
    await inChroot(ctx, rootfs, `depmod -a ${version} && update-initramfs ${mode} -k ${version}`);
  }
}

/**
 * Installs the kernel and packages from Debian's archive into the tree (the .debs stay in
 * the cache), then slims it: no documentation, no kernel modules a VM does not use, and
 * one initrd made from what is left. Returns the build's SOURCE_DATE_EPOCH (dated by the
 * packages: src/boxes/reproducible.ts), which every later tool gets through `ctx.env`.
 */
export async function installPackages(
  ctx: RunContext,
  rootfs: string,
  cacheDir: string,
  packages: string[],
  say: (line: string) => void = () => undefined,
): Promise<number> {
  const archives = path.join(cacheDir, "apt-archives");
  await fs.ensureDir(path.join(archives, "partial"));
  const policy = path.join(rootfs, "usr", "sbin", "policy-rc.d");
  await fs.writeFile(policy, "#!/bin/sh\n# kvm-lab box build: start no services in the build tree\nexit 101\n", { mode: 0o755 });
  await fs.outputFile(path.join(rootfs, "etc", "dpkg", "dpkg.cfg.d", "kvm-lab-nodoc"), NODOC);
  await fs.copy("/etc/resolv.conf", path.join(rootfs, "etc", "resolv.conf"), { dereference: true }).catch(() => undefined);
  const unmount = await mountForChroot(ctx, rootfs, archives);
  try {
    await inChroot(ctx, rootfs, `apt-get update -qq${snapshotMirror(await debianMirror()) ? " -o Acquire::Check-Valid-Until=false" : ""}`);
    try {
      // The kernel comes here, not in the cached base, and without an initrd (INITRD=No):
      // one initrd is made below, once the modules are slimmed.
      await inChroot(
        ctx,
        rootfs,
        `apt-get install -y -q --no-install-recommends ${["linux-image-amd64", ...packages].map((p) => `'${p.replace(/'/g, "")}'`).join(" ")}`,
        { onLine: aptProgress(say), env: { INITRD: "No" } },
      );
    } catch (error) {
      const unknown = /Unable to locate package (\S+)|Package '?([^' ]+)'? has no installation candidate/.exec(String((error as Error).message));
      if (unknown) {
        throw new UsageError(`Debian has no package "${unknown[1] ?? unknown[2]}"`, {
          hint: "check the name with apt-cache search, and fix the recipe's packages",
          cause: error,
        });
      }
      throw error;
    }
    await inChroot(
      ctx,
      rootfs,
      "find /usr/share/doc ! -type d ! -name copyright -delete; rm -rf /usr/share/man/* /usr/share/info/* /usr/share/locale/*/LC_MESSAGES",
    );
    const epoch = await sourceDateEpoch(rootfs);
    // mkinitramfs clamps the initrd's times to it (initramfs-tools, mkinitramfs), useradd
    // dates passwords by it (shadow lib/gettime.c), mtools its FAT entries (getTimeNow),
    // e2fsprogs its new inodes and superblock (lib/ext2fs, E2FSPROGS_FAKE_TIME).
    ctx.env = { ...ctx.env, SOURCE_DATE_EPOCH: String(epoch), E2FSPROGS_FAKE_TIME: String(epoch) };
    await pruneKernelModules(ctx, rootfs);
    return epoch;
  } finally {
    await unmount();
    await fs.remove(policy);
  }
}

/** A FAT volume id (8 hex digits) as /etc/fstab and blkid spell it: ABCD-1234. */
export function fatUuid(volumeId: string): string {
  return `${volumeId.slice(0, 4)}-${volumeId.slice(4)}`.toUpperCase();
}

function fileOf(entry: RecipeFile | string): RecipeFile {
  return typeof entry === "string" ? { content: entry } : entry;
}

async function writeInto(rootfs: string, file: string, entry: RecipeFile | string): Promise<void> {
  const { content, mode } = fileOf(entry);
  const target = path.join(rootfs, file);
  if (!target.startsWith(`${rootfs}${path.sep}`)) throw new UsageError(`recipe file ${file} is outside the root file system`);
  await fs.outputFile(target, content, { mode: mode ?? 0o644 });
  await fs.chmod(target, mode ?? 0o644);
}

/** SHA-512 crypt of "vagrant", the password Vagrant's box conventions give the vagrant user. */
export const VAGRANT_PASSWORD_HASH = "$6$kvmlabvagrant$Ke77kFIvKn17vwqPT/Ciu79vmMnYI6apguY0LNEnArOkcCkNp1YbaNar4lzBa9wUhyBhjoXfyFgGd.WVCYGbA/";

/**
 * The public keys of a vagrant.pub, one authorized_keys line each: every key the file holds
 * (RSA and, since Vagrant 2.3.8, ED25519: hashicorp/vagrant keys/README.md), so both older
 * Vagrant (RSA only) and newer (ED25519 first) log in.
 */
export function insecurePublicKeys(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim().replace(/'/g, ""))
    .filter((line) => line !== "" && !line.startsWith("#"));
}

/** The shell line that writes `keys` as `file`, one key a line (keys come from insecurePublicKeys: no quotes). */
export function writeKeysCommand(keys: readonly string[], file: string): string {
  return `printf '%s\\n' ${keys.map((key) => `'${key}'`).join(" ")} > ${file}`;
}

/** What Vagrant needs of every box: the vagrant user with the insecure key(s), sudo, sshd, DHCP. */
export async function configureBase(
  ctx: RunContext,
  rootfs: string,
  options: { insecureKey: string; rootUuid: string; bootVolumeId: string; hostname: string },
): Promise<void> {
  const files: Record<string, RecipeFile | string> = {
    "/etc/hostname": `${options.hostname}\n`,
    "/etc/hosts": `127.0.0.1\tlocalhost\n127.0.1.1\t${options.hostname}\n::1\tlocalhost ip6-localhost ip6-loopback\n`,
    // /boot is the FAT partition SYSLINUX boots from, so kernel updates land where it looks.
    "/etc/fstab": `UUID=${options.rootUuid}\t/\text4\terrors=remount-ro\t0\t1\nUUID=${fatUuid(options.bootVolumeId)}\t/boot\tvfat\tumask=0077\t0\t2\n`,
    // DHCP on every interface; Vagrant's own 50-vagrant-*.network files come first for the ones it configures.
    "/etc/systemd/network/80-kvm-lab-dhcp.network": "[Match]\nName=en* eth*\n\n[Network]\nDHCP=yes\n",
    // Booting must not wait for NICs that never get an address (internal networks have no DHCP).
    "/etc/systemd/system/systemd-networkd-wait-online.service.d/kvm-lab.conf":
      "[Service]\nExecStart=\nExecStart=/lib/systemd/systemd-networkd-wait-online --any --timeout=30\n",
    "/etc/ssh/sshd_config.d/kvm-lab.conf": "# Vagrant boxes: no reverse DNS lookups on login\nUseDNS no\nGSSAPIAuthentication no\n",
    // Host keys are made on each machine's first boot, so no two VMs share them.
    "/etc/systemd/system/ssh.service.d/kvm-lab-host-keys.conf":
      "[Service]\nExecStartPre=\nExecStartPre=/usr/bin/ssh-keygen -A\nExecStartPre=/usr/sbin/sshd -t\n",
    "/etc/sudoers.d/vagrant": { content: "vagrant ALL=(ALL) NOPASSWD: ALL\nDefaults:vagrant !requiretty\n", mode: 0o440 },
  };
  for (const [file, entry] of Object.entries(files)) await writeInto(rootfs, file, entry);
  const keys = insecurePublicKeys(await fs.readFile(options.insecureKey, "utf8"));
  if (!keys.length) throw new UsageError(`${options.insecureKey} holds no public key`, { hint: "reinstall vagrant: its keys/vagrant.pub is Vagrant's insecure public key" });
  await inChroot(
    ctx,
    rootfs,
    [
      "id vagrant >/dev/null 2>&1 || useradd --create-home --shell /bin/bash --user-group vagrant",
      // The password "vagrant", hashed once with a fixed salt (openssl passwd -6 -salt kvmlabvagrant
      // vagrant): chpasswd would hash it with a random salt on every build.
      `printf '%s\\n' 'vagrant:${VAGRANT_PASSWORD_HASH}' | chpasswd -e`,
      "install -d -m 700 -o vagrant -g vagrant /home/vagrant/.ssh",
      writeKeysCommand(keys, "/home/vagrant/.ssh/authorized_keys"),
      "chown vagrant:vagrant /home/vagrant/.ssh/authorized_keys && chmod 600 /home/vagrant/.ssh/authorized_keys",
      "rm -f /etc/ssh/ssh_host_*",
      "systemctl enable systemd-networkd.service systemd-resolved.service ssh.service",
      "ln -sf /run/systemd/resolve/stub-resolv.conf /etc/resolv.conf",
    ].join("\n"),
  );
}

/** The recipe's own files, commands and units. */
export async function applyRecipe(ctx: RunContext, rootfs: string, recipe: BoxRecipe): Promise<void> {
  for (const [file, entry] of Object.entries(recipe.files ?? {})) await writeInto(rootfs, file, entry);
  for (const command of recipe.commands ?? []) await inChroot(ctx, rootfs, command);
  if (recipe.enableUnits?.length) await inChroot(ctx, rootfs, `systemctl enable ${recipe.enableUnits.join(" ")}`);
}

/**
 * Leaves no build-time state in the image: apt lists, logs, machine-id, and what differs
 * from build to build (caches keyed by inode and time, backups of the last change, compiled
 * Python: marshal output varies with the interpreter's string hashing; it compiles again on use).
 */
export async function cleanTree(ctx: RunContext, rootfs: string): Promise<void> {
  await inChroot(
    ctx,
    rootfs,
    [
      "rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/apt/archives/*.deb /tmp/* /var/tmp/* /var/cache/man/*",
      // The kernel hook writes the build host's running kernel into it (apt-auto-removal).
      "rm -f /etc/apt/apt.conf.d/01autoremove-kernels /var/lib/systemd/random-seed",
      "find /var/log -type f -delete",
      ": > /etc/machine-id",
      "rm -f /var/lib/dbus/machine-id",
      // ldconfig's cache of inode numbers and times (glibc elf/cache.c, aux-cache).
      "rm -f /var/cache/ldconfig/aux-cache",
      // journalctl --update-catalog's binary index; systemd rebuilds it when missing.
      "rm -f /var/lib/systemd/catalog/database",
      // The previous state dpkg, debconf and shadow keep beside each file.
      "rm -f /var/lib/dpkg/*-old /var/cache/debconf/*-old /etc/passwd- /etc/group- /etc/shadow- /etc/gshadow- /etc/subuid- /etc/subgid-",
      "find / -xdev -depth -type d -name __pycache__ -exec rm -rf {} +",
    ].join("\n"),
  );
}
