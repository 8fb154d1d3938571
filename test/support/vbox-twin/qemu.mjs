// A VM's settings as a QEMU command line: the machine, the CPU (with or without svm/vmx as
// --nested-hw-virt says), memory, the disk on its controller, and each adapter at the PCI
// slot VirtualBox gives it, so guests name their NICs as under VirtualBox (enp0s3, enp0s8...).
// Also the HMP monitor client the twin uses to set link states and to resume or save a VM.
import net from "node:net";
import path from "node:path";

/** PCI device numbers of adapters 1..8 on VirtualBox's PIIX3 chipset (ConsoleImpl2.cpp, aPciDeviceNo). */
export const NIC_PCI_SLOTS = [3, 8, 9, 10, 16, 17, 18, 19];

/** VirtualBox NIC types and the QEMU devices that play them. */
const NIC_DEVICES = {
  Am79C970A: "pcnet",
  Am79C973: "pcnet",
  Am79C960: "pcnet",
  "82540EM": "e1000",
  "82543GC": "e1000-82544gc",
  "82545EM": "e1000-82545em",
  virtio: "virtio-net-pci",
};

/** KVM where the tests say it can run a guest (KVMLAB_TWIN_ACCEL=kvm), else QEMU's software emulation. */
export function twinAccel() {
  return process.env.KVMLAB_TWIN_ACCEL === "kvm" ? "kvm" : "tcg";
}

/** The CPU: nested on exposes the virtualization extension, off hides it (both vendors' flags). */
export function cpuArg(vm, accel) {
  const nested = vm.settings["nested-hw-virt"] === "on";
  if (accel === "kvm") return nested ? "host" : "host,-svm,-vmx";
  // Under TCG QEMU emulates AMD's SVM (with nested paging), not Intel's VMX.
  return nested ? "qemu64,+svm,+npt" : "qemu64,-svm";
}

const mac = (hex) => hex.match(/../g).join(":").toLowerCase();

/** `-netdev` for one adapter, or undefined for a card with no backend of its own. */
export function netdevArg(nic, slot, { tap }) {
  const id = `net${slot}`;
  switch (nic.type) {
    case "nat": {
      const block = nic.natnet && nic.natnet !== "nat" ? nic.natnet : `10.0.${slot + 1}.0/24`;
      const [base] = block.split("/");
      const prefix = base.split(".").slice(0, 3).join(".");
      // VirtualBox's NAT and QEMU's user networking share their origin (Slirp): guest .15, host .2, DNS .3.
      const forwards = nic.natpf.map((r) => `hostfwd=${r.proto}:${r.hostip}:${r.hostport}-${r.guestip}:${r.guestport}`);
      return ["user", `id=${id}`, `net=${block}`, `host=${prefix}.2`, `dns=${prefix}.3`, `dhcpstart=${prefix}.15`, ...forwards].join(",");
    }
    case "hostonly":
    case "hostonlynet":
    case "intnet":
    case "natnetwork":
    case "bridged":
      return `tap,id=${id},ifname=${tap},script=no,downscript=no`;
    case "generic": {
      if (nic.genericdrv !== "UDPTunnel") throw new Error(`the twin plays only the UDPTunnel generic driver, not ${nic.genericdrv}`);
      const { dest = "127.0.0.1", sport = "10001", dport = "10002" } = nic.properties;
      return `socket,id=${id},udp=${dest}:${dport},localaddr=0.0.0.0:${sport}`;
    }
    case "null":
      // A card with nothing behind it: a hub port of its own, and the link down.
      return `hubport,id=${id},hubid=${100 + slot}`;
    default:
      return undefined;
  }
}

/** The whole command line; `taps` names each adapter's tap by slot. */
export function qemuArgs(vm, { accel, taps, pidFile, monitor, loadvm }) {
  const folder = vm.folder;
  const args = [
    "-name", vm.name,
    "-machine", `pc,accel=${accel}`,
    "-cpu", cpuArg(vm, accel),
    "-smp", String(vm.cpus),
    "-m", String(vm.memory),
    "-nodefaults",
    "-display", "none",
    "-serial", `file:${path.join(folder, "Logs", "console.log")}`,
    "-monitor", `unix:${monitor},server=on,wait=off`,
    "-pidfile", pidFile,
    "-daemonize",
    "-S",
  ];
  if (vm.settings.rtcuseutc === "on") args.push("-rtc", "base=utc");
  vm.disks.forEach((disk, i) => {
    args.push("-drive", `file=${disk.file},if=none,id=disk${i},format=qcow2`);
  });
  if (vm.controller.type === "IntelAhci") {
    args.push("-device", "ahci,id=ahci,bus=pci.0,addr=0xd");
    vm.disks.forEach((_, i) => args.push("-device", `ide-hd,drive=disk${i},bus=ahci.${i}`));
  } else {
    vm.disks.forEach((_, i) => args.push("-device", `ide-hd,drive=disk${i},bus=ide.${i >> 1},unit=${i & 1}`));
  }
  for (let slot = 1; slot <= 8; slot++) {
    const nic = vm.nics[slot];
    if (nic.type === "none") continue;
    const netdev = netdevArg(nic, slot, { tap: taps[slot] });
    args.push("-netdev", netdev);
    const device = NIC_DEVICES[nic.nictype] ?? "e1000";
    args.push("-device", `${device},netdev=net${slot},mac=${mac(nic.mac)},bus=pci.0,addr=0x${NIC_PCI_SLOTS[slot - 1].toString(16)}`);
    if (nic.trace) args.push("-object", `filter-dump,id=trace${slot},netdev=net${slot},file=${nic.traceFile ?? path.join(folder, `nic${slot}.pcap`)}`);
  }
  if (loadvm) args.push("-loadvm", loadvm);
  return args;
}

/** One HMP command on the VM's monitor socket; resolves with what QEMU printed. */
export function monitorCommand(socketPath, command, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    let buffer = "";
    let sent = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`QEMU's monitor did not answer "${command}" within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    socket.on("data", (chunk) => {
      buffer += chunk.toString();
      if (!buffer.endsWith("(qemu) ")) return;
      if (!sent) {
        sent = true;
        buffer = "";
        socket.write(`${command}\n`);
        return;
      }
      clearTimeout(timer);
      socket.end();
      // The echo of the command comes first; what is left is QEMU's answer.
      resolve(buffer.replace(/\(qemu\) $/, "").split(/\r?\n/).slice(1).join("\n").trim());
    });
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
