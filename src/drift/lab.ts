// Gathers what `kvm-lab diff` and `kvm-lab up` compare for a lab: the facets of its machines
// now, the record of the last up, the machines the provider has, and the Vagrantfile on
// disk against what the config renders (with the machines the last up ran under QEMU
// software emulation, so a host without KVM does not read as a changed config).
import path from "node:path";
import type { Lab } from "../config/types.js";
import { renderVagrantfile } from "../render/vagrantfile.js";
import { diskStateOf } from "../render/write.js";
import { diffLab, type LabDiff } from "./compare.js";
import { machineFacets, type Facet } from "./facets.js";
import { libvirtUriOf } from "../vagrant/libvirt-connection.js";
import { vagrantDataDir } from "../vagrant/machine-ids.js";
import { isRunning, liveMachines, type LiveFacts } from "./live.js";
import { machineRecord, readRecord, updateRecord, vagrantfileDigest, type AppliedRecord, type MachineRecord } from "./record.js";

export interface DriftOptions {
  /** The lab folder (the Vagrantfile's). */
  dir: string;
  /** The state folder (.kvm-lab). */
  state: string;
  /** The config file's name as the Vagrantfile's header gives it. */
  source: string;
  /** The machines to compare. */
  machines: string[];
  /** Machines on QEMU software emulation; default: those the record says the last up ran so. */
  tcg?: readonly string[];
}

export interface LabDrift {
  diff: LabDiff;
  facets: Map<string, Facet[]>;
  live: Map<string, LiveFacts>;
  record: AppliedRecord;
  /** What the config renders now (the Vagrantfile up writes). */
  text: string;
  tcg: readonly string[];
}

/** The machines the record says ran under QEMU software emulation. */
export function recordedTcg(record: AppliedRecord): string[] {
  return Object.entries(record.machines)
    .filter(([, m]) => m.tcg)
    .map(([name]) => name);
}

/** Everything compared, and the comparison. */
export async function labDrift(lab: Lab, options: DriftOptions): Promise<LabDrift> {
  const [record, live] = await Promise.all([readRecord(options.state, lab.name), liveMachines(options.dir, lab.provider, uriOfMachine(lab))]);
  const tcg = options.tcg ?? recordedTcg(record);
  const text = renderVagrantfile(lab, { source: options.source, tcg });
  const file = path.join(options.dir, "Vagrantfile");
  const facets = new Map<string, Facet[]>();
  await Promise.all(
    lab.machines
      .filter((m) => options.machines.includes(m.name))
      .map(async (m) => facets.set(m.name, await machineFacets(lab, m, { dir: options.dir, tcg }))),
  );
  const diff = diffLab({
    lab,
    machines: options.machines,
    facets,
    record,
    live,
    vagrantfile: { file, state: await diskStateOf(file, text) },
    dataDir: path.relative(options.dir, vagrantDataDir(options.dir)) || ".vagrant",
  });
  return { diff, facets, live, record, text, tcg };
}

export interface RecordOptions {
  dir: string;
  state: string;
  /** The machines up acted on and finished with. */
  machines: string[];
  tcg: readonly string[];
  /** The Vagrantfile they came up with. */
  text: string;
}

/**
 * Records what up applied: each of `machines` that runs now, with its facets and the live
 * facts read now (the baseline for drift). A machine that did not come up is left out (its
 * old entry, if any, is dropped: it no longer tells what runs); entries of machines neither
 * in the config nor created any more are dropped. Returns the machines recorded.
 */
export async function recordApplied(lab: Lab, options: RecordOptions): Promise<string[]> {
  const live = await liveMachines(options.dir, lab.provider, uriOfMachine(lab));
  const digest = vagrantfileDigest(options.text);
  const updated: Record<string, MachineRecord> = {};
  const dropped: string[] = [];
  for (const machine of lab.machines.filter((m) => options.machines.includes(m.name))) {
    const facts = live.get(machine.name);
    if (!facts || !isRunning(facts.state)) {
      dropped.push(machine.name);
      continue;
    }
    const facets = await machineFacets(lab, machine, { dir: options.dir, tcg: options.tcg });
    updated[machine.name] = machineRecord(lab.provider, facets, facts, digest, options.tcg.includes(machine.name));
  }
  const record = await readRecord(options.state, lab.name);
  const configured = new Set(lab.machines.map((m) => m.name));
  dropped.push(...Object.keys(record.machines).filter((name) => !configured.has(name) && !live.has(name)));
  await updateRecord(options.state, lab.name, updated, dropped);
  return Object.keys(updated);
}

/** The libvirt connection of each machine by name (the default one for a machine the config no longer names). */
const uriOfMachine = (lab: Lab) => (name: string) => libvirtUriOf(lab.machines.find((m) => m.name === name));
