// What a lab means, checked: every rule adds a Problem naming the field and the fix.
// Errors stop rendering; warnings are printed and rendering goes on.
import path from "node:path";
import type { Problem } from "../errors.js";
import {
  broadcastOf,
  contains,
  formatIpv4,
  hostAt,
  overlaps,
  parseIpv4,
  within,
  type Cidr,
} from "../net/ipv4.js";
import { MODES } from "../net/modes.js";
import { spanProblems } from "./rules-spans.js";
import { DEFAULTS } from "./defaults.js";
import { withArticle } from "../words.js";
import { natBlockOf } from "../net/provider-addresses.js";
import { normalizeMac } from "../net/mac.js";
import type { Forward, Lab, Machine, Network, Nic } from "./types.js";
import { checkFoldersAndSsh } from "./rules-folders.js";
import { checkProviderSettings } from "./rules-provider.js";
import { checkProvisioning } from "./rules-provision.js";
import { HOST_LABEL } from "./paths.js";
import { checkCounts, collapseCounted, duplicateNameProblem } from "./rules-counts.js";
import { checkUpOrder } from "./rules-order.js";

export interface RuleResult {
  errors: Problem[];
  warnings: Problem[];
}

const NETWORK_KEY = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
const PROVIDER_NETWORK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
function hostnameProblem(value: string): string | undefined {
  if (value === "") return "is empty";
  if (value.length > 253) return "is longer than 253 characters";
  const bad = value.split(".").find((label) => !HOST_LABEL.test(label));
  return bad === undefined ? undefined : `"${value}" is not a valid hostname`;
}

/** Every rule, over the whole lab; nothing stops at the first problem. `folder`: the lab folder, where the config's relative paths point. */
export function checkRules(lab: Lab, rawNetworkKeys: string[], options: { folder?: string } = {}): RuleResult {
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  checkNatSettings(lab, errors, warnings);
  checkNames(lab, rawNetworkKeys, errors);
  checkNetworks(lab, rawNetworkKeys, errors, warnings);
  checkBoxes(lab, errors);
  lab.machines.forEach((machine) => checkMachine(lab, machine, machine.path, errors, warnings));
  checkCounts(lab, errors, warnings);
  checkUpOrder(lab, errors, warnings);
  checkAddressesAcrossMachines(lab, errors);
  checkForwardsAcrossMachines(lab, errors);
  checkMacsAcrossMachines(lab, errors);
  if (lab.provider === "libvirt") checkLibvirtNatBlocks(lab, errors);
  if (lab.provider === "libvirt") errors.push(...spanProblems(lab));
  checkFoldersAndSsh(lab, options.folder ?? process.cwd(), errors, warnings);
  checkProviderSettings(lab, errors, warnings);
  checkProvisioning(lab, errors, warnings, { folder: options.folder });
  return { errors: collapseCounted(lab, errors), warnings: collapseCounted(lab, warnings) };
}

/** Adapter 1's NAT block and DNS: VirtualBox settings. */
function checkNatSettings(lab: Lab, errors: Problem[], warnings: Problem[]): void {
  if (lab.provider === "libvirt") {
    if (lab.natCidr.text !== DEFAULTS.vagrantNat.text) warnings.push({ path: "virtualbox.natCidr", message: "is a VirtualBox setting; libvirt machines reach vagrant-libvirt's management network instead" });
    if (lab.natDnsHostResolver) warnings.push({ path: "virtualbox.natDnsHostResolver", message: "is a VirtualBox setting; libvirt's dnsmasq answers DNS on its networks" });
    return;
  }
  if (overlaps(lab.natCidr, DEFAULTS.libvirtDefaultNetwork)) {
    errors.push({ path: "virtualbox.natCidr", message: `${lab.natCidr.text} overlaps ${DEFAULTS.libvirtDefaultNetwork.text}, libvirt's default network inside the guests`, fix: "pick another block, e.g. 10.0.3.0/24" });
  }
}

function labNameOk(name: string): boolean {
  return HOST_LABEL.test(name) && name.length <= 40;
}

