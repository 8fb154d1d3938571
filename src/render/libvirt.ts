// The libvirt view of a lab: each network mode mapped to a libvirt network of the same
// semantics, named after the lab, and the CPU set up for KVM or QEMU's software emulation.
import type { ExtraValue, Lab, Machine, Nic } from "../config/types.js";
import { MODEL_OF } from "../config/provider-settings.js";
import { cpuModeOf, DEFAULT_NAMED_MODEL } from "../config/cpu.js";
import { DEFAULTS } from "../config/defaults.js";
import { RubySymbol } from "./ruby.js";
import { dhcpLayoutOf, formatIpv4, hostAt, netmaskOf, type Cidr } from "../net/ipv4.js";
import { derivedMac, normalizeMac } from "../net/mac.js";
import { natBlockOf, VAGRANT_LIBVIRT_MANAGEMENT } from "../net/provider-addresses.js";
import { accessView, labAccessView, virtiofsMemory } from "./folders.js";
import { describeNic, forwardLines, guestSettingComment, guestSettingOptions } from "./common.js";
import { builtinSteps, etcHostsArgs, guestScripts, inventoryGroupsOf, needsGuestMtu, provisionViews } from "./provision.js";
import type { LabView, MachineView, NetworkLineView, OptionPairs, ProviderCallView, ProviderSettingView } from "./view.js";
import { partOf, spansOf, usesDhcp, type Span } from "../fabric/spans.js";


export function libvirtView(lab: Lab): LabView {
  const labSettings: ProviderSettingView[] = [];
  if (lab.managementNetwork.text !== VAGRANT_LIBVIRT_MANAGEMENT.text) {
    labSettings.push({
      comment: ["vagrant-libvirt's management network (adapter 1's counterpart)"],
      key: "management_network_address",
      value: lab.managementNetwork.text,
    });
  }
  const spans = spansOf(lab);
  const machines = lab.machines.map((machine) => machineView(lab, machine, spans));
  // The module's parts, read (the scripts from templates/) once: whether it exists follows from them.
  const scripts = guestScripts(machines);
  const groups = inventoryGroupsOf(lab);
  return {
    labPartial: "libvirt-lab",
    labName: lab.name,
    source: lab.source,
    provider: lab.provider,
    syncedFolder: lab.syncedFolder,
    ...labAccessView(lab),
    natNetworks: [],
    hostOnlyNets: [],
    labSettings,
    machines,
    guestScripts: scripts,
    etcHostsArgs: etcHostsArgs(lab),
    inventoryGroups: groups,
    helpersModule: scripts.length > 0 || groups !== undefined,
  };
}

function machineView(lab: Lab, original: Machine, spans: Span[]): MachineView {
  // A NIC whose MTU is set in the guest needs a MAC it can be found by: the config's, or a stable derived one.
  const machine = {
    ...original,
    nics: original.nics.map((nic) => (nic.mac === undefined && needsGuestMtu(nic) ? { ...nic, mac: derivedMac(lab.name, original.name, nic.slot) } : nic)),
  };
  return {
    partial: "libvirt-machine",
    access: accessView(lab, machine),
    name: machine.name,
    hostname: machine.hostname,
    box: machine.box,
    boxUrl: machine.boxUrl,
    networks: machine.nics.map((nic) => declaration(lab, machine, nic, spans.find((s) => s.network === nic.network))),
    networksHeading: "Adapter 1 is vagrant-libvirt's management network (libvirt's adapter 0).",
    forwards: forwardLines(machine, { nicForwards: true }),
    settings: [...hostSettings(machine), ...cpuSettings(machine), ...deviceSettings(machine), ...optionSettings(machine.libvirt.options)],
    calls: [...cpuFeatureCalls(machine), ...deviceCalls(machine), ...virtiofsMemory(lab, machine)],
    customize: [],
    builtinSteps: builtinSteps(lab, machine),
    provision: provisionViews(lab, machine),
  };
}

/**
 * The libvirt host the machine runs on (a lab with `hosts`): vagrant-libvirt 0.11.2's `uri`
 * (config.rb finalize_from_uri takes the host, port, user and keyfile from it, and with an
 * ssh transport reaches the guest through `ssh <host> -W %h:%p`, finalize_proxy_command).
 */
