// What should reach what in a lab, from its config alone: every machine-to-machine pair on
// each shared network (and across networks: isolation is a feature), machine to host, host
// to machine, and machine to the outside through each NIC. Each verdict carries the rule of
// the mode that decides it, written so a report can say "... but <rule>".
// Every verdict and its rule come from the provider's reach table (reach.ts), the one
// source `plan` reads too; where libvirt's rendering reaches otherwise than VirtualBox, the
// pair says so.
import type { Lab, Machine, Network, Nic, Provider } from "../config/types.js";
import { formatIpv4, hostAt } from "./ipv4.js";
import type { NetworkMode } from "./modes.js";
import { VBOX_NAT_HOST_OFFSET, natBlockOf } from "./provider-addresses.js";
import { adapterOneReach, libvirtDiffers, reachOf, type Direction } from "./reach.js";

export type PairKind = "vm-vm" | "vm-host" | "host-vm" | "vm-outside";

/** Where a probe goes: a machine's address on a network, the host's, or the outside stand-in. */
export type Target =
  | { kind: "machine"; machine: string; network: string; address?: string }
  | { kind: "host"; network: string; address?: string; device?: string }
  | { kind: "outside" };

export interface ExpectedPair {
  /** Stable and readable: "kvm1 -> kvm2 @tenant". */
  id: string;
  kind: PairKind;
  /** A machine name, or "host". */
  from: string;
  /** A machine name, "host" or "outside". */
  to: string;
  /** The network whose rule decides: its key, an inline NIC's key, or "nic1" for adapter 1. */
  network: string;
  mode: NetworkMode | "management";
  /** Outside pairs: the network key of the NIC the probe leaves by. */
  via?: string;
  target: Target;
  expected: boolean;
  /** The deciding rule as a clause: "internal networks do not include the host". */
  rule: string;
  /** Where libvirt's rendering differs from VirtualBox for this pair. */
  libvirtDiffers?: boolean;
}

const PROBED_SHARED: NetworkMode[] = ["hostonly", "hostonlynet", "intnet", "natnetwork", "bridged"];

/** "intnet 'tenant'" / "NAT 'kvm1.nic2'": how a report names a network. */
export function networkLabel(mode: ExpectedPair["mode"], key: string): string {
  return mode === "management" ? `adapter 1 (${key})` : `${mode} '${key}'`;
}

/** Every pair kvm-lab check --network probes, with the verdict the lab's modes give. */
export function expectedMatrix(lab: Lab): ExpectedPair[] {
  const pairs: ExpectedPair[] = [];
  for (const network of sharedNetworks(lab)) pairs.push(...machinePairs(lab, network));
  for (const machine of lab.machines) {
    const cut = (pair: ExpectedPair | undefined, nic: Nic) => (pair && unplugged(lab.provider, nic) ? { ...pair, ...unpluggedVerdict(machine) } : pair);
    for (const nic of machine.nics) {
      const pair = cut(machineToHost(lab.provider, machine, nic), nic);
      if (pair) pairs.push(pair);
    }
    for (const nic of machine.nics) {
      const pair = cut(hostToMachine(lab.provider, machine, nic), nic);
      if (pair) pairs.push(pair);
    }
    pairs.push(...machineToOutside(lab.provider, machine));
  }
  return pairs;
}

function sharedNetworks(lab: Lab): Network[] {
  const seen = new Map<string, Network>();
  for (const machine of lab.machines) {
    for (const nic of machine.nics) {
      if (nic.named && PROBED_SHARED.includes(nic.network.mode)) seen.set(nic.network.key, nic.network);
    }
  }
  return [...seen.values()];
}

function member(machine: Machine, network: Network): Nic | undefined {
  return machine.nics.find((nic) => nic.named && nic.network.key === network.key);
}

/** The verdict of one direction of the provider's reach table: expected only where the reach is a plain yes. */
function verdictOf(provider: Provider, network: Network, direction: Direction): Pick<ExpectedPair, "expected" | "rule" | "libvirtDiffers"> | undefined {
  const { reach, rule } = reachOf(provider, network)[direction];
  if (reach === "depends") return undefined;
  const differs = provider === "libvirt" && libvirtDiffers(network, direction);
  return { expected: reach === "yes", rule, ...(differs ? { libvirtDiffers: true } : {}) };
}