function checkNames(lab: Lab, networkKeys: string[], errors: Problem[]): void {
  if (!labNameOk(lab.name)) {
    errors.push({
      path: "name",
      message: `"${lab.name}" cannot name a lab`,
      fix: "use letters, digits and hyphens, at most 40 characters, not starting or ending with a hyphen (it prefixes network names)",
    });
  }
  for (const key of networkKeys) {
    if (!NETWORK_KEY.test(key)) {
      errors.push({
        path: `networks[${JSON.stringify(key)}]`,
        message: "is not a usable network name",
        fix: "use letters, digits, '-', '_' or '.', at most 32 characters, starting with a letter or digit",
      });
    }
  }
  if (lab.machines.length === 0) {
    errors.push({ path: "machines", message: "is empty", fix: 'add at least one machine: machines: [{ name: "node1" }]' });
  }
  const seen = new Map<string, Machine>();
  lab.machines.forEach((machine) => {
    const at = machine.path;
    const path = `${at}.name`;
    if (!HOST_LABEL.test(machine.name)) {
      errors.push({
        path,
        message: `"${machine.name}" is not a valid hostname`,
        fix: "use letters, digits and hyphens (at most 63), not starting or ending with a hyphen",
      });
    }
    if (/^[0-9a-f]+$/.test(machine.name)) {
      // vagrant's with_target_vms asks its global machine index first, and MachineIndex#get
      // matches IDs (hex) by prefix: "b" may name another project's machine.
      errors.push({
        path,
        message: `"${machine.name}" is made of hex digits only, and Vagrant looks such names up as machine IDs (by prefix) in its global index before this Vagrantfile, so it may act on another project's machine`,
        fix: `add a letter outside a-f, e.g. "node-${machine.name}"`,
      });
    }
    const first = seen.get(machine.name.toLowerCase());
    if (first !== undefined) {
      errors.push(duplicateNameProblem(machine, first));
    } else {
      seen.set(machine.name.toLowerCase(), machine);
    }
    if (machine.hostname !== machine.name) {
      const problem = hostnameProblem(machine.hostname);
      if (problem) errors.push({ path: `${at}.hostname`, message: problem, fix: "use dot-separated labels of letters, digits and hyphens" });
    }
  });
}

function checkNetworks(lab: Lab, networkKeys: string[], errors: Problem[], warnings: Problem[]): void {
  const withCidr = lab.networks.filter((n): n is Network & { cidr: Cidr } => n.cidr !== undefined);
  for (const network of lab.networks) {
    const path = `networks.${network.key}`;
    const info = MODES[network.mode];
    checkNetworkSettings(network, path, errors);
    // A name made from the lab's name and the key is bad only through them, reported once above.
    const derived = network.providerName === `${lab.name}-${network.key}`;
    const partsOk = labNameOk(lab.name) && NETWORK_KEY.test(network.key) && networkKeys.includes(network.key);
    if ((!derived || partsOk) && (!PROVIDER_NETWORK_NAME.test(network.providerName) || network.providerName.length > 50)) {
      errors.push({
        path: `${path}.name`,
        message: `"${network.providerName}" cannot name a provider network`,
        fix: derived
          ? `it is made from the lab's name and the network's key (at most 50 characters together): shorten them, or set name`
          : "use letters, digits, '-', '_' or '.', at most 50 characters",
      });
    }
    if (!info.shared && network.mode !== "nat") {
      errors.push({
        path: `${path}.mode`,
        message: `${network.mode} is a per-NIC mode, not a network machines share`,
        fix: `drop this network and write { mode: "${network.mode}" } on the NIC`,
      });
    }
    if (!network.cidr) continue;
    checkReservedOverlaps(lab, network.cidr, `${path}.cidr`, errors, warnings);
    // A Vagrantfile is shared between hosts, and only some enforce the range: warn here;
    // `kvm-lab up` refuses on a host that enforces it (src/host/host-only-ranges.ts).
    if ((network.mode === "hostonly" || network.mode === "hostonlynet") && lab.provider === "virtualbox") {
      const allowed = [DEFAULTS.hostOnlyRange, ...lab.hostOnlyRanges].some((range) => within(network.cidr!, range));
      if (!allowed) {
        warnings.push({
          path: `${path}.cidr`,
          message: `${network.cidr.text} is outside 192.168.56.0/21, the only host-only range VirtualBox 6.1.28+ allows by default: vagrant up fails on Linux hosts and on macOS before VirtualBox 7 (Windows and macOS with VirtualBox 7 accept it)`,
          fix: `on those hosts add the line "* ${network.cidr.text}" to /etc/vbox/networks.conf (then list it in virtualbox.hostOnlyRanges), or pick a block inside ${DEFAULTS.hostOnlyRange.text}`,
        });
      }
    }
  }
  for (let i = 0; i < withCidr.length; i++) {
    for (let j = i + 1; j < withCidr.length; j++) {
      if (overlaps(withCidr[i].cidr, withCidr[j].cidr)) {
        errors.push({
          path: `networks.${withCidr[j].key}.cidr`,
          message: `${withCidr[j].cidr.text} overlaps networks.${withCidr[i].key} (${withCidr[i].cidr.text})`,
          fix: "give every network its own address block",
        });
      }
    }
  }
}

