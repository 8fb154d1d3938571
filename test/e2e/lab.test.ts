// Driving a real lab: a two-machine libvirt lab (QEMU software emulation) inside the tests'
// own network namespace. The KVM box must pass every KVM check (svm, modules, /dev/kvm, a
// guest really run under KVM, kvm-ok); the minimal box with cpu_model qemu64 (which carries svm) and nested off
// must fail them with the right causes and exit code 1. Then `kvm-lab test` runs the whole
// pipeline on the same lab, and nothing of the lab is left running afterwards.
// The KVM machine also carries what real labs add (issue 13), each shown from inside the
// guest: an extra disk of its size, an rsync and a 9p synced folder with a file in each, a
// file provisioner's file, an ansible_local playbook's effect, and a `run: "always"` step
// that runs again on `kvm-lab up` after a halt.
import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import { addBox, buildTestBox, cannotBootVms, e2eAccel, kvmLabInNetns, labDir, libvirtLeftovers, vagrantInNetns } from "../support/e2e.js";

const skip = cannotBootVms();
if (skip) process.stderr.write(`e2e lab: skipped: ${skip}\n`);
const maybe = skip ? describe.skip : describe;
const MINUTES = 60_000;
const NAME = "e2elab";
const PLAYBOOK = `- hosts: all
  become: true
  gather_facts: false
  tasks:
    - name: leave a mark
      ansible.builtin.copy:
        dest: /etc/kvm-lab-ansible
        content: "played on {{ inventory_hostname }}\\n"
`;
const GiB = 1024 ** 3;


