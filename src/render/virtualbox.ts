// The VirtualBox view of a lab: Vagrant's own declarations for host-only, internal and
// bridged NICs, `modifyvm` for the rest, and every flag nested virtualization needs.
// Flag spellings are the pre-7.0 ones, which VirtualBox 7 still accepts as aliases.
import fs from "node:fs";
import path from "node:path";
import type { Forward, Lab, Machine, Nic } from "../config/types.js";
import { dhcpLayoutOf, formatIpv4, hostAt, netmaskOf, type Cidr } from "../net/ipv4.js";
import { derivedMac, virtualboxMac } from "../net/mac.js";
import { TEMPLATES_DIR } from "../paths.js";
import { DEFAULTS } from "../config/defaults.js";
import { accessView, labAccessView } from "./folders.js";
import type {
  CustomizeArg,
  CustomizeView,
  HostOnlyNetView,
  LabView,
  MachineView,
  NetworkLineView,
  OptionPairs,
  ProviderSettingView,
  RubyGuard,
  VBoxCallView,
  VmDiskView,
} from "./view.js";
import { RubySymbol } from "./ruby.js";
import { CUSTOMIZE_COMMANDS } from "../config/provider-settings.js";
import { describeNic, forwardLines, guestSettingComment, guestSettingOptions } from "./common.js";
import { builtinSteps, etcHostsArgs, guestScripts, inventoryGroupsOf, needsGuestMtu, provisionViews } from "./provision.js";

const ON_MACOS_VBOX7: RubyGuard = { keyword: "if", condition: "KvmLab.host_only_networks?" };
const ELSEWHERE: RubyGuard = { keyword: "unless", condition: "KvmLab.host_only_networks?" };
const VBOX7: RubyGuard = { keyword: "if", condition: 'KvmLab.virtualbox_at_least?("7.0")' };

/**
 * A VirtualBox 7 host-only network (macOS, vmnet): vmnet takes the lower address as the
 * host's (and the gateway's) and leases above it (VirtualBox's DrvVMNet.m), so the lower
 * address is the block's first: the host is on .1 there as on every host-only network.
 */
function hostOnlyNet(name: string, block: Cidr): HostOnlyNetView {
  return { name, netmask: netmaskOf(block), lower: formatIpv4(hostAt(block, 1)), upper: dhcpLayoutOf(block).upper };
}

/**
 * NICs Vagrant does not configure in the guest (it declares none of these adapters), with
 * what kvm-lab's guest script (templates/guest-nics.sh) makes of each; the script finds each
 * NIC by its MAC, so such NICs always get one.
 */
const GUEST_CONFIGURED: Partial<Record<Nic["network"]["mode"], (nic: Nic) => string>> = {
  natnetwork: (nic) => (nic.ip ? `${nic.ip}/${nic.network.cidr!.prefix},${formatIpv4(hostAt(nic.network.cidr!, 1))}` : "dhcp"),
  nat: () => "dhcp",
  generic: () => "up",
  // Declared to Vagrant as a host-only adapter everywhere but on macOS with VirtualBox 7.
  hostonlynet: () => "dhcp-if-missing",
};

/** The MAC a NIC gets: the config's, or one derived from lab, machine and slot where a guest script needs one. */
function macOf(lab: Lab, machine: Machine, nic: Nic): string | undefined {
  return nic.mac ?? (GUEST_CONFIGURED[nic.network.mode] || needsGuestMtu(nic) ? derivedMac(lab.name, machine.name, nic.slot) : undefined);
}

