// A VM as the twin keeps it (the settings VirtualBox keeps in a .vbox file), made from an
// imported appliance, and its `showvminfo` text in VirtualBox's own layouts.
import path from "node:path";
import { newMac, newUuid, twinHome } from "./state.mjs";

export const MAX_ADAPTERS = 8;

/** Adapter defaults of a new VM: VirtualBox's NetworkAdapter::i_applyDefaults (none, 82540EM, cable connected). */
export function emptyNic() {
  return { type: "none", nictype: "82540EM", mac: newMac(), cable: true, promisc: "deny", natpf: [], properties: {}, speed: 0 };
}

/** The folder VirtualBox keeps a VM in: "<default machine folder>/<name>/". */
export function machineFolder() {
  return path.join(twinHome(), "VirtualBox VMs");
}

/** A new, registered-to-be VM from an appliance read by readOvf. */
export function vmFromOvf(ovf, { name, disks }) {
  const nics = {};
  for (let slot = 1; slot <= MAX_ADAPTERS; slot++) nics[slot] = emptyNic();
  ovf.nics.forEach((nic, i) => {
    if (i < MAX_ADAPTERS) Object.assign(nics[i + 1], { type: nic.connection === "NAT" ? "nat" : "null", nictype: nic.type });
  });
  const folder = path.join(machineFolder(), name);
  return {
    uuid: newUuid(),
    name,
    created: Date.now(),
    ostype: ovf.ostype,
    cfgFile: path.join(folder, `${name}.vbox`),
    folder,
    cpus: ovf.cpus,
    memory: ovf.memory,
    state: "poweroff",
    stateChanged: new Date().toISOString(),
    // Settings modifyvm changes that the twin maps onto QEMU, with VirtualBox's defaults
    // for a VM made by import; everything else modifyvm is given is kept in `other`.
    settings: {
      ioapic: "on",
      hwvirtex: "on",
      nestedpaging: "on",
      vtxux: "on",
      vtxvpid: "on",
      largepages: "off",
      "nested-hw-virt": "off",
      paravirtprovider: "default",
      rtcuseutc: "off",
      chipset: "piix3",
      firmware: "bios",
    },
    other: {},
    nics,
    controller: ovf.controller,
    disks,
    sharedFolders: [],
    extradata: {},
    guestproperties: {},
    snapshots: [],
    currentSnapshot: undefined,
  };
}

const q = (value) => `"${value}"`;

/** Lines of `showvminfo --machinereadable`, in VirtualBox's order (VBoxManageInfo.cpp showVMInfo). */
export function machineReadableInfo(vm, version) {
  const s = vm.settings;
  const lines = [
    `name=${q(vm.name)}`,
    ...(version === "6.1" ? [] : [`Encryption=${q("disabled")}`]),
    `groups=${q("/")}`,
    `ostype=${q(vm.ostype)}`,
    `UUID=${q(vm.uuid)}`,
    `CfgFile=${q(vm.cfgFile)}`,
    `SnapFldr=${q(path.join(vm.folder, "Snapshots"))}`,
    `LogFldr=${q(path.join(vm.folder, "Logs"))}`,
    `memory=${vm.memory}`,
    `pagefusion=${q("off")}`,
    `vram=16`,
    `cpuexecutioncap=100`,
    `hpet=${q("off")}`,
    `cpu-profile=${q("host")}`,
    `chipset=${q(s.chipset)}`,
    `firmware=${q(s.firmware.toUpperCase())}`,
    `cpus=${vm.cpus}`,
    `pae=${q("on")}`,
    `longmode=${q("on")}`,
    `triplefaultreset=${q("off")}`,
    `apic=${q("on")}`,
    `x2apic=${q("on")}`,
    `nested-hw-virt=${q(s["nested-hw-virt"])}`,
    `cpuid-portability-level=0`,
    `bootmenu=${q("messageandmenu")}`,
    `boot1=${q("disk")}`,
    `boot2=${q("dvd")}`,
    `boot3=${q("none")}`,
    `boot4=${q("none")}`,
    `acpi=${q("on")}`,
    `ioapic=${q(s.ioapic)}`,
    `biosapic=${q("apic")}`,
    `biossystemtimeoffset=0`,
    `rtcuseutc=${q(s.rtcuseutc)}`,
    `hwvirtex=${q(s.hwvirtex)}`,
    `nestedpaging=${q(s.nestedpaging)}`,
    `largepages=${q(s.largepages)}`,
    `vtxvpid=${q(s.vtxvpid)}`,
    `vtxux=${q(s.vtxux)}`,
    `paravirtprovider=${q(s.paravirtprovider)}`,
    `effparavirtprovider=${q(s.paravirtprovider === "default" ? "kvm" : s.paravirtprovider)}`,
    `VMState=${q(vm.state)}`,
    `VMStateChangeTime=${q(vm.stateChanged)}`,
    `graphicscontroller=${q("vmsvga")}`,
    `monitorcount=1`,
    `accelerate3d=${q("off")}`,
    `storagecontrollername0=${q(vm.controller.name)}`,
    `storagecontrollertype0=${q(vm.controller.type)}`,
    `storagecontrollerinstance0=${q("0")}`,
    `storagecontrollermaxportcount0=${q(vm.controller.type === "IntelAhci" ? "30" : "2")}`,
    `storagecontrollerportcount0=${q(String(Math.max(1, vm.disks.length)))}`,
    `storagecontrollerbootable0=${q("on")}`,
  ];
  vm.disks.forEach((disk, port) => {
    lines.push(`"${vm.controller.name}-${port}-0"=${q(disk.location)}`, `"${vm.controller.name}-ImageUUID-${port}-0"=${q(disk.uuid)}`);
  });
  for (let slot = 1; slot <= MAX_ADAPTERS; slot++) lines.push(...nicLines(vm.nics[slot], slot, version));
  vm.sharedFolders.forEach((folder, i) => {
    lines.push(`SharedFolderNameMachineMapping${i + 1}=${q(folder.name)}`, `SharedFolderPathMachineMapping${i + 1}=${q(folder.hostpath)}`);
  });
  if (vm.currentSnapshot) {
    const current = vm.snapshots.find((snap) => snap.uuid === vm.currentSnapshot);
    if (current) lines.push(`CurrentSnapshotName=${q(current.name)}`, `CurrentSnapshotUUID=${q(current.uuid)}`, `CurrentSnapshotNode="SnapshotName"`);
  }
  lines.push(`GuestMemoryBalloon=0`);
  return `${lines.join("\n")}\n`;
}

