// Removes everything a twin home holds, whatever state it was left in (a test that failed,
// a twin that crashed): every VM's QEMU and taps, the NAT Network services, the host-only
// DHCP servers and bridges, and the registry itself. Run it in the namespace the twin ran
// in: `ip netns exec NS node cleanup.mjs HOME`, or import cleanupTwin.
import fs from "node:fs";
import path from "node:path";
import { deleteLink, killPidFile, releaseBridgeOf, shortId, stopDhcp, stopDhcpNamespace, stopNatService } from "./plumbing.mjs";

/** Stops and removes all the twin made under `home`; returns what it found still running. */
export function cleanupTwin(home) {
  const found = [];
  if (!fs.existsSync(home)) return found;
  process.env.KVMLAB_TWIN_HOME = home;
  const vmsDir = path.join(home, "vms");
  for (const uuid of fs.existsSync(vmsDir) ? fs.readdirSync(vmsDir) : []) {
    const pidFile = path.join(vmsDir, uuid, "qemu.pid");
    if (fs.existsSync(pidFile)) {
      found.push(`qemu of VM ${uuid}`);
      killPidFile(pidFile);
    }
    const file = path.join(vmsDir, uuid, "vm.json");
    const vm = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : undefined;
    for (const tap of Object.values(vm?.runtime?.taps ?? {})) deleteLink(tap);
    for (const nic of Object.values(vm?.nics ?? {})) {
      if (nic.type === "intnet") deleteLink(`twi-${shortId(nic.intnet ?? "intnet")}`);
      if (nic.type === "bridged" && nic.bridgeadapter) releaseBridgeOf(nic.bridgeadapter);
    }
  }
  const networksFile = path.join(home, "networks.json");
  const networks = fs.existsSync(networksFile) ? JSON.parse(fs.readFileSync(networksFile, "utf8")) : {};
  for (const natnet of networks.natnets ?? []) {
    stopNatService(natnet.name);
    deleteLink(`twb-${shortId(natnet.name)}`);
  }
  for (const server of networks.dhcpservers ?? []) stopDhcpNamespace(shortId(server.network));
  for (const iface of networks.hostonlyifs ?? []) deleteLink(iface.name);
  for (const hon of networks.hostonlynets ?? []) {
    stopDhcp(`hon-${hon.id}`);
    deleteLink(`twh-${hon.id}`);
  }
  fs.rmSync(home, { recursive: true, force: true });
  return found;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const found = cleanupTwin(process.argv[2] ?? process.env.KVMLAB_TWIN_HOME);
  if (found.length) process.stderr.write(`twin cleanup stopped: ${found.join(", ")}\n`);
}
