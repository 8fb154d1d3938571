// Powering VMs on and off: `startvm` boots the VM under QEMU with its networks made first,
// `controlvm` powers off, pauses, resumes, saves state, and sets link states; a VM whose
// QEMU has gone (the guest powered off, or QEMU died) is found powered off. Nothing a VM
// used is left when it stops: its taps, and the networks no running VM needs any more.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { natNetworkLayout, prefixOf } from "./commands/networks.mjs";
import { attachTap, bridgeInFrontOf, deleteLink, ensureBridge, killPidFile, linkExists, readPid, setAddress, shortId, startDhcp, startDhcpNamespace, startNatService, releaseBridgeOf, stopDhcp, stopDhcpNamespace, stopNatService } from "./plumbing.mjs";
import { monitorCommand, qemuArgs, twinAccel } from "./qemu.mjs";
import { listVms, readNetworks, requireVm, saveVm, VBoxError, vmDir } from "./state.mjs";

const runtimeFiles = (vm) => ({ pidFile: path.join(vmDir(vm.uuid), "qemu.pid"), monitor: path.join(vmDir(vm.uuid), "monitor.sock") });

/** The bridge an adapter's tap joins, made (with its services) if this is its first user. */
function bridgeFor(nic, networks) {
  switch (nic.type) {
    case "hostonly": {
      const iface = networks.hostonlyifs.find((i) => i.name === nic.hostonlyadapter);
      if (!iface) {
        throw new VBoxError(`VBoxManage: error: Nonexistent host networking interface, name '${nic.hostonlyadapter ?? ""}' (VERR_INTERNAL_ERROR)\nVBoxManage: error: Details: code NS_ERROR_FAILURE (0x80004005), component ConsoleWrap, interface IConsole`);
      }
      ensureBridge(iface.name);
      const dhcp = networks.dhcpservers.find((d) => d.network === `HostInterfaceNetworking-${iface.name}` && d.enabled);
      if (dhcp) {
        const id = shortId(dhcp.network);
        const netns = startDhcpNamespace({ id, bridge: iface.name, address: dhcp.ip, prefix: prefixOf(dhcp.netmask) });
        startDhcp({ id, netns, device: "lan0", lower: dhcp.lower, upper: dhcp.upper, netmask: dhcp.netmask });
      }
      return iface.name;
    }
    case "intnet": {
      const bridge = `twi-${shortId(nic.intnet ?? "intnet")}`;
      ensureBridge(bridge);
      return bridge;
    }
    case "natnetwork": {
      const natnet = networks.natnets.find((n) => n.name === nic.natnetwork);
      if (!natnet) throw new VBoxError(`VBoxManage: error: Failed to start VM: the NAT network '${nic.natnetwork ?? ""}' does not exist\nVBoxManage: error: Details: code VBOX_E_OBJECT_NOT_FOUND (0x80bb0001), component NATNetworkWrap`);
      const bridge = `twb-${shortId(natnet.name)}`;
      ensureBridge(bridge);
      const layout = natNetworkLayout(natnet.cidr);
      startNatService({ name: natnet.name, bridge, gateway: layout.gateway, prefix: layout.prefix, uplinkIndex: natnet.index, dhcp: natnet.dhcp ? { lower: layout.lower, upper: layout.upper, netmask: layout.netmask } : undefined });
      return bridge;
    }
    case "hostonlynet": {
      const hon = networks.hostonlynets.find((n) => n.name === nic.hostonlynet);
      if (!hon) throw new VBoxError(`VBoxManage: error: Host-only network '${nic.hostonlynet ?? ""}' not found`);
      const bridge = `twh-${hon.id}`;
      ensureBridge(bridge);
      // vmnet takes the lower address as the host's (and the gateway's); leases follow it (DrvVMNet.m).
      setAddress(bridge, `${hon.lower}/${prefixOf(hon.netmask)}`);
      const next = hon.lower.split(".").map(Number);
      next[3] += 1;
      startDhcp({ id: `hon-${hon.id}`, device: bridge, lower: next.join("."), upper: hon.upper, netmask: hon.netmask });
      return bridge;
    }
    case "bridged": {
      const device = nic.bridgeadapter ?? "";
      if (!linkExists(device)) {
        throw new VBoxError(`VBoxManage: error: Failed to open/create the internal network 'HostInterfaceNetworking-${device}' (VERR_INTNET_FLT_IF_NOT_FOUND).\nVBoxManage: error: Failed to attach the network LUN (VERR_INTNET_FLT_IF_NOT_FOUND)`);
      }
      return bridgeInFrontOf(device);
    }
    default:
      return undefined;
  }
}

