// Live facts read from a real libvirtd (the tests' own): tiny domains defined here (TCG,
// no OS, a blank qcow2 disk), one started without any NIC, one only defined with NICs on a
// network that is defined and never started; read back through virsh as kvm-lab reads a
// lab's machines, memory and a NIC changed by hand seen as drift, `kvm-lab up` adopting a
// running machine it did not record (no vagrant call), a machine no longer in the config
// named with how to remove it, and a failed reload keeping the change pending. Up with
// nothing to do and diff naming config changes are proved on a booted lab by
// test/e2e/network.test.ts. Every domain and network is removed in afterAll, failures included.
import path from "node:path";
import { jest } from "@jest/globals";
import { execa } from "execa";
import fs from "fs-extra";
import { checkConfig } from "../../../src/config/load.js";
import { diffMachine } from "../../../src/drift/compare.js";
import { machineFacets } from "../../../src/drift/facets.js";
import { libvirtFacts, liveMachines } from "../../../src/drift/live.js";
import { machineRecord } from "../../../src/drift/record.js";
import { kvmLab } from "../../support/cli.js";
import { libvirtReachable, ROOT, tempDir } from "../../support/tools.js";

// A libvirtd busy with other tests' VMs has taken 35 s for one define.
jest.setTimeout(300_000);

const URI = "qemu:///system";
const RUNNING = "kvmlab-diff-running";
const DEFINED = "kvmlab-diff-defined";
const NETWORK = "kvmlab-diff-net";
const up = libvirtReachable();
let dir: string;
const ids: Record<string, string> = {};

const virsh = (...args: string[]) => execa("virsh", ["-c", URI, ...args], { reject: false });

function domainXml(name: string, memoryMiB: number, cpus: number, disk: string, interfaces: string): string {
  return `<domain type='qemu'>
  <name>${name}</name>
  <memory unit='KiB'>${memoryMiB * 1024}</memory>
  <vcpu>${cpus}</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${disk}'/><target dev='vda' bus='virtio'/></disk>
    ${interfaces}
  </devices>
</domain>`;
}

async function cleanup(): Promise<void> {
  for (const name of [RUNNING, DEFINED]) {
    await virsh("destroy", name);
    await virsh("undefine", name);
  }
  await virsh("net-undefine", NETWORK);
}

beforeAll(async () => {
  if (!up) return;
  await cleanup();
  dir = await tempDir("kvmlab-diff-live-");
  await fs.chmod(dir, 0o755);
  for (const name of [RUNNING, DEFINED]) {
    await execa("qemu-img", ["create", "-q", "-f", "qcow2", path.join(dir, `${name}.qcow2`), "16M"]);
  }
  await fs.writeFile(path.join(dir, "net.xml"), `<network><name>${NETWORK}</name><bridge name='kvmlabdiff0'/><ip address='10.231.77.1' netmask='255.255.255.0'/></network>`);
  expect((await virsh("net-define", path.join(dir, "net.xml"))).exitCode).toBe(0);
  const nics = `<interface type='network'><mac address='52:54:00:0D:1F:01'/><source network='${NETWORK}'/><model type='virtio'/></interface>`;
  await fs.writeFile(path.join(dir, "defined.xml"), domainXml(DEFINED, 48, 2, path.join(dir, `${DEFINED}.qcow2`), nics));
  await fs.writeFile(path.join(dir, "running.xml"), domainXml(RUNNING, 32, 1, path.join(dir, `${RUNNING}.qcow2`), ""));
  for (const [name, file] of [[DEFINED, "defined.xml"], [RUNNING, "running.xml"]] as const) {
    const defined = await virsh("define", path.join(dir, file));
    expect(defined.stderr).toBe("");
    ids[name] = (await virsh("domuuid", name)).stdout.trim();
  }
  const started = await virsh("start", RUNNING);
  expect(started.stderr).toBe("");
}, 300_000);

afterAll(async () => {
  if (!up) return;
  await cleanup();
  if (dir) await fs.remove(dir);
}, 300_000);

