// The comparison without any provider: facets of a machine and their fingerprints, what
// each kind of change needs on each provider (provision, reload, re-create, up), live drift
// against the config and the recorded baseline, machines no longer in the config, and the
// record file (atomic, merged, unreadable -> absent). Live facts are written out here as
// the providers give them (see live-libvirt.test.ts and live-facts.test.ts for reading them).
import path from "node:path";
import fs from "fs-extra";
import { checkConfig, loadLab } from "../../../src/config/load.js";
import type { LabConfig, MachineConfig, Provider } from "../../../src/config/types.js";
import { diffLab, diffMachine } from "../../../src/drift/compare.js";
import { machineFacets, stableJson } from "../../../src/drift/facets.js";
import type { LiveFacts } from "../../../src/drift/live.js";
import { NEED_TABLE, FACET_KINDS } from "../../../src/drift/needs.js";
import { machineRecord, readRecord, recordFile, updateRecord } from "../../../src/drift/record.js";
import { tempDir } from "../../support/tools.js";

let dir: string;
beforeEach(async () => {
  dir = await tempDir("kvmlab-diff-unit-");
});
afterEach(() => fs.remove(dir));

const base = (provider: Provider, machine: Partial<MachineConfig> = {}): LabConfig => ({
  name: "cmp",
  box: "debian-12",
  provider,
  networks: { lan: { mode: "hostonly", cidr: "192.168.56.0/24" } },
  machines: [{ name: "node1", memory: 1024, cpus: 2, nics: [{ network: "lan", ip: "192.168.56.10" }], provision: [{ type: "shell", name: "setup", inline: "echo one" }], ...machine }],
});

const liveOf = (provider: Provider, memory = 1024, cpus = 2, state = "running"): LiveFacts => ({
  id: "uuid-1",
  state,
  memoryMiB: memory,
  cpus,
  nics: provider === "libvirt" ? [{ type: "network", attachedTo: "vagrant-libvirt", mac: "52:54:00:00:00:01" }] : [{ type: "nat", mac: "08:00:27:00:00:01" }],
});

/** Up applied `before`; the config is now `after`; the provider shows `live`. */
async function compare(provider: Provider, before: Partial<MachineConfig>, after: Partial<MachineConfig>, live: LiveFacts = liveOf(provider)) {
  const old = checkConfig(base(provider, before)).lab;
  const now = checkConfig(base(provider, after)).lab;
  const recorded = machineRecord(provider, await machineFacets(old, old.machines[0], { dir }), liveOf(provider), "sha256:v", false);
  const machine = now.machines[0];
  return diffMachine(provider, "node1", machine, await machineFacets(now, machine, { dir }), recorded, live);
}

const providers = ["libvirt", "virtualbox"] as const;

test("every facet kind has a need and an upstream source on both providers", () => {
  for (const kind of FACET_KINDS) for (const provider of providers) expect(NEED_TABLE[kind][provider].source).toMatch(/\.rb/);
});

test("stable JSON: key order and undefined do not change it", () => {
  expect(stableJson({ b: 1, a: [{ d: undefined, c: 2 }] })).toBe(stableJson({ a: [{ c: 2 }], b: 1 }));
});

test.each(providers)("%s: nothing changed -> nothing to do", async (provider) => {
  const diff = await compare(provider, {}, {});
  expect(diff).toMatchObject({ action: "none", changes: [], commands: [], recorded: true });
});

test.each(providers)("%s: a provisioning step added or changed -> provision with the step named", async (provider) => {
  const diff = await compare(provider, {}, { provision: [{ type: "shell", name: "setup", inline: "echo two" }, { type: "shell", name: "more step", inline: "true" }] });
  expect(diff.changes.map((c) => [c.key, c.type, c.need])).toEqual([
    ["provision:setup", "changed", "provision"],
    ["provision:more step", "added", "provision"],
  ]);
  expect(diff).toMatchObject({ action: "provision", provisionWith: ["setup", "more step"], commands: ["vagrant provision node1 --provision-with setup,'more step'"] });
});

test.each(providers)("%s: a provisioning step removed: listed, nothing to run (Vagrant cannot undo a step)", async (provider) => {
  const diff = await compare(provider, {}, { provision: [] });
  expect(diff.changes).toEqual([expect.objectContaining({ key: "provision:setup", type: "removed", need: "nothing" })]);
  expect(diff.action).toBe("none");
});

