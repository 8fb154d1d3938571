// The host's networks: host-only interfaces (vboxnetN, a bridge each, holding the host's
// address), their DHCP servers, NAT Networks, VirtualBox 7's host-only networks (macOS),
// and the `list` views of them in VirtualBox's layouts (VBoxManageList.cpp).
import os from "node:os";
import { deleteLink, ensureBridge, setAddress, shortId, stopDhcpNamespace, stopNatService } from "../plumbing.mjs";
import { listVms, readNetworks, saveNetworks, VBoxError } from "../state.mjs";

const valueAfter = (args, ...flags) => {
  for (const flag of flags) {
    const i = args.indexOf(flag);
    if (i >= 0) return args[i + 1];
  }
  return undefined;
};

function prefixOf(netmask) {
  return netmask.split(".").reduce((bits, octet) => bits + Number(octet).toString(2).replace(/0/g, "").length, 0);
}

function netmaskOf(prefix) {
  const bits = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((s) => (bits >>> s) & 255).join(".");
}

const toInt = (ip) => ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);
const toIp = (n) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");

// ---- host-only interfaces (VBoxManageHostonly.cpp) ----

export function hostonlyif(args) {
  const [sub, ...rest] = args;
  const networks = readNetworks();
  if (sub === "create") {
    const used = new Set(networks.hostonlyifs.map((i) => i.name));
    let n = 0;
    while (used.has(`vboxnet${n}`)) n++;
    const name = `vboxnet${n}`;
    ensureBridge(name);
    // A new interface gets 192.168.56.1/24 and up, one block per interface (HostNetworkInterfaceImpl.cpp).
    const ip = `192.168.${56 + n}.1`;
    setAddress(name, `${ip}/24`);
    networks.hostonlyifs.push({ name, ip, netmask: "255.255.255.0" });
    saveNetworks(networks);
    process.stderr.write("0%...10%...20%...30%...40%...50%...60%...70%...80%...90%...100%\n");
    return `Interface '${name}' was successfully created\n`;
  }
  const name = rest.find((a) => !a.startsWith("--"));
  const iface = networks.hostonlyifs.find((i) => i.name === name);
  if (!iface) throw new VBoxError(`VBoxManage: error: Could not find interface '${name}'\nVBoxManage: error: Details: code E_INVALIDARG (0x80070057), component HostWrap, interface IHost`);
  if (sub === "ipconfig") {
    const ip = valueAfter(rest, "--ip");
    if (ip) {
      iface.ip = ip;
      iface.netmask = valueAfter(rest, "--netmask") ?? "255.255.255.0";
      setAddress(name, `${ip}/${prefixOf(iface.netmask)}`);
    }
  } else if (sub === "remove") {
    if (listVms().some((vm) => vm.state === "running" && Object.values(vm.nics).some((nic) => nic.type === "hostonly" && nic.hostonlyadapter === name))) {
      throw new VBoxError(`VBoxManage: error: Failed to remove host-only interface '${name}': it is in use`);
    }
    deleteLink(name);
    networks.hostonlyifs = networks.hostonlyifs.filter((i) => i.name !== name);
    stopDhcpNamespace(shortId(`HostInterfaceNetworking-${name}`));
    networks.dhcpservers = networks.dhcpservers.filter((d) => d.network !== `HostInterfaceNetworking-${name}`);
  }
  saveNetworks(networks);
  return "";
}

export function listHostonlyifs() {
  return readNetworks()
    .hostonlyifs.map((iface, n) =>
      [
        `Name:            ${iface.name}`,
        `GUID:            786f6276-656e-${String(4000 + n)}-8000-0a0027000000`,
        `DHCP:            Disabled`,
        `IPAddress:       ${iface.ip}`,
        `NetworkMask:     ${iface.netmask}`,
        `IPV6Address:     `,
        `IPV6NetworkMaskPrefixLength: 0`,
        `HardwareAddress: 0a:00:27:00:00:0${n}`,
        `MediumType:      Ethernet`,
        `Wireless:        No`,
        `Status:          Up`,
        `VBoxNetworkName: HostInterfaceNetworking-${iface.name}`,
        "",
        "",
      ].join("\n"),
    )
    .join("");
}

// ---- DHCP servers (VBoxManageDHCPServer.cpp) ----