const skip = () => {
  if (up) return false;
  process.stderr.write("skipped: libvirtd not reachable\n");
  return true;
};

test("a defined domain: shut off, its memory, vCPUs and NICs (type, network, MAC) as libvirt has them", async () => {
  if (skip()) return;
  expect(await libvirtFacts(ids[DEFINED])).toEqual({
    id: ids[DEFINED],
    state: "shutoff",
    memoryMiB: 48,
    cpus: 2,
    nics: [{ type: "network", attachedTo: NETWORK, mac: "52:54:00:0d:1f:01" }],
  });
  // An id libvirt does not know (the domain undefined outside Vagrant) is a machine not created.
  expect(await libvirtFacts("00000000-0000-4000-8000-00000000d1ff")).toEqual({ id: "00000000-0000-4000-8000-00000000d1ff", state: "not_created", nics: [] });
});

test("a running domain without NICs, found through Vagrant's id file", async () => {
  if (skip()) return;
  const lab = await tempDir("kvmlab-diff-lab-");
  try {
    await fs.outputFile(path.join(lab, ".vagrant", "machines", "node1", "libvirt", "id"), ids[RUNNING]);
    await fs.outputFile(path.join(lab, ".vagrant", "machines", "node2", "virtualbox", "id"), "not-this-provider");
    const live = await liveMachines(lab, "libvirt");
    expect([...live.keys()]).toEqual(["node1"]);
    expect(live.get("node1")).toEqual({ id: ids[RUNNING], state: "running", memoryMiB: 32, cpus: 1, nics: [] });
  } finally {
    await fs.remove(lab);
  }
});

test("memory and a NIC changed by hand on the domain after up recorded it: drift, named with what it needs", async () => {
  if (skip()) return;
  const { lab } = checkConfig({ name: "drift", box: "b", provider: "libvirt", machines: [{ name: "node2", memory: 48, cpus: 2 }] });
  const machine = lab.machines[0];
  const facets = await machineFacets(lab, machine, { dir });
  const recorded = machineRecord("libvirt", facets, await libvirtFacts(ids[DEFINED]), "sha256:x", false);
  expect(diffMachine("libvirt", "node2", machine, facets, recorded, await libvirtFacts(ids[DEFINED])).changes).toEqual([]);
  // By hand, outside kvm-lab: more memory, and a second NIC on the same network.
  expect((await virsh("setmaxmem", DEFINED, "65536", "--config")).stderr).toBe("");
  expect((await virsh("attach-interface", DEFINED, "network", NETWORK, "--mac", "52:54:00:0d:1f:02", "--config")).stderr).toBe("");
  const diff = diffMachine("libvirt", "node2", machine, facets, recorded, await libvirtFacts(ids[DEFINED]));
  expect(diff.changes.map((c) => [c.key, c.type, c.need])).toEqual([
    ["live:memory", "drift", "reload"],
    ["live:nics", "drift", "recreate"],
  ]);
  expect(diff.changes[0]).toMatchObject({ from: "48 MiB (config)", to: "64 MiB" });
  expect(diff.changes[1].to).toBe(`network ${NETWORK} 52:54:00:0d:1f:01; network ${NETWORK} 52:54:00:0d:1f:02`);
  expect(diff.action).toBe("recreate");
  expect(diff.commands).toEqual(["vagrant destroy -f node2", "vagrant up node2"]);
});

