// What should reach what in a lab, from its config alone: every machine-to-machine pair on
// each shared network (and across networks: isolation is a feature), machine to host, host
// to machine, and machine to the outside through each NIC. Each verdict carries the rule of
// the mode that decides it, written so a report can say "... but <rule>".
// VirtualBox semantics follow the manual's table of networking modes (section 6.2); where
// the libvirt rendering of a mode behaves otherwise, the rule says so.
import type { Lab, Machine, Network, Nic, Provider } from "../config/types.js";
import { formatIpv4, hostAt } from "./ipv4.js";
import { MODES, type NetworkMode } from "./modes.js";

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

// Machine to machine on one network: its members reach each other (all shared modes do);
// a machine off the network reaches a member's address only by a route through the host.
function machinePairs(lab: Lab, network: Network): ExpectedPair[] {
  const pairs: ExpectedPair[] = [];
  const label = MODES[network.mode].label;
  for (const to of lab.machines) {
    const targetNic = member(to, network);
    if (!targetNic) continue;
    for (const from of lab.machines) {
      if (from === to) continue;
      const base = {
        kind: "vm-vm" as const,
        from: from.name,
        to: to.name,
        network: network.key,
        mode: network.mode,
        id: `${from.name} -> ${to.name} @${network.key}`,
        target: { kind: "machine" as const, machine: to.name, network: network.key, ...(targetNic.ip ? { address: targetNic.ip } : {}) },
      };
      const fromNic = member(from, network);
      const cut = [fromNic, targetNic].find((nic) => nic && unplugged(lab.provider, nic));
      if (fromNic) {
        pairs.push({ ...base, ...(cut ? unpluggedVerdict(cut === fromNic ? from : to) : { expected: true, rule: `machines on the same ${label} reach each other` }) });
        continue;
      }
      if (network.mode === "bridged") continue; // the LAN decides, not the lab
      pairs.push({ ...base, ...(cut ? unpluggedVerdict(to) : crossNetwork(lab.provider, network.mode, from.name)) });
    }
  }
  return pairs;
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

function crossNetwork(provider: Provider, mode: NetworkMode, from: string): Pick<ExpectedPair, "expected" | "rule" | "libvirtDiffers"> {
  if (provider === "libvirt") {
    const how = mode === "intnet" ? "has no route into it" : mode === "natnetwork" ? "lets only replies into a NAT network" : "does not forward into an isolated network";
    const differs = mode === "hostonly" || mode === "hostonlynet";
    return { expected: false, rule: `${from} is not on it, and the libvirt host ${how}`, ...(differs ? { libvirtDiffers: true } : {}) };
  }
  // VirtualBox NAT sends a machine's traffic out as the host's own: where the host reaches, so does the machine.
  if (mode === "hostonly" || mode === "hostonlynet") {
    return { expected: true, rule: `${from}'s NAT traffic leaves as the host's own, and the host is on every host-only network` };
  }
  const why = mode === "intnet" ? "internal networks do not include the host" : "the host reaches NAT Network machines only through port forwards";
  return { expected: false, rule: `${from} is not on it, and its NAT leads only where the host reaches: ${why}` };
}

/** The host's address on a network: .1 where the host (or the NAT's gateway) sits, VirtualBox NAT's 10.0.x.2. */
function hostAddressOn(provider: Provider, network: Network): string | undefined {
  if (!network.cidr) return undefined;
  const offset = provider === "virtualbox" && network.mode === "nat" ? 2 : 1;
  return formatIpv4(hostAt(network.cidr, offset));
}

function machineToHost(provider: Provider, machine: Machine, nic: Nic): ExpectedPair | undefined {
  const { network } = nic;
  const base = { kind: "vm-host" as const, from: machine.name, to: "host", network: network.key, mode: network.mode };
  const id = `${machine.name} -> host @${network.key}`;
  switch (network.mode) {
    case "hostonly":
    case "hostonlynet":
      return { ...base, id, target: { kind: "host", network: network.key, address: hostAddressOn(provider, network) }, expected: true, rule: "a host-only network includes the host (its first address)" };
    case "intnet":
      if (!network.cidr) return undefined;
      // Nobody should answer on the block's first address: that is where a host would sit.
      return { ...base, id, target: { kind: "host", network: network.key, address: hostAddressOn(provider, network) }, expected: false, rule: "internal networks do not include the host" };
    case "natnetwork":
    case "nat": {
      const address = hostAddressOn(provider, network);
      if (!address) return undefined;
      const rule =
        provider === "libvirt"
          ? "a libvirt NAT network has the host on its first address"
          : network.mode === "nat"
            ? "VirtualBox NAT maps the host to the block's second address (10.0.x.2)"
            : "a NAT Network's gateway (its first address) answers for the host side";
      return { ...base, id, target: { kind: "host", network: network.key, address }, expected: true, rule };
    }
    case "bridged":
      return { ...base, id, target: { kind: "host", network: network.key, device: network.bridge }, ...bridgedToHost(provider, network) };
    default:
      return undefined;
  }
}

// libvirt's default bridged attachment is macvtap, which keeps a guest and its own host apart.
function bridgedToHost(provider: Provider, network: Network): Pick<ExpectedPair, "expected" | "rule" | "libvirtDiffers"> {
  if (provider === "libvirt" && !network.linuxBridge) {
    return { expected: false, libvirtDiffers: true, rule: "libvirt bridges by macvtap, which keeps a guest and its own host apart (linuxBridge: true joins a host bridge instead)" };
  }
  return { expected: true, rule: "a bridged machine shares the host's LAN" };
}

function hostToMachine(provider: Provider, machine: Machine, nic: Nic): ExpectedPair | undefined {
  const { network } = nic;
  if (network.mode === "null" || network.mode === "generic") return undefined;
  if (!nic.ip && !network.cidr) return undefined; // no address to find
  const base = {
    kind: "host-vm" as const,
    id: `host -> ${machine.name} @${network.key}`,
    from: "host",
    to: machine.name,
    network: network.key,
    mode: network.mode,
    target: { kind: "machine" as const, machine: machine.name, network: network.key, ...(nic.ip ? { address: nic.ip } : {}) },
  };
  switch (network.mode) {
    case "hostonly":
    case "hostonlynet":
      return { ...base, expected: true, rule: "a host-only network includes the host" };
    case "bridged":
      return { ...base, ...bridgedToHost(provider, network) };
    case "intnet":
      return { ...base, expected: false, rule: "internal networks do not include the host" };
    case "natnetwork":
    case "nat":
      return provider === "libvirt"
        ? { ...base, expected: true, libvirtDiffers: true, rule: "libvirt gives the host the NAT network's first address, so the host reaches its machines directly (VirtualBox would need port forwards)" }
        : { ...base, expected: false, rule: `the host reaches a ${MODES[network.mode].label} machine only through port forwards` };
    default:
      return undefined;
  }
}

function machineToOutside(provider: Provider, machine: Machine): ExpectedPair[] {
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
      expected: true,
      rule: provider === "libvirt" ? "vagrant-libvirt's management network is a NAT network" : "adapter 1 is Vagrant's NAT",
    },
  ];
  for (const nic of machine.nics) {
    const { network } = nic;
    if (network.mode === "null" || network.mode === "generic") continue;
    const reaches = MODES[network.mode].toOutside === "yes";
    const rules: Partial<Record<NetworkMode, string>> = {
      hostonly: "a host-only network has no way out",
      hostonlynet: "a host-only network has no way out",
      intnet: "an internal network has no way out",
      natnetwork: "a NAT Network leads out through its NAT",
      nat: "a NAT leads out",
      bridged: "a bridged NIC is on the host's LAN, and out from there",
    };
    pairs.push({
      kind: "vm-outside",
      id: `${machine.name} -> outside via ${network.key}`,
      from: machine.name,
      to: "outside",
      network: network.key,
      mode: network.mode,
      via: network.key,
      target: { kind: "outside" },
      ...(unplugged(provider, nic) ? unpluggedVerdict(machine) : { expected: reaches, rule: rules[network.mode] ?? MODES[network.mode].summary }),
    });
  }
  return pairs;
}