// Machine to machine on one network: its members reach each other as the table says; a
// machine off the network reaches a member's address only by a route through the host.
function machinePairs(lab: Lab, network: Network): ExpectedPair[] {
  const pairs: ExpectedPair[] = [];
  for (const to of lab.machines) {
    const targetNic = member(to, network);
    if (!targetNic) continue;
    for (const from of lab.machines) {
      if (from === to) continue;
      const fromNic = member(from, network);
      const verdict = verdictOf(lab.provider, network, fromNic ? "toOtherVms" : "fromOffNetwork");
      if (!verdict) continue; // the LAN decides, not the lab
      const cut = [fromNic, targetNic].find((nic) => nic && unplugged(lab.provider, nic));
      pairs.push({
        kind: "vm-vm",
        from: from.name,
        to: to.name,
        network: network.key,
        mode: network.mode,
        id: `${from.name} -> ${to.name} @${network.key}`,
        target: { kind: "machine", machine: to.name, network: network.key, ...(targetNic.ip ? { address: targetNic.ip } : {}) },
        ...(cut ? unpluggedVerdict(cut === fromNic ? from : to) : fromNic ? verdict : offNetwork(verdict, from.name)),
      });
    }
  }
  return pairs;
}

/** An off-network verdict names the machine it is about: "m3 is not on it, and ...". */
function offNetwork(verdict: Pick<ExpectedPair, "expected" | "rule" | "libvirtDiffers">, from: string): Pick<ExpectedPair, "expected" | "rule" | "libvirtDiffers"> {
  return { ...verdict, rule: `${from} is not on it, ${verdict.expected ? "but" : "and"} ${verdict.rule}` };
}

/**
 * A NIC with `cable: false` has its cable unplugged (VirtualBox's --cableconnectedN off): it
 * reaches nothing and nothing reaches it. vagrant-libvirt cannot unplug a cable, so on
 * libvirt the NIC stays connected (the renderer warns).
 */
function unplugged(provider: Provider, nic: Nic): boolean {
  return provider === "virtualbox" && !nic.cable;
}

function unpluggedVerdict(owner: Machine): Pick<ExpectedPair, "expected" | "rule"> {
  return { expected: false, rule: `${owner.name}'s NIC on it has its cable unplugged (cable: false)` };
}

/** The host's address on a network: .1 where the host (or the NAT's gateway) sits, VirtualBox NAT's 10.0.x.2. */
function hostAddressOn(provider: Provider, nic: Nic): string | undefined {
  const { network } = nic;
  if (network.mode === "nat") {
    const block = natBlockOf(nic);
    return formatIpv4(hostAt(block, provider === "virtualbox" ? VBOX_NAT_HOST_OFFSET : 1));
  }
  return network.cidr ? formatIpv4(hostAt(network.cidr, 1)) : undefined;
}

function machineToHost(provider: Provider, machine: Machine, nic: Nic): ExpectedPair | undefined {
  const { network } = nic;
  if (network.mode === "null" || network.mode === "generic") return undefined;
  const verdict = verdictOf(provider, network, "toHost");
  if (!verdict) return undefined;
  const base = { kind: "vm-host" as const, id: `${machine.name} -> host @${network.key}`, from: machine.name, to: "host", network: network.key, mode: network.mode };
  if (network.mode === "bridged") return { ...base, target: { kind: "host", network: network.key, device: network.bridge }, ...verdict };
  // An internal network has no host: nobody should answer on the first address, where one would sit.
  const address = hostAddressOn(provider, nic);
  if (!address) return undefined;
  return { ...base, target: { kind: "host", network: network.key, address }, ...verdict };
}

function hostToMachine(provider: Provider, machine: Machine, nic: Nic): ExpectedPair | undefined {
  const { network } = nic;
  if (network.mode === "null" || network.mode === "generic") return undefined;
  if (!nic.ip && !network.cidr) return undefined; // no address to find
  const verdict = verdictOf(provider, network, "fromHost");
  if (!verdict) return undefined;
  return {
    kind: "host-vm",
    id: `host -> ${machine.name} @${network.key}`,
    from: "host",
    to: machine.name,
    network: network.key,
    mode: network.mode,
    target: { kind: "machine", machine: machine.name, network: network.key, ...(nic.ip ? { address: nic.ip } : {}) },
    ...verdict,
  };
}

function machineToOutside(provider: Provider, machine: Machine): ExpectedPair[] {
  const first = adapterOneReach(provider).toOutside;
  const pairs: ExpectedPair[] = [
    {
      kind: "vm-outside",
      id: `${machine.name} -> outside via nic1`,
      from: machine.name,
      to: "outside",
      network: "nic1",
      mode: provider === "libvirt" ? "management" : "nat",
      via: "nic1",
      target: { kind: "outside" },
      expected: first.reach === "yes",
      rule: first.rule,
    },
  ];
  for (const nic of machine.nics) {
    const { network } = nic;
    if (network.mode === "null" || network.mode === "generic") continue;
    const verdict = verdictOf(provider, network, "toOutside");
    if (!verdict) continue;
    pairs.push({
      kind: "vm-outside",
      id: `${machine.name} -> outside via ${network.key}`,
      from: machine.name,
      to: "outside",
      network: network.key,
      mode: network.mode,
      via: network.key,
      target: { kind: "outside" },
      ...(unplugged(provider, nic) ? unpluggedVerdict(machine) : verdict),
    });
  }
  return pairs;
}