function hostSettings(machine: Machine): ProviderSettingView[] {
  if (!machine.host) return [];
  const how = machine.host.placed ? "placed there by kvm-lab" : "the machine's host";
  return [{ comment: [`libvirt host "${machine.host.name}" (${how})`], key: "uri", value: machine.host.uri }];
}

function cpuSettings(machine: Machine): ProviderSettingView[] {
  const settings: ProviderSettingView[] = [
    machine.accel === "kvm"
      ? { comment: ["hardware virtualization through KVM"], key: "driver", value: "kvm" }
      : { comment: ["QEMU software emulation (TCG), for hosts without usable hardware virtualization"], key: "driver", value: "qemu" },
    { key: "cpus", value: machine.cpus },
    { key: "memory", value: machine.memory },
    {
      comment: machine.nested
        ? ["expose svm/vmx to the guest so it can run KVM itself"]
        : [
            "nested is off, but vagrant-libvirt's `nested = false` deletes every svm/vmx feature",
            "line when the domain starts (start_domain.rb), the ones that disable them included;",
            "`true` keeps the lines below, and adds its own only where none is set",
          ],
      key: "nested",
      value: true,
    },
  ];
  const mode = cpuModeOf(machine);
  const chosen = machine.libvirt.cpuMode === "host-model";
  if (!machine.nested) {
    // The rules allow only custom here: no other mode can carry the disabled features.
    const model = machine.cpuModel ?? DEFAULT_NAMED_MODEL;
    settings.push(
      {
        comment: [
          `nested off: a named CPU model (${machine.cpuModel ? "the config's" : `${DEFAULT_NAMED_MODEL}, a baseline`}) with svm and vmx disabled below;`,
          "vagrant-libvirt takes CPU features only with a named model, and host-passthrough",
          "would hand the guest the host's own",
        ],
        key: "cpu_mode",
        value: "custom",
      },
      { key: "cpu_model", value: model },
    );
  } else if (mode === "custom") {
    const comment = machine.cpuModel
      ? `a named CPU model${machine.cpuModel === "kvm64" ? " (kvm64 carries no svm/vmx)" : ""}`
      : `a named CPU model: ${DEFAULT_NAMED_MODEL}, vagrant-libvirt's default for custom`;
    settings.push({ comment: [comment], key: "cpu_mode", value: "custom" }, { key: "cpu_model", value: machine.cpuModel ?? DEFAULT_NAMED_MODEL });
  } else if (mode === "host-passthrough") {
    settings.push({ comment: ["the host's own CPU, with its virtualization extensions"], key: "cpu_mode", value: "host-passthrough" });
  } else {
    settings.push({
      comment: [chosen ? "the model libvirt finds closest to the host's CPU, with its svm/vmx" : "libvirt refuses host-passthrough under TCG; host-model still carries svm"],
      key: "cpu_mode",
      value: "host-model",
    });
  }
  return settings;
}

/** The CPU feature lines: svm and vmx disabled when nested is off (unless the config's own lines name them), then the config's. */
function cpuFeatureCalls(machine: Machine): ProviderCallView[] {
  const own = machine.libvirt.cpuFeatures;
  // libvirt refuses a feature named twice, so the config's own svm/vmx line replaces ours.
  const hidden = machine.nested ? [] : hiddenVirtualization().filter((call) => !own.some((f) => f.name === call.options[0][1]));
  if (hidden.length === 1) hidden[0] = { ...hidden[0], comment: ["hide the virtualization extensions from the guest in every CPU mode"] };
  const mine: ProviderCallView[] = own.map((feature, index) => ({
    comment: index === 0 ? ["CPU features of the config"] : undefined,
    method: "cpu_feature",
    options: [["name", feature.name], ["policy", feature.policy]],
  }));
  return [...hidden, ...mine];
}

