// The comparison behind `kvm-lab diff` and the idempotent `kvm-lab up`: per machine, its
// config now against the record of what up applied (facet by facet), its live facts against
// the config and that record (memory, vCPUs and NICs changed outside kvm-lab), and what the
// differences need (src/drift/needs.ts); machines that exist but are no longer in the
// config; the Vagrantfile on disk against what the config renders now.
import type { Lab, Provider } from "../config/types.js";
import type { DiskState } from "../render/write.js";
import type { Facet } from "./facets.js";
import { libvirtUriOf } from "../vagrant/libvirt-connection.js";
import { isRunning, type LiveFacts, type LiveNic } from "./live.js";
import { maxNeed, NEED_TABLE, needOf, type FacetKind, type Need } from "./needs.js";
import type { AppliedRecord, MachineRecord } from "./record.js";

export type ChangeType = "added" | "removed" | "changed" | "drift";

/** One difference of one machine. */
export interface Change {
  /** The facet: `hardware`, `nic3`, `provision:setup`; `live:nics` for NICs changed outside kvm-lab. */
  key: string;
  kind: FacetKind;
  /** added/removed/changed: in the config since the last up; drift: on the running machine, outside kvm-lab. */
  type: ChangeType;
  from?: string;
  to?: string;
  need: Need;
  /** The upstream code that decides the need. */
  source: string;
}

/** What up does for a machine: nothing, bring it up (create or start), provision, reload, or destroy and bring it up again. */
export type Action = "none" | "up" | "provision" | "reload" | "recreate";

export interface MachineDiff {
  name: string;
  /** The provider's state: running, shutoff, poweroff, saved, ...; not_created. */
  state: string;
  /** Whether up recorded the machine (absent: brought up some other way, or before kvm-lab kept records). */
  recorded: boolean;
  changes: Change[];
  action: Action;
  /** Provisioning steps to run by name (`--provision-with`), with up, reload or provision. */
  provisionWith: string[];
  /** The vagrant commands that do it, for people. */
  commands: string[];
}

/** A machine Vagrant created for this lab that the config no longer has. */
export interface StrayMachine {
  name: string;
  id: string;
  state: string;
  /** Commands that remove it (vagrant cannot: the Vagrantfile no longer defines it). */
  remove: string[];
}

export interface LabDiff {
  lab: string;
  provider: Provider;
  vagrantfile: { file: string; state: DiskState };
  machines: MachineDiff[];
  strays: StrayMachine[];
  /** Anything for up to do, or drift to look at. */
  pending: boolean;
}

export interface DiffInput {
  lab: Lab;
  /** The machines to compare (all of the config's, or the ones named). */
  machines: string[];
  facets: Map<string, Facet[]>;
  record: AppliedRecord;
  live: Map<string, LiveFacts>;
  vagrantfile: { file: string; state: DiskState };
  /** The lab folder, for the removal commands of stray machines. */
  dataDir: string;
}

/** States in which a start boots the machine, so settings applied on start (StartDomain, action_boot) take effect. */
const STOPPED = new Set(["shutoff", "poweroff", "aborted", "crashed"]);

const nicsText = (nics: LiveNic[]) => (nics.length ? nics.map((n) => [n.type, n.attachedTo, n.mac].filter(Boolean).join(" ")).join("; ") : "none");
const sameNics = (a: LiveNic[], b: LiveNic[]) => JSON.stringify(a.map(({ type, mac, attachedTo }) => [type, mac, attachedTo])) === JSON.stringify(b.map(({ type, mac, attachedTo }) => [type, mac, attachedTo]));

function facetChanges(provider: Provider, now: Facet[], recorded: MachineRecord): Change[] {
  const changes: Change[] = [];
  const seen = new Set<string>();
  for (const facet of now) {
    seen.add(facet.key);
    const before = recorded.facets[facet.key];
    if (before && before.hash === facet.hash) continue;
    const type: ChangeType = before ? "changed" : "added";
    changes.push({ key: facet.key, kind: facet.kind, type, ...(before ? { from: before.text } : {}), to: facet.text, need: needOf(facet.kind, provider), source: NEED_TABLE[facet.kind][provider].source });
  }
  for (const [key, before] of Object.entries(recorded.facets)) {
    if (seen.has(key)) continue;
    // A step that ran cannot be undone by Vagrant; dropping it from the config changes nothing in the guest.
    const need: Need = before.kind === "provision" ? "nothing" : needOf(before.kind, provider);
    changes.push({ key, kind: before.kind, type: "removed", from: before.text, need, source: NEED_TABLE[before.kind][provider].source });
  }
  return changes;
}

