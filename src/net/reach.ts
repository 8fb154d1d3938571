// What each network mode reaches, per provider: one table for VirtualBox (its manual's
// "Overview of Networking Modes" and the pages behind it) and one for libvirt (what
// src/render/libvirt.ts makes of each mode, and what vagrant-libvirt and libvirt do with
// that). `plan`, `plan --matrix`, the topology and the Vagrantfile's comments all read it.
import type { Network, Provider } from "../config/types.js";
import { VAGRANT_LIBVIRT_MANAGEMENT } from "./provider-addresses.js";
import type { NetworkMode } from "./modes.js";

/** Whether traffic gets through: yes, no, only through forwarded ports, or the setup decides. */
export type Reach = "yes" | "no" | "port-forward" | "depends";

/** One direction of a row: the reach and the rule that decides it, a clause for "..., but <rule>". */
export interface Verdict {
  reach: Reach;
  rule: string;
}

export interface ReachRow {
  /** What the provider calls the thing this mode becomes. */
  label: string;
  /** How kvm-lab renders the mode on this provider, in one phrase. */
  rendering: string;
  /** VM to the host. */
  toHost: Verdict;
  /** Host to VM. */
  fromHost: Verdict;
  /** VM to other VMs on the same network. */
  toOtherVms: Verdict;
  /** VM to the outside network (LAN, internet). */
  toOutside: Verdict;
  /** A VM not on the network (through its adapter 1 and the host) to a VM on it; the rule follows "<vm> is not on it, and|but". */
  fromOffNetwork: Verdict;
  /** One sentence for the Vagrantfile's comments and the scaffolded README. */
  summary: string;
  /** Where the row's facts come from upstream. */
  source: string;
}

/** A row of the table: a mode, adapter 1 (Vagrant's NAT or vagrant-libvirt's management network), or libvirt's Linux-bridge flavour of bridged. */
export type ReachKey = NetworkMode | "adapter1" | "bridged-linux";

const yes = (rule: string): Verdict => ({ reach: "yes", rule });
const no = (rule: string): Verdict => ({ reach: "no", rule });
const forwarded = (rule: string): Verdict => ({ reach: "port-forward", rule });
const depends = (rule: string): Verdict => ({ reach: "depends", rule });

const VBOX_TABLE = "VirtualBox manual, doc/manual/en_US/dita/topics/networkingmodes.dita, table \"Overview of Networking Modes\"";
const VBOX_NAT = `${VBOX_TABLE} (row NAT); nat-address-config.dita (the host at 10.0.x.2)`;
const VBOX_HOST_ONLY = `${VBOX_TABLE} (row Host-only); network_hostonly.dita`;

const VBOX_NAT_ROW: ReachRow = {
  label: "NAT",
  rendering: "a VirtualBox NAT of this adapter's own (--nicN nat)",
  toHost: yes("VirtualBox NAT maps the host to the block's second address (10.0.x.2)"),
  fromHost: forwarded("the host reaches a machine behind VirtualBox NAT only through port forwards"),
  toOtherVms: no("each VirtualBox NAT is one machine's alone"),
  toOutside: yes("a NAT leads out"),
  fromOffNetwork: no("each VirtualBox NAT is one machine's alone"),
  summary: "this VM alone behind its own NAT: reaches out and the host (10.0.x.2); the host only via forwarded ports",
  source: VBOX_NAT,
};

const VBOX_BRIDGED: ReachRow = {
  label: "Bridged",
  rendering: "a bridged adapter on the named host device",
  toHost: yes("a bridged machine shares the host's LAN"),
  fromHost: yes("a bridged machine shares the host's LAN"),
  toOtherVms: yes("machines bridged to the same device reach each other"),
  toOutside: yes("a bridged NIC is on the host's LAN, and out from there"),
  fromOffNetwork: depends("the LAN decides, not the lab"),
  summary: "on the host's physical network like another machine",
  source: `${VBOX_TABLE} (row Bridged)`,
};