test("a script file edited on disk is a changed step, though the config did not change", async () => {
  await fs.writeFile(path.join(dir, "setup.sh"), "echo one\n");
  const lab = checkConfig(base("libvirt", { provision: [{ type: "shell", name: "setup", path: "setup.sh" }] })).lab;
  const before = await machineFacets(lab, lab.machines[0], { dir });
  await fs.writeFile(path.join(dir, "setup.sh"), "echo two\n");
  const after = await machineFacets(lab, lab.machines[0], { dir });
  const changed = after.filter((f) => f.hash !== before.find((b) => b.key === f.key)?.hash).map((f) => f.key);
  expect(changed).toEqual(["provision:setup"]);
});

test.each(providers)("%s: memory and vCPUs -> reload (applied on start)", async (provider) => {
  const diff = await compare(provider, {}, { memory: 2048 }, liveOf(provider, 1024));
  expect(diff.changes).toEqual([expect.objectContaining({ key: "hardware", type: "changed", from: "2 vCPUs, 1024 MiB", to: "2 vCPUs, 2048 MiB", need: "reload" })]);
  expect(diff).toMatchObject({ action: "reload", commands: ["vagrant reload node1"] });
});

test.each(providers)("%s: reload and a changed step at once -> reload with the step named", async (provider) => {
  const diff = await compare(provider, {}, { cpus: 1, provision: [{ type: "shell", name: "setup", inline: "echo two" }] });
  expect(diff).toMatchObject({ action: "reload", provisionWith: ["setup"], commands: ["vagrant reload node1 --provision-with setup"] });
});

test.each(providers)("%s: another box -> re-create", async (provider) => {
  const diff = await compare(provider, {}, { box: "ubuntu-24.04" });
  expect(diff.changes).toEqual([expect.objectContaining({ key: "box", from: "debian-12", to: "ubuntu-24.04", need: "recreate" })]);
  expect(diff).toMatchObject({ action: "recreate", provisionWith: [], commands: ["vagrant destroy -f node1", "vagrant up node1"] });
});

test("a NIC added: re-create on libvirt (interfaces only at creation), reload on VirtualBox (adapters set on every boot)", async () => {
  const nics = [{ network: "lan", ip: "192.168.56.10" }, { network: "lan", ip: "192.168.56.11" }];
  const libvirt = await compare("libvirt", {}, { nics });
  expect(libvirt.changes).toEqual([expect.objectContaining({ key: "nic3", type: "added", to: "hostonly cmp-lan 192.168.56.11", need: "recreate" })]);
  expect(libvirt.changes[0].source).toContain("CreateNetworkInterfaces");
  expect(libvirt.action).toBe("recreate");
  const virtualbox = await compare("virtualbox", {}, { nics });
  expect(virtualbox.changes).toEqual([expect.objectContaining({ key: "nic3", type: "added", need: "reload" })]);
  expect(virtualbox.changes[0].source).toContain("action_boot");
  expect(virtualbox.action).toBe("reload");
});

test("disks, the root disk's size, the hostname and nested: what only creation sets on libvirt, what every boot sets on VirtualBox", async () => {
  for (const change of [{ disks: [{ sizeGiB: 8 }] }, { diskSizeGiB: 40 }, { hostname: "other" }, { nested: false }] as Partial<MachineConfig>[]) {
    expect((await compare("libvirt", {}, change)).action).toBe("recreate");
    expect((await compare("virtualbox", {}, change)).action).toBe("reload");
  }
  // Settings of the other provider are not the lab's: no change at all.
  expect((await compare("libvirt", {}, { virtualbox: { linkedClone: true } })).changes).toEqual([]);
  expect((await compare("virtualbox", {}, { libvirt: { graphics: "none" } })).changes).toEqual([]);
  expect((await compare("virtualbox", {}, { virtualbox: { linkedClone: true } })).action).toBe("recreate");
  expect((await compare("libvirt", {}, { libvirt: { graphics: "none" } })).action).toBe("reload");
});

test.each(providers)("%s: ssh and boot settings: listed, nothing to apply", async (provider) => {
  const diff = await compare(provider, {}, { bootTimeoutSeconds: 900 });
  expect(diff.changes).toEqual([expect.objectContaining({ key: "vagrant", need: "nothing" })]);
  expect(diff.action).toBe("none");
});

test.each(providers)("%s: not created -> up; stopped -> up (a start applies what reload would); re-create still re-creates", async (provider) => {
  expect((await compare(provider, {}, {}, { id: "x", state: "not_created", nics: [] })).action).toBe("up");
  const stopped = provider === "libvirt" ? "shutoff" : "poweroff";
  expect((await compare(provider, {}, { memory: 2048 }, liveOf(provider, 1024, 2, stopped))).action).toBe("up");
  expect((await compare(provider, {}, {}, liveOf(provider, 1024, 2, stopped))).commands).toEqual(["vagrant up node1"]);
  const withStep = await compare(provider, {}, { provision: [{ type: "shell", name: "setup", inline: "echo two" }] }, liveOf(provider, 1024, 2, stopped));
  expect(withStep.commands).toEqual(["vagrant up node1", "vagrant provision node1 --provision-with setup"]);
  expect((await compare(provider, {}, { box: "other" }, liveOf(provider, 1024, 2, stopped))).action).toBe("recreate");
});

