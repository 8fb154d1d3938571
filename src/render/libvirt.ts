// The libvirt view of a lab: each network mode mapped to a libvirt network of the same
// semantics, named after the lab, and the CPU set up for KVM or QEMU's software emulation.
import type { Lab, Machine, Network, Nic, NicType } from "../config/types.js";
import { dhcpLayoutOf, formatIpv4, hostAt, netmaskOf, type Cidr } from "../net/ipv4.js";
import { normalizeMac } from "../net/mac.js";
import { natBlockOf, VAGRANT_LIBVIRT_MANAGEMENT } from "../net/provider-addresses.js";
import { defineOptions, describeNic, forwardLines, provisionSteps } from "./common.js";
import type { LabView, MachineView, NetworkLineView, OptionPairs, ProviderCallView, ProviderSettingView } from "./view.js";

/** QEMU's NIC models for VirtualBox's card types. */
const MODEL_OF: Record<NicType, string> = {
  Am79C970A: "pcnet",
  Am79C973: "pcnet",
  "82540EM": "e1000",
  "82543GC": "e1000",
  "82545EM": "e1000",
  virtio: "virtio",
};

export function libvirtView(lab: Lab): LabView {
  const labSettings: ProviderSettingView[] = [];
  if (lab.managementNetwork.text !== VAGRANT_LIBVIRT_MANAGEMENT.text) {
    labSettings.push({
      comment: ["vagrant-libvirt's management network (adapter 1's counterpart)"],
      key: "management_network_address",
      value: lab.managementNetwork.text,
    });
  }
  return {
    labPartial: "libvirt-lab",
    labName: lab.name,
    source: lab.source,
    provider: lab.provider,
    syncedFolder: lab.syncedFolder,
    natNetworks: [],
    hostOnlyNets: [],
    labSettings,
    machines: lab.machines.map((machine) => machineView(lab, machine)),
  };
}

/** Networks where some NIC takes a DHCP lease get a DHCP server; the setting must match on every NIC. */
function usesDhcp(lab: Lab, network: Network): boolean {
  if (network.mode === "hostonlynet" || network.mode === "natnetwork" || network.mode === "nat") return true;
  if (network.mode !== "hostonly") return false;
  return lab.machines.some((m) => m.nics.some((nic) => nic.network === network && !nic.ip));
}

function machineView(lab: Lab, machine: Machine): MachineView {
  return {
    partial: "libvirt-machine",
    name: machine.name,
    define: defineOptions(machine),
    hostname: machine.hostname,
    box: machine.box,
    boxUrl: machine.boxUrl,
    networks: machine.nics.map((nic) => declaration(lab, machine, nic)),
    networksHeading: "Adapter 1 is vagrant-libvirt's management network (libvirt's adapter 0).",
    forwards: forwardLines(machine, { nicForwards: true }),
    settings: cpuSettings(machine),
    calls: machine.nested ? [] : hiddenVirtualization(),
    customize: [],
    provision: provisionSteps(machine),
  };
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
  if (!machine.nested) {
    const model = machine.cpuModel ?? NESTED_OFF_MODEL;
    settings.push(
      {
        comment: [
          `nested off: a named CPU model (${machine.cpuModel ? "the config's" : "qemu64, a baseline"}) with svm and vmx disabled below;`,
          "vagrant-libvirt takes CPU features only with a named model, and host-passthrough",
          "would hand the guest the host's own",
        ],
        key: "cpu_mode",
        value: "custom",
      },
      { key: "cpu_model", value: model },
    );
  } else if (machine.cpuModel) {
    settings.push(
      { comment: [`a named CPU model${machine.cpuModel === "kvm64" ? " (kvm64 carries no svm/vmx)" : ""}`], key: "cpu_mode", value: "custom" },
      { key: "cpu_model", value: machine.cpuModel },
    );
  } else if (machine.accel === "kvm") {
    settings.push({ comment: ["the host's own CPU, with its virtualization extensions"], key: "cpu_mode", value: "host-passthrough" });
  } else {
    settings.push({ comment: ["libvirt refuses host-passthrough under TCG; host-model still carries svm"], key: "cpu_mode", value: "host-model" });
  }
  return settings;
}

/** The CPU model of a nested-off machine whose config names none (svm and vmx are disabled on it). */
const NESTED_OFF_MODEL = "qemu64";

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

/** Address options for a NIC on a network with a host-side address block. */
function addressed(nic: Nic, block: Cidr, dhcp: boolean): OptionPairs {
  const layout = dhcpLayoutOf(block);
  const pairs: OptionPairs = nic.ip
    ? [["ip", nic.ip], ["netmask", netmaskOf(block)]]
    : [["type", "dhcp"], ["libvirt__network_address", formatIpv4(block.network)], ["netmask", netmaskOf(block)]];
  pairs.push(["libvirt__host_ip", formatIpv4(hostAt(block, 1))], ["libvirt__dhcp_enabled", dhcp]);
  if (dhcp) pairs.push(["libvirt__dhcp_start", layout.lower], ["libvirt__dhcp_stop", layout.upper]);
  return pairs;
}

function declaration(lab: Lab, machine: Machine, nic: Nic): NetworkLineView {
  const { network } = nic;
  // vagrant-libvirt counts adapters from 0, its management NIC; VirtualBox slot N is libvirt's N-1.
  const head: OptionPairs = [["adapter", nic.slot - 1]];
  const tail: OptionPairs = [
    ["libvirt__model_type", nic.nicType ? MODEL_OF[nic.nicType] : undefined],
    ["mac", nic.mac ? normalizeMac(nic.mac) : undefined],
  ];
  const named = (forwardMode: string, address: OptionPairs): NetworkLineView => ({
    comment: [...describeNic(lab.provider, nic), `  libvirt network "${network.providerName}", forward mode ${forwardMode}`],
    kind: "private_network",
    options: [...head, ["libvirt__network_name", network.providerName], ["libvirt__forward_mode", forwardMode], ...address, ...tail],
  });
  switch (network.mode) {
    case "hostonly":
    case "hostonlynet":
      return named("none", addressed(nic, network.cidr!, usesDhcp(lab, network)));
    case "natnetwork":
      return named("nat", addressed(nic, network.cidr!, true));
    case "nat": {
      // VirtualBox gives each VM its own NAT; in libvirt that is a NAT network per machine and slot.
      const own = `${lab.name}-${machine.name}-nat${nic.slot}`;
      return {
        comment: [...describeNic(lab.provider, nic), `  libvirt NAT network "${own}", this machine's alone`],
        kind: "private_network",
        options: [...head, ["libvirt__network_name", own], ["libvirt__forward_mode", "nat"], ...addressed(nic, natBlockOf(nic), true), ...tail],
      };
    }
    case "intnet": {
      const address: OptionPairs = nic.ip
        ? [["ip", nic.ip], ["netmask", netmaskOf(network.cidr!)]]
        : [["auto_config", false]];
      return named("veryisolated", [...address, ["libvirt__dhcp_enabled", false]]);
    }
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
