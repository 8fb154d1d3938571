// The pieces that make box builds byte-reproducible, each on the real tool it fixes up:
// an ext4 made by mkfs.ext4 -d from a tree with fresh ctimes, a VMDK from qemu-img, the
// epoch from a tree's copyright files, the clamped times. (Two whole builds compared:
// test/e2e/boxes.test.ts.)
import { createHash } from "node:crypto";
import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import { clampTimes, fixInodeTimes, fixVmdkContentId, inodesInUse, sourceDateEpoch } from "../../../src/boxes/reproducible.js";
import { snapshotMirror } from "../../../src/boxes/rootfs.js";
import { diskIds, vmdkContentId } from "../../../src/boxes/version.js";
import { tempDir } from "../../support/tools.js";

const EPOCH = 1_754_697_600; // 2025-08-09, Debian 13's release day

let dir: string;
beforeEach(async () => {
  dir = await tempDir("kvm-lab-repro-");
});
afterEach(() => fs.remove(dir));

const sha256 = async (file: string) => createHash("sha256").update(await fs.readFile(file)).digest("hex");

async function makeTree(root: string): Promise<void> {
  await fs.outputFile(path.join(root, "etc", "hostname"), "box\n");
  await fs.outputFile(path.join(root, "usr", "share", "doc", "old", "copyright"), "old\n");
  await fs.outputFile(path.join(root, "usr", "share", "doc", "new", "copyright"), "new\n");
  await fs.outputFile(path.join(root, "var", "lib", "state"), "x\n");
  await fs.symlink("../etc/hostname", path.join(root, "var", "hostname-link"));
  await fs.utimes(path.join(root, "usr", "share", "doc", "old", "copyright"), EPOCH - 86400, EPOCH - 86400);
  await fs.utimes(path.join(root, "usr", "share", "doc", "new", "copyright"), EPOCH, EPOCH);
}

/** An ext4 image made from `root` as the builder makes one, its times then fixed. */
async function ext4Of(root: string, image: string): Promise<void> {
  const { rootUuid } = diskIds("test");
  await execa("mkfs.ext4", ["-q", "-F", "-U", rootUuid, "-d", root, "-E", `root_owner=0:0,hash_seed=${rootUuid},nodiscard,lazy_itable_init=0,lazy_journal_init=0`, image, "16M"], {
    env: { E2FSPROGS_FAKE_TIME: String(EPOCH), LC_ALL: "C" },
  });
  const ctx = { log: path.join(dir, "build.log"), step: "disk image", env: { E2FSPROGS_FAKE_TIME: String(EPOCH) } };
  await fixInodeTimes(ctx, image, EPOCH);
}

test("the epoch is the newest package's copyright date, or SOURCE_DATE_EPOCH when given", async () => {
  const root = path.join(dir, "root");
  await makeTree(root);
  expect(await sourceDateEpoch(root, {})).toBe(EPOCH);
  expect(await sourceDateEpoch(root, { SOURCE_DATE_EPOCH: "1700000000" })).toBe(1_700_000_000);
  await expect(sourceDateEpoch(root, { SOURCE_DATE_EPOCH: "yesterday" })).rejects.toThrow('SOURCE_DATE_EPOCH must be whole seconds since 1970, not "yesterday"');
  await expect(sourceDateEpoch(path.join(dir, "empty"), {})).rejects.toThrow("set SOURCE_DATE_EPOCH");
});

test("clampTimes: newer files and links get the epoch, older ones keep their mtime, atimes follow", async () => {
  const root = path.join(dir, "root");
  await makeTree(root);
  await clampTimes(root, EPOCH);
  const old = await fs.stat(path.join(root, "usr", "share", "doc", "old", "copyright"));
  expect([old.mtimeMs / 1000, old.atimeMs / 1000]).toEqual([EPOCH - 86400, EPOCH - 86400]);
  for (const file of ["etc/hostname", "var/lib", "var", "."]) {
    const stat = await fs.stat(path.join(root, file));
    expect([file, stat.mtimeMs / 1000, stat.atimeMs / 1000]).toEqual([file, EPOCH, EPOCH]);
  }
  expect((await fs.lstat(path.join(root, "var", "hostname-link"))).mtimeMs / 1000).toBe(EPOCH);
});

