// Resource fit through the built CLI on this host's real /proc/meminfo and CPU count:
// `plan` shows the lab's needs against the host (text and --json numbers), and `up` and
// `test` refuse a lab that cannot fit before anything runs vagrant (the fake vagrant logs
// every call, so an empty log proves it was never called), unless --allow-overcommit.
import os from "node:os";
import path from "node:path";
import fs from "fs-extra";
import { createKvmLab, kvmLab } from "../support/cli.js";
import { ROOT, tempDir } from "../support/tools.js";

const FAKES = path.join(ROOT, "test", "support", "fakes");
const MEMINFO = fs.readFileSync("/proc/meminfo", "utf8");
const HOST_TOTAL_MIB = Math.floor(Number(/^MemTotal:\s+(\d+)/m.exec(MEMINFO)![1]) / 1024);
const HOST_CPUS = os.availableParallelism();

let dir: string;
let log: string;
let env: Record<string, string>;

async function writeLab(machines: object[], provider = "libvirt"): Promise<void> {
  await fs.writeJson(path.join(dir, "kvm-lab.config.json"), { name: "fit", box: "debian/bookworm64", provider, machines });
}

beforeEach(async () => {
  dir = await tempDir("kvm-lab-fit-");
  log = path.join(dir, "vagrant-calls.log");
  // A Vagrant home of our own holding the box as Vagrant stores it, so its size is known.
  const home = path.join(dir, "vagrant-home");
  await fs.outputJson(path.join(home, "boxes", "debian-VAGRANTSLASH-bookworm64", "12.1", "libvirt", "metadata.json"), { provider: "libvirt", format: "qcow2", virtual_size: 20 });
  env = { KVM_LAB_VAGRANT: path.join(FAKES, "vagrant"), FAKE_LOG: log, VAGRANT_HOME: home };
});
afterEach(() => fs.remove(dir));

