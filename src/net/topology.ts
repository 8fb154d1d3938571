// The lab as a graph to draw: machines, the networks they share (hubs), each NAT NIC's
// own NAT, bridged host devices, and the host and the outside where the provider's reach
// table (reach.ts) says a mode reaches them. Drawn by draw/mermaid.ts, draw/dot.ts and
// draw/svg.ts; no layout decisions here.
import type { Lab, Machine, Network, Nic } from "../config/types.js";
import type { NetworkMode } from "./modes.js";
import { formatIpv4, hostAt } from "./ipv4.js";
import { natBlockOf, vboxNatGuestAddress } from "./provider-addresses.js";
import { reachOf } from "./reach.js";

export type NodeKind = "machine" | "network" | "nat" | "device" | "detached" | "host" | "outside";

export interface TopologyNode {
  /** A generated id (n0, n1, ...): config strings never become identifiers in a drawing. */
  id: string;
  kind: NodeKind;
  /** The mode of a network, NAT or detached node; drawings colour by it. */
  mode?: NetworkMode | "management";
  /** Lines of the label, plain text; each drawing escapes them its own way. */
  lines: string[];
}

export interface TopologyEdge {
  from: string;
  to: string;
  label: string;
  /** Dashed: a link that carries nothing (not attached) or only forwarded ports. */
  dashed: boolean;
}

export interface Topology {
  title: string;
  nodes: TopologyNode[];
  edges: TopologyEdge[];
}

/** The graph of a lab: one node per machine and per network, edges per adapter. */
export function topologyOf(lab: Lab): Topology {
  const nodes: TopologyNode[] = [];
  const edges: TopologyEdge[] = [];
  const add = (kind: NodeKind, lines: string[], mode?: TopologyNode["mode"]): string => {
    const id = `n${nodes.length}`;
    nodes.push({ id, kind, lines, ...(mode ? { mode } : {}) });
    return id;
  };
  const once = new Map<string, string>();
  const shared = (key: string, make: () => string): string => {
    let id = once.get(key);
    if (!id) once.set(key, (id = make()));
    return id;
  };
  const host = () => shared("host", () => add("host", ["host"]));
  const outside = () => shared("outside", () => add("outside", ["outside", "LAN / internet"]));

  // The host sits on a network where it reaches the machines directly (on its first address).
  const networkNode = (network: Network): string =>
    shared(`network:${network.key}`, () => {
      const row = reachOf(lab.provider, network);
      const id = add("network", [network.key, row.label, network.cidr?.text ?? ""].filter(Boolean), network.mode);
      if (row.fromHost.reach === "yes") edges.push({ from: host(), to: id, label: `(${network.key})${network.cidr ? ` ${formatIpv4(hostAt(network.cidr, 1))}` : ""}`, dashed: false });
      if (row.toOutside.reach === "yes") edges.push({ from: id, to: outside(), label: "", dashed: false });
      return id;
    });

  // A bridged device is the host's, but libvirt's macvtap keeps the guests and the host apart.
  const deviceNode = (network: Network): string =>
    shared(`device:${network.bridge}:${lab.provider === "libvirt" && network.linuxBridge ? "bridge" : "device"}`, () => {
      const row = reachOf(lab.provider, network);
      const id = add("device", [network.bridge ?? "", lab.provider === "libvirt" ? `host ${network.linuxBridge ? "bridge" : "device (macvtap)"}` : "host device"], "bridged");
      edges.push({ from: id, to: outside(), label: "", dashed: false });
      if (row.toHost.reach === "yes") edges.push({ from: id, to: host(), label: "", dashed: false });
      return id;
    });

  for (const machine of lab.machines) {
    const self = add("machine", machineLines(lab, machine));
    for (const nic of machine.nics) attach(nic, self);
  }
  return { title: `${lab.name} (${lab.provider})`, nodes, edges };

  function attach(nic: Nic, self: string): void {
    // "nic3 (tenant) 10.10.0.10": the adapter, where it leads, and its address when fixed.
    const label = `nic${nic.slot} (${nic.named ? nic.network.key : nic.network.mode})${nic.ip ? ` ${nic.ip}` : ""}`;
    const { network } = nic;
    switch (network.mode) {
      case "nat": {
        // The NAT's block: the NIC's own, or VirtualBox's default for its slot (libvirt renders the same).
        const block = natBlockOf(nic);
        const row = reachOf(lab.provider, network);
        const nat = add("nat", [row.label, block.text], "nat");
        edges.push({ from: self, to: nat, label, dashed: false });
        edges.push({ from: nat, to: outside(), label: "", dashed: false });
        if (row.fromHost.reach === "yes") edges.push({ from: host(), to: nat, label: `(${network.key}) ${formatIpv4(hostAt(block, 1))}`, dashed: false });
        return;
      }
      case "bridged":
        edges.push({ from: self, to: deviceNode(network), label, dashed: false });
        return;
      case "null":
        edges.push({ from: self, to: add("detached", ["not attached"], "null"), label, dashed: true });
        return;
      case "generic":
        edges.push({ from: self, to: add("detached", ["generic", network.driver ?? ""].filter(Boolean), "generic"), label, dashed: true });
        return;
      default:
        edges.push({ from: self, to: networkNode(network), label, dashed: false });
    }
  }
}

// Adapter 1 (Vagrant's NAT, or vagrant-libvirt's management network) is on every machine
// alike: it goes in the machine's label, not as a node, so the picture shows the lab's own wiring.
function machineLines(lab: Lab, machine: Machine): string[] {
  const nested = machine.nested ? ", nested" : "";
  const first =
    lab.provider === "libvirt"
      ? `nic1: vagrant-libvirt mgmt ${lab.managementNetwork.text}`
      : `nic1: NAT ${vboxNatGuestAddress(lab.natCidr)} (vagrant ssh)`;
  const forwards = machine.forwards.map((f) => `${f.hostIp}:${f.host}→${f.guest}/${f.protocol}`);
  return [machine.name, `${machine.cpus} vCPU, ${machine.memory} MiB${nested}`, first, ...(forwards.length ? [`forwards ${forwards.join(", ")}`] : [])];
}
