// Box recipes, for real: build the Debian 13 and Debian 12 recipes from Debian's packages
// (the Debian 13 libvirt boxes boot in the libvirt e2e labs: network, multi-host, lab; the
// VirtualBox ones under the VirtualBox twin), build debian-13-minimal a second time and
// compare the bytes, and boot each minimal VirtualBox box's VMDK under QEMU with SSH
// forwarded to 127.0.0.1 only. Every VM is destroyed, pass or fail.
import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import { findInsecureKey } from "../../src/boxes/preflight.js";
import { buildBox, type BuildResult } from "../../src/boxes/build.js";
import { recipeContent } from "../../src/boxes/version.js";
import { buildTestBox, cannotBootVms } from "../support/e2e.js";
import { tempDir } from "../support/tools.js";

const skip = cannotBootVms();
if (skip) process.stderr.write(`e2e boxes: skipped: ${skip}\n`);
const maybe = skip ? describe.skip : describe;
const MINUTES = 60_000;
/** The issue's bounds, in MB (10^6 bytes), per .box. */
const SIZE_LIMITS: Record<string, number> = {
  "debian-13-minimal": 130_000_000,
  "debian-13-kvm": 200_000_000,
  "debian-12-minimal": 130_000_000,
  "debian-12-kvm": 200_000_000,
};

function reportSizes(built: BuildResult): void {
  for (const box of built.boxes) {
    process.stderr.write(`${path.basename(box.file)}: ${(box.bytes / 1e6).toFixed(1)} MB${box.reused ? " (reused)" : ""}\n`);
  }
}

async function expectCatalogOf(built: BuildResult): Promise<void> {
  const catalog = await fs.readJson(built.catalog);
  // The version follows the content: the recipe's version plus a digest (src/boxes/version.ts).
  const { version } = await recipeContent(built.recipe);
  expect(version).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  expect(built.version).toBe(version);
  expect(catalog).toEqual({
    name: `kvm-lab/${built.recipe}`,
    description: expect.any(String),
    versions: [{ version, providers: built.boxes.map((b) => ({ name: b.provider, url: `file://${b.file}`, checksum_type: "sha256", checksum: b.sha256 })) }],
  });
}

