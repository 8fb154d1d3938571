// Parts of a machine's view that both providers print the same way.
import type { Machine, Nic, Provider } from "../config/types.js";
import type { NetworkMode } from "../net/modes.js";
import { reachOf } from "../net/reach.js";
import type { NetworkLineView, OptionPairs } from "./view.js";

const ADDRESS_WITHOUT_IP: Record<NetworkMode, string> = {
  hostonly: ", DHCP",
  hostonlynet: ", DHCP",
  natnetwork: ", DHCP",
  nat: ", DHCP",
  bridged: ", DHCP",
  intnet: ", no address (internal networks have no DHCP)",
  null: "",
  generic: "",
};

/** Two comment lines: `adapter 3: intnet "tenant" (10.10.0.0/24), ip 10.10.0.10`, then what the mode reaches on the provider. */
export function describeNic(provider: Provider, nic: Nic, suffix = ""): string[] {
  const { network } = nic;
  const name = nic.named ? ` "${network.key}"` : "";
  const block = network.cidr ? ` (${network.cidr.text})` : "";
  const bridge = network.bridge ? ` to ${network.bridge}` : "";
  const address = nic.ip ? `, ip ${nic.ip}` : ADDRESS_WITHOUT_IP[network.mode];
  return [`adapter ${nic.slot}: ${network.mode}${name}${block}${bridge}${address}${suffix}`, `  ${reachOf(provider, network).summary}`];
}

/** Forwarded ports: bound to 127.0.0.1 unless the config names another host address. */
export function forwardLines(machine: Machine, options: { nicForwards?: boolean } = {}): NetworkLineView[] {
  // libvirt: forwards of nat and natnetwork NICs too; vagrant-libvirt tunnels every forward
  // over SSH to the guest, so the NIC a port is reached through makes no difference there.
  const nicForwards = options.nicForwards ? machine.nics.flatMap((nic) => nic.forwards.map((forward) => ({ forward, via: `adapter ${nic.slot}` }))) : [];
  return [...machine.forwards.map((forward) => ({ forward, via: "" })), ...nicForwards].map(({ forward, via }) => ({
    comment: [`${forward.protocol} ${forward.hostIp}:${forward.host} -> guest ${forward.guest}${via ? ` (the config forwards it through ${via})` : ""}`],
    kind: "forwarded_port",
    options: [
      ["guest", forward.guest],
      ["host", forward.host],
      ["host_ip", forward.hostIp],
      ["protocol", forward.protocol],
      ["id", `${forward.protocol}${forward.guest}-${forward.host}`],
    ],
  }));
}

/**
 * A declared NIC's guest settings as Vagrant options after `pairs`: `auto_config: false`
 * (unless `pairs` has it already) and, on a DHCP public network, keeping the DHCP server's
 * default route. Both providers read these from `node.vm.network` (virtualbox/action/network.rb
 * bridged_config and bridged_network_config; vagrant-libvirt create_network_interfaces.rb).
 */
export function guestSettingOptions(nic: Nic, pairs: OptionPairs): OptionPairs {
  const extra: OptionPairs = [];
  if (!nic.autoConfig && !pairs.some(([key]) => key === "auto_config")) extra.push(["auto_config", false]);
  if (keepsDhcpRoute(nic)) extra.push(["use_dhcp_assigned_default_route", true]);
  return [...pairs, ...extra];
}

/** A bridged NIC with DHCP that keeps the DHCP server's default route (the rules refuse defaultRoute elsewhere). */
function keepsDhcpRoute(nic: Nic): boolean {
  return nic.defaultRoute && nic.network.mode === "bridged" && !nic.ip;
}

/** Comment lines saying how a NIC's guest settings are carried out: its default route, its MTU. */
export function guestSettingComment(provider: Provider, nic: Nic): string[] {
  const lines: string[] = [];
  if (!nic.autoConfig) lines.push("  left unconfigured in the guest (autoConfig: false)");
  if (keepsDhcpRoute(nic)) {
    // Vagrant 2.3.4 acts on it in its ifupdown setup (templates/guests/debian/network_dhcp.erb,
    // alpine's too), which otherwise deletes the NIC's default route; netplan and
    // systemd-networkd guests keep DHCP routes anyway (guests/debian/cap/configure_networks.rb).
    lines.push("  keeps the DHCP server's default route (use_dhcp_assigned_default_route)");
  }
  return [...lines, ...mtuComment(provider, nic)];
}

/** Comment lines saying how a NIC's MTU is set (none without an MTU). */
function mtuComment(provider: Provider, nic: Nic): string[] {
  if (nic.mtu === undefined) return [];
  if (!nic.autoConfig) return [`  MTU ${nic.mtu}: not set in the guest (autoConfig is false)${provider === "libvirt" ? "; libvirt__mtu sets the host side" : ""}`];
  if (provider === "libvirt" && nic.network.mode === "bridged") {
    return [`  MTU ${nic.mtu}: set in the guest by kvm-lab's MTU step (vagrant-libvirt 0.11's`, "  public_interface.xml.erb has no MTU)"];
  }
  return provider === "libvirt"
    ? [`  MTU ${nic.mtu}: libvirt__mtu on the NIC and on the network vagrant-libvirt creates,`, "  and in the guest by kvm-lab's MTU step"]
    : [`  MTU ${nic.mtu}: set in the guest by kvm-lab's MTU step (Vagrant has no MTU option`, "  for VirtualBox)"];
}