export function dhcpserver(args) {
  const [sub, ...rest] = args;
  const networks = readNetworks();
  const ifname = valueAfter(rest, "--ifname", "--interface");
  const network = ifname ? `HostInterfaceNetworking-${ifname}` : valueAfter(rest, "--netname", "--network");
  const existing = networks.dhcpservers.find((d) => d.network === network);
  if (sub === "add") {
    if (existing) throw new VBoxError("VBoxManage: error: DHCP server already exists");
    networks.dhcpservers.push({
      network,
      ip: valueAfter(rest, "--ip", "--server-ip"),
      netmask: valueAfter(rest, "--netmask", "--mask"),
      lower: valueAfter(rest, "--lowerip", "--lower-ip"),
      upper: valueAfter(rest, "--upperip", "--upper-ip"),
      enabled: rest.includes("--enable"),
    });
  } else {
    if (!existing) throw new VBoxError(`VBoxManage: error: DHCP server does not exist\nVBoxManage: error: Details: code VBOX_E_OBJECT_NOT_FOUND (0x80bb0001), component VirtualBoxWrap, interface IVirtualBox`);
    if (sub === "modify") {
      for (const [key, flags] of [["ip", ["--ip", "--server-ip"]], ["netmask", ["--netmask", "--mask"]], ["lower", ["--lowerip", "--lower-ip"]], ["upper", ["--upperip", "--upper-ip"]]]) {
        const value = valueAfter(rest, ...flags);
        if (value) existing[key] = value;
      }
      if (rest.includes("--enable")) existing.enabled = true;
      if (rest.includes("--disable")) existing.enabled = false;
    } else if (sub === "remove") {
      stopDhcpNamespace(shortId(network));
      networks.dhcpservers = networks.dhcpservers.filter((d) => d !== existing);
    }
  }
  saveNetworks(networks);
  return "";
}

/** `list dhcpservers`: 6.1 and later print "Dhcpd IP" and capitalised bounds (Vagrant's version_6_1.rb reads them). */
export function listDhcpservers() {
  return readNetworks()
    .dhcpservers.map((d) =>
      [
        `NetworkName:    ${d.network}`,
        `Dhcpd IP:       ${d.ip}`,
        `LowerIPAddress: ${d.lower}`,
        `UpperIPAddress: ${d.upper}`,
        `NetworkMask:    ${d.netmask}`,
        `Enabled:        ${d.enabled ? "Yes" : "No"}`,
        `Global Configuration:`,
        `    minLeaseTime:     default`,
        `    defaultLeaseTime: default`,
        `    maxLeaseTime:     default`,
        `    Forced options:   None`,
        `    Suppressed opts.: None`,
        `        1/legacy: ${d.netmask}`,
        `Groups:               None`,
        `Individual Configs:   None`,
        "",
        "",
      ].join("\n"),
    )
    .join("");
}

// ---- NAT Networks (VBoxManageNATNetwork.cpp; layout from NATNetworkImpl.cpp) ----

/** A NAT Network's addresses: gateway .1, DHCP server .3, leases .4 to the last but one. */
export function natLayout(cidr) {
  const [base, bits] = cidr.split("/");
  const prefix = Number(bits);
  const network = toInt(base) - (toInt(base) % 2 ** (32 - prefix));
  const broadcast = network + 2 ** (32 - prefix) - 1;
  return { prefix, netmask: netmaskOf(prefix), gateway: toIp(network + 1), server: toIp(network + 3), lower: toIp(network + 4), upper: toIp(broadcast - 1) };
}

export function natnetwork(args, version) {
  const [sub, ...rest] = args;
  const networks = readNetworks();
  const name = valueAfter(rest, "--netname", "-t");
  if (sub === "list") return listNatnets(version);
  const existing = networks.natnets.find((n) => n.name === name);
  if (sub === "add") {
    if (existing) throw new VBoxError(`VBoxManage: error: NATNetwork server already exists`);
    const cidr = valueAfter(rest, "--network", "-n");
    networks.natnets.push({
      name,
      cidr,
      enabled: !rest.includes("--disable"),
      dhcp: valueAfter(rest, "--dhcp", "-h") !== "off",
      forwards: [],
      index: networks.natnets.reduce((max, n) => Math.max(max, n.index + 1), 0),
    });
  } else {
    if (!existing) throw new VBoxError(`VBoxManage: error: Failed to create NAT network service\nVBoxManage: error: Details: code VBOX_E_OBJECT_NOT_FOUND (0x80bb0001), component VirtualBoxWrap, interface IVirtualBox`);
    if (sub === "modify") {
      const cidr = valueAfter(rest, "--network", "-n");
      if (cidr) existing.cidr = cidr;
      if (rest.includes("--enable")) existing.enabled = true;
      if (rest.includes("--disable")) existing.enabled = false;
      const dhcp = valueAfter(rest, "--dhcp", "-h");
      if (dhcp) existing.dhcp = dhcp === "on";
      rest.forEach((arg, i) => {
        if (arg !== "--port-forward-4" && arg !== "-p") return;
        const rule = rest[i + 1];
        if (rule === "delete") existing.forwards = existing.forwards.filter((f) => f.name !== rest[i + 2]);
        else existing.forwards.push(parseNatNetworkRule(rule));
      });
    } else if (sub === "remove") {
      stopNatService(name);
      networks.natnets = networks.natnets.filter((n) => n !== existing);
    } else if (sub === "stop") {
      stopNatService(name);
    }
  }
  saveNetworks(networks);
  return "";
}

