// The network modes a NIC can have (VirtualBox's names for them) and what the config
// allows on each. What each mode reaches, per provider, is in reach.ts.

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

export interface ModeInfo {
  /** The name VirtualBox's manual and GUI use. */
  label: string;
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
}

export const MODES: Record<NetworkMode, ModeInfo> = {
  nat: {
    label: "NAT",
    shared: false,
    cidr: "optional",
    staticIp: false,
    vagrantDeclared: false,
    hostTakesFirstAddress: true,
  },
  natnetwork: {
    label: "NAT Network",
    shared: true,
    cidr: "required",
    staticIp: true,
    vagrantDeclared: false,
    hostTakesFirstAddress: true,
  },
  bridged: {
    label: "Bridged",
    shared: true,
    cidr: "optional",
    staticIp: true,
    vagrantDeclared: true,
    hostTakesFirstAddress: false,
  },
  intnet: {
    label: "Internal Network",
    shared: true,
    cidr: "required",
    staticIp: true,
    vagrantDeclared: true,
    hostTakesFirstAddress: false,
  },
  hostonly: {
    label: "Host-only Adapter",
    shared: true,
    cidr: "required",
    staticIp: true,
    vagrantDeclared: true,
    hostTakesFirstAddress: true,
  },
  hostonlynet: {
    label: "Host-only Network (VirtualBox 7)",
    shared: true,
    cidr: "required",
    staticIp: false,
    vagrantDeclared: false,
    hostTakesFirstAddress: true,
  },
  null: {
    label: "Not attached",
    shared: false,
    cidr: "none",
    staticIp: false,
    vagrantDeclared: false,
    hostTakesFirstAddress: false,
  },
  generic: {
    label: "Generic driver",
    shared: false,
    cidr: "none",
    staticIp: false,
    vagrantDeclared: false,
    hostTakesFirstAddress: false,
  },
};

export function isNetworkMode(value: unknown): value is NetworkMode {
  return typeof value === "string" && (NETWORK_MODES as readonly string[]).includes(value);
}