/**
 * VirtualBox's NAT forwards a guest's pings through the host's ICMP sockets, as QEMU's
 * user networking does; Linux allows those sockets only to the groups in
 * ping_group_range, so the twin opens it in its namespace (QEMU runs as root here).
 */
function allowNatPing() {
  spawnSync("sysctl", ["-q", "-w", "net.ipv4.ping_group_range=0 2147483647"], { stdio: "ignore" });
}

/** `startvm VM [--type headless]`: boots the VM under QEMU, paused until its links are set. */
export async function startVm(args) {
  const vm = requireVm(args[0]);
  if (process.env.KVMLAB_TWIN_STOP_AT === "startvm") {
    throw new VBoxError(`VBoxManage: error: twin: stopped before booting '${vm.name}', as KVMLAB_TWIN_STOP_AT=startvm asks`);
  }
  if (["running", "paused"].includes(vm.state)) {
    throw new VBoxError(`VBoxManage: error: The machine '${vm.name}' is already locked by a session (or being locked or unlocked)\nVBoxManage: error: Details: code VBOX_E_INVALID_OBJECT_STATE (0x80bb0007), component MachineWrap, interface IMachine`);
  }
  const networks = readNetworks();
  const { pidFile, monitor } = runtimeFiles(vm);
  allowNatPing();
  const short = vm.uuid.replace(/-/g, "").slice(0, 6);
  const taps = {};
  const bridges = {};
  const made = [];
  try {
    for (let slot = 1; slot <= 8; slot++) {
      const bridge = bridgeFor(vm.nics[slot], networks);
      if (!bridge) continue;
      taps[slot] = `twt${slot}${short}`;
      bridges[slot] = bridge;
    }
    fs.rmSync(monitor, { force: true });
    const loadvm = vm.state === "saved" ? vm.savedState : undefined;
    const argv = qemuArgs(vm, { accel: twinAccel(), taps, pidFile, monitor, loadvm });
    fs.mkdirSync(path.join(vm.folder, "Logs"), { recursive: true });
    fs.appendFileSync(path.join(vm.folder, "Logs", "VBox.log"), `${new Date().toISOString()} qemu-system-x86_64 ${argv.join(" ")}\n`);
    const qemu = spawnSync("qemu-system-x86_64", argv, { encoding: "utf8" });
    if (qemu.status !== 0) {
      throw new VBoxError(`VBoxManage: error: The VM session was aborted\nVBoxManage: error: Details: code NS_ERROR_FAILURE (0x80004005), component SessionMachine, interface ISession\ntwin: qemu-system-x86_64 failed: ${qemu.stderr.trim()}`);
    }
    made.push("qemu");
    for (const [slot, tap] of Object.entries(taps)) attachTap(tap, bridges[slot]);
    for (let slot = 1; slot <= 8; slot++) {
      const nic = vm.nics[slot];
      if (nic.type !== "none" && (!nic.cable || nic.type === "null")) await monitorCommand(monitor, `set_link net${slot} off`);
    }
    await monitorCommand(monitor, "cont");
  } catch (error) {
    // Whatever was started for this VM goes again: QEMU and its taps.
    killPidFile(pidFile);
    for (const tap of Object.values(taps)) deleteLink(tap);
    releaseNetworks(vm);
    throw error;
  }
  vm.state = "running";
  vm.stateChanged = new Date().toISOString();
  vm.runtime = { taps, bridges };
  vm.savedState = undefined;
  saveVm(vm);
  return `Waiting for VM "${vm.name}" to power on...\nVM "${vm.name}" has been successfully started.\n`;
}

/** Stops QEMU (if it runs), removes the VM's taps and the networks nobody else needs. */
export async function stopVm(vm, { quiet = false, state = "poweroff" } = {}) {
  const { pidFile } = runtimeFiles(vm);
  killPidFile(pidFile);
  for (const tap of Object.values(vm.runtime?.taps ?? {})) deleteLink(tap);
  vm.runtime = undefined;
  vm.state = state;
  vm.stateChanged = new Date().toISOString();
  saveVm(vm);
  releaseNetworks(vm);
  if (!quiet) process.stderr.write("0%...10%...20%...30%...40%...50%...60%...70%...80%...90%...100%\n");
}