const VBOX_HOST_ONLY_ROW: ReachRow = {
  label: "Host-only Adapter",
  rendering: "a host-only adapter (the host on the block's first address)",
  toHost: yes("a host-only network includes the host (its first address)"),
  fromHost: yes("a host-only network includes the host"),
  toOtherVms: yes("machines on the same host-only network reach each other"),
  toOutside: no("a host-only network has no way out"),
  fromOffNetwork: yes("its NAT traffic leaves as the host's own, and the host is on every host-only network"),
  summary: "VMs and the host, no outside",
  source: VBOX_HOST_ONLY,
};

/** VirtualBox, from its manual's table of networking modes. */
const VIRTUALBOX: Record<ReachKey, ReachRow> = {
  adapter1: { ...VBOX_NAT_ROW, label: "NAT (adapter 1, Vagrant's)", toOutside: yes("adapter 1 is Vagrant's NAT, which leads out") },
  nat: VBOX_NAT_ROW,
  natnetwork: {
    label: "NAT Network",
    rendering: "a VirtualBox NAT Network (created by the Vagrantfile's trigger)",
    toHost: yes("a NAT Network's gateway (its first address) answers for the host side"),
    fromHost: forwarded("the host reaches NAT Network machines only through port forwards"),
    toOtherVms: yes("machines on the same NAT Network reach each other"),
    toOutside: yes("a NAT Network leads out through its NAT"),
    fromOffNetwork: no("its NAT leads only where the host reaches: the host reaches NAT Network machines only through port forwards"),
    summary: "VMs on it reach each other and the outside; the host only via forwarded ports",
    source: `${VBOX_TABLE} (row NATservice, its NAT Network); network_nat_service.dita`,
  },
  bridged: VBOX_BRIDGED,
  "bridged-linux": VBOX_BRIDGED,
  intnet: {
    label: "Internal Network",
    rendering: "a VirtualBox internal network",
    toHost: no("internal networks do not include the host"),
    fromHost: no("internal networks do not include the host"),
    toOtherVms: yes("machines on the same internal network reach each other"),
    toOutside: no("an internal network has no way out"),
    fromOffNetwork: no("its NAT leads only where the host reaches: internal networks do not include the host"),
    summary: "VMs only: neither the host nor the outside",
    source: `${VBOX_TABLE} (row Internal)`,
  },
  hostonly: VBOX_HOST_ONLY_ROW,
  hostonlynet: {
    ...VBOX_HOST_ONLY_ROW,
    label: "Host-only Network (VirtualBox 7)",
    rendering: "a VirtualBox 7 host-only network on macOS, a host-only adapter elsewhere",
    summary: "VMs and the host, no outside (a VirtualBox 7 host-only network on macOS)",
  },
  null: {
    label: "Not attached",
    rendering: "an adapter with no network (--nicN null)",
    toHost: no("a card that is not attached reaches nothing"),
    fromHost: no("a card that is not attached reaches nothing"),
    toOtherVms: no("a card that is not attached reaches nothing"),
    toOutside: no("a card that is not attached reaches nothing"),
    fromOffNetwork: no("a card that is not attached reaches nothing"),
    summary: "a card with no network behind it",
    source: `${VBOX_TABLE} (mode list, "Not attached")`,
  },
  generic: {
    label: "Generic driver",
    rendering: "a VirtualBox generic driver (--nicgenericdrvN)",
    toHost: depends("a generic driver's reach is the driver's"),
    fromHost: depends("a generic driver's reach is the driver's"),
    toOtherVms: depends("a generic driver's reach is the driver's"),
    toOutside: depends("a generic driver's reach is the driver's"),
    fromOffNetwork: depends("a generic driver's reach is the driver's"),
    summary: "a VirtualBox generic driver (UDP tunnel, VDE): reach depends on the driver",
    source: `${VBOX_TABLE} (mode list, "Generic networking")`,
  },
};

const VAGRANT_LIBVIRT_NETWORKS =
  "vagrant-libvirt docs/configuration.markdown (Private Network Options: libvirt__forward_mode) and lib/vagrant-libvirt/templates/private_network.xml.erb";
