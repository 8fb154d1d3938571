// `list hostinfo` (VBoxManageList.cpp listHostInfo): the host's processor as VirtualBox
// reports it, including whether it supports nested hardware virtualization.
import fs from "node:fs";
import os from "node:os";

export function hostInfo() {
  const cpuinfo = fs.readFileSync("/proc/cpuinfo", "utf8");
  const flags = new Set((cpuinfo.match(/^flags\s*:\s*(.*)$/m)?.[1] ?? "").split(/\s+/));
  const vendor = cpuinfo.match(/^vendor_id\s*:\s*(.*)$/m)?.[1] ?? "unknown";
  const hwvirt = flags.has("svm") || flags.has("vmx");
  const yesNo = (b) => (b ? "yes" : "no");
  return [
    "Host Information:",
    "",
    `Host time: ${new Date().toISOString()}`,
    `Processor online count: ${os.cpus().length}`,
    `Processor count: ${os.cpus().length}`,
    `Processor online core count: ${os.cpus().length}`,
    `Processor core count: ${os.cpus().length}`,
    `Processor supports HW virtualization: ${yesNo(hwvirt)}`,
    `Processor supports PAE: ${yesNo(flags.has("pae"))}`,
    `Processor supports long mode: ${yesNo(flags.has("lm"))}`,
    `Processor supports nested paging: ${yesNo(flags.has("npt") || flags.has("ept"))}`,
    `Processor supports unrestricted guest: ${yesNo(flags.has("vmx") ? flags.has("unrestricted_guest") || true : false)}`,
    // What the twin can give its guests: svm under QEMU's emulation, or the host's own under KVM.
    `Processor supports nested HW virtualization: ${yesNo(process.env.KVMLAB_TWIN_ACCEL !== "kvm" || hwvirt)}`,
    `Processor#0 description: ${os.cpus()[0]?.model ?? vendor}`,
    `Memory size: ${Math.round(os.totalmem() / 2 ** 20)} MByte`,
    `Memory available: ${Math.round(os.freemem() / 2 ** 20)} MByte`,
    `Operating system: Linux`,
    `Operating system version: ${os.release()}`,
    "",
  ].join("\n");
}