/** Tears down intnet bridges, NAT Network services and host-only DHCP servers that no running VM uses. */
export function releaseNetworks(stopped) {
  const running = listVms().filter((vm) => vm.uuid !== stopped.uuid && ["running", "paused"].includes(vm.state));
  for (const nic of Object.values(stopped.nics)) {
    const usedBy = (type, key) => running.some((vm) => Object.values(vm.nics).some((other) => other.type === type && other[key] === nic[key]));
    if (nic.type === "intnet" && !usedBy("intnet", "intnet")) deleteLink(`twi-${shortId(nic.intnet ?? "intnet")}`);
    if (nic.type === "natnetwork" && nic.natnetwork && !usedBy("natnetwork", "natnetwork")) {
      stopNatService(nic.natnetwork);
      deleteLink(`twb-${shortId(nic.natnetwork)}`);
    }
    if (nic.type === "hostonly" && nic.hostonlyadapter && !usedBy("hostonly", "hostonlyadapter")) stopDhcpNamespace(shortId(`HostInterfaceNetworking-${nic.hostonlyadapter}`));
    if (nic.type === "bridged" && nic.bridgeadapter && !usedBy("bridged", "bridgeadapter")) releaseBridgeOf(nic.bridgeadapter);
    if (nic.type === "hostonlynet" && nic.hostonlynet && !usedBy("hostonlynet", "hostonlynet")) {
      stopDhcp(`hon-${shortId(nic.hostonlynet)}`);
      deleteLink(`twh-${shortId(nic.hostonlynet)}`);
    }
  }
}

/** A VM marked running whose QEMU is gone was powered off from inside (or QEMU died): say so. */
export async function reconcile() {
  for (const vm of listVms()) {
    const { pidFile } = runtimeFiles(vm);
    const alive = readPid(pidFile);
    if (["running", "paused"].includes(vm.state) && !alive) await stopVm(vm, { quiet: true, state: "poweroff" });
    // A QEMU the registry does not know as running (a twin that died while starting it) is stopped.
    if (!["running", "paused"].includes(vm.state) && alive) await stopVm(vm, { quiet: true, state: vm.state === "saved" ? "saved" : "poweroff" });
  }
}

/** `controlvm VM poweroff|acpipowerbutton|pause|resume|reset|savestate|setlinkstateN on|off|natpfN ...`. */
export async function controlVm(args) {
  const [target, sub, ...rest] = args;
  const vm = requireVm(target);
  if (!["running", "paused"].includes(vm.state)) {
    throw new VBoxError(`VBoxManage: error: Machine '${vm.name}' is not currently running`);
  }
  const { monitor } = runtimeFiles(vm);
  const link = sub.match(/^setlinkstate(\d)$/);
  if (link) {
    const slot = Number(link[1]);
    await monitorCommand(monitor, `set_link net${slot} ${rest[0] === "on" ? "on" : "off"}`);
    vm.nics[slot].cable = rest[0] === "on";
    saveVm(vm);
    return "";
  }
  const natpf = sub.match(/^natpf(\d)$/);
  if (natpf) {
    const slot = Number(natpf[1]);
    const nic = vm.nics[slot];
    if (rest[0] === "delete") {
      const rule = nic.natpf.find((r) => r.name === rest[1]);
      if (rule) await monitorCommand(monitor, `hostfwd_remove net${slot} ${rule.proto}:${rule.hostip}:${rule.hostport}`);
      nic.natpf = nic.natpf.filter((r) => r.name !== rest[1]);
    } else {
      const [name, proto, hostip, hostport, guestip, guestport] = rest[0].split(",");
      await monitorCommand(monitor, `hostfwd_add net${slot} ${proto}:${hostip}:${hostport}-${guestip}:${guestport}`);
      nic.natpf.push({ name, proto, hostip, hostport, guestip, guestport });
    }
    saveVm(vm);
    return "";
  }
  switch (sub) {
    case "poweroff":
      await stopVm(vm);
      return "";
    case "acpipowerbutton":
      await monitorCommand(monitor, "system_powerdown");
      return "";
    case "pause":
      await monitorCommand(monitor, "stop");
      vm.state = "paused";
      break;
    case "resume":
      await monitorCommand(monitor, "cont");
      vm.state = "running";
      break;
    case "reset":
      await monitorCommand(monitor, "system_reset");
      break;
    case "savestate": {
      // VirtualBox saves the state to a file and powers off; the twin keeps it as a QEMU snapshot.
      const tag = `twin-saved-${Date.now()}`;
      await monitorCommand(monitor, "stop");
      const said = await monitorCommand(monitor, `savevm ${tag}`, 300_000);
      if (/error/i.test(said)) throw new VBoxError(`VBoxManage: error: twin: savevm failed: ${said}`);
      await stopVm(vm, { state: "saved" });
      vm.state = "saved";
      vm.savedState = tag;
      break;
    }
    default:
      throw new VBoxError(`VBoxManage: error: twin: controlvm ${sub} is not played by the twin`);
  }
  vm.stateChanged = new Date().toISOString();
  saveVm(vm);
  return "";
}
