// Every default of the config, in one place.
import { LIBVIRT_DEFAULT_NETWORK, VAGRANT_LIBVIRT_MANAGEMENT, VBOX_HOST_ONLY_RANGE, VBOX_NAT_ADAPTER1 } from "../net/provider-addresses.js";
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
  hostOnlyRange: VBOX_HOST_ONLY_RANGE,
  /** vagrant-libvirt's management network. */
  managementNetwork: VAGRANT_LIBVIRT_MANAGEMENT,
  /** The network of VirtualBox NAT adapter 1, which Vagrant uses for SSH. */
  vagrantNat: VBOX_NAT_ADAPTER1,
  /** libvirt's default network inside a guest that runs libvirtd (virbr0). */
  libvirtDefaultNetwork: LIBVIRT_DEFAULT_NETWORK,
  checkTimeoutSeconds: 180,
  upTimeoutMinutes: 30,
  /** The bus of extra disks on libvirt (vagrant-libvirt's default for `libvirt.storage`). */
  diskBus: "virtio" as const,
  firstSlot: 2,
  lastSlot: 8,
  /** The MTU of the LAN between a lab's libvirt hosts (`hosts.<name>.lanMtu`): Ethernet's. */
  lanMtu: 1500,
} as const;

/**
 * The default synced-folder choice: VirtualBox shares natively; on libvirt Vagrant would
 * share by the first the host has of rsync (a one-way copy), NFS (root, an NFS server) and
 * virtiofs (config/synced-folders.ts folderTypeOn), so kvm-lab leaves it to the config.
 */
export function defaultSyncedFolder(provider: Provider): boolean {
  return provider === "virtualbox";
}