export function virtualboxView(lab: Lab): LabView {
  const shared = lab.networks.filter((n) => n.cidr && lab.machines.some((m) => m.nics.some((nic) => nic.network === n)));
  const natNetworks = shared.filter((n) => n.mode === "natnetwork").map((n) => ({
    name: n.providerName,
    cidr: n.cidr!.text,
    forwards: lab.machines.flatMap((m) => m.nics.filter((nic) => nic.network === n && nic.ip).flatMap((nic) => nic.forwards.map((f) => natNetworkRule(f, nic.ip!)))),
  }));
  const hostOnlyNets = shared.filter((n) => n.mode === "hostonlynet").map((n) => hostOnlyNet(n.providerName, n.cidr!));
  const machines = lab.machines.map((machine) => machineView(lab, machine));
  return {
    labPartial: "virtualbox-lab",
    labName: lab.name,
    source: lab.source,
    provider: lab.provider,
    syncedFolder: lab.syncedFolder,
    ...labAccessView(lab),
    natNetworks,
    hostOnlyNets,
    labSettings: [],
    vagrantDisks: machines.some((m) => m.vmDisks?.length),
    machines,
    captures: lab.machines.flatMap((m) => m.nics.flatMap((nic) => (nic.capture ? [nic.capture] : []))),
    guestScripts: guestScripts(machines),
    etcHostsArgs: etcHostsArgs(lab),
    inventoryGroups: inventoryGroupsOf(lab),
    helpersModule: true,
    guestNicScript: machines.some((m) => m.guestNics?.length) ? fs.readFileSync(path.join(TEMPLATES_DIR, "guest-nics.sh"), "utf8").trimEnd() : undefined,
  };
}

/** The guest script's arguments for a machine: MAC and mode of each NIC Vagrant leaves alone (and autoConfig leaves to kvm-lab). */
function guestNicArgs(lab: Lab, machine: Machine): string[] {
  return machine.nics.flatMap((nic) => {
    const mode = nic.autoConfig ? GUEST_CONFIGURED[nic.network.mode] : undefined;
    return mode ? [macOf(lab, machine, nic)!, mode(nic)] : [];
  });
}

function machineView(lab: Lab, original: Machine): MachineView {
  // Each NIC with the MAC it will have (the guest script finds NICs by MAC).
  const machine = { ...original, nics: original.nics.map((nic) => ({ ...nic, mac: macOf(lab, original, nic) })) };
  const networks: NetworkLineView[] = [];
  const nicCustomize: CustomizeView[] = [];
  for (const nic of machine.nics) {
    if (nic.network.mode === "hostonlynet") {
      // macOS with VirtualBox 7: the host-only network; elsewhere: a host-only adapter.
      const declared = hostOnlyDeclaration(nic);
      networks.push({
        ...declared,
        options: guestSettingOptions(nic, declared.options!),
        comment: [...describeNic("virtualbox", nic, " (on macOS with VirtualBox 7: set with modifyvm below)"), ...guestSettingComment("virtualbox", nic)],
        guard: ELSEWHERE,
      });
      nicCustomize.push({ comment: describeNic("virtualbox", nic), lines: modifyvmArgs(nic, true), guard: ON_MACOS_VBOX7 });
      const extras = modifyvmArgs(nic, false);
      if (extras.length) nicCustomize.push({ comment: [`adapter ${nic.slot}: what Vagrant has no option for`], lines: extras, guard: ELSEWHERE });
      continue;
    }
    const line = vagrantDeclaration(nic);
    networks.push(
      line
        ? { ...line, options: guestSettingOptions(nic, line.options!), comment: [...line.comment, ...guestSettingComment("virtualbox", nic)] }
        : { comment: [...describeNic("virtualbox", nic, " (set with modifyvm below)"), ...guestSettingComment("virtualbox", nic)] },
    );
    const args = modifyvmArgs(nic, !line);
    if (args.length) nicCustomize.push({ comment: line ? [`adapter ${nic.slot}: what Vagrant has no option for`] : describeNic("virtualbox", nic), lines: args });
  }
  const natSlots = [1, ...machine.nics.filter((nic) => nic.network.mode === "nat").map((nic) => nic.slot)];
  if (lab.natCidr.text !== DEFAULTS.vagrantNat.text) {
    nicCustomize.push({ comment: [`adapter 1: its NAT on ${lab.natCidr.text}, leaving ${DEFAULTS.vagrantNat.text} to the lab`], lines: [["--natnet1", lab.natCidr.text]] });
  }
  if (lab.natDnsHostResolver) {
    nicCustomize.push({ comment: ["NAT adapters: DNS through the host's resolver"], lines: natSlots.map((slot) => [`--natdnshostresolver${slot}`, "on"]) });
  }
  nicCustomize.push({
    comment: [
      "NAT adapters: the guest reaches the host's own services at 10.0.x.2, as before",
      "VirtualBox 7.0 (which made that opt-in for new VMs; 6.1 has no such option)",
    ],
    lines: natSlots.map((slot) => [`--nat-localhostreachable${slot}`, "on"]),
    guard: VBOX7,
  });
  return {
    partial: "virtualbox-machine",
    access: accessView(lab, machine),
    name: machine.name,
    hostname: machine.hostname,
    box: machine.box,
    boxUrl: machine.boxUrl,
    networks,
    networksHeading: "Adapter 1 is the NAT adapter Vagrant uses for SSH.",
    forwards: forwardLines(machine),
    settings: vbSettings(machine),
    customize: [...cpuCustomize(machine), ...nicCustomize],
    vboxCalls: vboxCalls(machine),
    vmDisks: vmDisks(machine),
    guestNics: guestNicArgs(lab, original),
    builtinSteps: builtinSteps(lab, machine),
    provision: provisionViews(lab, machine),
  };
}

