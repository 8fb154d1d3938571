// Box recipes, for real: build debian-12-minimal and debian-12-kvm from Debian's packages
// (the libvirt boxes boot in the libvirt e2e labs: network, multi-host, lab), and boot the VirtualBox box's
// VMDK under QEMU with SSH forwarded to 127.0.0.1 only. Every VM is destroyed, pass or fail.
import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import { findInsecureKey } from "../../src/boxes/preflight.js";
import type { BuildResult } from "../../src/boxes/build.js";
import { buildTestBox, cannotBootVms } from "../support/e2e.js";
import { tempDir } from "../support/tools.js";

const skip = cannotBootVms();
if (skip) process.stderr.write(`e2e boxes: skipped: ${skip}\n`);
const maybe = skip ? describe.skip : describe;
const MINUTES = 60_000;

maybe("debian-12-minimal", () => {
  let built: BuildResult;

  beforeAll(async () => {
    built = await buildTestBox("debian-12-minimal");
  }, 20 * MINUTES);

  test("the build made both boxes, each under 200 MB, and a catalog with their checksums", async () => {
    expect(built.boxes.map((b) => b.provider)).toEqual(["libvirt", "virtualbox"]);
    for (const box of built.boxes) {
      process.stderr.write(`${path.basename(box.file)}: ${(box.bytes / 2 ** 20).toFixed(0)} MiB${box.reused ? " (reused)" : ""}\n`);
      expect(box.bytes).toBeLessThan(200_000_000);
    }
    const catalog = await fs.readJson(built.catalog);
    expect(catalog.name).toBe("kvm-lab/debian-12-minimal");
    expect(catalog.versions[0].providers).toEqual(
      built.boxes.map((b) => ({ name: b.provider, url: `file://${b.file}`, checksum_type: "sha256", checksum: b.sha256 })),
    );
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
      expect(files).toEqual(["Vagrantfile", "box.ovf", "debian-12-minimal-disk001.vmdk", "metadata.json"]);
      expect(await fs.readJson(path.join(dir, "metadata.json"))).toEqual({ provider: "virtualbox" });
      const ovf = path.join(dir, "box.ovf");
      const xpath = async (expr: string) =>
        String((await execa("xmllint", ["--xpath", expr, ovf])).stdout).trim();
      const ns = (local: string) => `*[local-name()='${local}']`;
      // Well-formed, the disk's file reference resolves, and it is the VMDK in the box.
      expect(await xpath(`string(//${ns("References")}/${ns("File")}/@*[local-name()='href'])`)).toBe("debian-12-minimal-disk001.vmdk");
      expect(await xpath(`string(//${ns("Disk")}/@*[local-name()='fileRef'])`)).toBe(await xpath(`string(//${ns("File")}/@*[local-name()='id'])`));
      // A SATA (AHCI) controller, the disk on it, and a NAT Ethernet adapter.
      const items = await xpath(`count(//${ns("Item")})`);
      expect(Number(items)).toBe(5);
      const controllerId = await xpath(`string(//${ns("Item")}[${ns("ResourceType")}='20']/${ns("InstanceID")})`);
      expect(await xpath(`string(//${ns("Item")}[${ns("ResourceType")}='20']/${ns("ResourceSubType")})`)).toBe("AHCI");
      expect(await xpath(`string(//${ns("Item")}[${ns("ResourceType")}='17']/${ns("Parent")})`)).toBe(controllerId);
      expect(await xpath(`string(//${ns("Item")}[${ns("ResourceType")}='17']/${ns("HostResource")})`)).toBe("/disk/vmdisk1");
      expect(await xpath(`string(//${ns("Item")}[${ns("ResourceType")}='10']/${ns("Connection")})`)).toBe("NAT");
      const info = String((await execa("qemu-img", ["info", path.join(dir, "debian-12-minimal-disk001.vmdk")])).stdout);
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
        "-drive", `file=${path.join(dir, "debian-12-minimal-disk001.vmdk")},if=none,id=d0,format=vmdk,snapshot=on`,
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

// debian-12-kvm is built here; the proof that it boots with svm, the kvm modules, /dev/kvm,
// kvm-ok, libvirtd and virbr0 (and really runs a guest under KVM) is the KVM machine of
// test/e2e/lab.test.ts, which boots it through kvm-lab and checks all of that in the guest.
maybe("debian-12-kvm", () => {
  // 200 MB until 1.1.0 added rsync and ansible-core (with its Python): about 25 MB more.
  test("builds for libvirt and VirtualBox, each under 240 MB, with a catalog", async () => {
    const built = await buildTestBox("debian-12-kvm");
    const catalog = await fs.readJson(built.catalog);
    expect(catalog).toMatchObject({ name: "kvm-lab/debian-12-kvm", versions: [{ version: "1.1.0" }] });
    for (const box of built.boxes) {
      process.stderr.write(`${path.basename(box.file)}: ${(box.bytes / 2 ** 20).toFixed(0)} MiB${box.reused ? " (reused)" : ""}\n`);
      expect(box.bytes).toBeLessThan(240_000_000);
      expect(catalog.versions[0].providers).toContainEqual(expect.objectContaining({ name: box.provider, checksum_type: "sha256", checksum: box.sha256 }));
    }
    expect(built.boxes.map((b) => b.provider)).toEqual(["libvirt", "virtualbox"]);
  }, 30 * MINUTES);
});