/** Mode-specific settings of a network, shared or inline. */
function checkNetworkSettings(network: Network, path: string, errors: Problem[]): void {
  const info = MODES[network.mode];
  if (info.cidr === "required" && !network.cidr) {
    errors.push({ path: `${path}.cidr`, message: `${withArticle(network.mode)} network needs an address block`, fix: 'add cidr: "a.b.c.0/24"' });
  }
  if (info.cidr === "none" && network.cidr) {
    errors.push({ path: `${path}.cidr`, message: `${withArticle(network.mode)} NIC has no address block`, fix: "remove cidr" });
  }
  if (network.mode === "bridged" && !network.bridge) {
    errors.push({
      path: `${path}.bridge`,
      message: "a bridged network needs the host device to bridge to (Vagrant would stop and ask for one)",
      fix: 'add bridge: "eth0" (the host NIC, as `ip link` names it)',
    });
  }
  if (network.mode !== "bridged" && network.bridge) {
    errors.push({ path: `${path}.bridge`, message: `only bridged networks take a host device`, fix: "remove bridge" });
  }
  if (network.mode === "generic" && !network.driver) {
    errors.push({ path: `${path}.driver`, message: "a generic NIC needs its VirtualBox driver", fix: 'add driver: "UDPTunnel" or "VDE"' });
  }
  if (network.mode !== "generic" && (network.driver || Object.keys(network.properties).length)) {
    errors.push({ path: `${path}.driver`, message: "only generic NICs take a driver and properties", fix: "remove them" });
  }
}

function checkReservedOverlaps(lab: Lab, block: Cidr, path: string, errors: Problem[], warnings: Problem[]): void {
  if (lab.provider === "virtualbox" && overlaps(block, lab.natCidr)) {
    errors.push({
      path,
      message: `${block.text} overlaps ${lab.natCidr.text}, the NAT network of adapter 1 that Vagrant uses for SSH`,
      fix: "pick another block, or move adapter 1's NAT with virtualbox.natCidr",
    });
  }
  if (lab.provider === "libvirt" && overlaps(block, lab.managementNetwork)) {
    errors.push({
      path,
      message: `${block.text} overlaps vagrant-libvirt's management network ${lab.managementNetwork.text}`,
      fix: "pick another block, or move the management network with libvirt.managementNetwork",
    });
  }
  if (overlaps(block, DEFAULTS.libvirtDefaultNetwork)) {
    warnings.push({
      path,
      message: `${block.text} overlaps ${DEFAULTS.libvirtDefaultNetwork.text}, libvirt's default network (virbr0) inside the guests: NAT for nested guests would break`,
      fix: "pick another block",
    });
  }
}

/** Every machine needs a box: one problem when none has one (the lab lacks it), else one per machine. */
function checkBoxes(lab: Lab, errors: Problem[]): void {
  const without = lab.machines.filter((machine) => !machine.box);
  if (without.length > 1 && without.length === lab.machines.length) {
    errors.push({ path: "box", message: "no box for any machine", fix: 'set box on the lab, e.g. box: "debian/bookworm64" (or on each machine)' });
    return;
  }
  for (const machine of without) {
    errors.push({ path: `${machine.path}.box`, message: "no box", fix: 'set box on the lab or the machine, e.g. box: "debian/bookworm64"' });
  }
}

/** CPUs and memory are checked where they are written (normalize.ts), defaults once. */
function checkMachine(lab: Lab, machine: Machine, path: string, errors: Problem[], warnings: Problem[]): void {
  if (machine.cpuModel !== undefined && lab.provider === "virtualbox") {
    warnings.push({ path: `${path}.cpuModel`, message: "is a libvirt setting; VirtualBox ignores it" });
  }
  if (machine.cpuModel !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(machine.cpuModel)) {
    errors.push({ path: `${path}.cpuModel`, message: `"${machine.cpuModel}" is not a CPU model name`, fix: "use a name from `virsh cpu-models x86_64`, e.g. kvm64" });
  }
  for (const nic of machine.nics) checkNic(lab, nic, errors, warnings);
  machine.forwards.forEach((forward, index) => checkForward(forward, `${path}.forwards[${index}]`, errors, warnings));
}