/**
 * The provider block's settings (Vagrant 2.3.4 plugins/providers/virtualbox/config.rb):
 * name, the VM's name in VirtualBox (action/set_name.rb; default folder_machine_timestamp);
 * linked_clone (action/import_master.rb, prepare_clone_snapshot.rb); cpus and memory; then
 * the config's virtualbox.options.
 */
function vbSettings(machine: Machine): ProviderSettingView[] {
  const { virtualbox } = machine;
  const settings: ProviderSettingView[] = [];
  if (virtualbox.name !== undefined) settings.push({ comment: ["the VM's name in VirtualBox"], key: "name", value: virtualbox.name });
  if (virtualbox.linkedClone) settings.push({ comment: ["a linked clone of the box, imported once as a master VM"], key: "linked_clone", value: true });
  settings.push({ key: "cpus", value: machine.cpus }, { key: "memory", value: machine.memory });
  Object.entries(virtualbox.options).forEach(([key, value], index) =>
    settings.push({ comment: index === 0 ? ["settings of the config's virtualbox.options"] : undefined, key, value }),
  );
  return settings;
}

const VM = new RubySymbol("id");

/**
 * Guest properties (`VBoxManage guestproperty set <vm> <name> <value>`, VBoxManageGuestProp.cpp
 * handleGuestProperty), then the config's customize lines with the VM where VBoxManage
 * takes it (CUSTOMIZE_COMMANDS): after the command, or after the subcommand.
 */
function vboxCalls(machine: Machine): VBoxCallView[] {
  const calls: VBoxCallView[] = Object.entries(machine.virtualbox.guestProperties).map(([key, value], index) => ({
    comment: index === 0 ? ["guest properties, set before the VM boots"] : [],
    args: ["guestproperty", "set", VM, key, value],
  }));
  machine.virtualbox.customize.forEach((call, index) => {
    const comment = index === 0 ? ["VBoxManage calls of the config's virtualbox.customize"] : [];
    const afterSubcommand = CUSTOMIZE_COMMANDS[call.command]?.subcommands !== undefined;
    const args: CustomizeArg[] = afterSubcommand ? [call.command, call.args[0] ?? "", VM, ...call.args.slice(1)] : [call.command, VM, ...call.args];
    calls.push({ comment, args });
  });
  return calls;
}

/**
 * Vagrant's disks (plugins/kernel_v2/config/vm.rb VagrantConfigVM#disk; sizes "<N>GB" are
 * GiB: lib/vagrant/util/numeric.rb GIGABYTE = 1024^3): the root disk grown to diskSizeGiB
 * (`primary: true`, Vagrant's "vagrant_primary"), then the blank disks, each on the box's
 * own controller (plugins/providers/virtualbox/cap/configure_disks.rb).
 */