/** "name:proto:[hostip]:hostport:[guestip]:guestport" (VBoxManageNATNetwork.cpp, --port-forward-4). */
function parseNatNetworkRule(rule) {
  const m = rule.match(/^([^:]+):(tcp|udp):\[([^\]]*)\]:(\d+):\[([^\]]*)\]:(\d+)$/);
  if (!m) throw new VBoxError(`VBoxManage: error: Invalid port-forward rule ${rule}`, 2);
  return { name: m[1], proto: m[2], hostip: m[3], hostport: Number(m[4]), guestip: m[5], guestport: Number(m[6]) };
}

export function listNatnets(version) {
  const label = version === "6.1" ? "NetworkName:" : "Name:        ";
  return readNetworks()
    .natnets.map((n) => {
      const layout = natLayout(n.cidr);
      return [
        `${label}    ${n.name}`,
        `Network:        ${n.cidr}`,
        `Gateway:        ${layout.gateway}`,
        `DHCP Server:    ${n.dhcp ? "Yes" : "No"}`,
        `IPv6:           No`,
        `IPv6 Prefix:    fd17:625c:f037:2::/64`,
        `IPv6 Default:   No`,
        `Enabled:        ${n.enabled ? "Yes" : "No"}`,
        ...(n.forwards.length ? ["Port-forwarding (ipv4)", ...n.forwards.map((f) => `        ${f.name}:${f.proto}:[${f.hostip}]:${f.hostport}:[${f.guestip}]:${f.guestport}`)] : []),
        `loopback mappings (ipv4)`,
        `        127.0.0.1=2`,
        "",
        "",
      ].join("\n");
    })
    .join("");
}

// ---- VirtualBox 7 host-only networks (VBoxManageHostonly.cpp, VBOX_WITH_VMNET: macOS only) ----

export function hostonlynet(args) {
  const [sub, ...rest] = args;
  const networks = readNetworks();
  const name = valueAfter(rest, "--name");
  const existing = networks.hostonlynets.find((n) => n.name === name);
  if (sub === "add") {
    if (existing) throw new VBoxError(`VBoxManage: error: Host-only network '${name}' already exists`);
    networks.hostonlynets.push({
      name,
      netmask: valueAfter(rest, "--netmask", "-m"),
      lower: valueAfter(rest, "--lower-ip", "-l"),
      upper: valueAfter(rest, "--upper-ip", "-u"),
      enabled: !rest.includes("--disable"),
      id: shortId(name),
    });
  } else {
    if (!existing) throw new VBoxError(`VBoxManage: error: Host-only network '${name}' not found`);
    if (sub === "modify") {
      for (const [key, flags] of [["netmask", ["--netmask", "-m"]], ["lower", ["--lower-ip", "-l"]], ["upper", ["--upper-ip", "-u"]]]) {
        const value = valueAfter(rest, ...flags);
        if (value) existing[key] = value;
      }
      if (rest.includes("--enable")) existing.enabled = true;
      if (rest.includes("--disable")) existing.enabled = false;
    } else if (sub === "remove") {
      deleteLink(`twh-${existing.id}`);
      networks.hostonlynets = networks.hostonlynets.filter((n) => n !== existing);
    }
  }
  saveNetworks(networks);
  return "";
}

export function listHostonlynets() {
  return readNetworks()
    .hostonlynets.map((n) =>
      [`Name:            ${n.name}`, `GUID:            ${n.id}-0000-4000-8000-000000000000`, "", `State:           ${n.enabled ? "Enabled" : "Disabled"}`, `NetworkMask:     ${n.netmask}`, `LowerIP:         ${n.lower}`, `UpperIP:         ${n.upper}`, `VBoxNetworkId:   hostonly-${n.id}`, "", ""].join("\n"),
    )
    .join("");
}

// ---- bridged interfaces and internal networks ----

/** `list bridgedifs`: the devices of the namespace the twin runs in. */
export function listBridgedifs() {
  const hostOnly = new Set(readNetworks().hostonlyifs.map((i) => i.name));
  return Object.entries(os.networkInterfaces())
    .filter(([name]) => name !== "lo" && !hostOnly.has(name) && !name.startsWith("tw"))
    .map(([name, infos], n) => {
      const v4 = infos.find((i) => i.family === "IPv4");
      return [
        `Name:            ${name}`,
        `GUID:            ${shortId(name)}-0000-4000-8000-00000000000${n}`,
        `DHCP:            Disabled`,
        `IPAddress:       ${v4?.address ?? "0.0.0.0"}`,
        `NetworkMask:     ${v4?.netmask ?? "0.0.0.0"}`,
        `IPV6Address:     `,
        `IPV6NetworkMaskPrefixLength: 0`,
        `HardwareAddress: ${infos[0].mac}`,
        `MediumType:      Ethernet`,
        `Wireless:        No`,
        `Status:          Up`,
        `VBoxNetworkName: HostInterfaceNetworking-${name}`,
        "",
        "",
      ].join("\n");
    })
    .join("");
}

export function listIntnets() {
  const names = new Set(listVms().flatMap((vm) => Object.values(vm.nics).filter((nic) => nic.type === "intnet").map((nic) => nic.intnet ?? "intnet")));
  return [...names].map((name) => `Name:        ${name}\n\n`).join("");
}

export { natLayout as natNetworkLayout, prefixOf };
