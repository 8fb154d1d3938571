// Byte-reproducible boxes: one time for every timestamp (SOURCE_DATE_EPOCH, as
// https://reproducible-builds.org/specs/source-date-epoch/ defines it), no build-time state
// or random bytes left in the tree, and the file systems' own times and ids fixed.
// Two builds from the same recipe, builder and package versions on the same host give the
// same .box bytes (test/e2e/boxes.test.ts builds twice and compares the sha256).
import path from "node:path";
import fs from "fs-extra";
import { inChroot, run, type RunContext } from "./run.js";

/**
 * The build's SOURCE_DATE_EPOCH: the caller's, else the newest package's date, read from
 * the installed packages' copyright files (dpkg gives each file the mtime it has in the
 * .deb, which Debian's tools clamp to the package's changelog date). It depends on the
 * package versions alone, never on when the build runs.
 */
export async function sourceDateEpoch(rootfs: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const given = env.SOURCE_DATE_EPOCH;
  if (given !== undefined && given !== "") {
    if (!/^\d+$/.test(given)) throw new Error(`SOURCE_DATE_EPOCH must be whole seconds since 1970, not "${given}"`);
    return Number(given);
  }
  const doc = path.join(rootfs, "usr", "share", "doc");
  let newest = 0;
  for (const name of await fs.readdir(doc).catch(() => [] as string[])) {
    const stat = await fs.lstat(path.join(doc, name, "copyright")).catch(() => undefined);
    if (stat?.isFile()) newest = Math.max(newest, Math.floor(stat.mtimeMs / 1000));
  }
  if (!newest) throw new Error(`no package copyright files under ${doc} to date the build by; set SOURCE_DATE_EPOCH`);
  return newest;
}

/** Every timestamp in the tree at most `epoch`: newer files get `epoch`, every atime its file's mtime. */
export async function clampTimes(rootfs: string, epoch: number): Promise<number> {
  let changed = 0;
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) await visit(file);
      await setTimes(file, epoch);
      changed++;
    }
  };
  await visit(rootfs);
  await setTimes(rootfs, epoch);
  return changed + 1;
}

async function setTimes(file: string, epoch: number): Promise<void> {
  const stat = await fs.lstat(file);
  const mtime = Math.min(Math.floor(stat.mtimeMs / 1000), epoch);
  await fs.promises.lutimes(file, mtime, mtime);
}

/**
 * Leaves the tree as the same packages always make it (build-time state is gone already:
 * rootfs.ts cleanTree): the password ages in /etc/shadow set to the epoch's day (useradd
 * and chpasswd write today), then every time clamped. Runs last, after every file is written.
 */
export async function normalizeTree(ctx: RunContext, rootfs: string, epoch: number): Promise<void> {
  const day = Math.floor(epoch / 86400);
  await inChroot(ctx, rootfs, `sed -i -E 's/^([^:]*:[^:]*:)[0-9]+:/\\1${day}:/' /etc/shadow`);
  await clampTimes(rootfs, epoch);
}

/**
 * The ext4 inodes' change and creation times. `mkfs.ext4 -d` copies each file's ctime
 * (e2fsprogs misc/create_inode.c, fill_inode), which no tool can set, and gives new
 * inodes the creation time "now" unless E2FSPROGS_FAKE_TIME is set (lib/ext2fs/inode.c,
 * ext2fs_write_new_inode). debugfs sets both to the epoch in every inode in use.
 */
export async function fixInodeTimes(ctx: RunContext, image: string, epoch: number): Promise<number> {
  const inodes = inodesInUse(await run(ctx, "dumpe2fs", [image]));
  const lines: string[] = [];
  for (const inode of inodes) {
    for (const field of ["ctime", "crtime"]) lines.push(`set_inode_field <${inode}> ${field} @${epoch}`);
    for (const field of ["ctime_extra", "crtime_extra"]) lines.push(`set_inode_field <${inode}> ${field} 0`);
  }
  const commands = `${image}.debugfs`;
  await fs.writeFile(commands, `${lines.join("\n")}\n`);
  try {
    // debugfs echoes every command: the log gets them only if it fails.
    await run(ctx, "debugfs", ["-w", "-f", commands, image], { quiet: true });
  } finally {
    await fs.remove(commands);
  }
  return inodes.length;
}

/**
 * The inodes in use, from dumpe2fs's per-group "Inodes: a-b" ranges less its "Free inodes:"
 * ranges (e2fsprogs misc/dumpe2fs.c, list_desc). Reserved inodes below the first normal one
 * (1..10) are in use too; only those with a mode matter, and setting times on the others is harmless.
 */
export function inodesInUse(dumpe2fs: string): number[] {
  const used: number[] = [];
  const groups = dumpe2fs.split(/\nGroup \d+:/).slice(1);
  const inodesPerGroup = Number(/Inodes per group:\s+(\d+)/.exec(dumpe2fs)?.[1]);
  if (!inodesPerGroup) throw new Error("dumpe2fs printed no 'Inodes per group'");
  groups.forEach((text, index) => {
    const first = index * inodesPerGroup + 1;
    const last = first + inodesPerGroup - 1;
    const free = new Set<number>();
    const list = /Free inodes:\s*([^\n]*)/.exec(text)?.[1] ?? "";
    for (const part of list.split(",").map((p) => p.trim()).filter(Boolean)) {
      const [from, to] = part.split("-").map(Number);
      for (let n = from; n <= (to ?? from); n++) free.add(n);
    }
    for (let n = first; n <= last; n++) if (!free.has(n)) used.push(n);
  });
  return used;
}

/**
 * qemu-img writes a random content id into a new VMDK's descriptor (block/vmdk.c,
 * vmdk_co_do_create: "CID=%x" from g_random_int(), so 1 to 8 digits, in a NUL-padded
 * descriptor at byte 512 with no checksum); this writes a fixed 8-digit one in its place and
 * the descriptor's rest after it, inside the same padding, so the bytes do not depend on how
 * many digits the random one had. VirtualBox only compares a child's parentCID with it.
 */
export async function fixVmdkContentId(vmdk: string, cid: string): Promise<void> {
  if (!/^[0-9a-f]{8}$/.test(cid)) throw new Error(`a VMDK CID is 8 hex digits, not "${cid}"`);
  const handle = await fs.promises.open(vmdk, "r+");
  try {
    const head = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const text = head.subarray(0, bytesRead).toString("latin1");
    const start = text.indexOf("# Disk DescriptorFile");
    const end = text.indexOf("\0", start);
    const descriptor = start < 0 || end < 0 ? "" : text.slice(start, end);
    if (!/\nCID=[0-9a-f]{1,8}\n/.test(descriptor)) throw new Error(`${vmdk}: no CID line in its descriptor`);
    const fixed = descriptor.replace(/\nCID=[0-9a-f]{1,8}\n/, `\nCID=${cid}\n`);
    // The padding after the descriptor must hold the digits it grows by.
    if (!/^\0+$/.test(text.slice(end, start + fixed.length + 1))) throw new Error(`${vmdk}: no room after its descriptor for an 8-digit CID`);
    await handle.write(Buffer.from(fixed, "latin1"), 0, fixed.length, start);
  } finally {
    await handle.close();
  }
}
