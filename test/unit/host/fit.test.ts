// Resource fit against described hosts: the thresholds (memory over MemTotal refused, over
// MemAvailable warned; vCPUs over the host's warned, over twice refused; disks over the
// free space warned), the host read from injected sources, and box sizes read from boxes
// stored the way Vagrant stores them (real qemu-img for the qcow2 header).
import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import { checkConfig } from "../../../src/config/load.js";
import type { LabConfig, Provider } from "../../../src/config/types.js";
import { assessFit, checkLabFits, ciRunnerWarnings, formatFit, GITHUB_UBUNTU_RUNNER, labNeeds, refusalOf, type HostResources } from "../../../src/host/fit.js";
import { parseMeminfo, readHostResources, runningMachines, vmDiskFolder } from "../../../src/host/host-resources.js";
import { boxDiskBytes, ovfDiskBytes } from "../../../src/vagrant/box-disks.js";
import { tempDir } from "../../support/tools.js";

const GiB = 1024 ** 3;
const host: HostResources = { label: "this host", memTotalMiB: 16000, memAvailableMiB: 12000, cpus: 4, disk: { path: "/vms", freeBytes: 50 * GiB } };

function lab(machines: LabConfig["machines"], provider: Provider = "libvirt") {
  return checkConfig({ name: "fit", box: "debian/bookworm64", provider, machines }).lab;
}
const noDisks = () => undefined;

