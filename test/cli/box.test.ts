// `kvm-lab box` on bad input: each gets a clear error naming the fix, and no half-written
// box is left behind. (Real builds and boots are in test/e2e/boxes.test.ts.)
import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import { kvmLab, BIN } from "../support/cli.js";
import { ROOT, tempDir } from "../support/tools.js";

const FIXTURES = path.join(ROOT, "test", "fixtures", "recipes");

let out: string;
beforeEach(async () => {
  out = await tempDir("kvm-lab-box-out-");
});
afterEach(() => fs.remove(out));

test("box list names every recipe with its content version, Debian release and disk size; box version prints one", async () => {
  const result = await kvmLab(["box", "list"], { cwd: ROOT });
  expect(result.exitCode).toBe(0);
  expect(result.stdout).toMatch(/^debian-12-kvm +1\.1\.0\.\d+ +bookworm +20 GiB +Debian 12/m);
  expect(result.stdout).toMatch(/^debian-12-minimal +1\.0\.0\.\d+ +bookworm +8 GiB +Debian 12/m);
  expect(result.stdout).toMatch(/^debian-13-kvm +1\.0\.0\.\d+ +trixie +20 GiB +Debian 13/m);
  expect(result.stdout).toMatch(/^debian-13-minimal +1\.0\.0\.\d+ +trixie +8 GiB +Debian 13/m);
  const version = await kvmLab(["box", "version", "debian-13-kvm"], { cwd: ROOT });
  expect(version.exitCode).toBe(0);
  expect(version.stdout.trim()).toMatch(/^1\.0\.0\.\d+$/);
  expect(result.stdout).toContain(version.stdout.trim());
  expect((await kvmLab(["box", "version"], { cwd: ROOT })).exitCode).toBe(2);
});

test("a box's version follows its content: what the recipe says, not how it is written", async () => {
  const recipes = path.join(out, "recipes");
  await fs.copy(path.join(ROOT, "boxes", "debian-13-minimal"), path.join(recipes, "debian-13-minimal"));
  const env = { KVM_LAB_RECIPES: recipes };
  const before = (await kvmLab(["box", "version", "debian-13-minimal"], { cwd: ROOT, env })).stdout.trim();
  expect(before).toBe((await kvmLab(["box", "version", "debian-13-minimal"], { cwd: ROOT })).stdout.trim());
  const file = path.join(recipes, "debian-13-minimal", "recipe.ts");
  await fs.appendFile(file, "// a comment changes no byte of the box\n");
  expect((await kvmLab(["box", "version", "debian-13-minimal"], { cwd: ROOT, env })).stdout.trim()).toBe(before);
  await fs.writeFile(file, (await fs.readFile(file, "utf8")).replace("diskGiB: 8", "diskGiB: 9"));
  const after = (await kvmLab(["box", "version", "debian-13-minimal"], { cwd: ROOT, env })).stdout.trim();
  expect(after).toMatch(/^1\.0\.0\.\d+$/);
  expect(after).not.toBe(before);
});

test("a kvm recipe's version follows the shared KVM stack it spreads (boxes/shared/kvm-stack.ts)", async () => {
  const recipes = path.join(out, "recipes");
  for (const folder of ["debian-13-kvm", "shared"]) await fs.copy(path.join(ROOT, "boxes", folder), path.join(recipes, folder));
  const env = { KVM_LAB_RECIPES: recipes };
  const before = (await kvmLab(["box", "version", "debian-13-kvm"], { cwd: ROOT, env })).stdout.trim();
  expect(before).toBe((await kvmLab(["box", "version", "debian-13-kvm"], { cwd: ROOT })).stdout.trim());
  const shared = path.join(recipes, "shared", "kvm-stack.ts");
  await fs.writeFile(shared, (await fs.readFile(shared, "utf8")).replace('"rsync",', '"rsync",\n    "tmux",'));
  const after = (await kvmLab(["box", "version", "debian-13-kvm"], { cwd: ROOT, env }));
  expect(after.exitCode).toBe(0);
  expect(after.stdout.trim()).not.toBe(before);
  expect((await kvmLab(["box", "list"], { cwd: ROOT, env })).stdout).not.toMatch(/^shared /m);
});

test("an unknown recipe: exit 2, with the nearest name and the list", async () => {
  const result = await kvmLab(["box", "build", "debian-12-minimum", "--out", out], { cwd: ROOT });
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toContain('no box recipe "debian-12-minimum"');
  expect(result.stderr).toContain('did you mean "debian-12-minimal"? known recipes: debian-12-kvm, debian-12-minimal, debian-13-kvm, debian-13-minimal');
});