function checkForward(forward: Forward, at: string, errors: Problem[], warnings: Problem[]): void {
  for (const key of ["guest", "host"] as const) {
    if (forward[key] < 1 || forward[key] > 65535) {
      errors.push({ path: `${at}.${key}`, message: `${forward[key]} is not a port`, fix: "use 1 to 65535" });
    }
  }
  if (parseIpv4(forward.hostIp) === undefined) {
    errors.push({ path: `${at}.hostIp`, message: `${forward.hostIp} is not an IPv4 address`, fix: "use 127.0.0.1 (the default) or a host address" });
  } else if (forward.hostIp === "0.0.0.0") {
    warnings.push({ path: `${at}.hostIp`, message: "0.0.0.0 exposes this port to every network the host is on" });
  }
}

/** Forwards and packet capture on a NIC. */
function checkNicExtras(lab: Lab, nic: Nic, errors: Problem[], warnings: Problem[]): void {
  const { network } = nic;
  nic.forwards.forEach((forward, index) => checkForward(forward, `${nic.path}.forwards[${index}]`, errors, warnings));
  if (nic.forwards.length && network.mode !== "nat" && network.mode !== "natnetwork") {
    errors.push({ path: `${nic.path}.forwards`, message: `${withArticle(network.mode)} NIC has no NAT to forward ports through`, fix: "forward on a nat or natnetwork NIC, or in the machine's forwards (adapter 1)" });
  } else if (nic.forwards.length && network.mode === "natnetwork" && lab.provider === "virtualbox" && !nic.ip) {
    errors.push({ path: `${nic.path}.forwards`, message: "a NAT Network forwards ports to a guest address, and this NIC has none fixed", fix: `give the NIC an ip in ${network.cidr?.text ?? "the network's block"}` });
  }
  const natBlock = network.mode === "nat" && lab.provider === "virtualbox" ? natBlockOf(nic) : undefined;
  if (natBlock && overlaps(natBlock, lab.natCidr)) {
    errors.push({ path: `${nic.path}.cidr`, message: `${natBlock.text} overlaps ${lab.natCidr.text}, adapter 1's NAT`, fix: "give this NAT its own block with cidr, e.g. 10.0.9.0/24" });
  }
  if (nic.capture !== undefined) {
    const file = nic.capture;
    if (path.isAbsolute(file) || path.normalize(file).split(/[\\/]/)[0] === ".." || !file.trim()) {
      errors.push({ path: `${nic.path}.captureFile`, message: `${JSON.stringify(file)} is outside the lab folder`, fix: 'use a path inside it, e.g. ".kvm-lab/captures/nic.pcap"' });
    }
    if (lab.provider === "libvirt") {
      warnings.push({ path: `${nic.path}.capture`, message: "is a VirtualBox setting (--nictraceN): libvirt has no per-NIC capture; run tcpdump on the NIC's bridge on the host" });
    }
  }
}

function checkNic(lab: Lab, nic: Nic, errors: Problem[], warnings: Problem[]): void {
  const { network } = nic;
  checkNicExtras(lab, nic, errors, warnings);
  if (!nic.named) checkNetworkSettings(network, nic.path, errors);
  if (!nic.named && network.cidr) checkReservedOverlaps(lab, network.cidr, `${nic.path}.cidr`, errors, warnings);
  if (nic.mac !== undefined) {
    const mac = normalizeMac(nic.mac);
    if (!mac) {
      errors.push({ path: `${nic.path}.mac`, message: `${nic.mac} is not a MAC address`, fix: "write six hex pairs, e.g. 08:00:27:12:34:56" });
    } else if (parseInt(mac.slice(0, 2), 16) & 1) {
      errors.push({ path: `${nic.path}.mac`, message: `${nic.mac} is a multicast address`, fix: "use an even first byte, e.g. 08:00:27:..." });
    }
  }
  if (nic.ip !== undefined) checkIp(lab, nic, errors, warnings);
  else if (network.mode === "intnet") {
    warnings.push({
      path: `${nic.path}.ip`,
      message: `internal network "${network.key}" has no DHCP server, so this NIC stays unconfigured`,
      fix: `give it an address in ${network.cidr?.text ?? "the network's block"}`,
    });
  }
  if (lab.provider === "libvirt") {
    const promisc = libvirtPromiscWarning(nic);
    if (promisc) warnings.push(promisc);
    if (!nic.cable) warnings.push({ path: `${nic.path}.cable`, message: "vagrant-libvirt cannot unplug a NIC's cable; the NIC is rendered connected" });
    if (network.mode === "generic") warnings.push({ path: nic.path, message: "generic drivers have no libvirt equivalent; the NIC is attached to an isolated network of its own" });
  }
}

