// Networks that span hosts: a lab network with machines on more than one libvirt host is
// one L2 segment on all of them. On each host it is a libvirt network of the same name, on a
// bridge kvm-lab names, joined to the other hosts' by a VXLAN device of the same name (one
// VNI per network). One host, the network's home (the first host in the config that uses
// it), holds what the mode puts on the host side: the gateway address, DHCP and, for a NAT
// network, the NAT. The other hosts' bridges carry no DHCP, no DNS and no forwarding; on
// networks with a host side (host-only, NAT network) each has an address of its own, taken
// just below the DHCP range, because vagrant-libvirt finds a network for an addressed NIC by
// its address (create_networks.rb handle_ip_option / handle_dhcp_private_network:
// lookup_network_by_ip) and an addressless one would be refused (NetworkNameAndAddressMismatch).
import { createHash } from "node:crypto";
import type { Lab, Network } from "../config/types.js";
import { dhcpLayoutOf, formatIpv4, hostAt, parseIpv4 } from "../net/ipv4.js";

/** VXLAN's encapsulation: outer IPv4 (20) + UDP (8) + VXLAN (8) + inner Ethernet (14) (RFC 7348 section 5). */
export const VXLAN_OVERHEAD = 50;
/** The IANA port of VXLAN (RFC 7348 section 5); Linux's default is 8472, so it is always named. */
export const VXLAN_PORT = 4789;

/** Modes whose network can span hosts: one segment of the lab's own (NAT, bridged and unattached NICs are each machine's or the host's). */
const SPANNING_MODES = new Set(["intnet", "hostonly", "hostonlynet", "natnetwork"]);

/** One host's part of a spanning network. */
export interface SpanPart {
  host: string;
  /** The host's address on the segment (none on an internal network). */
  hostIp?: string;
  /** The DHCP range when this host serves DHCP (the home host, where the mode has it). */
  dhcp?: { start: string; end: string };
  /** libvirt's forward mode here: nat (home of a NAT network), none (isolated with an address), veryisolated (internal). */
  forwardMode: "nat" | "none" | "veryisolated";
}

export interface Span {
  network: Network;
  /** Hosts with machines on it, in config order; the first is its home. */
  hosts: string[];
  home: string;
  /** VXLAN network identifier (24 bits), from the lab's and the network's names. */
  vni: number;
  /** The bridge and the VXLAN device, the same names on every host (15 characters at most: IFNAMSIZ). */
  bridge: string;
  device: string;
  /** The MTU of the segment: the smallest LAN MTU of its hosts less VXLAN's overhead. */
  mtu: number;
  parts: SpanPart[];
}

/** Whether `network`'s libvirt network serves DHCP: where some NIC takes a lease (the setting must match on every NIC of it). */
export function usesDhcp(lab: Lab, network: Network): boolean {
  if (network.mode === "hostonlynet" || network.mode === "natnetwork" || network.mode === "nat") return true;
  if (network.mode !== "hostonly") return false;
  return lab.machines.some((m) => m.nics.some((nic) => nic.network === network && !nic.ip));
}

/** The address of the k-th host (k from 1) other than the home on an addressed spanning network: below the DHCP range. */
export function extraHostAddress(network: Network, k: number): string {
  const block = network.cidr!;
  const lower = parseIpv4(dhcpLayoutOf(block).lower)!;
  return formatIpv4(lower - k);
}

/** A short stable hash of the lab's and the network's names. */
function nameHash(lab: Lab, network: Network): string {
  return createHash("sha256").update(`${lab.name}\0${network.providerName}`).digest("hex");
}

/** The lab's spanning networks, in the order of lab.networks (empty for a lab without hosts). */
export function spansOf(lab: Lab): Span[] {
  if (lab.hosts.length < 2) return [];
  const hostOrder = lab.hosts.map((h) => h.name);
  const spans: Span[] = [];
  for (const network of lab.networks) {
    if (!SPANNING_MODES.has(network.mode)) continue;
    const used = new Set(lab.machines.filter((m) => m.host && m.nics.some((n) => n.network === network)).map((m) => m.host!.name));
    if (used.size < 2) continue;
    const hosts = hostOrder.filter((h) => used.has(h));
    const hash = nameHash(lab, network);
    const mtu = Math.min(...lab.hosts.filter((h) => used.has(h.name)).map((h) => h.lanMtu)) - VXLAN_OVERHEAD;
    const parts = hosts.map((host, index): SpanPart => {
      if (network.mode === "intnet") return { host, forwardMode: "veryisolated" };
      if (index > 0) return { host, hostIp: extraHostAddress(network, index), forwardMode: "none" };
      const layout = dhcpLayoutOf(network.cidr!);
      return {
        host,
        hostIp: formatIpv4(hostAt(network.cidr!, 1)),
        ...(usesDhcp(lab, network) ? { dhcp: { start: layout.lower, end: layout.upper } } : {}),
        forwardMode: network.mode === "natnetwork" ? "nat" : "none",
      };
    });
    spans.push({ network, hosts, home: hosts[0], vni: (parseInt(hash.slice(0, 6), 16) % 0xfffffe) + 1, bridge: `kvb-${hash.slice(0, 8)}`, device: `kvx-${hash.slice(0, 8)}`, mtu, parts });
  }
  return spans;
}

/** A host's part of a span, when the host is on it. */
export function partOf(span: Span, host: string): SpanPart | undefined {
  return span.parts.find((p) => p.host === host);
}
