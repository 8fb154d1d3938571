// Every default of the config, in one place.
import { cidr } from "../net/ipv4.js";
import type { Accel, Protocol, Provider } from "./types.js";

export const DEFAULTS = {
  provider: "virtualbox" as Provider,
  cpus: 2,
  memory: 2048,
  nested: true,
  accel: "kvm" as Accel,
  cable: true,
  forwardHostIp: "127.0.0.1",
  protocol: "tcp" as Protocol,
  /** VirtualBox 6.1.28+ allows host-only networks only here unless /etc/vbox/networks.conf says more. */
  hostOnlyRange: cidr("192.168.56.0/21"),
  /** vagrant-libvirt's management network. */
  managementNetwork: cidr("192.168.121.0/24"),
  /** The network of VirtualBox NAT adapter 1, which Vagrant uses for SSH. */
  vagrantNat: cidr("10.0.2.0/24"),
  /** libvirt's default network inside a guest that runs libvirtd (virbr0). */
  libvirtDefaultNetwork: cidr("192.168.122.0/24"),
  checkTimeoutSeconds: 180,
  upTimeoutMinutes: 30,
  firstSlot: 2,
  lastSlot: 8,
} as const;

/** The default synced-folder choice: VirtualBox shares natively; libvirt would need an NFS server. */
export function defaultSyncedFolder(provider: Provider): boolean {
  return provider === "virtualbox";
}

/** VirtualBox's default block for NAT adapter N is 10.0.(N+1).0/24 (adapter 1: 10.0.2.0/24). */
export function defaultNatCidr(slot: number): string {
  return `10.0.${slot + 1}.0/24`;
}