test("kvm-lab up adopts a running machine it did not record (no vagrant); diff names a machine no longer in the config with how to remove it; a failed reload keeps the change pending", async () => {
  // Up with nothing to do on an unchanged lab and diff naming a memory change are proved on a
  // booted lab by test/e2e/network.test.ts; here, what only a domain made outside kvm-lab shows.
  if (skip()) return;
  const lab = await tempDir("kvmlab-diff-up-");
  try {
    const config = { name: "idem", box: "b", provider: "libvirt", machines: [{ name: "node1", memory: 32, cpus: 1 }] };
    await fs.writeJson(path.join(lab, "kvm-lab.config.json"), config);
    await fs.outputFile(path.join(lab, ".vagrant", "machines", "node1", "libvirt", "id"), ids[RUNNING]);
    expect((await kvmLab(["render"], { cwd: lab })).exitCode).toBe(0);
    // A vagrant that fails the test if it is run at all.
    await fs.outputFile(path.join(lab, "bin", "vagrant"), "#!/bin/sh\necho \"vagrant was run: $*\" >&2\nexit 99\n", { mode: 0o755 });
    const env = { KVM_LAB_VAGRANT: path.join(lab, "bin", "vagrant") };
    const first = await kvmLab(["up"], { cwd: lab, env });
    expect(first).toMatchObject({ exitCode: 0, stdout: "nothing to do: 1 machine up and matching the config (recorded node1, running but not recorded before)" });
    const record = await fs.readJson(path.join(lab, ".kvm-lab", "applied.json"));
    expect(record.machines.node1).toMatchObject({ provider: "libvirt", id: ids[RUNNING], live: { memoryMiB: 32, cpus: 1, nics: [] } });
    // A machine Vagrant made that the config no longer has: named with how to remove it, never removed by up.
    await fs.outputFile(path.join(lab, ".vagrant", "machines", "old", "libvirt", "id"), ids[DEFINED]);
    const strays = await kvmLab(["diff"], { cwd: lab });
    expect(strays.exitCode).toBe(10);
    expect(strays.stdout).toContain(`not in the config any more, still there (kvm-lab up leaves them alone; remove them with the commands below):
  old (shutoff, ${ids[DEFINED]})
    virsh -c qemu:///system destroy ${ids[DEFINED]}
    virsh -c qemu:///system undefine ${ids[DEFINED]} --remove-all-storage
    rm -r .vagrant/machines/old`);
    // What up then runs for a memory change: a reload of that machine alone (fault injection: a
    // vagrant whose reload fails). The failure names the machine with its log; the record keeps
    // the old config, so the change is still pending.
    await fs.writeJson(path.join(lab, "kvm-lab.config.json"), { ...config, machines: [{ name: "node1", memory: 64, cpus: 1 }] });
    const faulty = {
      KVM_LAB_VAGRANT: path.join(ROOT, "test", "support", "fakes", "vagrant"),
      FAKE_VAGRANT: "step-fails",
      FAKE_LOG: path.join(lab, "vagrant-calls.log"),
      KVM_LAB_QEMU: path.join(ROOT, "test", "support", "fakes", "guest", "bin", "qemu-system-x86_64"),
    };
    const failed = await kvmLab(["up"], { cwd: lab, env: faulty });
    expect(failed.exitCode).toBe(4);
    expect(failed.stderr).toContain("to do (kvm-lab diff shows the same): node1 reload");
    expect(failed.stderr).toContain("  ~ hardware: 1 vCPU, 32 MiB -> 1 vCPU, 64 MiB  [reload]");
    expect(failed.stderr).toContain("vagrant reload node1 failed");
    expect(failed.stderr).toContain("last lines of .kvm-lab/logs/node1.log:");
    expect((await fs.readFile(faulty.FAKE_LOG, "utf8")).trim().split("\n")).toEqual(["--version", "reload --machine-readable node1"]);
    expect((await fs.readJson(path.join(lab, ".kvm-lab", "applied.json"))).machines.node1.facets.hardware.text).toBe("1 vCPU, 32 MiB");
    expect((await kvmLab(["diff"], { cwd: lab })).exitCode).toBe(10);
    await fs.writeJson(path.join(lab, "kvm-lab.config.json"), config);
    expect((await kvmLab(["render"], { cwd: lab })).exitCode).toBe(0);
    const third = await kvmLab(["up"], { cwd: lab, env });
    expect(third.exitCode).toBe(0);
    expect(third.stdout).toBe("nothing to do: 1 machine up and matching the config");
    expect(third.stderr).toContain("  old (shutoff,");
    expect((await libvirtFacts(ids[DEFINED])).state).toBe("shutoff");
  } finally {
    await fs.remove(lab);
  }
});