const ISOLATED = `${VAGRANT_LIBVIRT_NETWORKS}: forward mode 'none' writes no <forward>, so no way out; the <ip> is the host's`;
const VERY_ISOLATED = `${VAGRANT_LIBVIRT_NETWORKS}: 'veryisolated' writes neither <forward> nor <ip>, so the host has no address on it (libvirt docs/formatnetwork.rst, "Network config with no gateway addresses")`;
const NAT_NETWORK = `${VAGRANT_LIBVIRT_NETWORKS}: forward mode 'nat' with the host on <ip> (libvirt docs/formatnetwork.rst, "NAT based network")`;

const LIBVIRT_HOST_ONLY: ReachRow = {
  label: "host-only (isolated)",
  rendering: "an isolated libvirt network (forward mode 'none') with the host on the first address",
  toHost: yes("a host-only network includes the host (its first address)"),
  fromHost: yes("a host-only network includes the host"),
  toOtherVms: yes("machines on the same host-only network reach each other"),
  toOutside: no("a host-only network has no way out"),
  fromOffNetwork: no("the libvirt host does not forward into an isolated network"),
  summary: "VMs and the host, no outside (an isolated libvirt network)",
  source: ISOLATED,
};

const LIBVIRT_UNWIRED = (why: string, rendering: string, summary: string): ReachRow => ({
  label: "isolated, alone",
  rendering,
  toHost: no(why),
  fromHost: no(why),
  toOtherVms: no(why),
  toOutside: no(why),
  fromOffNetwork: no(why),
  summary,
  source: VERY_ISOLATED,
});