test("a saved (VirtualBox) or paused machine resumes on up without booting: a reload-class change needs reload", async () => {
  expect((await compare("virtualbox", {}, { memory: 2048 }, liveOf("virtualbox", 1024, 2, "saved"))).action).toBe("reload");
  expect((await compare("libvirt", {}, { memory: 2048 }, liveOf("libvirt", 1024, 2, "paused"))).action).toBe("reload");
  expect((await compare("virtualbox", {}, {}, liveOf("virtualbox", 1024, 2, "saved"))).action).toBe("up");
});

test.each(providers)("%s: memory, vCPUs and NICs changed outside kvm-lab are drift", async (provider) => {
  const live = liveOf(provider, 4096, 3);
  live.nics = [...live.nics, { type: provider === "libvirt" ? "network" : "intnet", attachedTo: "extra", mac: "52:54:00:00:00:09" }];
  const diff = await compare(provider, {}, {}, live);
  expect(diff.changes.map((c) => [c.key, c.type, c.from, c.to, c.need])).toEqual([
    ["live:memory", "drift", "1024 MiB (config)", "4096 MiB", "reload"],
    ["live:cpus", "drift", "2 vCPUs (config)", "3 vCPUs", "reload"],
    ["live:nics", "drift", `${liveOf(provider).nics.map((n) => [n.type, n.attachedTo, n.mac].filter(Boolean).join(" ")).join("; ")} (at the last up)`, expect.stringContaining("extra 52:54:00:00:00:09"), provider === "libvirt" ? "recreate" : "reload"],
  ]);
});

test("a config change of memory is one change, not also drift (the running machine has the old memory)", async () => {
  const diff = await compare("libvirt", {}, { memory: 2048 }, liveOf("libvirt", 1024));
  expect(diff.changes.map((c) => c.key)).toEqual(["hardware"]);
});

test("a machine made again outside kvm-lab (another id) or never recorded: only live facts are compared", async () => {
  const lab = checkConfig(base("libvirt")).lab;
  const facets = await machineFacets(lab, lab.machines[0], { dir });
  const recorded = machineRecord("libvirt", facets, liveOf("libvirt"), "sha256:v", false);
  const other = { ...liveOf("libvirt", 512), id: "uuid-2" };
  const diff = diffMachine("libvirt", "node1", lab.machines[0], facets, recorded, other);
  expect(diff.recorded).toBe(false);
  expect(diff.changes.map((c) => c.key)).toEqual(["live:memory"]);
  expect(diffMachine("libvirt", "node1", lab.machines[0], facets, undefined, liveOf("libvirt"))).toMatchObject({ recorded: false, action: "none", changes: [] });
});

test.each(providers)("%s: machines no longer in the config are named with how to remove them; the lab is pending", async (provider) => {
  const lab = checkConfig(base(provider)).lab;
  const facets = new Map([["node1", await machineFacets(lab, lab.machines[0], { dir })]]);
  const record = { version: 1, lab: "cmp", machines: { node1: machineRecord(provider, facets.get("node1")!, liveOf(provider), "sha256:v", false) } };
  const live = new Map([
    ["node1", liveOf(provider)],
    ["old", { id: "uuid-old", state: "running", nics: [] }],
    ["older", { id: "uuid-gone", state: "not_created", nics: [] }],
  ]);
  const diff = diffLab({ lab, machines: ["node1"], facets, record, live, vagrantfile: { file: "Vagrantfile", state: "current" }, dataDir: ".vagrant" });
  expect(diff.machines[0].action).toBe("none");
  expect(diff.strays).toEqual([
    {
      name: "old",
      id: "uuid-old",
      state: "running",
      remove:
        provider === "libvirt"
          ? ["virsh -c qemu:///system destroy uuid-old", "virsh -c qemu:///system undefine uuid-old --remove-all-storage", "rm -r .vagrant/machines/old"]
          : ["VBoxManage controlvm uuid-old poweroff", "VBoxManage unregistervm uuid-old --delete", "rm -r .vagrant/machines/old"],
    },
  ]);
  expect(diff.pending).toBe(true);
  const clean = diffLab({ lab, machines: ["node1"], facets, record, live: new Map([["node1", liveOf(provider)]]), vagrantfile: { file: "Vagrantfile", state: "current" }, dataDir: ".vagrant" });
  expect(clean.pending).toBe(false);
  expect(diffLab({ lab, machines: ["node1"], facets, record, live: new Map([["node1", liveOf(provider)]]), vagrantfile: { file: "Vagrantfile", state: "stale" }, dataDir: ".vagrant" }).pending).toBe(true);
});