/** Memory, vCPUs and NICs of the machine as the provider has them, against the config and the record's baseline. */
function driftChanges(provider: Provider, config: { cpus: number; memory: number }, live: LiveFacts, recorded: MachineRecord | undefined, changed: Set<FacetKind>): Change[] {
  const changes: Change[] = [];
  const hardware = NEED_TABLE.hardware[provider];
  if (!changed.has("hardware")) {
    if (live.memoryMiB !== undefined && live.memoryMiB !== config.memory) {
      changes.push({ key: "live:memory", kind: "hardware", type: "drift", from: `${config.memory} MiB (config)`, to: `${live.memoryMiB} MiB`, need: hardware.need, source: hardware.source });
    }
    if (live.cpus !== undefined && live.cpus !== config.cpus) {
      changes.push({ key: "live:cpus", kind: "hardware", type: "drift", from: `${config.cpus} vCPUs (config)`, to: `${live.cpus} vCPUs`, need: hardware.need, source: hardware.source });
    }
  }
  if (!changed.has("nic") && recorded && !sameNics(recorded.live.nics ?? [], live.nics)) {
    const nic = NEED_TABLE.nic[provider];
    changes.push({ key: "live:nics", kind: "nic", type: "drift", from: `${nicsText(recorded.live.nics ?? [])} (at the last up)`, to: nicsText(live.nics), need: nic.need, source: nic.source });
  }
  return changes;
}

function commandsOf(name: string, action: Action, provisionWith: string[]): string[] {
  const withSteps = provisionWith.length ? ` --provision-with ${provisionWith.map((s) => (/^[\w.:-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`)).join(",")}` : "";
  switch (action) {
    case "none":
      return [];
    case "up":
      return [`vagrant up ${name}`, ...(withSteps ? [`vagrant provision ${name}${withSteps}`] : [])];
    case "provision":
      return [`vagrant provision ${name}${withSteps}`];
    case "reload":
      return [`vagrant reload ${name}${withSteps}`];
    case "recreate":
      return [`vagrant destroy -f ${name}`, `vagrant up ${name}`];
  }
}

/** What one machine needs, from its changes and state. */
function actionOf(state: string, changes: Change[]): Action {
  if (state === "not_created") return "up";
  const need = changes.reduce<Need>((max, c) => maxNeed(max, c.need), "nothing");
  if (need === "recreate") return "recreate";
  if (isRunning(state)) return need === "nothing" ? "none" : need;
  // Stopped: a start boots it and applies what a reload would (paused or saved ones resume instead: reload).
  if (need === "reload" && !STOPPED.has(state)) return "reload";
  return "up";
}

/** One machine's differences and what they need. */
export function diffMachine(provider: Provider, name: string, config: { cpus: number; memory: number }, facets: Facet[], recorded: MachineRecord | undefined, live: LiveFacts | undefined): MachineDiff {
  const state = live?.state ?? "not_created";
  // A record of another machine by the same name (destroyed and made again outside kvm-lab) says nothing about this one.
  const record = recorded && live && recorded.id === live.id && recorded.provider === provider ? recorded : undefined;
  let changes: Change[] = [];
  if (state !== "not_created") {
    changes = record ? facetChanges(provider, facets, record) : [];
    const changed = new Set(changes.map((c) => c.kind));
    changes.push(...driftChanges(provider, config, live!, record, changed));
  }
  const action = actionOf(state, changes);
  const provisionWith = action === "recreate" || action === "none" ? [] : changes.filter((c) => c.need === "provision" && c.type !== "removed").map((c) => c.key.replace(/^provision:/, ""));
  return { name, state, recorded: Boolean(record), changes, action, provisionWith, commands: commandsOf(name, action, provisionWith) };
}

/** How to remove a machine the Vagrantfile no longer defines (vagrant destroy refuses a machine it does not know). */
export function removalCommands(provider: Provider, name: string, id: string, dataDir: string): string[] {
  const folder = `${dataDir}/machines/${name}`;
  if (provider === "libvirt") {
    const virsh = `virsh -c ${libvirtUriOf(undefined)}`;
    return [`${virsh} destroy ${id}`, `${virsh} undefine ${id} --remove-all-storage`, `rm -r ${folder}`];
  }
  return [`VBoxManage controlvm ${id} poweroff`, `VBoxManage unregistervm ${id} --delete`, `rm -r ${folder}`];
}

/** The whole lab's differences: every machine compared, the strays, the Vagrantfile. */
export function diffLab(input: DiffInput): LabDiff {
  const { lab } = input;
  const configured = new Set(lab.machines.map((m) => m.name));
  const machines = input.machines.map((name) => {
    const machine = lab.machines.find((m) => m.name === name)!;
    return diffMachine(lab.provider, name, machine, input.facets.get(name) ?? [], input.record.machines[name], input.live.get(name));
  });
  const strays = [...input.live]
    .filter(([name, facts]) => !configured.has(name) && facts.state !== "not_created")
    .map(([name, facts]) => ({ name, id: facts.id, state: facts.state, remove: removalCommands(lab.provider, name, facts.id, input.dataDir) }));
  const pending = machines.some((m) => m.action !== "none") || strays.length > 0 || input.vagrantfile.state !== "current";
  return { lab: lab.name, provider: lab.provider, vagrantfile: input.vagrantfile, machines, strays, pending };
}