test("two ext4 images of the same tree made a second apart are byte-identical; every inode's ctime and crtime is the epoch", async () => {
  const a = path.join(dir, "a");
  const b = path.join(dir, "b");
  await makeTree(a);
  await clampTimes(a, EPOCH);
  await new Promise((resolve) => setTimeout(resolve, 1100));
  await makeTree(b); // later ctimes: they are what mkfs.ext4 -d copies and nothing can set
  await clampTimes(b, EPOCH);
  await ext4Of(a, path.join(dir, "a.img"));
  await ext4Of(b, path.join(dir, "b.img"));
  expect(await sha256(path.join(dir, "a.img"))).toBe(await sha256(path.join(dir, "b.img")));
  const stat = String((await execa("debugfs", ["-R", "stat /etc/hostname", path.join(dir, "a.img")])).stdout);
  const hex = `0x${EPOCH.toString(16)}:00000000`;
  expect(stat).toContain(` ctime: ${hex}`);
  expect(stat).toContain(`crtime: ${hex}`);
  expect(stat).toContain(` mtime: ${hex}`);
});

test("inodesInUse reads the in-use inodes from dumpe2fs's group ranges", async () => {
  const image = path.join(dir, "fs.img");
  const root = path.join(dir, "root");
  await makeTree(root);
  await execa("mkfs.ext4", ["-q", "-F", "-d", root, image, "16M"]);
  const used = inodesInUse(String((await execa("dumpe2fs", [image])).stdout));
  // 1-10 reserved, 11 lost+found, then the tree: / is 2; etc, usr, share, doc, old, new, var, lib and 5 files/links.
  expect(used.slice(0, 11)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  const free = Number(/Free inodes:\s+(\d+)/.exec(String((await execa("dumpe2fs", ["-h", image])).stdout))![1]);
  const total = Number(/Inode count:\s+(\d+)/.exec(String((await execa("dumpe2fs", ["-h", image])).stdout))![1]);
  expect(used.length).toBe(total - free);
});

test("the VMDK's random CID is replaced in place: two conversions of one disk become identical", async () => {
  const raw = path.join(dir, "disk.raw");
  await fs.writeFile(raw, Buffer.alloc(4 * 1024 * 1024, 7));
  const vmdks = [path.join(dir, "one", "box-disk001.vmdk"), path.join(dir, "two", "box-disk001.vmdk")];
  for (const vmdk of vmdks) {
    await fs.ensureDir(path.dirname(vmdk));
    await execa("qemu-img", ["convert", "-O", "vmdk", "-o", "subformat=streamOptimized", raw, vmdk]);
  }
  // qemu-img prints its random CID with %x: a value below 0x10000000 has fewer digits. Make
  // the second one such a short id, as qemu-img does one time in sixteen.
  const second = await fs.readFile(vmdks[1]);
  const head = second.subarray(0, 16384).toString("latin1");
  const start = head.indexOf("# Disk DescriptorFile");
  const qemus = head.slice(start, head.indexOf("\0", start));
  const short = qemus.replace(/\nCID=[0-9a-f]+\n/, "\nCID=7778fcb\n");
  expect(short.length).toBeLessThan(qemus.length);
  Buffer.from(short.padEnd(qemus.length, "\0"), "latin1").copy(second, start);
  await fs.writeFile(vmdks[1], second);
  const cid = vmdkContentId("digest");
  for (const vmdk of vmdks) await fixVmdkContentId(vmdk, cid);
  expect(await sha256(vmdks[0])).toBe(await sha256(vmdks[1]));
  const descriptor = (await fs.readFile(vmdks[0])).subarray(0, 16384).toString("latin1");
  expect(descriptor).toContain(`\nCID=${cid}\nparentCID=ffffffff\n`);
  // qemu-img still reads it as a streamOptimized VMDK with the same content.
  expect(String((await execa("qemu-img", ["info", vmdks[0]])).stdout)).toContain("create type: streamOptimized");
  await execa("qemu-img", ["compare", raw, vmdks[0]]);
  await expect(fixVmdkContentId(raw, cid)).rejects.toThrow("no CID line in its descriptor");
});

test("disk ids and the VMDK CID follow the content digest", () => {
  const one = diskIds("a".repeat(64));
  expect(one).toEqual(diskIds("a".repeat(64)));
  expect(one.rootUuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(one.bootVolumeId).toMatch(/^[0-9a-f]{8}$/);
  expect(diskIds("b".repeat(64)).rootUuid).not.toBe(one.rootUuid);
  expect(vmdkContentId("x")).toMatch(/^[0-9a-f]{8}$/);
});

test("a snapshot.debian.org mirror is recognised (apt then accepts its expired Valid-Until)", () => {
  expect(snapshotMirror("https://snapshot.debian.org/archive/debian/20251201T000000Z/")).toBe(true);
  expect(snapshotMirror("http://snapshot.debian.org/archive/debian/20251201T000000Z")).toBe(true);
  expect(snapshotMirror("http://deb.debian.org/debian")).toBe(false);
  expect(snapshotMirror("https://snapshot.debian.org/archive/debian-security/20251201T000000Z/")).toBe(false);
});