/**
 * Nested off must hide svm and vmx whatever the CPU: host-passthrough hands over the host's,
 * and a named model may carry them (qemu64 has svm). vagrant-libvirt accepts CPU features
 * only with a named model (config.rb validate: "cannot set cpu_features with cpu_model
 * unset") and, with `nested = false`, deletes every svm/vmx feature when the domain starts
 * (action/start_domain.rb), so a nested-off machine gets a named model, libvirt's "disable"
 * policy for both features, and `nested = true`, which keeps them (domain.xml.erb adds its
 * optional svm/vmx only where no line names them).
 */
function hiddenVirtualization(): ProviderCallView[] {
  return [
    { comment: ["hide the virtualization extensions from the guest in every CPU mode"], method: "cpu_feature", options: [["name", "svm"], ["policy", "disable"]] },
    { method: "cpu_feature", options: [["name", "vmx"], ["policy", "disable"]] },
  ];
}

/**
 * The domain's devices and root disk beyond the CPU. Spellings of vagrant-libvirt 0.11.2
 * (lib/vagrant-libvirt/config.rb): disk_bus; machine_virtual_size in GiB
 * (action/handle_box_image.rb: ByteNumber.from_GB, 1024^3; smaller than the box's is
 * ignored with a warning); nic_model_type, the model of every NIC without its own
 * (action/create_network_interfaces.rb), the management NIC's included, and, before
 * vagrant-libvirt 0.12.2, set on every interface when the domain starts
 * (action/start_domain.rb "Interface type"; 0.12.2 keeps an adapter's own model);
 * graphics_type ("none" leaves out graphics and video: templates/domain.xml.erb); keymap.
 */
function deviceSettings(machine: Machine): ProviderSettingView[] {
  const { libvirt } = machine;
  const settings: ProviderSettingView[] = [];
  if (libvirt.diskBus) settings.push({ comment: ["the root disk's bus"], key: "disk_bus", value: libvirt.diskBus });
  if (machine.diskSizeGiB !== undefined) {
    settings.push({ comment: ["the root disk's size in GiB (the guest grows its partition itself)"], key: "machine_virtual_size", value: machine.diskSizeGiB });
  }
  if (libvirt.managementNicModel) {
    settings.push({ comment: ["the management NIC's model, and every NIC's without a model of its own"], key: "nic_model_type", value: libvirt.managementNicModel });
  }
  if (libvirt.graphics) settings.push({ comment: [libvirt.graphics === "none" ? "no graphics console (headless)" : "the graphics console"], key: "graphics_type", value: libvirt.graphics });
  if (libvirt.keymap !== undefined) settings.push({ key: "keymap", value: libvirt.keymap });
  return settings;
}

/**
 * Calls of vagrant-libvirt 0.11.2 (config.rb): disk_driver (the root disk's driver
 * options; `volume_cache` is deprecated for it), random (its one backend is "random", the
 * host's /dev/random) and storage :file (a blank disk: `size` "<N>G" becomes the volume's
 * capacity in GiB, `cache` its driver's cache mode; the volume is named after the domain
 * and device, action/resolve_disk_settings.rb disk_name).
 */
function deviceCalls(machine: Machine): ProviderCallView[] {
  const { libvirt } = machine;
  const calls: ProviderCallView[] = [];
  if (libvirt.diskCache) calls.push({ comment: ["the root disk's cache mode"], method: "disk_driver", options: [["cache", libvirt.diskCache]] });
  if (libvirt.rng) calls.push({ comment: ["a virtio RNG fed by the host, so the guest has entropy early"], method: "random", options: [["model", "random"]] });
  machine.disks.forEach((disk, index) =>
    calls.push({
      comment: [...(index === 0 ? ["blank disks beside the root disk (the guest formats them)"] : []), `${disk.name}: ${disk.sizeGiB} GiB`],
      method: "storage",
      args: [FILE],
      options: [["size", `${disk.sizeGiB}G`], ["bus", disk.bus ?? DEFAULTS.diskBus], ["cache", libvirt.diskCache]],
    }),
  );
  return calls;
}

const FILE = new RubySymbol("file");

/** The escape hatch: `libvirt.<key> = <literal>`, in the config's order. */
function optionSettings(options: Record<string, ExtraValue>): ProviderSettingView[] {
  return Object.entries(options).map(([key, value], index) => ({
    comment: index === 0 ? ["settings of the config's libvirt.options"] : undefined,
    key,
    value,
  }));
}

