// Which libvirt host each machine of a lab runs on. Pure and deterministic: machines that
// name a host go there; the others, largest first (memory, then vCPUs, then config order),
// each onto the first host in config order with room for both its memory and its vCPUs
// (first-fit decreasing, which packs them onto few hosts). Every machine of the config
// counts, `autostart: false` ones too: `kvm-lab up <name>` may start them later.
// It also adds up each host's load for `plan`.
import type { Lab } from "../config/types.js";

/** What placement needs of a host: its name and what it offers. */
export interface HostOffer {
  name: string;
  cpus: number;
  /** MiB. */
  memory: number;
}

/** What placement needs of a machine. */
export interface MachineAsk {
  name: string;
  cpus: number;
  /** MiB. */
  memory: number;
  /** The host the machine names (a key of the hosts), or undefined: placed by kvm-lab. */
  pinned?: string;
}

/** A host's share of the lab: its machines (config order), and memory and vCPUs used of what it offers. */
export interface HostLoad {
  host: string;
  machines: string[];
  memory: { used: number; offered: number };
  cpus: { used: number; offered: number };
}

/** Room left on a host when a machine could not go anywhere. */
export interface FreeRoom {
  host: string;
  /** MiB; below 0 when the host's pinned machines already exceed it. */
  memory: number;
  cpus: number;
}

/** Why the lab does not fit: a host its pinned machines overfill, or a machine no host has room for. */
export type Refusal =
  | {
      kind: "overfull";
      host: string;
      /** Indexes (into the machines given) of the machines pinned there. */
      machines: number[];
      memory: { needed: number; offered: number };
      cpus: { needed: number; offered: number };
    }
  | {
      kind: "no-room";
      /** Index of the machine. */
      machine: number;
      /** Each host's free room when the machine's turn came. */
      free: FreeRoom[];
      /** No host offers this much even empty. */
      biggerThanAnyHost: boolean;
    };

export interface Placement {
  /** Per machine (same order as given): the host's name, or undefined when it has none (refused, or pinned to an unknown host). */
  hosts: (string | undefined)[];
  /** Per machine: kvm-lab chose the host (true) or the machine named it (false). */
  placed: boolean[];
  /** Per host, in the order given. */
  loads: HostLoad[];
  refusals: Refusal[];
}

/** Places every machine on a host, first-fit decreasing after the pinned ones; refusals carry the numbers. */
export function placeMachines(hosts: HostOffer[], machines: MachineAsk[]): Placement {
  // 1. The pinned machines take their room first; a host they overfill is refused with the sum.
  const index = new Map(hosts.map((host, i) => [host.name, i]));
  const usedMemory = hosts.map(() => 0);
  const usedCpus = hosts.map(() => 0);
  const members: number[][] = hosts.map(() => []);
  const placedOn: (string | undefined)[] = machines.map(() => undefined);
  const placed = machines.map(() => false);
  const free: number[] = [];
  machines.forEach((machine, i) => {
    if (machine.pinned === undefined) {
      free.push(i);
      return;
    }
    const h = index.get(machine.pinned);
    if (h === undefined) return; // an unknown host: the config's rules say so
    usedMemory[h] += machine.memory;
    usedCpus[h] += machine.cpus;
    members[h].push(i);
    placedOn[i] = machine.pinned;
  });
  const refusals: Refusal[] = [];
  hosts.forEach((host, h) => {
    if (usedMemory[h] > host.memory || usedCpus[h] > host.cpus) {
      refusals.push({
        kind: "overfull",
        host: host.name,
        machines: [...members[h]],
        memory: { needed: usedMemory[h], offered: host.memory },
        cpus: { needed: usedCpus[h], offered: host.cpus },
      });
    }
  });

  // 2. The others, largest first (memory, vCPUs, config order), onto the first host with room for both.
  free.sort((a, b) => machines[b].memory - machines[a].memory || machines[b].cpus - machines[a].cpus || a - b);
  for (const i of free) {
    const { memory, cpus } = machines[i];
    const h = hosts.findIndex((host, k) => host.memory - usedMemory[k] >= memory && host.cpus - usedCpus[k] >= cpus);
    if (h < 0) {
      refusals.push({
        kind: "no-room",
        machine: i,
        free: hosts.map((host, k) => ({ host: host.name, memory: host.memory - usedMemory[k], cpus: host.cpus - usedCpus[k] })),
        biggerThanAnyHost: !hosts.some((host) => host.memory >= memory && host.cpus >= cpus),
      });
      continue;
    }
    usedMemory[h] += memory;
    usedCpus[h] += cpus;
    members[h].push(i);
    placedOn[i] = hosts[h].name;
    placed[i] = true;
  }

  const loads = hosts.map((host, h) => ({
    host: host.name,
    machines: [...members[h]].sort((a, b) => a - b).map((i) => machines[i].name),
    memory: { used: usedMemory[h], offered: host.memory },
    cpus: { used: usedCpus[h], offered: host.cpus },
  }));
  return { hosts: placedOn, placed, loads, refusals };
}

/** Each host of a loaded lab with the machines on it and the memory and vCPUs they use of what it offers (config order). */
export function hostLoads(lab: Pick<Lab, "hosts" | "machines">): (HostLoad & { uri: string })[] {
  return lab.hosts.map((host) => {
    const on = lab.machines.filter((m) => m.host?.name === host.name);
    return {
      host: host.name,
      uri: host.uri,
      machines: on.map((m) => m.name),
      memory: { used: on.reduce((sum, m) => sum + m.memory, 0), offered: host.memory },
      cpus: { used: on.reduce((sum, m) => sum + m.cpus, 0), offered: host.cpus },
    };
  });
}
