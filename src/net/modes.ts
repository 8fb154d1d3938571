// The network modes a NIC can have, with their VirtualBox semantics (the VirtualBox
// manual, section 6.2, "Overview of networking modes", table 6.1) and how each one is
// rendered for Vagrant's VirtualBox provider and for vagrant-libvirt.

export const NETWORK_MODES = [
  "nat",
  "natnetwork",
  "bridged",
  "intnet",
  "hostonly",
  "hostonlynet",
  "null",
  "generic",
] as const;
export type NetworkMode = (typeof NETWORK_MODES)[number];

/** Whether traffic gets through: yes, no, or only through forwarded ports. */
export type Reach = "yes" | "no" | "port-forward" | "depends";

export interface ModeInfo {
  /** The name VirtualBox's manual and GUI use. */
  label: string;
  /** VM to host. */
  toHost: Reach;
  /** Host to VM. */
  fromHost: Reach;
  /** VM to other VMs on the same network. */
  toOtherVms: Reach;
  /** VM to the outside network (LAN, internet). */
  toOutside: Reach;
  /** One network several VMs join (declared under `networks`), as opposed to one per NIC. */
  shared: boolean;
  /** Whether a `cidr` is required, optional or meaningless for this mode. */
  cidr: "required" | "optional" | "none";
  /** Whether a NIC may carry a static `ip`. */
  staticIp: boolean;
  /** Rendered with Vagrant's own network declaration (Vagrant configures the guest side). */
  vagrantDeclared: boolean;
  /** Does the host (or the mode's gateway) take the first address of the block? */
  hostTakesFirstAddress: boolean;
  /** One sentence for `plan` and the generated comments. */
  summary: string;
  /** How vagrant-libvirt renders it, in one phrase. */
  libvirt: string;
}

export const MODES: Record<NetworkMode, ModeInfo> = {
  nat: {
    label: "NAT",
    toHost: "yes",
    fromHost: "port-forward",
    toOtherVms: "no",
    toOutside: "yes",
    shared: false,
    cidr: "optional",
    staticIp: false,
    vagrantDeclared: false,
    hostTakesFirstAddress: true,
    summary: "this VM alone behind its own NAT: reaches out; the host only via forwarded ports",
    libvirt: "a NAT network of its own for this machine",
  },
  natnetwork: {
    label: "NAT Network",
    toHost: "yes",
    fromHost: "port-forward",
    toOtherVms: "yes",
    toOutside: "yes",
    shared: true,
    cidr: "required",
    staticIp: true,
    vagrantDeclared: false,
    hostTakesFirstAddress: true,
    summary: "VMs on it reach each other and the outside; the host only via forwarded ports",
    libvirt: "a shared libvirt NAT network",
  },
  bridged: {
    label: "Bridged",
    toHost: "yes",
    fromHost: "yes",
    toOtherVms: "yes",
    toOutside: "yes",
    shared: true,
    cidr: "optional",
    staticIp: true,
    vagrantDeclared: true,
    hostTakesFirstAddress: false,
    summary: "on the host's physical network like another machine",
    libvirt: "a macvtap (direct) or Linux-bridge attachment to the named host device",
  },
  intnet: {
    label: "Internal Network",
    toHost: "no",
    fromHost: "no",
    toOtherVms: "yes",
    toOutside: "no",
    shared: true,
    cidr: "required",
    staticIp: true,
    vagrantDeclared: true,
    hostTakesFirstAddress: false,
    summary: "VMs only: neither the host nor the outside",
    libvirt: "a 'veryisolated' libvirt network: no host address, no forwarding, no DHCP",
  },
  hostonly: {
    label: "Host-only Adapter",
    toHost: "yes",
    fromHost: "yes",
    toOtherVms: "yes",
    toOutside: "no",
    shared: true,
    cidr: "required",
    staticIp: true,
    vagrantDeclared: true,
    hostTakesFirstAddress: true,
    summary: "VMs and the host, no outside",
    libvirt: "an isolated libvirt network (forward mode 'none') with the host on the first address",
  },
  hostonlynet: {
    label: "Host-only Network (VirtualBox 7)",
    toHost: "yes",
    fromHost: "yes",
    toOtherVms: "yes",
    toOutside: "no",
    shared: true,
    cidr: "required",
    staticIp: false,
    vagrantDeclared: false,
    hostTakesFirstAddress: true,
    summary: "VMs and the host, no outside (a VirtualBox 7 host-only network)",
    libvirt: "an isolated libvirt network (forward mode 'none') with DHCP",
  },
  null: {
    label: "Not attached",
    toHost: "no",
    fromHost: "no",
    toOtherVms: "no",
    toOutside: "no",
    shared: false,
    cidr: "none",
    staticIp: false,
    vagrantDeclared: false,
    hostTakesFirstAddress: false,
    summary: "a card with no network behind it",
    libvirt: "a NIC on a 'veryisolated' network of its own (libvirt has no unattached NIC)",
  },
  generic: {
    label: "Generic driver",
    toHost: "depends",
    fromHost: "depends",
    toOtherVms: "depends",
    toOutside: "depends",
    shared: false,
    cidr: "none",
    staticIp: false,
    vagrantDeclared: false,
    hostTakesFirstAddress: false,
    summary: "a VirtualBox generic driver (UDP tunnel, VDE): reach depends on the driver",
    libvirt: "no equivalent: a NIC on a 'veryisolated' network of its own",
  },
};

export function isNetworkMode(value: unknown): value is NetworkMode {
  return typeof value === "string" && (NETWORK_MODES as readonly string[]).includes(value);
}

/** The mode's reach in one sentence, as the provider renders it (libvirt differs for NAT). */
export function reachSummary(mode: NetworkMode, provider: "virtualbox" | "libvirt"): string {
  if (provider === "libvirt" && (mode === "natnetwork" || mode === "nat")) {
    return mode === "nat"
      ? "this VM alone behind its own NAT: reaches out; on libvirt the host holds the gateway address and reaches the VM directly"
      : "VMs on it reach each other and the outside; on libvirt the host holds the gateway address and reaches them directly";
  }
  if (provider === "libvirt" && mode === "bridged") {
    return "on the host's physical network like another machine; with macvtap (the default) not the host itself";
  }
  return MODES[mode].summary;
}