/** Address options for a NIC on a network with a host-side address block. */
function addressed(nic: Nic, block: Cidr, host: HostSide): OptionPairs {
  const pairs: OptionPairs = nic.ip
    ? [["ip", nic.ip], ["netmask", netmaskOf(block)]]
    : [["type", "dhcp"], ["libvirt__network_address", formatIpv4(block.network)], ["netmask", netmaskOf(block)]];
  pairs.push(["libvirt__host_ip", host.ip], ["libvirt__dhcp_enabled", host.dhcp !== undefined]);
  if (host.dhcp) pairs.push(["libvirt__dhcp_start", host.dhcp.start], ["libvirt__dhcp_stop", host.dhcp.end]);
  return pairs;
}

/** The host's side of a network: its address there, and the DHCP range when it serves one. */
interface HostSide {
  ip?: string;
  dhcp?: { start: string; end: string };
}

/** The host side on one host: .1, with the block's DHCP range when `dhcp`. */
function firstAddressSide(block: Cidr, dhcp: boolean): HostSide {
  const layout = dhcpLayoutOf(block);
  return { ip: formatIpv4(hostAt(block, 1)), ...(dhcp ? { dhcp: { start: layout.lower, end: layout.upper } } : {}) };
}

/** vagrant-libvirt counts adapters from 0, its management NIC; VirtualBox slot N is libvirt's N-1. */
const adapterOf = (nic: Nic): OptionPairs => [["adapter", nic.slot - 1]];

/** The NIC's own model and MAC, closing its options. */
const identityOf = (nic: Nic): OptionPairs => [
  ["libvirt__model_type", nic.nicType ? MODEL_OF[nic.nicType] : undefined],
  ["mac", nic.mac ? normalizeMac(nic.mac) : undefined],
];

/** An internal network's NIC: its fixed address, or none at all (no DHCP there). */
const internalAddress = (nic: Nic): OptionPairs => [...(nic.ip ? ([["ip", nic.ip], ["netmask", netmaskOf(nic.network.cidr!)]] as OptionPairs) : ([["auto_config", false]] as OptionPairs)), ["libvirt__dhcp_enabled", false]];

function declaration(lab: Lab, machine: Machine, nic: Nic, span: Span | undefined): NetworkLineView {
  if (span) return spannedDeclaration(lab, machine, nic, span);
  const line = providerDeclaration(lab, machine, nic);
  // vagrant-libvirt's libvirt__mtu: the NIC's <mtu> (create_network_interfaces.rb interface_xml)
  // and, for a network it creates, the network's (create_networks.rb, private_network.xml.erb).
  // A bridged NIC's interface takes no MTU in vagrant-libvirt 0.11 (public_interface.xml.erb;
  // 0.12.0 added one, vagrant-libvirt ee06cd0): the guest step alone sets it.
  const mtu: OptionPairs = nic.mtu !== undefined && nic.network.mode !== "bridged" ? [["libvirt__mtu", nic.mtu]] : [];
  return { ...line, comment: [...line.comment, ...guestSettingComment("libvirt", nic)], options: guestSettingOptions(nic, [...line.options!, ...mtu]) };
}

