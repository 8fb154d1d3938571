// The VirtualBox view of a lab: Vagrant's own declarations for host-only, internal and
// bridged NICs, `modifyvm` for the rest, and every flag nested virtualization needs.
// Flag spellings are the pre-7.0 ones, which VirtualBox 7 still accepts as aliases.
import type { Lab, Machine, Nic } from "../config/types.js";
import { dhcpLayoutOf, formatIpv4, hostAt, netmaskOf, type Cidr } from "../net/ipv4.js";
import { virtualboxMac } from "../net/mac.js";
import { describeNic, forwardLines, provisionSteps } from "./common.js";
import type { CustomizeView, HostNetworkView, LabView, MachineView, NetworkLineView, OptionPairs } from "./view.js";

function hostNetwork(name: string, block: Cidr): HostNetworkView {
  const dhcp = dhcpLayoutOf(block);
  return { name, cidr: block.text, netmask: netmaskOf(block), lower: dhcp.lower, upper: dhcp.upper };
}

export function virtualboxView(lab: Lab): LabView {
  const shared = lab.networks.filter((n) => n.cidr && lab.machines.some((m) => m.nics.some((nic) => nic.network === n)));
  const natNetworks = shared.filter((n) => n.mode === "natnetwork").map((n) => hostNetwork(n.providerName, n.cidr!));
  const hostOnlyNets = shared.filter((n) => n.mode === "hostonlynet").map((n) => hostNetwork(n.providerName, n.cidr!));
  return {
    labPartial: "virtualbox-lab",
    labName: lab.name,
    source: lab.source,
    provider: lab.provider,
    syncedFolder: lab.syncedFolder,
    hostNetworks: natNetworks.length + hostOnlyNets.length > 0,
    natNetworks,
    hostOnlyNets,
    labSettings: [],
    machines: lab.machines.map(machineView),
  };
}

function machineView(machine: Machine): MachineView {
  const networks: NetworkLineView[] = [];
  const nicCustomize: CustomizeView[] = [];
  for (const nic of machine.nics) {
    const line = vagrantDeclaration(nic);
    networks.push(line ?? { comment: describeNic(nic, " (set with modifyvm below)") });
    const args = modifyvmArgs(nic, !line);
    if (args.length) nicCustomize.push({ comment: line ? [`adapter ${nic.slot}: what Vagrant has no option for`] : describeNic(nic), lines: args });
  }
  return {
    partial: "virtualbox-machine",
    name: machine.name,
    hostname: machine.hostname,
    box: machine.box,
    boxUrl: machine.boxUrl,
    networks,
    networksHeading: "Adapter 1 is the NAT adapter Vagrant uses for SSH.",
    forwards: forwardLines(machine),
    settings: [
      { key: "cpus", value: machine.cpus },
      { key: "memory", value: machine.memory },
    ],
    customize: [...cpuCustomize(machine), ...nicCustomize],
    provision: provisionSteps(machine),
  };
}

/** Nested virtualization needs all of these, not only --nested-hw-virt. */
function cpuCustomize(machine: Machine): CustomizeView[] {
  const groups: CustomizeView[] = [];
  if (machine.cpus > 1) {
    groups.push({ comment: ["more than one vCPU needs the I/O APIC"], lines: [["--ioapic", "on"]] });
  }
  if (machine.nested) {
    groups.push({
      comment: [
        "nested virtualization: VT-x/AMD-V for the guest, with nested paging and",
        "unrestricted guest (VT-x guests fail to start without them), and KVM",
        "paravirtualization for the Linux guest",
      ],
      lines: [
        ["--hwvirtex", "on"],
        ["--nestedpaging", "on"],
        ["--vtxux", "on"],
        ["--nested-hw-virt", "on"],
        ["--paravirtprovider", "kvm"],
      ],
    });
  } else {
    groups.push({ comment: ["nested virtualization off for this machine"], lines: [["--nested-hw-virt", "off"]] });
  }
  return groups;
}

/** Host-only, internal and bridged NICs: Vagrant's declarations, so Vagrant configures the guest. */
function vagrantDeclaration(nic: Nic): NetworkLineView | undefined {
  const { network } = nic;
  const common: OptionPairs = [["adapter", nic.slot]];
  const tail: OptionPairs = [
    ["nic_type", nic.nicType],
    ["mac", nic.mac ? virtualboxMac(nic.mac) : undefined],
  ];
  const block = network.cidr;
  switch (network.mode) {
    case "hostonly": {
      if (nic.ip) {
        return { comment: describeNic(nic), kind: "private_network", options: [...common, ["ip", nic.ip], ["netmask", netmaskOf(block!)], ...tail] };
      }
      const dhcp = dhcpLayoutOf(block!);
      return {
        comment: describeNic(nic),
        kind: "private_network",
        options: [
          ...common,
          ["type", "dhcp"],
          ["ip", formatIpv4(hostAt(block!, 1))],
          ["netmask", netmaskOf(block!)],
          ["dhcp_ip", dhcp.server],
          ["dhcp_lower", dhcp.lower],
          ["dhcp_upper", dhcp.upper],
          ...tail,
        ],
      };
    }
    case "intnet": {
      const address: OptionPairs = nic.ip
        ? [["ip", nic.ip], ["netmask", netmaskOf(block!)]]
        : [["type", "dhcp"], ["auto_config", false]];
      return {
        comment: describeNic(nic),
        kind: "private_network",
        options: [...common, ...address, ["virtualbox__intnet", network.providerName], ...tail],
      };
    }
    case "bridged": {
      const address: OptionPairs = nic.ip ? [["ip", nic.ip], ["netmask", block ? netmaskOf(block) : "255.255.255.0"]] : [];
      return { comment: describeNic(nic), kind: "public_network", options: [...common, ["bridge", network.bridge!], ...address, ...tail] };
    }
    default:
      return undefined;
  }
}

/** `modifyvm` arguments for a NIC: the whole adapter for modes Vagrant does not declare, else the extras. */
function modifyvmArgs(nic: Nic, wholeAdapter: boolean): string[][] {
  const n = nic.slot;
  const { network } = nic;
  const lines: string[][] = [];
  if (wholeAdapter) {
    switch (network.mode) {
      case "natnetwork":
        lines.push([`--nic${n}`, "natnetwork", `--natnetwork${n}`, network.providerName]);
        break;
      case "nat":
        lines.push(network.cidr ? [`--nic${n}`, "nat", `--natnet${n}`, network.cidr.text] : [`--nic${n}`, "nat"]);
        break;
      case "hostonlynet":
        lines.push([`--nic${n}`, "hostonlynet", `--hostonlynet${n}`, network.providerName]);
        break;
      case "null":
        lines.push([`--nic${n}`, "null"]);
        break;
      case "generic":
        lines.push([`--nic${n}`, "generic", `--nicgenericdrv${n}`, network.driver!]);
        for (const [key, value] of Object.entries(network.properties).sort(([a], [b]) => a.localeCompare(b))) {
          lines.push([`--nicproperty${n}`, `${key}=${value}`]);
        }
        break;
    }
    if (nic.nicType) lines.push([`--nictype${n}`, nic.nicType]);
    if (nic.mac) lines.push([`--macaddress${n}`, virtualboxMac(nic.mac)]);
  }
  if (nic.promisc) lines.push([`--nicpromisc${n}`, nic.promisc]);
  if (!nic.cable) lines.push([`--cableconnected${n}`, "off"]);
  return lines;
}