function vmDisks(machine: Machine): VmDiskView[] {
  const disks: VmDiskView[] = [];
  if (machine.diskSizeGiB !== undefined) {
    disks.push({ comment: ["the root disk, grown (the guest grows its partition itself)"], options: [["size", `${machine.diskSizeGiB}GB`], ["primary", true]] });
  }
  for (const disk of machine.disks) disks.push({ comment: [`${disk.name}: a blank disk`], options: [["name", disk.name], ["size", `${disk.sizeGiB}GB`]] });
  return disks;
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
        "unrestricted guest (VT-x guests fail to start without them), VPID and large",
        "pages (fewer TLB flushes and misses for the guest's own VMs), and KVM",
        "paravirtualization for the Linux guest",
      ],
      lines: [
        ["--hwvirtex", "on"],
        ["--nestedpaging", "on"],
        ["--vtxux", "on"],
        ["--vtxvpid", "on"],
        ["--largepages", "on"],
        ["--nested-hw-virt", "on"],
        ["--paravirtprovider", "kvm"],
      ],
    });
  } else {
    groups.push({ comment: ["nested virtualization off for this machine"], lines: [["--nested-hw-virt", "off"]] });
  }
  if (machine.virtualbox.cpuProfile !== undefined) {
    // VBoxManageModifyVM.cpp g_aModifyVMOptions: "--cpu-profile" (MODIFYVM_CPU_PROFILE).
    groups.push({ comment: ["the CPU the guest is shown (a VirtualBox CPU profile)"], lines: [["--cpu-profile", machine.virtualbox.cpuProfile]] });
  }
  return groups;
}

/** A host-only adapter with DHCP: what a hostonlynet NIC is where VirtualBox 7 host-only networks do not exist. */
function hostOnlyDeclaration(nic: Nic): NetworkLineView {
  const block = nic.network.cidr!;
  const dhcp = dhcpLayoutOf(block);
  return {
    comment: [],
    kind: "private_network",
    options: [
      ["adapter", nic.slot],
      ["type", "dhcp"],
      ["ip", formatIpv4(hostAt(block, 1))],
      ["netmask", netmaskOf(block)],
      ["dhcp_ip", dhcp.server],
      ["dhcp_lower", dhcp.lower],
      ["dhcp_upper", dhcp.upper],
      ["nic_type", nic.nicType],
      ["mac", nic.mac ? virtualboxMac(nic.mac) : undefined],
    ],
  };
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
        return { comment: describeNic("virtualbox", nic), kind: "private_network", options: [...common, ["ip", nic.ip], ["netmask", netmaskOf(block!)], ...tail] };
      }
      return { ...hostOnlyDeclaration(nic), comment: describeNic("virtualbox", nic) };
    }
    case "intnet": {
      const address: OptionPairs = nic.ip
        ? [["ip", nic.ip], ["netmask", netmaskOf(block!)]]
        : [["type", "dhcp"], ["auto_config", false]];
      return {
        comment: describeNic("virtualbox", nic),
        kind: "private_network",
        options: [...common, ...address, ["virtualbox__intnet", network.providerName], ...tail],
      };
    }
    case "bridged": {
      const address: OptionPairs = nic.ip ? [["ip", nic.ip], ["netmask", block ? netmaskOf(block) : "255.255.255.0"]] : [];
      return { comment: describeNic("virtualbox", nic), kind: "public_network", options: [...common, ["bridge", network.bridge!], ...address, ...tail] };
    }
    default:
      return undefined;
  }
}

/** A `--natpfN` rule as Vagrant writes its own: "tcp8080-80,tcp,127.0.0.1,8080,,80". */
function natRule(f: Forward): string {
  return [`${f.protocol}${f.host}-${f.guest}`, f.protocol, f.hostIp, f.host, "", f.guest].join(",");
}

/** A NAT Network's `--port-forward-4` rule: "tcp8080-80:tcp:[127.0.0.1]:8080:[10.0.9.200]:80". */
function natNetworkRule(f: Forward, guestIp: string): string {
  return `${f.protocol}${f.host}-${f.guest}:${f.protocol}:[${f.hostIp}]:${f.host}:[${guestIp}]:${f.guest}`;
}

/** `modifyvm` arguments for a NIC: the whole adapter for modes Vagrant does not declare, else the extras. */
function modifyvmArgs(nic: Nic, wholeAdapter: boolean): CustomizeArg[][] {
  const n = nic.slot;
  const { network } = nic;
  const lines: CustomizeArg[][] = [];
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
  // Forwards through this NIC's own NAT (a NAT Network's are the network's: see the trigger).
  if (network.mode === "nat") for (const f of nic.forwards) lines.push([`--natpf${n}`, natRule(f)]);
  if (nic.capture) lines.push([`--nictrace${n}`, "on", `--nictracefile${n}`, { captureFile: nic.capture }]);
  return lines;
}