/** libvirt, from what src/render/libvirt.ts renders each mode as. */
const LIBVIRT: Record<ReachKey, ReachRow> = {
  adapter1: {
    label: "vagrant-libvirt management network",
    rendering: `vagrant-libvirt's management network (NAT, ${VAGRANT_LIBVIRT_MANAGEMENT.text} unless libvirt.managementNetwork moves it)`,
    toHost: yes("vagrant-libvirt's management network has the host on its first address"),
    fromHost: yes("vagrant-libvirt's management network has the host on its first address"),
    toOtherVms: yes("every machine is on vagrant-libvirt's management network"),
    toOutside: yes("vagrant-libvirt's management network is a NAT network"),
    fromOffNetwork: yes("every machine is on vagrant-libvirt's management network"),
    summary: "every VM, the host and the outside (vagrant-libvirt's management network, NAT)",
    source: "vagrant-libvirt lib/vagrant-libvirt/config.rb, Config#finalize! (management_network_mode 'nat', management_network_address)",
  },
  nat: {
    label: "NAT network, its own",
    rendering: "a libvirt NAT network of this machine's own (forward mode 'nat'), the host on the first address",
    toHost: yes("a libvirt NAT network has the host on its first address"),
    fromHost: yes("libvirt gives the host the NAT network's first address, so the host reaches its machines directly"),
    toOtherVms: no("this libvirt NAT network is one machine's alone"),
    toOutside: yes("a NAT leads out"),
    fromOffNetwork: no("the libvirt host lets only replies into a NAT network"),
    summary: "this VM alone behind its own NAT: reaches out; the host (its gateway) reaches it directly",
    source: NAT_NETWORK,
  },
  natnetwork: {
    label: "NAT network",
    rendering: "a shared libvirt NAT network (forward mode 'nat'), the host on the first address",
    toHost: yes("a libvirt NAT network has the host on its first address"),
    fromHost: yes("libvirt gives the host the NAT network's first address, so the host reaches its machines directly"),
    toOtherVms: yes("machines on the same NAT network reach each other"),
    toOutside: yes("a NAT network leads out through the host's NAT"),
    fromOffNetwork: no("the libvirt host lets only replies into a NAT network"),
    summary: "VMs on it reach each other and the outside; the host (their gateway) reaches them directly",
    source: NAT_NETWORK,
  },
  bridged: {
    label: "macvtap",
    rendering: "a macvtap (direct, mode 'bridge') attachment to the named host device",
    toHost: no("libvirt bridges by macvtap, which keeps a guest and its own host apart (linuxBridge: true joins a host bridge instead)"),
    fromHost: no("libvirt bridges by macvtap, which keeps a guest and its own host apart (linuxBridge: true joins a host bridge instead)"),
    toOtherVms: yes("machines on macvtap in bridge mode on the same device reach each other"),
    toOutside: yes("a bridged NIC is on the host's LAN, and out from there"),
    fromOffNetwork: depends("the LAN decides, not the lab"),
    summary: "on the host's physical network like another machine, but by macvtap: not the host itself",
    source:
      "vagrant-libvirt docs/configuration.markdown (Public Network Options: macvtap); libvirt docs/formatdomain.rst, \"Direct attachment to physical interface\" (mode 'bridge')",
  },
  "bridged-linux": {
    label: "Linux bridge",
    rendering: "a port on the named Linux bridge of the host",
    toHost: yes("a machine on a host bridge shares the host's LAN"),
    fromHost: yes("a machine on a host bridge shares the host's LAN"),
    toOtherVms: yes("machines on the same host bridge reach each other"),
    toOutside: yes("a bridged NIC is on the host's LAN, and out from there"),
    fromOffNetwork: depends("the LAN decides, not the lab"),
    summary: "on the host's physical network like another machine, through the host's Linux bridge",
    source: "vagrant-libvirt docs/configuration.markdown (Public Network Options: type 'bridge'); libvirt docs/formatdomain.rst, \"Bridge to LAN\"",
  },
  intnet: {
    label: "internal (veryisolated)",
    rendering: "a 'veryisolated' libvirt network: no host address, no forwarding, no DHCP",
    toHost: no("internal networks do not include the host"),
    fromHost: no("internal networks do not include the host"),
    toOtherVms: yes("machines on the same internal network reach each other"),
    toOutside: no("an internal network has no way out"),
    fromOffNetwork: no("the libvirt host has no address on it, so no route into it"),
    summary: "VMs only: neither the host nor the outside (a 'veryisolated' libvirt network)",
    source: VERY_ISOLATED,
  },
  hostonly: LIBVIRT_HOST_ONLY,
  hostonlynet: { ...LIBVIRT_HOST_ONLY, rendering: "an isolated libvirt network (forward mode 'none') with DHCP, the host on the first address" },
  null: LIBVIRT_UNWIRED(
    "libvirt has no unattached NIC: it is alone on an isolated network of its own",
    "a NIC alone on a 'veryisolated' network of its own (libvirt has no unattached NIC)",
    "a card with no network behind it (alone on an isolated libvirt network)",
  ),
  generic: LIBVIRT_UNWIRED(
    "libvirt has no generic driver: the NIC is alone on an isolated network of its own",
    "no equivalent: a NIC alone on a 'veryisolated' network of its own",
    "no libvirt equivalent of a VirtualBox generic driver: a NIC with nothing behind it",
  ),
};

/** Both tables, by provider. */
export const REACH: Record<Provider, Record<ReachKey, ReachRow>> = { virtualbox: VIRTUALBOX, libvirt: LIBVIRT };

/** The row that decides a network's reach on a provider (libvirt bridged: macvtap or a Linux bridge). */
export function reachOf(provider: Provider, network: Pick<Network, "mode"> & { linuxBridge?: boolean }): ReachRow {
  const key: ReachKey = network.mode === "bridged" && network.linuxBridge ? "bridged-linux" : network.mode;
  return REACH[provider][key];
}

/** Adapter 1's row: Vagrant's NAT on VirtualBox, vagrant-libvirt's management network on libvirt. */
export function adapterOneReach(provider: Provider): ReachRow {
  return REACH[provider].adapter1;
}

export type Direction = "toHost" | "fromHost" | "toOtherVms" | "toOutside" | "fromOffNetwork";

/** Whether libvirt's rendering of a mode reaches otherwise than VirtualBox does in one direction. */
export function libvirtDiffers(network: Pick<Network, "mode"> & { linuxBridge?: boolean }, direction: Direction): boolean {
  return reachOf("libvirt", network)[direction].reach !== reachOf("virtualbox", network)[direction].reach;
}