maybe("a two-machine lab: up, check, test", () => {
  let dir: string;

  beforeAll(async () => {
    const kvm = await buildTestBox("debian-13-kvm");
    const minimal = await buildTestBox("debian-13-minimal");
    await addBox(kvm.catalog, "libvirt");
    await addBox(minimal.catalog, "libvirt");
    dir = await labDir(
      "kvm-lab-e2e-lab-",
      `import { defineLab } from "kvm-lab";
export default defineLab({
  name: "${NAME}",
  provider: "libvirt",
  defaults: { cpus: 2, memory: 1536, accel: "${e2eAccel()}" },
  machines: [
    {
      name: "kvmhost",
      box: "kvm-lab/debian-13-kvm",
      disks: [{ name: "data", sizeGiB: 3 }],
      syncedFolders: [
        { host: ".", guest: "/vagrant", type: "rsync", rsyncExclude: [".kvm-lab/", ".vagrant/", "shared/"] },
        { host: "shared", guest: "/mnt/shared", type: "9p" },
      ],
      provision: [
        { type: "file", source: "files/motd.txt", destination: "/tmp/kvm-lab-motd.txt" },
        { type: "ansible_local", playbook: "site.yml" },
        { type: "shell", name: "count boots", inline: "echo up >> /var/tmp/kvm-lab-always", run: "always" },
      ],
    },
    // qemu64 carries svm: nested off must hide it. One vCPU: a 2-vCPU qemu64 guest under a
    // loaded host's TCG once hung at boot in synchronize_rcu (a vCPU never woken again).
    { name: "nokvm", box: "kvm-lab/debian-13-minimal", nested: false, cpuModel: "qemu64", cpus: 1 },
  ],
});
`,
    );
    await fs.outputFile(path.join(dir, "files", "motd.txt"), "copied by a file provisioner\n");
    await fs.outputFile(path.join(dir, "shared", "hello.txt"), "shared over 9p\n");
    await fs.outputFile(path.join(dir, "site.yml"), PLAYBOOK);
    await fs.chmod(path.join(dir, "shared"), 0o755);
  }, 40 * MINUTES);

  afterAll(async () => {
    if (!dir) return;
    await kvmLabInNetns(["destroy"], dir, 5 * MINUTES);
    await fs.remove(dir);
  }, 10 * MINUTES);

  test("up brings both machines up, logging each", async () => {
    const up = await kvmLabInNetns(["up"], dir, 25 * MINUTES);
    expect(up.stderr).toContain("host: vagrant 2.");
    expect(up.exitCode).toBe(0);
    expect(up.stdout).toBe("up: kvmhost, nokvm");
    for (const machine of ["kvmhost", "nokvm"]) {
      expect(await fs.readFile(path.join(dir, ".kvm-lab", "logs", `${machine}.log`), "utf8")).toContain("Machine booted and ready!");
    }
    const status = await kvmLabInNetns(["status"], dir, 2 * MINUTES);
    expect(status.stdout).toMatch(/^kvmhost +running$/m);
    expect(status.stdout).toMatch(/^nokvm +running$/m);
  }, 30 * MINUTES);

  test("check: the KVM box passes, the nested-off qemu64 machine fails with the right causes, exit 1", async () => {
    const junit = path.join(dir, "checks.xml");
    const check = await kvmLabInNetns(["check", "--json", "--junit", junit], dir, 10 * MINUTES);
    expect(check.exitCode).toBe(1);
    const report = JSON.parse(check.stdout);
    const [kvmhost, nokvm] = report.machines;
    const status = (m: { checks: { id: string; status: string }[] }) => Object.fromEntries(m.checks.map((c) => [c.id, c.status]));
    expect(kvmhost.passed).toBe(true);
    // The debian-13-kvm box's promise (issue: box recipes): svm, modules, /dev/kvm, kvm-ok, libvirtd, virbr0.
    expect(status(kvmhost)).toMatchObject({ "cpu-flags": "pass", "kvm-modules": "pass", "dev-kvm": "pass", "kvm-runs": "pass", "kvm-ok": "pass", "nested-param": "pass", libvirtd: "pass", virbr0: "pass" });
    const evidence = (id: string) => kvmhost.checks.find((c: { id: string }) => c.id === id).evidence;
    expect(evidence("cpu-flags")).toMatch(/svm|vmx/);
    expect(evidence("kvm-modules")).toMatch(/^loaded: kvm kvm_(amd|intel)$/);
    expect(evidence("virbr0")).toBe("virbr0 up with 192.168.122.1/24");
    // perl comes first: the guest's KVM ran a few bytes of guest code through the KVM API.
    expect(evidence("kvm-runs")).toMatch(/^KVM API probe \(perl\): KVM_RUN exited KVM_EXIT_IO, out 0x4b to port 0xf4$/);
    expect(nokvm.passed).toBe(false);
    expect(status(nokvm)).toMatchObject({ "cpu-flags": "fail", "kvm-modules": "fail", "dev-kvm": "fail", "kvm-runs": "fail" });
    const cpuFlags = nokvm.checks.find((c: { id: string }) => c.id === "cpu-flags");
    expect(cpuFlags.evidence).toBe("0 CPUs with svm or vmx in /proc/cpuinfo");
    expect(cpuFlags.cause).toBe("the hypervisor does not pass VT-x/AMD-V (vmx/svm) to this guest");
    await execa("xmllint", ["--noout", junit]);
    expect((await fs.readFile(junit, "utf8")).match(/<testcase /g)!.length).toBe(16);
  }, 15 * MINUTES);

  /** A command's output on kvmhost, over vagrant ssh. */
  async function onKvmhost(command: string): Promise<string> {
    const run = await vagrantInNetns(["ssh", "kvmhost", "-c", command], dir, 3 * MINUTES);
    expect(run.exitCode).toBe(0);
    return run.stdout.trim();
  }

  test("the guest shows the extra disk, both synced folders, the file and ansible_local steps", async () => {
    // vda is the root disk; the config's data disk is the next virtio disk.
    expect(Number(await onKvmhost("lsblk -b -d -n -o SIZE /dev/vdb"))).toBe(3 * GiB);
    expect(await onKvmhost("cat /vagrant/files/motd.txt")).toBe("copied by a file provisioner");
    expect(await onKvmhost("test -e /vagrant/shared/hello.txt && echo copied || echo excluded")).toBe("excluded");
    expect(await onKvmhost("findmnt -n -o FSTYPE /mnt/shared")).toBe("9p");
    expect(await onKvmhost("cat /mnt/shared/hello.txt")).toBe("shared over 9p");
    expect(await onKvmhost("cat /tmp/kvm-lab-motd.txt")).toBe("copied by a file provisioner");
    expect(await onKvmhost("cat /etc/kvm-lab-ansible")).toBe("played on kvmhost");
    expect(await onKvmhost("cat /var/tmp/kvm-lab-always")).toBe("up");
  }, 10 * MINUTES);

  test('a run: "always" step runs again on kvm-lab up after a halt; a 9p folder is live', async () => {
    const halt = await vagrantInNetns(["halt", "kvmhost"], dir, 5 * MINUTES);
    expect(halt.exitCode).toBe(0);
    await fs.outputFile(path.join(dir, "shared", "later.txt"), "written while halted\n");
    const up = await kvmLabInNetns(["up"], dir, 15 * MINUTES);
    expect(up.exitCode).toBe(0);
    expect((await onKvmhost("cat /var/tmp/kvm-lab-always")).split("\n")).toEqual(["up", "up"]);
    expect(await onKvmhost("cat /mnt/shared/later.txt")).toBe("written while halted");
    // once steps do not run again
    expect(await onKvmhost("cat /etc/kvm-lab-ansible")).toBe("played on kvmhost");
  }, 20 * MINUTES);

  test("test runs the whole pipeline, exits 1 for the negative machine, and leaves nothing running", async () => {
    const run = await kvmLabInNetns(["test", "--junit", path.join(dir, "test.xml")], dir, 30 * MINUTES);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain("kvmhost passed");
    expect(run.stdout).toContain("nokvm FAILED");
    expect(run.stderr).toContain("destroying the lab's machines");
    expect(await libvirtLeftovers(NAME)).toEqual([]);
    expect(await libvirtLeftovers("kvm-lab-e2e-lab-")).toEqual([]);
    expect(await libvirtLeftovers("vagrant-libvirt")).toEqual([]);
  }, 35 * MINUTES);
});
