// The libvirt CPU a machine gets: one decision, read by the rules and the renderer alike.
import type { CpuMode, Machine } from "./types.js";

/**
 * The model of `custom` when the config names none: vagrant-libvirt's own default
 * (lib/vagrant-libvirt/config.rb finalize!: `@cpu_model = 'qemu64'` when the mode is
 * custom), and what a nested-off machine without a model gets (svm and vmx disabled on it).
 */
export const DEFAULT_NAMED_MODEL = "qemu64";

/**
 * The CPU mode a machine renders with: the config's; else custom when it names a model or
 * has nested off (vagrant-libvirt can disable svm/vmx only on a named model); else
 * host-passthrough under KVM and host-model under TCG (libvirt refuses host-passthrough
 * without KVM, so a machine `kvm-lab up` moves to TCG gets host-model instead too).
 */
export function cpuModeOf(machine: Machine): CpuMode {
  // A machine that falls back to TCG at render time keeps the host's model at least.
  if (machine.libvirt.cpuMode === "host-passthrough" && machine.accel === "tcg") return "host-model";
  if (machine.libvirt.cpuMode) return machine.libvirt.cpuMode;
  if (machine.cpuModel !== undefined || !machine.nested) return "custom";
  return machine.accel === "kvm" ? "host-passthrough" : "host-model";
}

/** svm (AMD-V) and vmx (VT-x): the features a guest needs to run KVM itself. */
export const VIRTUALIZATION_FEATURES = ["svm", "vmx"] as const;

/** Policies under which a feature is absent from the guest's CPU (libvirt formatdomain, "CPU model and topology"). */
export const HIDING_POLICIES = ["disable", "forbid"] as const;