test("the record: written atomically as JSON, other machines kept, dropped ones removed; an unreadable one reads as empty", async () => {
  const state = path.join(dir, ".kvm-lab");
  const lab = checkConfig(base("libvirt")).lab;
  const entry = machineRecord("libvirt", await machineFacets(lab, lab.machines[0], { dir }), liveOf("libvirt"), "sha256:v", true, new Date("2026-01-01T00:00:00Z"));
  await updateRecord(state, "cmp", { node1: entry, node2: { ...entry, id: "uuid-2" } });
  await updateRecord(state, "cmp", { node3: entry }, ["node2"]);
  const read = await readRecord(state, "cmp");
  expect(Object.keys(read.machines)).toEqual(["node1", "node3"]);
  expect(read.machines.node1).toMatchObject({ appliedAt: "2026-01-01T00:00:00.000Z", provider: "libvirt", id: "uuid-1", tcg: true, live: { memoryMiB: 1024, cpus: 2 } });
  expect(read.machines.node1.facets.hardware).toEqual({ kind: "hardware", text: "2 vCPUs, 1024 MiB", hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  expect((await fs.readdir(state)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  await fs.writeFile(recordFile(state), "{ half");
  expect(await readRecord(state, "cmp")).toEqual({ version: 1, lab: "cmp", machines: {} });
  await fs.writeJson(recordFile(state), { version: 99, machines: { node1: entry } });
  expect((await readRecord(state, "cmp")).machines).toEqual({});
});

describe("every golden config (every field of the config), on each provider it renders for", () => {
  const GOLDEN = path.resolve("test", "golden");
  // As test/golden.test.ts: some cases are for one provider only.
  const ONLY: Record<string, Provider> = { "folders-libvirt": "libvirt", "folders-virtualbox": "virtualbox", "multi-host": "libvirt" };
  const cases = fs.readdirSync(GOLDEN).filter((name) => ["ts", "json"].some((ext) => fs.existsSync(path.join(GOLDEN, name, `kvm-lab.config.${ext}`))));
  const runs = cases.flatMap((name) => providers.filter((p) => !ONLY[name] || ONLY[name] === p).map((provider) => [name, provider] as const));
  test.each(runs)("%s on %s: facets with unique keys, the same fingerprints twice, nothing to do against themselves", async (name, provider) => {
    const { lab } = await loadLab(path.join(GOLDEN, name), { provider });
    for (const machine of lab.machines) {
      const facets = await machineFacets(lab, machine, { dir: path.join(GOLDEN, name) });
      expect(new Set(facets.map((f) => f.key)).size).toBe(facets.length);
      expect(await machineFacets(lab, machine, { dir: path.join(GOLDEN, name) })).toEqual(facets);
      const live: LiveFacts = { id: "i", state: "running", memoryMiB: machine.memory, cpus: machine.cpus, nics: [] };
      const recorded = machineRecord(provider, facets, live, "sha256:v", false);
      expect(diffMachine(provider, machine.name, machine, facets, recorded, live)).toMatchObject({ action: "none", changes: [] });
    }
  });
});

test("libvirt with hosts: the machine's host is a facet; another host is a re-create that up refuses as a move", async () => {
  const hosts = { a: { uri: "qemu:///system", cpus: 4, memory: 4096 }, b: { uri: "qemu+ssh://root@198.51.100.2/system", cpus: 4, memory: 4096 } };
  const on = (host: string) => checkConfig({ ...base("libvirt", { host }), hosts }).lab;
  const [was, now] = [on("a"), on("b")];
  const recorded = machineRecord("libvirt", await machineFacets(was, was.machines[0], { dir }), liveOf("libvirt"), "sha256:v", false);
  expect(recorded.facets.host.text).toBe("host a (qemu:///system)");
  const diff = diffMachine("libvirt", "node1", now.machines[0], await machineFacets(now, now.machines[0], { dir }), recorded, liveOf("libvirt"));
  expect(diff.action).toBe("recreate");
  expect(JSON.stringify(diff.changes)).toContain("host b (qemu+ssh://root@198.51.100.2/system)");
  // A lab without hosts has no such facet.
  expect((await machineFacets(checkConfig(base("libvirt")).lab, checkConfig(base("libvirt")).lab.machines[0], { dir })).some((f) => f.kind === "host")).toBe(false);
});
