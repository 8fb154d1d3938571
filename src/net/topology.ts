// The lab as a graph to draw: machines, the networks they share (hubs), each NAT NIC's
// own NAT, bridged host devices, and the host and the outside where a mode reaches them.
// Drawn by draw-mermaid.ts, draw-dot.ts and draw-svg.ts; no layout decisions here.
import type { Lab, Machine, Network, Nic } from "../config/types.js";
import { MODES, type NetworkMode } from "./modes.js";
import { formatIpv4, hostAt } from "./ipv4.js";

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

  const networkNode = (network: Network): string =>
    shared(`network:${network.key}`, () => {
      const id = add("network", [network.key, labelOf(network.mode, lab), network.cidr?.text ?? ""].filter(Boolean), network.mode);
      if (network.mode === "hostonly" || network.mode === "hostonlynet") {
        const address = network.cidr ? formatIpv4(hostAt(network.cidr, 1)) : "";
        edges.push({ from: host(), to: id, label: address, dashed: false });
      }
      if (network.mode === "natnetwork") edges.push({ from: id, to: outside(), label: "NAT", dashed: false });
      return id;
    });

  const deviceNode = (network: Network): string =>
    shared(`device:${network.bridge}`, () => {
      const id = add("device", [network.bridge ?? "", lab.provider === "libvirt" && network.linuxBridge ? "host bridge" : "host device"], "bridged");
      edges.push({ from: id, to: outside(), label: "", dashed: false });
      edges.push({ from: id, to: host(), label: "", dashed: false });
      return id;
    });

  for (const machine of lab.machines) {
    const self = add("machine", machineLines(lab, machine));
    for (const nic of machine.nics) attach(nic, self);
  }
  return { title: `${lab.name} (${lab.provider})`, nodes, edges };

  function attach(nic: Nic, self: string): void {
    const label = `nic${nic.slot}${nic.ip ? ` ${nic.ip}` : ""}`;
    const { network } = nic;
    switch (network.mode) {
      case "nat": {
        const nat = add("nat", ["NAT", network.cidr?.text ?? "10.0.2.0/24"].filter(Boolean), "nat");
        edges.push({ from: self, to: nat, label, dashed: false });
        edges.push({ from: nat, to: outside(), label: "", dashed: false });
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
  const first = lab.provider === "libvirt" ? `nic1: vagrant-libvirt mgmt ${lab.managementNetwork.text}` : "nic1: NAT 10.0.2.15 (vagrant ssh)";
  const forwards = machine.forwards.map((f) => `${f.hostIp}:${f.host}→${f.guest}/${f.protocol}`);
  return [machine.name, `${machine.cpus} vCPU, ${machine.memory} MiB${nested}`, first, ...(forwards.length ? [`forwards ${forwards.join(", ")}`] : [])];
}

/** The mode's name as the provider calls it (libvirt: what the renderer maps it to). */
function labelOf(mode: NetworkMode, lab: Lab): string {
  if (lab.provider === "virtualbox") return MODES[mode].label;
  const libvirt: Partial<Record<NetworkMode, string>> = {
    hostonly: "host-only (isolated)",
    hostonlynet: "host-only (isolated)",
    intnet: "internal (veryisolated)",
    natnetwork: "NAT network",
  };
  return libvirt[mode] ?? MODES[mode].label;
}