for (const recipe of ["debian-13-minimal", "debian-12-minimal"]) {
  maybe(recipe, () => {
    let built: BuildResult;

    beforeAll(async () => {
      built = await buildTestBox(recipe);
    }, 20 * MINUTES);

    test(`the build made both boxes, each under ${SIZE_LIMITS[recipe] / 1e6} MB, and a catalog with the content version and their checksums`, async () => {
      expect(built.boxes.map((b) => b.provider)).toEqual(["libvirt", "virtualbox"]);
      reportSizes(built);
      for (const box of built.boxes) expect(box.bytes).toBeLessThan(SIZE_LIMITS[recipe]);
      await expectCatalogOf(built);
    });
    // That vagrant boots the libvirt box, logs in with its key, runs sudo and brings a static NIC
    // up is proven by every libvirt e2e lab that boots it (network.test.ts, multi-host.test.ts,
    // lab.test.ts's nokvm): a boot of its own here cost about 3 minutes of the suite for nothing more.

    test("the VirtualBox box: box.ovf has what VBoxManage import needs", async () => {
      const box = built.boxes.find((b) => b.provider === "virtualbox")!;
      const dir = await tempDir("kvm-lab-vbox-box-");
      try {
        await execa("tar", ["-xf", box.file, "-C", dir]);
        const files = (await fs.readdir(dir)).sort();
        expect(files).toEqual(["Vagrantfile", "box.ovf", `${recipe}-disk001.vmdk`, "metadata.json"]);
        expect(await fs.readJson(path.join(dir, "metadata.json"))).toEqual({ provider: "virtualbox" });
        const ovf = path.join(dir, "box.ovf");
        const xpath = async (expr: string) =>
          String((await execa("xmllint", ["--xpath", expr, ovf])).stdout).trim();
        const ns = (local: string) => `*[local-name()='${local}']`;
        // Well-formed, the disk's file reference resolves, and it is the VMDK in the box.
        expect(await xpath(`string(//${ns("References")}/${ns("File")}/@*[local-name()='href'])`)).toBe(`${recipe}-disk001.vmdk`);
        expect(await xpath(`string(//${ns("Disk")}/@*[local-name()='fileRef'])`)).toBe(await xpath(`string(//${ns("File")}/@*[local-name()='id'])`));
        // A SATA (AHCI) controller, the disk on it, and a NAT Ethernet adapter.
        const items = await xpath(`count(//${ns("Item")})`);
        expect(Number(items)).toBe(5);
        const controllerId = await xpath(`string(//${ns("Item")}[${ns("ResourceType")}='20']/${ns("InstanceID")})`);
        expect(await xpath(`string(//${ns("Item")}[${ns("ResourceType")}='20']/${ns("ResourceSubType")})`)).toBe("AHCI");
        expect(await xpath(`string(//${ns("Item")}[${ns("ResourceType")}='17']/${ns("Parent")})`)).toBe(controllerId);
        expect(await xpath(`string(//${ns("Item")}[${ns("ResourceType")}='17']/${ns("HostResource")})`)).toBe("/disk/vmdisk1");
        expect(await xpath(`string(//${ns("Item")}[${ns("ResourceType")}='10']/${ns("Connection")})`)).toBe("NAT");
        const info = String((await execa("qemu-img", ["info", path.join(dir, `${recipe}-disk001.vmdk`)])).stdout);
        expect(info).toContain("create type: streamOptimized");
      } finally {
        await fs.remove(dir);
      }
    });

    test("the VirtualBox box's VMDK boots under QEMU (BIOS, SATA, e1000) and takes the insecure key", async () => {
      const box = built.boxes.find((b) => b.provider === "virtualbox")!;
      const dir = await tempDir("kvm-lab-vmdk-boot-");
      const port = 20000 + (process.pid % 20000);
      const key = path.join(dir, "insecure");
      await fs.copy((await findInsecureKey())!.replace(/\.pub$/, ""), key);
      await fs.chmod(key, 0o600);
      await execa("tar", ["-xf", box.file, "-C", dir]);
      const qemu = execa(
        "qemu-system-x86_64",
        [
          "-accel", "tcg", "-m", "1024", "-smp", "2", "-display", "none", "-serial", `file:${path.join(dir, "console.log")}`,
          "-drive", `file=${path.join(dir, `${recipe}-disk001.vmdk`)},if=none,id=d0,format=vmdk,snapshot=on`,
          "-device", "ahci,id=ahci", "-device", "ide-hd,drive=d0,bus=ahci.0",
          // User-mode networking, restricted: the guest reaches nothing; only SSH is forwarded, to 127.0.0.1.
          "-netdev", `user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:${port}-:22`, "-device", "e1000,netdev=n0",
        ],
        { reject: false, stdin: "ignore" },
      );
      try {
        const deadline = Date.now() + 8 * MINUTES;
        let said = "";
        while (Date.now() < deadline) {
          const ssh = await execa(
            "ssh",
            ["-i", key, "-p", String(port), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
              "-o", "ConnectTimeout=5", "-o", "BatchMode=yes", "vagrant@127.0.0.1", "id -un && sudo -n id -un"],
            { reject: false, timeout: 30_000 },
          );
          said = String(ssh.stdout);
          if (ssh.exitCode === 0) break;
          await new Promise((r) => setTimeout(r, 5000));
        }
        const console = await fs.readFile(path.join(dir, "console.log"), "utf8").catch(() => "");
        expect({ said, consoleTail: said ? "" : console.slice(-2000) }).toEqual({ said: "vagrant\nroot", consoleTail: "" });
      } finally {
        qemu.kill("SIGKILL");
        await qemu.catch(() => undefined);
        await fs.remove(dir);
      }
    }, 15 * MINUTES);
  });
}

// Byte-reproducible (src/boxes/reproducible.ts): the same recipe, builder and packages
// (the package cache the first build filled) give the same sha256 for each .box.
maybe("debian-13-minimal, built again", () => {
  test("gives byte-identical boxes for both providers", async () => {
    const first = await buildTestBox("debian-13-minimal");
    const out = await fs.mkdtemp("/var/tmp/kvm-lab-rebuild-");
    try {
      const again = await buildBox({ recipe: "debian-13-minimal", providers: ["libvirt", "virtualbox"], outDir: out, force: true });
      expect(again.boxes.every((b) => !b.reused)).toBe(true);
      expect(again.boxes.map((b) => [b.provider, b.sha256])).toEqual(first.boxes.map((b) => [b.provider, b.sha256]));
      expect(again.version).toBe(first.version);
    } finally {
      await fs.remove(out);
    }
  }, 20 * MINUTES);
});

// The kvm recipes are built here; the proof that debian-13-kvm boots with svm, the kvm
// modules, /dev/kvm, kvm-ok, libvirtd and virbr0 (and really runs a guest) is the KVM
// machine of test/e2e/lab.test.ts (libvirt) and of test/e2e/virtualbox.test.ts (the twin).
for (const recipe of ["debian-13-kvm", "debian-12-kvm"]) {
  maybe(recipe, () => {
    test(`builds for libvirt and VirtualBox, each under ${SIZE_LIMITS[recipe] / 1e6} MB, with a catalog`, async () => {
      const built = await buildTestBox(recipe);
      reportSizes(built);
      expect(built.boxes.map((b) => b.provider)).toEqual(["libvirt", "virtualbox"]);
      for (const box of built.boxes) expect(box.bytes).toBeLessThan(SIZE_LIMITS[recipe]);
      await expectCatalogOf(built);
    }, 30 * MINUTES);
  });
}