test("box build without a recipe: exit 2", async () => {
  expect((await kvmLab(["box", "build"], { cwd: ROOT })).exitCode).toBe(2);
});

test("not root: exit 2 and the fix, before anything is written", async () => {
  if (process.getuid?.() !== 0) return; // a non-root run is this case already, covered by the message check below
  await fs.chmod(out, 0o777);
  const result = await execa("setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "node", BIN, "box", "build", "debian-12-minimal", "--out", out, "--cache", path.join(out, "cache")], {
    reject: false,
    cwd: "/",
  });
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toContain("box builds run as root (debootstrap and chroot need it): run again with sudo");
  expect(await fs.readdir(out)).toEqual([]);
});

test("missing tools: exit 2 naming each tool and the apt-get line", async () => {
  // A PATH with node and sh only: the build tools in /usr/bin are missing (sbin is always searched).
  const bin = path.join(out, "bin");
  await fs.ensureDir(bin);
  await fs.symlink(process.execPath, path.join(bin, "node"));
  await fs.symlink("/bin/sh", path.join(bin, "sh"));
  const result = await execa(path.join(bin, "node"), [BIN, "box", "build", "debian-12-minimal", "--out", path.join(out, "boxes")], {
    reject: false,
    env: { PATH: bin },
    extendEnv: false,
  });
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toMatch(/missing tools: .*mcopy \(mtools\), syslinux \(syslinux\), qemu-img \(qemu-utils\).*; fix: apt-get install -y .*mtools syslinux qemu-utils/);
  expect(await fs.pathExists(path.join(out, "boxes"))).toBe(false);
});

test("no disk room: exit 2 with the numbers", async () => {
  if (process.getuid?.() !== 0) return;
  const small = path.join(out, "small");
  await fs.ensureDir(small);
  await execa("mount", ["-t", "tmpfs", "-o", "size=64m", "tmpfs", small]);
  try {
    const result = await kvmLab(["box", "build", "debian-12-minimal", "--out", small, "--cache", path.join(small, "cache")], { cwd: ROOT });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/not enough room in .*small\/cache: 0\.1 GiB free, the build needs about 3\.0 GiB/);
  } finally {
    await execa("umount", [small]);
  }
});

test("a package Debian does not have: exit 2 naming it, and nothing half-written left", async () => {
  if (process.getuid?.() !== 0) return;
  const result = await kvmLab(["box", "build", "bogus-package", "--out", out], { cwd: ROOT, env: { KVM_LAB_RECIPES: FIXTURES } });
  expect(result.stderr).toContain('Debian has no package "kvm-lab-no-such-package"');
  expect(result.exitCode).toBe(2);
  expect((await fs.readdir(out)).sort()).toEqual(["bogus-package.build.log"]);
  const work = path.join("/var/cache/kvm-lab/work");
  expect((await fs.readdir(work).catch(() => [] as string[])).filter((d) => d.startsWith("bogus-package-"))).toEqual([]);
  expect(await mounted("bogus-package")).toEqual([]);
}, 300_000);

async function mounted(marker: string): Promise<string[]> {
  return (await fs.readFile("/proc/mounts", "utf8")).split("\n").filter((line) => line.includes(marker));
}

test("Ctrl-C during a build: exit 130, no box, no work folder, nothing left mounted", async () => {
  if (process.getuid?.() !== 0) return;
  const child = execa("node", [BIN, "box", "build", "debian-12-minimal", "--provider", "libvirt", "--out", out, "--force"], {
    reject: false,
    all: true,
  });
  // Interrupt once the packages step (chroot with mounts) is under way.
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the build never reached the packages step")), 240_000);
    child.all!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("packages:")) {
        clearTimeout(timer);
        setTimeout(() => {
          // SIGINT to kvm-lab itself, as `kill -INT` would: it stops the running tool, then cleans up.
          process.kill(child.pid!, "SIGINT");
          resolve();
        }, 3000);
      }
    });
  });
  const result = await child;
  expect(String(result.all)).toContain("SIGINT: stopping after cleanup");
  expect(result.exitCode).toBe(130);
  expect((await fs.readdir(out)).filter((f) => f.endsWith(".box") || f.endsWith(".partial"))).toEqual([]);
  expect((await fs.readdir("/var/cache/kvm-lab/work").catch(() => [] as string[])).filter((d) => d.endsWith(`-${child.pid}`))).toEqual([]);
  expect(await mounted("/var/cache/kvm-lab/work")).toEqual([]);
}, 300_000);
