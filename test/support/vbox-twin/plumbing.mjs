// The host side of the twin's networks, made in the network namespace the twin runs in (the
// tests' own): Linux bridges for host-only interfaces, internal networks and NAT Networks;
// a small namespace per NAT Network that plays VirtualBox's NAT service (gateway, DHCP,
// masquerading); dnsmasq for VirtualBox's DHCP servers. Everything made is recorded in the
// twin's home so that the twin's cleanup can remove it all.
import { execFileSync, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { alive, twinHome } from "./state.mjs";

const run = (cmd, args) => execFileSync(cmd, args, { stdio: ["ignore", "pipe", "pipe"] }).toString();
const tryRun = (cmd, args) => spawnSync(cmd, args, { stdio: "ignore" }).status === 0;

/** A short, stable id for a network name (device names are limited to 15 characters). */
export function shortId(name) {
  return crypto.createHash("sha1").update(name).digest("hex").slice(0, 8);
}

export function linkExists(name, netns) {
  const args = netns ? ["netns", "exec", netns, "ip", "link", "show", name] : ["link", "show", name];
  return tryRun("ip", args);
}

/** A bridge, up, with IPv6 off (a VirtualBox network carries what its guests send, nothing of ours). */
export function ensureBridge(name) {
  if (!linkExists(name)) {
    run("ip", ["link", "add", "name", name, "type", "bridge"]);
    tryRun("sysctl", ["-q", "-w", `net.ipv6.conf.${name}.disable_ipv6=1`]);
  }
  run("ip", ["link", "set", name, "up"]);
}

/** Sets a device's only IPv4 address. */
export function setAddress(device, cidr) {
  run("ip", ["-4", "addr", "flush", "dev", device]);
  if (cidr) run("ip", ["addr", "add", cidr, "dev", device]);
}

export function deleteLink(name) {
  tryRun("ip", ["link", "del", name]);
}

export function isBridge(name) {
  return fs.existsSync(`/sys/class/net/${name}/bridge`);
}

/** Puts a tap (made by QEMU) on a bridge and brings it up. */
export function attachTap(tap, bridge) {
  run("ip", ["link", "set", tap, "master", bridge]);
  run("ip", ["link", "set", tap, "up"]);
}

export function readPid(file) {
  try {
    const pid = Number(fs.readFileSync(file, "utf8").trim());
    return pid && alive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function killPidFile(file) {
  const pid = readPid(file);
  if (pid) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // gone
    }
    for (let i = 0; i < 40 && alive(pid); i++) spawnSync("sleep", ["0.05"]);
    if (alive(pid)) process.kill(pid, "SIGKILL");
  }
  fs.rmSync(file, { force: true });
}

/** Where the twin keeps the files of a network's services (pid files, leases). */
export function serviceDir(id) {
  const dir = path.join(twinHome(), "services", id);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * A DHCP server (dnsmasq) on `device`, inside `netns` when given: leases lower..upper, and
 * only the options VirtualBox's DHCP server hands out (a router only where there is one).
 */
export function startDhcp({ id, netns, device, lower, upper, netmask, router, dns }) {
  const dir = serviceDir(id);
  const pidFile = path.join(dir, "dnsmasq.pid");
  if (readPid(pidFile)) return;
  const args = [
    "--conf-file=/dev/null",
    "--no-resolv",
    "--no-hosts",
    "--port=0",
    `--interface=${device}`,
    "--bind-interfaces",
    "--except-interface=lo",
    `--dhcp-range=${lower},${upper},${netmask},1h`,
    `--dhcp-leasefile=${path.join(dir, "leases")}`,
    `--pid-file=${pidFile}`,
    "--dhcp-authoritative",
    // VirtualBox's DHCP server hands out leases in order from the lower bound.
    "--dhcp-sequential-ip",
    router ? `--dhcp-option=option:router,${router}` : "--dhcp-option=option:router",
    dns ? `--dhcp-option=option:dns-server,${dns}` : "--dhcp-option=option:dns-server",
  ];
  const cmd = netns ? ["ip", ["netns", "exec", netns, "dnsmasq", ...args]] : ["dnsmasq", args];
  run(cmd[0], cmd[1]);
}

export function stopDhcp(id) {
  killPidFile(path.join(serviceDir(id), "dnsmasq.pid"));
}

export function netnsExists(name) {
  return fs.existsSync(`/run/netns/${name}`);
}

const inNs = (netns, ...args) => run("ip", ["netns", "exec", netns, ...args]);

/**
 * A NAT Network's service, as VirtualBox's NAT service (VBoxNetNAT) plays it: a namespace
 * on the network's bridge holding the gateway (.1) and the DHCP server (.3, leases .4 up),
 * that masquerades what the guests send out. Its uplink to the twin's namespace uses a /30
 * of 100.64.0.0/10 and is masqueraded again there, so the twin's namespace (the "host")
 * never learns a route into the NAT Network: it reaches the guests only through forwards.
 */
export function startNatService({ name, bridge, gateway, prefix, dhcp, uplinkIndex }) {
  const id = shortId(name);
  const netns = `kvmlab-twn-${id}`;
  if (netnsExists(netns) && readPid(path.join(serviceDir(`nat-${id}`), "dnsmasq.pid"))) return netns;
  stopNatService(name);
  run("ip", ["netns", "add", netns]);
  inNs(netns, "ip", "link", "set", "lo", "up");
  // The LAN side: a veth from the bridge into the namespace, holding the gateway.
  const lanHost = `twl-${id}`;
  run("ip", ["link", "add", lanHost, "type", "veth", "peer", "name", "lan0", "netns", netns]);
  attachTap(lanHost, bridge);
  inNs(netns, "ip", "addr", "add", `${gateway}/${prefix}`, "dev", "lan0");
  inNs(netns, "ip", "link", "set", "lan0", "up");
  // The uplink: 100.64.<i>.0/30, the twin's namespace on .1.
  const upHost = `twu-${id}`;
  const third = uplinkIndex % 256;
  const second = 64 + Math.floor(uplinkIndex / 256);
  run("ip", ["link", "add", upHost, "type", "veth", "peer", "name", "up0", "netns", netns]);
  run("ip", ["addr", "add", `100.${second}.${third}.1/30`, "dev", upHost]);
  run("ip", ["link", "set", upHost, "up"]);
  inNs(netns, "ip", "addr", "add", `100.${second}.${third}.2/30`, "dev", "up0");
  inNs(netns, "ip", "link", "set", "up0", "up");
  inNs(netns, "ip", "route", "add", "default", "via", `100.${second}.${third}.1`);
  inNs(netns, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
  inNs(netns, "iptables", "-t", "nat", "-A", "POSTROUTING", "-o", "up0", "-j", "MASQUERADE");
  // Only what the guests start goes in: nothing from the uplink into the LAN unasked.
  inNs(netns, "iptables", "-A", "FORWARD", "-i", "up0", "-o", "lan0", "-m", "conntrack", "!", "--ctstate", "ESTABLISHED,RELATED", "-j", "DROP");
  tryRun("sysctl", ["-q", "-w", "net.ipv4.ip_forward=1"]);
  const hostRule = ["-s", `100.${second}.${third}.0/30`, "!", "-d", `100.${second}.${third}.0/30`, "-m", "comment", "--comment", `kvmlab-twin ${id}`, "-j", "MASQUERADE"];
  if (!tryRun("iptables", ["-t", "nat", "-C", "POSTROUTING", ...hostRule])) run("iptables", ["-t", "nat", "-A", "POSTROUTING", ...hostRule]);
  fs.writeFileSync(path.join(serviceDir(`nat-${id}`), "host-rule.json"), JSON.stringify(hostRule));
  startDhcp({ id: `nat-${id}`, netns, device: "lan0", ...dhcp, router: gateway, dns: gateway });
  return netns;
}

export function stopNatService(name) {
  const id = shortId(name);
  stopDhcp(`nat-${id}`);
  const ruleFile = path.join(serviceDir(`nat-${id}`), "host-rule.json");
  if (fs.existsSync(ruleFile)) {
    tryRun("iptables", ["-t", "nat", "-D", "POSTROUTING", ...JSON.parse(fs.readFileSync(ruleFile, "utf8"))]);
    fs.rmSync(ruleFile, { force: true });
  }
  deleteLink(`twl-${id}`);
  deleteLink(`twu-${id}`);
  if (netnsExists(`kvmlab-twn-${id}`)) tryRun("ip", ["netns", "del", `kvmlab-twn-${id}`]);
}

/** A small namespace on a bridge holding one address: where a host-only DHCP server sits. */
export function startDhcpNamespace({ id, bridge, address, prefix }) {
  const netns = `kvmlab-twd-${id}`;
  if (netnsExists(netns)) return netns;
  run("ip", ["netns", "add", netns]);
  inNs(netns, "ip", "link", "set", "lo", "up");
  const hostSide = `twd-${id}`;
  run("ip", ["link", "add", hostSide, "type", "veth", "peer", "name", "lan0", "netns", netns]);
  attachTap(hostSide, bridge);
  inNs(netns, "ip", "addr", "add", `${address}/${prefix}`, "dev", "lan0");
  inNs(netns, "ip", "link", "set", "lan0", "up");
  return netns;
}

export function stopDhcpNamespace(id) {
  stopDhcp(id);
  deleteLink(`twd-${id}`);
  if (netnsExists(`kvmlab-twd-${id}`)) tryRun("ip", ["netns", "del", `kvmlab-twd-${id}`]);
}

/**
 * The bridge a bridged adapter joins: the device itself when it is a bridge; otherwise a
 * bridge the twin puts in front of it, the device enslaved and its IPv4 addresses and
 * routes moved onto the bridge, so the host keeps its address on that LAN (as with
 * VirtualBox's bridging filter driver) and guests join the same segment.
 */
export function bridgeInFrontOf(device) {
  if (isBridge(device)) return device;
  const bridge = `twg-${shortId(device)}`;
  const saved = path.join(serviceDir(`bridged-${shortId(device)}`), "device.json");
  if (linkExists(bridge) && fs.existsSync(saved)) return bridge;
  const addresses = JSON.parse(run("ip", ["-j", "-4", "addr", "show", "dev", device]))[0]?.addr_info ?? [];
  const routes = JSON.parse(run("ip", ["-j", "-4", "route", "show", "dev", device])).filter((r) => r.protocol !== "kernel");
  fs.writeFileSync(saved, JSON.stringify({ device, addresses, routes }));
  ensureBridge(bridge);
  run("ip", ["link", "set", device, "master", bridge]);
  for (const a of addresses) {
    run("ip", ["addr", "del", `${a.local}/${a.prefixlen}`, "dev", device]);
    run("ip", ["addr", "add", `${a.local}/${a.prefixlen}`, "dev", bridge]);
  }
  for (const r of routes) tryRun("ip", ["route", "add", r.dst, ...(r.gateway ? ["via", r.gateway] : []), "dev", bridge]);
  return bridge;
}

/** Undoes bridgeInFrontOf: the device out of the twin's bridge, its addresses and routes back. */
export function releaseBridgeOf(device) {
  const saved = path.join(serviceDir(`bridged-${shortId(device)}`), "device.json");
  if (!fs.existsSync(saved)) return;
  const { addresses, routes } = JSON.parse(fs.readFileSync(saved, "utf8"));
  const bridge = `twg-${shortId(device)}`;
  tryRun("ip", ["link", "set", device, "nomaster"]);
  deleteLink(bridge);
  for (const a of addresses) tryRun("ip", ["addr", "add", `${a.local}/${a.prefixlen}`, "dev", device]);
  for (const r of routes) tryRun("ip", ["route", "add", r.dst, ...(r.gateway ? ["via", r.gateway] : []), "dev", device]);
  fs.rmSync(saved, { force: true });
}