/** One adapter's lines; Vagrant reads the attachment line before nicN= and the forwards after it. */
function nicLines(nic, slot, version) {
  if (nic.type === "none") return [`nic${slot}=${q("none")}`];
  const attachment = {
    nat: [`natnet${slot}=${q(nic.natnet ?? "nat")}`],
    hostonly: [`hostonlyadapter${slot}=${q(nic.hostonlyadapter ?? "")}`],
    hostonlynet: [`hostonly-network${slot}=${q(nic.hostonlynet ?? "")}`],
    intnet: [`intnet${slot}=${q(nic.intnet ?? "intnet")}`],
    bridged: [`bridgeadapter${slot}=${q(nic.bridgeadapter ?? "")}`],
    natnetwork: [`nat-network${slot}=${q(nic.natnetwork ?? "")}`],
    generic: [`generic${slot}=${q(nic.genericdrv ?? "")}`],
    null: [],
  }[nic.type] ?? [];
  const type = nic.type === "hostonlynet" ? "hostonlynetwork" : nic.type;
  const lines = [
    ...attachment,
    `macaddress${slot}=${q(nic.mac)}`,
    `cableconnected${slot}=${q(nic.cable ? "on" : "off")}`,
    `nic${slot}=${q(type)}`,
    `nictype${slot}=${q(nic.nictype)}`,
    `nicspeed${slot}=${q(String(nic.speed))}`,
  ];
  if (nic.type !== "nat" && nic.type !== "null") lines.push(`nicpromisc${slot}=${q(nic.promisc)}`);
  if (nic.type === "nat") {
    lines.push(`mtu="0"`, `sockSnd="64"`, `sockRcv="64"`, `tcpWndSnd="64"`, `tcpWndRcv="64"`);
    // VirtualBox 7.0 made the host's loopback opt-in for a new VM's NAT (NATEngineImpl.cpp).
    if (version !== "6.1") lines.push(`nat-localhostreachable${slot}=${q(nic.localhostReachable ? "on" : "off")}`);
    nic.natpf.forEach((rule, i) => lines.push(`Forwarding(${i})=${q([rule.name, rule.proto, rule.hostip, rule.hostport, rule.guestip, rule.guestport].join(","))}`));
  }
  return lines;
}

/** `showvminfo` without --machinereadable: the human layout, its first lines. */
export function humanInfo(vm) {
  return [
    `Name:                        ${vm.name}`,
    `Groups:                      /`,
    `Guest OS:                    ${vm.ostype}`,
    `UUID:                        ${vm.uuid}`,
    `Config file:                 ${vm.cfgFile}`,
    `Memory size:                 ${vm.memory}MB`,
    `Number of CPUs:              ${vm.cpus}`,
    `State:                       ${humanState(vm.state)} (since ${vm.stateChanged})`,
    "",
  ].join("\n");
}

function humanState(state) {
  return { poweroff: "powered off", running: "running", saved: "saved", paused: "paused", aborted: "aborted" }[state] ?? state;
}