/**
 * promisc is VirtualBox's (`--nicpromiscN`); libvirt has no such switch, so on libvirt the
 * setting is dropped. That matters only where libvirt's NIC behaves otherwise than asked:
 * - on a Linux bridge (every libvirt network kvm-lab makes, and bridged with linuxBridge)
 *   frames for MACs behind the NIC reach it (the bridge forwards by its learned table and
 *   floods unknown ones: linux net/bridge/br_input.c br_handle_frame_finish), which is
 *   "allow-all"; "deny" and "allow-vms" cannot be enforced there.
 * - macvtap (bridged without linuxBridge) hands the NIC only frames for its own MAC (linux
 *   drivers/net/macvlan.c macvlan_handle_frame: unicast goes by macvlan_hash_lookup on
 *   the destination), so "allow-all" does not hold: guests bridged behind it hear nothing.
 * So "allow-all" on a bridge, as the openstack template asks, is what libvirt does anyway.
 */
function libvirtPromiscWarning(nic: Nic): Problem | undefined {
  if (!nic.promisc) return undefined;
  const path = `${nic.path}.promisc`;
  const macvtap = nic.network.mode === "bridged" && !nic.network.linuxBridge;
  if (macvtap) {
    // "deny" is what macvtap does: the NIC gets its own frames only.
    if (nic.promisc === "deny") return undefined;
    return {
      path,
      message: "macvtap passes a NIC only the frames for its own MAC, so guests bridged behind this NIC get no traffic (promisc is a VirtualBox setting)",
      fix: 'bridge to a Linux bridge on the host instead: linuxBridge: true with bridge: "br0"',
    };
  }
  // "allow-all" is what a bridge does.
  if (nic.promisc === "allow-all") return undefined;
  return {
    path,
    message: `"${nic.promisc}" cannot be enforced on libvirt: promisc is a VirtualBox setting, and a libvirt bridge passes the NIC the frames for every MAC behind it whatever it says`,
    fix: 'remove promisc for libvirt, or use "allow-all" where the NIC carries guests\' traffic',
  };
}

function checkIp(lab: Lab, nic: Nic, errors: Problem[], warnings: Problem[]): void {
  const { network } = nic;
  const info = MODES[network.mode];
  const at = `${nic.path}.ip`;
  const address = parseIpv4(nic.ip!);
  if (address === undefined) {
    errors.push({ path: at, message: `${nic.ip} is not an IPv4 address`, fix: "write four numbers from 0 to 255, e.g. 192.168.56.10" });
    return;
  }
  if (!info.staticIp) {
    const dhcpOnly = network.mode === "hostonlynet";
    const why = dhcpOnly ? "takes its address from the network's DHCP server (Vagrant cannot configure it)" : "has no static address";
    const fix = dhcpOnly ? 'remove ip; for a fixed address use a "hostonly" or "intnet" network' : "remove ip";
    errors.push({ path: at, message: `${withArticle(network.mode)} NIC ${why}`, fix });
    return;
  }
  const block = network.cidr;
  if (!block) return;
  if (!contains(block, address)) {
    errors.push({ path: at, message: `${nic.ip} is outside ${network.key}'s ${block.text}`, fix: `pick an address from ${formatIpv4(hostAt(block, 2))} to ${formatIpv4(broadcastOf(block) - 1)}` });
  } else if (address === block.network) {
    errors.push({ path: at, message: `${nic.ip} is the network address of ${block.text}`, fix: `pick a host address, e.g. ${formatIpv4(hostAt(block, 10))}` });
  } else if (address === broadcastOf(block)) {
    errors.push({ path: at, message: `${nic.ip} is the broadcast address of ${block.text}`, fix: `pick a host address, e.g. ${formatIpv4(hostAt(block, 10))}` });
  } else if (address === hostAt(block, 1) && info.hostTakesFirstAddress) {
    errors.push({
      path: at,
      message: `${nic.ip} is taken by the ${network.mode === "natnetwork" ? "NAT Network's gateway" : "host"} on ${network.key}`,
      fix: `pick another address, e.g. ${formatIpv4(hostAt(block, 10))}`,
    });
  } else if (network.mode === "natnetwork" && lab.provider === "virtualbox") {
    checkNatNetworkAddress(address, block, at, errors, warnings);
  }
}