function providerDeclaration(lab: Lab, machine: Machine, nic: Nic): NetworkLineView {
  const { network } = nic;
  const head = adapterOf(nic);
  const tail = identityOf(nic);
  const named = (forwardMode: string, address: OptionPairs): NetworkLineView => ({
    comment: [...describeNic(lab.provider, nic), `  libvirt network "${network.providerName}", forward mode ${forwardMode}`],
    kind: "private_network",
    options: [...head, ["libvirt__network_name", network.providerName], ["libvirt__forward_mode", forwardMode], ...address, ...tail],
  });
  switch (network.mode) {
    case "hostonly":
    case "hostonlynet":
      return named("none", addressed(nic, network.cidr!, firstAddressSide(network.cidr!, usesDhcp(lab, network))));
    case "natnetwork":
      return named("nat", addressed(nic, network.cidr!, firstAddressSide(network.cidr!, true)));
    case "nat": {
      // VirtualBox gives each VM its own NAT; in libvirt that is a NAT network per machine and slot.
      const own = `${lab.name}-${machine.name}-nat${nic.slot}`;
      return {
        comment: [...describeNic(lab.provider, nic), `  libvirt NAT network "${own}", this machine's alone`],
        kind: "private_network",
        options: [...head, ["libvirt__network_name", own], ["libvirt__forward_mode", "nat"], ...addressed(nic, natBlockOf(nic), firstAddressSide(natBlockOf(nic), true)), ...tail],
      };
    }
    case "intnet":
      return named("veryisolated", internalAddress(nic));
    case "bridged": {
      const address: OptionPairs = nic.ip ? [["ip", nic.ip], ["netmask", network.cidr ? netmaskOf(network.cidr) : "255.255.255.0"]] : [];
      return {
        comment: [...describeNic(lab.provider, nic), `  libvirt: ${network.linuxBridge ? "the Linux bridge" : "macvtap (direct) on"} ${network.bridge}`],
        kind: "public_network",
        options: [...head, ["dev", network.bridge!], ["mode", "bridge"], ["type", network.linuxBridge ? "bridge" : "direct"], ...address, ...tail],
      };
    }
    case "null":
    case "generic": {
      const isolated = `${lab.name}-${machine.name}-nic${nic.slot}`;
      return {
        comment: [...describeNic(lab.provider, nic), `  libvirt has no unattached NIC: isolated network "${isolated}", with nothing else on it`],
        kind: "private_network",
        options: [...head, ["libvirt__network_name", isolated], ["libvirt__forward_mode", "veryisolated"], ["auto_config", false], ["libvirt__dhcp_enabled", false], ...tail],
      };
    }
  }
}

/**
 * A NIC on a network that spans hosts (fabric/spans.ts): the libvirt network kvm-lab defines
 * on this machine's host before `vagrant up`, with this host's address and DHCP (only the
 * network's home serves DHCP), the segment's MTU (vagrant-libvirt's libvirt__mtu: the
 * interface's <mtu>, which virtio hands to the guest as host_mtu), and always_destroy false:
 * kvm-lab made the network and removes it (create_networks.rb write_created_network is
 * skipped, so vagrant destroy leaves it to kvm-lab destroy).
 */
function spannedDeclaration(lab: Lab, machine: Machine, nic: Nic, span: Span): NetworkLineView {
  const part = partOf(span, machine.host!.name)!;
  const { network } = nic;
  const head = adapterOf(nic);
  const tail: OptionPairs = [...identityOf(nic), ["libvirt__mtu", nic.mtu ?? span.mtu], ["libvirt__always_destroy", false]];
  const address = network.mode === "intnet" ? internalAddress(nic) : addressed(nic, network.cidr!, { ip: part.hostIp, dhcp: part.dhcp });
  const others = span.hosts.filter((h) => h !== part.host);
  const role = part.host === span.home ? (network.mode === "intnet" ? "" : `; the home of its ${network.mode === "natnetwork" ? "gateway, NAT and DHCP" : "host address and DHCP"}`) : `; ${span.home} holds its ${network.mode === "intnet" ? "other machines" : network.mode === "natnetwork" ? "gateway, NAT and DHCP" : "DHCP"}`;
  const line: NetworkLineView = {
    comment: [
      ...describeNic(lab.provider, nic),
      `  libvirt network "${network.providerName}" on host ${part.host}, forward mode ${part.forwardMode}${role}`,
      `  spans hosts ${span.hosts.join(", ")}: VXLAN ${span.device} (VNI ${span.vni}) to ${others.join(", ")}, MTU ${span.mtu}; kvm-lab makes and removes it`,
    ],
    kind: "private_network",
    options: [...head, ["libvirt__network_name", network.providerName], ["libvirt__forward_mode", part.forwardMode], ...address, ...tail],
  };
  return { ...line, comment: [...line.comment, ...guestSettingComment("libvirt", nic)], options: guestSettingOptions(nic, line.options!) };
}
