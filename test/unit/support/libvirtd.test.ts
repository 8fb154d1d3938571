// The tests' libvirtd (test/support/libvirtd.mjs): /dev/kvm opened to the kvm group while it
// runs and put back after (on a stand-in file), and, on the tests' own libvirtd, QEMU's
// capabilities probed once and then read from libvirt's cache: a `virsh version` leaves the
// cache file alone instead of probing QEMU again (4 s on two cores) at every call.
import { execFileSync } from "node:child_process";
import path from "node:path";
import fs from "fs-extra";
// @ts-expect-error: the support module is plain JavaScript without types
import { openKvmToGroup, restoreKvm, STATE_FILE } from "../../support/libvirtd.mjs";
import { libvirtReachable, tempDir } from "../../support/tools.js";

const CAPS_CACHE = "/var/cache/libvirt/qemu/capabilities";
const kvmGid = Number(execFileSync("getent", ["group", "kvm"], { encoding: "utf8" }).split(":")[2]);
const isRoot = process.getuid?.() === 0;

(isRoot ? test : test.skip)("/dev/kvm opened to the kvm group (read-write), then put back as it was; one already open is left alone", async () => {
  const dir = await tempDir("kvm-lab-devkvm-");
  try {
    const file = path.join(dir, "kvm");
    await fs.writeFile(file, "");
    await fs.chown(file, 0, 0);
    await fs.chmod(file, 0o600);
    const before = openKvmToGroup(file);
    expect(before).toEqual({ uid: 0, gid: 0, mode: 0o600 });
    const opened = await fs.stat(file);
    expect([opened.uid, opened.gid, opened.mode & 0o7777]).toEqual([0, kvmGid, 0o660]);
    expect(openKvmToGroup(file)).toBeUndefined();
    restoreKvm(before, file);
    const back = await fs.stat(file);
    expect([back.uid, back.gid, back.mode & 0o7777]).toEqual([0, 0, 0o600]);
    // As udev leaves it on a Debian host (root:kvm 0666): nothing to change, nothing to put back.
    await fs.chown(file, 0, kvmGid);
    await fs.chmod(file, 0o666);
    expect(openKvmToGroup(file)).toBeUndefined();
    expect((await fs.stat(file)).mode & 0o7777).toBe(0o666);
    expect(openKvmToGroup(path.join(dir, "missing"))).toBeUndefined();
  } finally {
    await fs.remove(dir);
  }
});

/** Whether the libvirtd that answers is one the tests started, its starter still running (a starter gone left it behind). */
function startedByRunningTests(): boolean {
  if (!fs.existsSync(STATE_FILE)) return false;
  const { owner } = fs.readJsonSync(STATE_FILE);
  return fs.existsSync(`/proc/${owner}`);
}

const ours = fs.existsSync("/dev/kvm") && libvirtReachable() && startedByRunningTests();
if (!ours) process.stderr.write("libvirtd.test: skipped the cache test: no libvirtd started by running tests answers here, or no /dev/kvm\n");

/** The capabilities cache file of qemu-system-x86_64 and when it was last written. */
async function x86Cache(): Promise<{ file: string; written: number } | undefined> {
  for (const name of await fs.readdir(CAPS_CACHE).catch(() => [] as string[])) {
    const file = path.join(CAPS_CACHE, name);
    if ((await fs.readFile(file, "utf8")).includes("<emulator>/usr/bin/qemu-system-x86_64</emulator>")) return { file, written: (await fs.stat(file)).mtimeMs };
  }
  return undefined;
}

(ours ? test : test.skip)("on the tests' libvirtd, QEMU's capabilities come from libvirt's cache: virsh version does not probe QEMU again", async () => {
  const kvm = await fs.stat("/dev/kvm");
  expect([kvm.gid, kvm.mode & 0o060]).toEqual([kvmGid, 0o060]);
  const virshVersion = () => execFileSync("virsh", ["-c", "qemu:///system", "version"], { encoding: "utf8", timeout: 60_000 });
  virshVersion(); // probes, if nothing did before
  const first = await x86Cache();
  expect(first).toBeDefined();
  for (let i = 0; i < 2; i++) virshVersion();
  expect((await x86Cache())?.written).toBe(first!.written);
}, 180_000);