test("plan: the lab's memory, vCPUs and disk against this host's, in text and as --json numbers", async () => {
  await writeLab([
    { name: "node1", cpus: 1, memory: 1024 },
    { name: "node2", cpus: 2, memory: 512 },
  ]);
  const text = await kvmLab(["plan"], { cwd: dir, env });
  expect(text.exitCode).toBe(0);
  const lines = text.stdout.split("\n");
  expect(lines).toContain("resources: what 2 machines need; what this host has");
  expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^  memory  1536 MiB \\(1\\.5 GiB\\); \\d+ MiB available of ${HOST_TOTAL_MIB} MiB$`)));
  expect(lines).toContain(`  vCPUs   3 in all, at most 2 per machine; ${HOST_CPUS} CPUs`);
  expect(lines).toContainEqual(expect.stringMatching(/^ {2}disk {4}up to 40\.0 GiB; \d+\.\d GiB free under \/var\/lib\/libvirt\/images$/));

  const json = JSON.parse((await kvmLab(["plan", "--json"], { cwd: dir, env })).stdout).resources;
  expect(json.host).toMatchObject({ memoryTotalMiB: HOST_TOTAL_MIB, cpus: HOST_CPUS, diskPath: "/var/lib/libvirt/images" });
  expect(typeof json.host.memoryAvailableMiB).toBe("number");
  expect(typeof json.host.diskFreeBytes).toBe("number");
  expect(json.needs).toMatchObject({ memoryMiB: 1536, cpus: 3, maxCpusPerMachine: 2, diskBytes: 40 * 1024 ** 3, diskUnknown: [] });
  expect(json.needs.machines[1]).toEqual({ name: "node2", memoryMiB: 512, cpus: 2, box: "debian/bookworm64", diskBytes: 20 * 1024 ** 3, running: false });
  expect(await fs.pathExists(log)).toBe(false); // plan never runs vagrant
});

test("plan: autostart: false machines are not counted, as up without names does not start them (named as left out)", async () => {
  const memory = HOST_TOTAL_MIB; // with the spare, the lab would not fit
  await writeLab([
    { name: "node1", cpus: 1, memory },
    { name: "spare", cpus: 1, memory, autostart: false },
  ]);
  const text = await kvmLab(["plan"], { cwd: dir, env });
  expect(text.exitCode).toBe(0);
  const lines = text.stdout.split("\n");
  expect(lines).toContain("resources: what 1 machine needs; what this host has");
  expect(lines).toContain("  not counted: spare (autostart: false; kvm-lab up spare counts it)");
  expect(text.stdout).not.toContain("kvm-lab up would refuse");
  const json = JSON.parse((await kvmLab(["plan", "--json"], { cwd: dir, env })).stdout).resources;
  expect(json.needs.machines.map((m: { name: string }) => m.name)).toEqual(["node1"]);
  expect(json.notCounted).toEqual(["spare"]);
});

test("plan: a box not added leaves the disk unknown, said so (null in --json)", async () => {
  await writeLab([{ name: "node1", box: "nowhere/box", memory: 512 }]);
  const text = await kvmLab(["plan"], { cwd: dir, env });
  expect(text.stdout).toContain("  disk    unknown (no box size known: add the box with vagrant box add);");
  const json = JSON.parse((await kvmLab(["plan", "--json"], { cwd: dir, env })).stdout).resources;
  expect(json.needs.diskBytes).toBeNull();
  expect(json.needs.diskUnknown).toEqual(["node1"]);
});

test("up: more memory than the host has in all is refused with the numbers, before vagrant is called", async () => {
  const memory = HOST_TOTAL_MIB; // two of these cannot fit
  await writeLab([
    { name: "node1", cpus: 1, memory },
    { name: "node2", cpus: 1, memory },
  ]);
  const result = await kvmLab(["up"], { cwd: dir, env });
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toContain("kvm-lab: the lab does not fit this host; nothing was started:");
  expect(result.stderr).toContain(`machines: the 2 machines need ${2 * memory} MiB`);
  expect(result.stderr).toContain(`this host has ${HOST_TOTAL_MIB} MiB`);
  expect(result.stderr).toContain("hint: fix the config, or run again with --allow-overcommit to start it anyway");
  expect(await fs.pathExists(log)).toBe(false);
  expect(await fs.pathExists(path.join(dir, "Vagrantfile"))).toBe(false);

  // Bringing up one of them fits.
  const one = await kvmLab(["up", "node1", "--provider", "virtualbox"], { cwd: dir, env: { ...env, PATH: "/usr/bin:/bin" } });
  expect(one.stderr).not.toContain("does not fit");
  expect(await fs.readFile(log, "utf8")).toContain("--version");
});

test("up: a machine with more than twice the host's CPUs is refused; --allow-overcommit goes ahead with a warning", async () => {
  await writeLab([{ name: "node1", cpus: 2 * HOST_CPUS + 1, memory: 256 }], "virtualbox");
  const refused = await kvmLab(["up"], { cwd: dir, env });
  expect(refused.exitCode).toBe(2);
  expect(refused.stderr).toContain(`machines[0] (node1).cpus: node1 has ${2 * HOST_CPUS + 1} vCPUs; this host has ${HOST_CPUS} CPUs, and kvm-lab allows at most twice as many on either provider`);
  expect(await fs.pathExists(log)).toBe(false);

  // Overridden: the fit check stands aside and vagrant is reached (VBoxManage is off this
  // PATH, so the host preflight stops right after `vagrant --version`).
  const forced = await kvmLab(["up", "--allow-overcommit"], { cwd: dir, env: { ...env, PATH: "/usr/bin:/bin" } });
  expect(forced.stderr).toContain(`warning: machines[0] (node1).cpus: node1 has ${2 * HOST_CPUS + 1} vCPUs`);
  expect(forced.stderr).toContain("(going ahead: --allow-overcommit)");
  expect(forced.stderr).not.toContain("does not fit");
  expect(await fs.readFile(log, "utf8")).toContain("--version");
});

test("test: refused the same way, and nothing is brought up or destroyed", async () => {
  await writeLab([{ name: "node1", memory: 2 * HOST_TOTAL_MIB }]);
  const result = await kvmLab(["test"], { cwd: dir, env });
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toContain("the lab does not fit this host");
  expect(await fs.pathExists(log)).toBe(false);
});

test("create-kvm-lab: openstack with 4 computes is too big for the generated workflow's runner, said with numbers; minimal fits", async () => {
  const quiet = { ...process.env, VAGRANT_HOME: path.join(dir, "no-boxes") } as Record<string, string>;
  const big = await createKvmLab(["big", "--template", "openstack", "--machines", "4", "--provider", "libvirt", "--yes"], { cwd: dir, env: quiet });
  expect(big.exitCode).toBe(0);
  expect(big.stderr).toContain(
    "warning: machines: too big for the CI workflow's runner (4 CPUs, 16 GB RAM, 14 GB SSD): the 6 machines need 24576 MiB (24.0 GiB) of memory; GitHub's ubuntu-24.04 runner has 16384 MiB (16.0 GiB) in all; use fewer or smaller machines",
  );
  expect(await fs.pathExists(path.join(dir, "big", "kvm-lab.config.ts"))).toBe(true); // a warning, not a refusal
  const small = await createKvmLab(["small", "--template", "minimal", "--yes"], { cwd: dir, env: quiet });
  expect(small.exitCode).toBe(0);
  expect(small.stderr).not.toContain("runner");
});
