// Check results: the guest script's lines parsed, with the likely cause and fix of each
// failure, and the verdict for CI (every required check passed on every machine).
import { CHECK_IDS, MARK, type CheckId } from "./ids.js";

export type CheckStatus = "pass" | "fail" | "skip";

export interface CheckResult {
  id: CheckId;
  status: CheckStatus;
  required: boolean;
  evidence: string;
  /** For failures, and for required checks that were skipped: the likely cause and the fix. */
  cause?: string;
  fix?: string;
}

export interface MachineReport {
  machine: string;
  /** False when the machine could not be reached or its output could not be read. */
  reachable: boolean;
  /** Why it was unreachable or unreadable. */
  error?: string;
  /** Its state from `vagrant status` when it is not running (not_created, shutoff, poweroff...). */
  state?: string;
  /** What to do about `error`, when there is one clear thing (run kvm-lab up). */
  fix?: string;
  seconds: number;
  checks: CheckResult[];
}

/** Likely causes and fixes per failed check. */
const EXPLAIN: Record<CheckId, { cause: string; fix: string }> = {
  "cpu-flags": {
    cause: "the hypervisor does not pass VT-x/AMD-V (vmx/svm) to this guest",
    fix: "set nested: true for this machine (VirtualBox: --nested-hw-virt on; libvirt: libvirt.nested and a CPU mode that carries svm/vmx, not cpu_model kvm64); on the host, enable nested in kvm_intel/kvm_amd",
  },
  "kvm-modules": {
    cause: "kvm_intel/kvm_amd is not loaded, usually because the CPU lacks vmx/svm",
    fix: "fix cpu-flags first; then modprobe kvm_intel or kvm_amd (the kvm-lab boxes load it at boot)",
  },
  "dev-kvm": {
    cause: "without a loaded kvm_intel/kvm_amd there is no /dev/kvm, or the user is not allowed to open it",
    fix: "fix kvm-modules first; add the user to the kvm group (adduser vagrant kvm) when /dev/kvm exists but cannot be opened",
  },
  "kvm-runs": {
    cause: "KVM cannot run a guest here: no usable /dev/kvm, or a KVM without working hardware virtualization",
    fix: "fix the checks above; where the host's KVM cannot run guests, use accel: \"tcg\" (QEMU software emulation) for the lab machines",
  },
  "kvm-ok": {
    cause: "kvm-ok (cpu-checker) says KVM acceleration cannot be used",
    fix: "see its message; usually the same fix as cpu-flags",
  },
  "nested-param": {
    cause: "the guest's kvm module has nested virtualization off, so its own VMs cannot run VMs",
    fix: "options kvm_intel nested=1 / options kvm_amd nested=1 in /etc/modprobe.d, then reload the module",
  },
  libvirtd: {
    cause: "libvirtd is installed but not running",
    fix: "sudo systemctl enable --now libvirtd",
  },
  virbr0: {
    cause: "libvirt's default network is not started",
    fix: "sudo virsh net-autostart default && sudo virsh net-start default",
  },
};

/**
 * What lets a skipped check run: the guest lacks a tool (Debian package names: perl-base ships
 * /usr/bin/perl and is Essential, qemu-system-x86 ships /usr/bin/qemu-system-x86_64,
 * cpu-checker /usr/sbin/kvm-ok, libvirt-daemon-system libvirtd with its units and the default
 * network; `dpkg -S` on Debian 12). kvm-runs is skipped only without perl and QEMU both, or on
 * a guest that is not x86_64 (its test code is x86).
 */
const WHEN_SKIPPED: Record<CheckId, string> = {
  "cpu-flags": "see the evidence",
  "kvm-modules": "see the evidence",
  "dev-kvm": "see the evidence",
  "kvm-runs":
    "give the guest perl, which runs the KVM API probe (Debian/Ubuntu: perl-base, Essential there, so only a stripped image lacks it: apt-get install -y perl-base), or else QEMU for the QEMU probe (apt-get install -y qemu-system-x86); on a guest that is not x86_64 neither probe can run",
  "kvm-ok": "install kvm-ok in the guest (Debian/Ubuntu: apt-get install -y cpu-checker)",
  "nested-param": "load kvm_intel or kvm_amd in the guest (fix kvm-modules first)",
  libvirtd: "install libvirt in the guest (Debian/Ubuntu: apt-get install -y libvirt-daemon-system)",
  virbr0: "install libvirt in the guest (Debian/Ubuntu: apt-get install -y libvirt-daemon-system)",
};

/** Why a required check that was skipped fails its machine, and the two ways out. */
export function requiredSkipExplained(id: CheckId, evidence: string): { cause: string; fix: string } {
  return {
    cause: `${id} is in checks.required, so a skip counts as a failure (${evidence})`,
    fix: `${WHEN_SKIPPED[id]}, or leave ${id} out of checks.required in the lab config`,
  };
}

/** Whether this result fails its machine: a required check that did not pass. */
export function checkFails(check: CheckResult): boolean {
  return check.required && check.status !== "pass";
}

export class GuestOutputError extends Error {}

/** Parses the script's output; lines without the mark are ignored, garbage in marked lines is an error. */
export function parseCheckOutput(output: string, required: readonly CheckId[], expected: readonly CheckId[] = CHECK_IDS): CheckResult[] {
  const results = new Map<CheckId, CheckResult>();
  for (const line of output.split("\n")) {
    if (!line.startsWith(`${MARK}\t`)) continue;
    const [, id, status, ...rest] = line.replace(/\r$/, "").split("\t");
    if (!(CHECK_IDS as readonly string[]).includes(id) || !["pass", "fail", "skip"].includes(status)) {
      throw new GuestOutputError(`unreadable check line from the guest: ${JSON.stringify(line.slice(0, 200))}`);
    }
    const checkId = id as CheckId;
    const result: CheckResult = { id: checkId, status: status as CheckStatus, required: required.includes(checkId), evidence: rest.join("\t").trim() };
    if (result.status === "fail") Object.assign(result, EXPLAIN[checkId]);
    else if (result.status === "skip" && result.required) Object.assign(result, requiredSkipExplained(checkId, result.evidence));
    results.set(checkId, result);
  }
  const missing = expected.filter((id) => !results.has(id));
  if (missing.length === expected.length) throw new GuestOutputError("the guest printed no check results");
  if (missing.length) throw new GuestOutputError(`the guest's output stopped before these checks: ${missing.join(", ")}`);
  return expected.map((id) => results.get(id)!);
}

/** A machine passes when it was reached and no required check failed or was skipped. */
export function machinePassed(report: MachineReport): boolean {
  return report.reachable && !report.checks.some(checkFails);
}

export function allPassed(reports: MachineReport[]): boolean {
  return reports.length > 0 && reports.every(machinePassed);
}
