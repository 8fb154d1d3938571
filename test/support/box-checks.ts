// The e2e proof of one box recipe, shared by the files that build them (test/e2e/boxes.test.ts:
// Debian 13, beside the labs that boot its boxes; test/e2e/box-builds.test.ts: Debian 12, in
// the run beside the VM files): both boxes built (or reused), under the size bound, a catalog
// with the content version; for a minimal recipe the VirtualBox box's box.ovf checked and its
// VMDK booted under plain QEMU (user networking, SSH forwarded to 127.0.0.1 only), the VM
// killed pass or fail.
import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import { findInsecureKey } from "../../src/boxes/preflight.js";
import type { BuildResult } from "../../src/boxes/build.js";
import { recipeContent } from "../../src/boxes/version.js";
import { buildTestBox, cannotBootVms } from "./e2e.js";
import { tempDir } from "./tools.js";

const MINUTES = 60_000;

/**
 * Bounds per .box in MB (10^6 bytes): Debian 13's are issue 16's; Debian 12's are what its
 * recipes were held to before (its kvm box has rsync and ansible-core since 1.1.0).
 */
export const SIZE_LIMITS: Record<string, number> = {
  "debian-13-minimal": 130_000_000,
  "debian-13-kvm": 200_000_000,
  "debian-12-minimal": 200_000_000,
  "debian-12-kvm": 240_000_000,
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

/**
 * The describe block of one recipe's boxes (skipped, saying why, where VMs cannot run);
 * `bootVmdk` adds the VirtualBox box's OVF check and its VMDK's boot under QEMU.
 */
export function boxRecipeTests(recipe: string, options: { bootVmdk: boolean }): void {
  const skip = cannotBootVms();
  if (skip) process.stderr.write(`e2e boxes (${recipe}): skipped: ${skip}\n`);
  const maybe = skip ? describe.skip : describe;
  maybe(recipe, () => {
    let built: BuildResult;

    beforeAll(async () => {
      built = await buildTestBox(recipe);
    }, 30 * MINUTES);

    test(`the build made both boxes, each under ${SIZE_LIMITS[recipe] / 1e6} MB, and a catalog with the content version and their checksums`, async () => {
      expect(built.boxes.map((b) => b.provider)).toEqual(["libvirt", "virtualbox"]);
      reportSizes(built);
      for (const box of built.boxes) expect(box.bytes).toBeLessThan(SIZE_LIMITS[recipe]);
      await expectCatalogOf(built);
    });

    // That vagrant boots a libvirt box, logs in with its key, runs sudo and brings a static NIC
    // up is proven by every libvirt e2e lab that boots the Debian 13 ones (network.test.ts,
    // multi-host.test.ts, lab.test.ts): a boot of its own here cost about 3 minutes for nothing more.
    if (!options.bootVmdk) return;

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
