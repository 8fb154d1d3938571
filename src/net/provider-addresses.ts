// The addresses VirtualBox, vagrant-libvirt and libvirt pick on their own, each written once
// with the upstream source it comes from. Every other module imports them from here.
import { cidr, formatIpv4, hostAt, type Cidr } from "./ipv4.js";

/**
 * VirtualBox NAT: the NAT of the adapter with 0-based instance i is 10.0.(i+2).0/24 unless
 * `--natnetN` says otherwise: "x corresponds to the instance of the NAT interface +2. So x is
 * 2 when there is only one NAT instance active" (VirtualBox manual, doc/manual/en_US/dita/
 * topics/nat-address-config.dita, "Configuring the Address of a NAT Network Interface"), and
 * in code: Console::i_configNetwork, case NetworkAttachmentType_NAT, writes "Network" as
 * "10.0.%d.0/24" with uSlot+2 when the NAT engine has no network set (src/VBox/Main/
 * src-client/ConsoleImplConfigCommon.cpp; ConsoleImpl2.cpp before 7.1). INetworkAdapter's
 * Slot counts from 0 and VBoxManage's `--nicN` from 1, so adapter N is 10.0.(N+1).0/24.
 */
export const VBOX_NAT_ADAPTER1 = cidr("10.0.2.0/24");

/** The block VirtualBox gives NAT adapter `slot` (1-based, as `--nicN`): 10.0.(slot+1).0/24. */
export function vboxNatDefaultBlock(slot: number): Cidr {
  if (!Number.isInteger(slot) || slot < 1 || slot > 36) throw new Error(`no VirtualBox adapter ${slot}`);
  return cidr(`10.0.${slot + 1}.0/24`);
}

/**
 * Offsets inside a VirtualBox NAT block (same manual page): "the guest is assigned to the address
 * 10.0.2.15, the gateway is set to 10.0.2.2 and the name server can be found at 10.0.2.3";
 * with `--natnet1 "192.168/16"` the guest is 192.168.0.15 and the gateway 192.168.0.2. The
 * gateway is also where the guest reaches the host's own services.
 */
export const VBOX_NAT_GUEST_OFFSET = 15;
export const VBOX_NAT_HOST_OFFSET = 2;

/** The guest's own address behind a VirtualBox NAT block (10.0.2.15 for adapter 1). */
export function vboxNatGuestAddress(block: Cidr): string {
  return formatIpv4(hostAt(block, VBOX_NAT_GUEST_OFFSET));
}

/** Where a guest behind a VirtualBox NAT block finds the host (10.0.2.2 for adapter 1). */
export function vboxNatHostAddress(block: Cidr): string {
  return formatIpv4(hostAt(block, VBOX_NAT_HOST_OFFSET));
}

/**
 * VirtualBox 6.1.28+ lets host-only networks use only 192.168.56.0/21 on Linux, macOS and
 * Solaris unless /etc/vbox/networks.conf allows more (VirtualBox manual, doc/manual/en_US/
 * dita/topics/network_hostonly.dita, "Host-Only Networking").
 */
export const VBOX_HOST_ONLY_RANGE = cidr("192.168.56.0/21");

/**
 * vagrant-libvirt's management network, adapter 1 of every machine: `management_network_address`
 * defaults to '192.168.121.0/24' and `management_network_mode` to 'nat'
 * (vagrant-libvirt lib/vagrant-libvirt/config.rb, Config#finalize!).
 */
export const VAGRANT_LIBVIRT_MANAGEMENT = cidr("192.168.121.0/24");

/**
 * libvirt's "default" network (virbr0), which a guest that runs libvirtd itself gets:
 * `<ip address='192.168.122.1' netmask='255.255.255.0'>` (libvirt src/network/default.xml.in).
 */
export const LIBVIRT_DEFAULT_NETWORK = cidr("192.168.122.0/24");

/**
 * The block of an extra NAT adapter: its own `cidr`, or VirtualBox's default for its slot.
 * libvirt renders the same block, so a lab's NAT addresses match on both providers.
 */
export function natBlockOf(nic: { slot: number; network: { cidr?: Cidr } }): Cidr {
  return nic.network.cidr ?? vboxNatDefaultBlock(nic.slot);
}