describe("thresholds", () => {
  test("memory within MemAvailable: nothing to say", () => {
    const needs = labNeeds(lab([{ name: "ma", memory: 6000 }, { name: "mb", memory: 6000 }]), noDisks);
    expect(needs.memoryMiB).toBe(12000);
    expect(assessFit(needs, host)).toEqual([]);
  });

  test("memory over MemAvailable: a warning with both numbers", () => {
    const findings = assessFit(labNeeds(lab([{ name: "ma", memory: 8000 }, { name: "mb", memory: 4001 }]), noDisks), host);
    expect(findings).toEqual([
      {
        level: "warn",
        path: "machines",
        message: "the 2 machines need 12001 MiB (11.7 GiB) of memory; this host has 12000 MiB (11.7 GiB) available (of 16000 MiB (15.6 GiB)): expect swapping",
        fix: expect.stringContaining("lower memory in the config"),
      },
    ]);
  });

  test("memory over MemTotal: refused, naming the override", () => {
    const report = { needs: labNeeds(lab([{ name: "ma", memory: 10000 }, { name: "mb", memory: 6001 }]), noDisks), host, findings: [] as never[] };
    report.findings = assessFit(report.needs, host) as never[];
    expect(report.findings).toEqual([expect.objectContaining({ level: "refuse", message: "the 2 machines need 16001 MiB (15.6 GiB) of memory; this host has 16000 MiB (15.6 GiB) in all" })]);
    const error = refusalOf(report)!;
    expect(error.message).toContain("nothing was started");
    expect(error.message).toContain("16001 MiB");
    expect(error.hint).toContain("--allow-overcommit");
    expect(error.exitCode).toBe(2);
    expect(refusalOf(report, true)).toBeUndefined();
  });

  test("only the machines brought up count", () => {
    const needs = labNeeds(lab([{ name: "ma", memory: 10000 }, { name: "mb", memory: 10000 }]), noDisks, ["mb"]);
    expect(needs.machines.map((m) => m.name)).toEqual(["mb"]);
    expect(assessFit(needs, host)).toEqual([]);
  });

  test("vCPUs: equal to the host's is fine, above warns, above twice is refused; each names its machine", () => {
    const needs = labNeeds(lab([{ name: "four", cpus: 4 }, { name: "five", cpus: 5 }, { name: "eight", cpus: 8 }, { name: "nine", cpus: 9 }]), noDisks);
    expect(assessFit(needs, host).map((f) => [f.level, f.path, f.message])).toEqual([
      ["warn", "machines[1] (five).cpus", "five has 5 vCPUs; this host has 4 CPUs: its vCPUs will wait for each other"],
      ["warn", "machines[2] (eight).cpus", "eight has 8 vCPUs; this host has 4 CPUs: its vCPUs will wait for each other"],
      ["refuse", "machines[3] (nine).cpus", "nine has 9 vCPUs; this host has 4 CPUs, and kvm-lab allows at most twice as many on either provider (VirtualBox's own limit; QEMU does not check)"],
    ]);
    expect(needs.cpus).toBe(26); // the total is shown, not judged
  });

  test("the vCPU refusal of a libvirt lab does not blame VirtualBox's settings: the limit is kvm-lab's on both providers", () => {
    for (const provider of ["libvirt", "virtualbox"] as const) {
      const [refusal] = assessFit(labNeeds(lab([{ name: "nine", cpus: 9 }], provider), noDisks), host);
      expect(refusal.level).toBe("refuse");
      expect(refusal.message).not.toMatch(/VirtualBox's settings allow/);
      expect(refusal.message).toContain("kvm-lab allows at most twice as many on either provider");
    }
  });

  test("disks: the root disk grown by diskSizeGiB and the blank disks count; a root size below the box's is warned", () => {
    const needs = labNeeds(
      lab([
        { name: "grown", diskSizeGiB: 40, disks: [{ sizeGiB: 5 }, { sizeGiB: 3 }] },
        { name: "shrunk", diskSizeGiB: 10 },
        { name: "unknown-box", diskSizeGiB: 12 },
      ]),
      (m) => (m.name === "unknown-box" ? undefined : 20 * GiB),
    );
    expect(needs.machines.map((m) => m.diskBytes)).toEqual([48 * GiB, 20 * GiB, 12 * GiB]);
    expect(assessFit(needs, host)).toEqual([
      {
        level: "warn",
        path: "machines[1] (shrunk).diskSizeGiB",
        message: "10.0 GiB is below the box's own disk (20.0 GiB): a disk is never shrunk, so the setting does nothing",
        fix: "remove diskSizeGiB, or use more than 20",
      },
      expect.objectContaining({ path: "machines", message: expect.stringMatching(/can grow to 80.0 GiB/) }),
    ]);
  });

  test("disks: warned when they can outgrow the free space; unknown sizes named, never guessed", () => {
    const sizes: Record<string, number> = { ma: 30 * GiB, mb: 30 * GiB };
    const needs = labNeeds(lab([{ name: "ma" }, { name: "mb" }, { name: "mc" }]), (m) => sizes[m.name]);
    expect(needs.diskBytes).toBe(60 * GiB);
    expect(needs.diskUnknown).toEqual(["mc"]);
    expect(assessFit(needs, host)).toEqual([
      { level: "warn", path: "machines", message: "the disks of 2 of the 3 machines can grow to 60.0 GiB; /vms has 50.0 GiB free", fix: expect.any(String) },
    ]);
    const lines = formatFit({ needs, host, findings: [] });
    expect(lines[3]).toBe("  disk    up to 60.0 GiB for 2 of 3; unknown for mc (box not added); 50.0 GiB free under /vms");
  });

  test("one machine: its memory over MemTotal, said in the singular", () => {
    const findings = assessFit(labNeeds(lab([{ name: "big", memory: 16001 }]), noDisks), host);
    expect(findings.map((f) => f.message)).toEqual(["the 1 machine needs 16001 MiB (15.6 GiB) of memory; this host has 16000 MiB (15.6 GiB) in all"]);
    expect(formatFit({ needs: labNeeds(lab([{ name: "big", memory: 16001 }]), noDisks), host, findings })[0]).toBe("resources: what 1 machine needs; what this host has");
  });

  test("machines already running: their memory is in use, so only the others' is held against MemAvailable", async () => {
    const two = lab([{ name: "node1", memory: 8000 }, { name: "node2", memory: 8000 }]);
    const dir = await tempDir();
    try {
      // Vagrant's id of node1 (a libvirt domain UUID), and a QEMU process carrying it.
      const uuid = "0b7d3c2e-8a1f-4a39-9c7e-2d9f3f0a6b11";
      await fs.outputFile(path.join(dir, "lab", ".vagrant", "machines", "node1", "libvirt", "id"), `${uuid}\n`);
      await fs.outputFile(path.join(dir, "proc", "4242", "cmdline"), ["qemu-system-x86_64", "-name", "guest=fit_node1", "-uuid", uuid, ""].join("\0"));
      await fs.outputFile(path.join(dir, "proc", "self", "cmdline"), "node\0");
      const running = await runningMachines(two, path.join(dir, "lab"), path.join(dir, "proc"));
      expect(running).toEqual(["node1"]);
      expect(await runningMachines(two, path.join(dir, "elsewhere"), path.join(dir, "proc"))).toEqual([]);
      const needs = labNeeds(two, noDisks, undefined, running);
      expect(needs).toMatchObject({ memoryMiB: 16000, startMemoryMiB: 8000 });
      expect(assessFit(needs, host)).toEqual([]); // 8000 to start, 12000 available, 16000 in all
      const tight = assessFit(needs, { ...host, memAvailableMiB: 7000 });
      expect(tight.map((f) => f.message)).toEqual([
        "the 1 machine to start (node1 already running) needs 8000 MiB (7.8 GiB) of memory; this host has 7000 MiB (6.8 GiB) available (of 16000 MiB (15.6 GiB)): expect swapping",
      ]);
      expect(formatFit({ needs, host, findings: [] })[1]).toBe("  memory  16000 MiB (15.6 GiB) (8000 MiB of it already running: node1); 12000 MiB available of 16000 MiB");
    } finally {
      await fs.remove(dir);
    }
  });

  test("a host whose memory is unknown: memory is not judged", () => {
    const needs = labNeeds(lab([{ name: "ma", memory: 1_000_000 }]), noDisks);
    expect(assessFit(needs, { label: "h", cpus: 2 })).toEqual([]);
    expect(formatFit({ needs, host: { label: "h", cpus: 2 }, findings: [] })[1]).toContain("host memory unknown");
  });
});

describe("GitHub's runner (the scaffolded workflow's)", () => {
  test("4 CPUs, 16 GB, 14 GB", () => {
    expect(GITHUB_UBUNTU_RUNNER).toMatchObject({ cpus: 4, memTotalMiB: 16384, disk: { freeBytes: 14_000_000_000 } });
  });

  test("openstack-sized: 4 computes of 6 GiB will not fit, with numbers and the runner named", async () => {
    const big = lab([
      { name: "controller", cpus: 4, memory: 8192 },
      { name: "network", memory: 2048 },
      ...[1, 2, 3, 4].map((n) => ({ name: `compute${n}`, memory: 6144 })),
    ]);
    const home = await tempDir();
    try {
      const warnings = await ciRunnerWarnings(big, { home, env: {} });
      expect(warnings).toHaveLength(1);
      expect(warnings[0].message).toBe(
        "too big for the CI workflow's runner (4 CPUs, 16 GB RAM, 14 GB SSD): the 6 machines need 34816 MiB (34.0 GiB) of memory; GitHub's ubuntu-24.04 runner has 16384 MiB (16.0 GiB) in all",
      );
      expect(warnings[0].fix).toContain("larger runner");
      expect(await ciRunnerWarnings(lab([{ name: "one", memory: 4096 }]), { home, env: {} })).toEqual([]);
    } finally {
      await fs.remove(home);
    }
  });
});

describe("reading the host", () => {
  test("/proc/meminfo in kB (KiB) to MiB", () => {
    expect(parseMeminfo("MemTotal:       24684096 kB\nMemFree:  1 kB\nMemAvailable:   24159696 kB\n")).toEqual({ totalMiB: 24105, availableMiB: 23593 });
    expect(parseMeminfo("MemTotal: 2048 kB\n")).toEqual({ totalMiB: 2, availableMiB: undefined });
  });

  test("injected sources: memory, CPUs, and free space asked where the provider keeps disks", async () => {
    const asked: string[] = [];
    const facts = await readHostResources("libvirt", {
      meminfo: "MemTotal: 8388608 kB\nMemAvailable: 4194304 kB\n",
      cpus: 3,
      freeBytes: async (dir) => (asked.push(dir), 7 * GiB),
    });
    expect(facts).toEqual({ label: "this host", memTotalMiB: 8192, memAvailableMiB: 4096, cpus: 3, disk: { path: "/var/lib/libvirt/images", freeBytes: 7 * GiB } });
    expect(asked).toEqual(["/var/lib/libvirt/images"]);
  });

  test("the real host: numbers that make sense", async () => {
    const facts = await readHostResources("libvirt");
    expect(facts.cpus).toBeGreaterThan(0);
    expect(facts.memTotalMiB).toBeGreaterThan(0);
    expect(facts.disk?.freeBytes).toBeGreaterThan(0); // /var/lib/libvirt/images or its nearest existing parent
  });

  test("VirtualBox: ~/VirtualBox VMs, or the machine folder VirtualBox.xml names", async () => {
    const home = await tempDir();
    try {
      expect(await vmDiskFolder("virtualbox", { home, env: {}, platform: "linux" })).toBe(path.join(home, "VirtualBox VMs"));
      await fs.outputFile(
        path.join(home, ".config", "VirtualBox", "VirtualBox.xml"),
        '<VirtualBox><Global><SystemProperties defaultMachineFolder="/data/vms &amp; more" defaultHardDiskFormat="VDI"/></Global></VirtualBox>',
      );
      expect(await vmDiskFolder("virtualbox", { home, env: {}, platform: "linux" })).toBe("/data/vms & more");
      // VBOX_USER_HOME wins over ~/.config/VirtualBox; "Machines" (pre-4.0 settings) means the default.
      await fs.outputFile(path.join(home, "vbox", "VirtualBox.xml"), '<SystemProperties defaultMachineFolder="Machines"/>');
      expect(await vmDiskFolder("virtualbox", { home, env: { VBOX_USER_HOME: path.join(home, "vbox") }, platform: "linux" })).toBe(path.join(home, "VirtualBox VMs"));
    } finally {
      await fs.remove(home);
    }
  });
});

describe("box sizes, from boxes stored as Vagrant stores them", () => {
  let boxes: string;
  beforeEach(async () => {
    boxes = await tempDir();
  });
  afterEach(() => fs.remove(boxes));

  test("libvirt: metadata.json's virtual_size (GiB), from the newest version", async () => {
    const dir = path.join(boxes, "debian-VAGRANTSLASH-bookworm64");
    await fs.outputJson(path.join(dir, "12.20240503.1", "libvirt", "metadata.json"), { provider: "libvirt", format: "qcow2", virtual_size: 20 });
    await fs.outputJson(path.join(dir, "12.20231009.1", "libvirt", "metadata.json"), { provider: "libvirt", format: "qcow2", virtual_size: 10 });
    await fs.outputJson(path.join(dir, "12.20240503.1", "virtualbox", "metadata.json"), { provider: "virtualbox" });
    expect(await boxDiskBytes("debian/bookworm64", "libvirt", boxes)).toBe(20 * GiB);
    expect(await boxDiskBytes("debian/bookworm64", "virtualbox", boxes)).toBeUndefined(); // no box.ovf
    expect(await boxDiskBytes("debian/trixie64", "libvirt", boxes)).toBeUndefined();
  });

  test("libvirt without virtual_size: the qcow2 header of box.img (a real qemu-img image); Vagrant 2.4's architecture folder", async () => {
    const dir = path.join(boxes, "local", "0", "amd64", "libvirt");
    await fs.outputJson(path.join(dir, "metadata.json"), { provider: "libvirt", format: "qcow2" });
    await execa("qemu-img", ["create", "-q", "-f", "qcow2", path.join(dir, "box.img"), "3G"]);
    expect(await boxDiskBytes("local", "libvirt", boxes)).toBe(3 * GiB);
  });

  test("VirtualBox: the OVF's disk capacities, in their units", async () => {
    expect(ovfDiskBytes('<Disk ovf:capacity="42949672960" ovf:diskId="vmdisk1"/>')).toBe(40 * GiB);
    expect(ovfDiskBytes('<ovf:Disk ovf:capacity="8" ovf:capacityAllocationUnits="byte * 2^30" ovf:diskId="d1"/><Disk ovf:capacity="1024" ovf:capacityAllocationUnits="byte"/>')).toBe(8 * GiB + 1024);
    expect(ovfDiskBytes("<Envelope/>")).toBeUndefined();
    const dir = path.join(boxes, "kvm-lab-VAGRANTSLASH-debian-12-kvm", "1.0.0", "virtualbox");
    await fs.outputJson(path.join(dir, "metadata.json"), { provider: "virtualbox" });
    await fs.outputFile(path.join(dir, "box.ovf"), '<Envelope><DiskSection><Disk ovf:capacity="21474836480" ovf:diskId="vmdisk1"/></DiskSection></Envelope>');
    expect(await boxDiskBytes("kvm-lab/debian-12-kvm", "virtualbox", boxes)).toBe(20 * GiB);
  });

  test("the whole check with $VAGRANT_HOME: each machine gets its box's size", async () => {
    await fs.outputJson(path.join(boxes, "boxes", "debian-VAGRANTSLASH-bookworm64", "1", "libvirt", "metadata.json"), { virtual_size: 20 });
    const report = await checkLabFits(lab([{ name: "ma" }, { name: "mb", box: "other/box" }]), {
      sources: { env: { VAGRANT_HOME: boxes }, meminfo: "MemTotal: 4194304 kB\nMemAvailable: 4194304 kB\n", cpus: 2, freeBytes: async () => 10 * GiB },
    });
    expect(report.needs.machines.map((m) => m.diskBytes)).toEqual([20 * GiB, undefined]);
    expect(report.findings.map((f) => f.message)).toEqual(["the disks of 1 of the 2 machines can grow to 20.0 GiB; /var/lib/libvirt/images has 10.0 GiB free"]);
  });
});