/**
 * A fixed address on a VirtualBox NAT Network: .2 maps the host's loopback and .3 is the
 * DHCP server; the server leases from .4 up (NATNetworkImpl.cpp), so a fixed address high
 * in the block is the one least likely to meet a lease.
 */
function checkNatNetworkAddress(address: number, block: Cidr, at: string, errors: Problem[], warnings: Problem[]): void {
  const offset = address - block.network;
  const high = formatIpv4(broadcastOf(block) - 10);
  if (offset === 2 || offset === 3) {
    errors.push({ path: at, message: `${formatIpv4(address)} is the NAT Network's ${offset === 2 ? "mapping of the host's loopback" : "DHCP server"} (${block.text})`, fix: `pick an address high in the block, e.g. ${high}` });
  } else if (offset < (broadcastOf(block) - block.network + 1) / 2) {
    // Leases go out in order from .4: the low half is where they land first.
    warnings.push({ path: at, message: `${formatIpv4(address)} is where the NAT Network's DHCP server leases first (from .4 up): another machine may get it`, fix: `pick an address in the upper half of the block, e.g. ${high}` });
  }
}

function checkAddressesAcrossMachines(lab: Lab, errors: Problem[]): void {
  const owners = new Map<string, string>();
  for (const machine of lab.machines) {
    for (const nic of machine.nics) {
      // An address that is not one is reported by checkIp; it cannot clash as well.
      if (!nic.ip || !nic.named || parseIpv4(nic.ip) === undefined) continue;
      const key = `${nic.network.key}/${nic.ip}`;
      const owner = owners.get(key);
      if (owner) {
        errors.push({ path: `${nic.path}.ip`, message: `${nic.ip} is already used on ${nic.network.key} by ${owner}`, fix: "give every NIC its own address" });
      } else {
        owners.set(key, nic.path);
      }
    }
  }
}

function checkForwardsAcrossMachines(lab: Lab, errors: Problem[]): void {
  const seen: { host: number; hostIp: string; protocol: string; path: string }[] = [];
  // Every forward binds a port on the host: the machine's (adapter 1) and its NICs' alike.
  const all = lab.machines.flatMap((machine) => [
    ...machine.forwards.map((forward, f) => ({ forward, path: `${machine.path}.forwards[${f}].host` })),
    ...machine.nics.flatMap((nic) => nic.forwards.map((forward, f) => ({ forward, path: `${nic.path}.forwards[${f}].host` }))),
  ]);
  for (const { forward, path } of all) {
    if (forward.host < 1 || forward.host > 65535) continue; // not a port: reported by checkForward
    const clash = seen.find(
      (s) =>
        s.host === forward.host &&
        s.protocol === forward.protocol &&
        (s.hostIp === forward.hostIp || s.hostIp === "0.0.0.0" || forward.hostIp === "0.0.0.0"),
    );
    if (clash) {
      errors.push({ path, message: `host port ${forward.protocol}/${forward.host} is already forwarded by ${clash.path.replace(/\.host$/, "")}`, fix: "pick another host port" });
    } else {
      seen.push({ ...forward, path });
    }
  }
}

function checkMacsAcrossMachines(lab: Lab, errors: Problem[]): void {
  const owners = new Map<string, string>();
  for (const machine of lab.machines) {
    for (const nic of machine.nics) {
      const mac = nic.mac && normalizeMac(nic.mac);
      if (!mac) continue;
      const owner = owners.get(mac);
      if (owner) errors.push({ path: `${nic.path}.mac`, message: `${nic.mac} is already the MAC of ${owner}`, fix: "give every NIC its own MAC, or leave mac out" });
      else owners.set(mac, nic.path);
    }
  }
}

/** libvirt: each extra NAT adapter becomes a NAT network of its own, and two cannot share a block. */
function checkLibvirtNatBlocks(lab: Lab, errors: Problem[]): void {
  const used = new Map<string, string>();
  for (const machine of lab.machines) {
    for (const nic of machine.nics) {
      if (nic.network.mode !== "nat") continue;
      const block = natBlockOf(nic);
      const owner = used.get(block.text);
      if (owner) {
        errors.push({
          path: nic.named ? `networks.${nic.network.key}.cidr` : `${nic.path}.cidr`,
          message: `libvirt makes each NAT adapter a network of its own, and ${owner} already uses ${block.text}`,
          fix: nic.named ? "use inline NAT NICs ({ mode: \"nat\", cidr: ... }) with a block each" : "give this NIC its own cidr",
        });
      } else {
        used.set(block.text, nic.path);
      }
    }
  }
}
