// What the host must have before `kvm-lab up`: vagrant, the provider, and (for libvirt)
// hardware virtualization that can really run a guest; where it cannot, the decision that
// the lab falls back to QEMU's software emulation, with a warning.
import os from "node:os";
import path from "node:path";
import fs from "fs-extra";
import type { Lab } from "../config/types.js";
import { ConfigError, VagrantMissingError, VagrantTooOldError, type Problem } from "../errors.js";
import { runProcess } from "../process/run.js";
import { hostOnlyRangeProblems, readNetworksConf } from "./host-only-ranges.js";
import { vagrantVersion } from "../vagrant/execute.js";
import { vagrantTooOldFor } from "../vagrant/virtualbox-support.js";

export interface HostFacts {
  vagrant: string;
  provider: string;
  /** Whether a guest really ran under -accel kvm (not only whether /dev/kvm exists). */
  kvmRunsGuests: boolean;
  kvmEvidence: string;
  /** Machines asking for KVM that are to run under QEMU's software emulation, because KVM cannot run guests here. */
  tcg: string[];
  warnings: Problem[];
}

/**
 * A 64 KiB BIOS whose reset vector writes 'K' to the serial port, then tells QEMU's
 * isa-debug-exit device (port 0xf4) to end QEMU, so the probe returns as soon as the guest
 * has answered (templates/guest-check.sh boots the same bytes in a guest without perl; with
 * perl it runs its test code through the KVM API directly).
 */
function probeBios(): Buffer {
  const bios = Buffer.alloc(64 * 1024);
  Buffer.from([0xba, 0xf8, 0x03, 0xb0, 0x4b, 0xee, 0xba, 0xf4, 0x00, 0xb0, 0x00, 0xee, 0xf4]).copy(bios, 65520);
  return bios;
}

/** The QEMU the host probe runs: $KVM_LAB_QEMU, else qemu-system-x86_64 on PATH. */
export function qemuBinary(): string {
  return process.env.KVM_LAB_QEMU || "qemu-system-x86_64";
}

/** Runs a few bytes of guest code under `qemu-system-x86_64 -accel kvm`, bounded by a timeout. */
export async function probeKvm(timeoutMs = 15_000): Promise<{ runs: boolean; evidence: string }> {
  if (!(await fs.pathExists("/dev/kvm"))) return { runs: false, evidence: "no /dev/kvm" };
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "kvm-lab-probe-"));
  try {
    await fs.writeFile(path.join(dir, "bios"), probeBios());
    const result = await runProcess(
      qemuBinary(),
      ["-accel", "kvm", "-machine", "pc", "-m", "16", "-nodefaults", "-display", "none", "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-bios", path.join(dir, "bios"), "-serial", "stdio"],
      // A group of its own: a timeout ends a wrapper script and the QEMU it started alike.
      { timeoutMs, graceMs: 0, group: true },
    );
    if (result.stdout.startsWith("K")) return { runs: true, evidence: "a test guest ran under -accel kvm" };
    if (result.notFound) return { runs: false, evidence: `${qemuBinary()} is not installed` };
    return { runs: false, evidence: `/dev/kvm exists but a test guest produced nothing under -accel kvm${result.timedOut ? ` within ${timeoutMs / 1000} s` : `: ${result.stderr.split("\n")[0]}`}` };
  } finally {
    await fs.remove(dir);
  }
}

async function providerVersion(lab: Lab): Promise<string> {
  const [command, args, hint] =
    lab.provider === "virtualbox"
      ? ["VBoxManage", ["--version"], "install VirtualBox (6.1 or 7.x)"]
      : ["virsh", ["-c", "qemu:///system", "version", "--daemon"], "apt-get install -y libvirt-daemon-system vagrant-libvirt, and start libvirtd"];
  const result = await runProcess(command, args, { timeoutMs: 20_000, group: true });
  if (result.exitCode !== 0) {
    throw new VagrantMissingError(`the ${lab.provider} provider is not usable: ${command} ${args.join(" ")} ${result.notFound ? "is not installed" : `failed: ${result.stderr.trim().split("\n")[0]}`}`, { hint });
  }
  const match = /(\d+\.\d+\.\d+)/.exec(result.stdout);
  return `${lab.provider} ${match?.[1] ?? result.stdout.trim()}`;
}

/** Vagrant refuses a VirtualBox newer than its drivers; say so before any trigger runs. */
function checkVagrantDrivesVirtualbox(vagrant: string, virtualbox: string): void {
  const needed = vagrantTooOldFor(virtualbox, vagrant);
  if (needed) {
    throw new VagrantTooOldError(`vagrant ${vagrant} has no driver for VirtualBox ${virtualbox}: it needs Vagrant ${needed} or later`, {
      hint: `upgrade Vagrant (HashiCorp's packages), or use VirtualBox 7.0 with this Vagrant`,
    });
  }
}

/**
 * What stands between a VirtualBox host and nested virtualization: a CPU VirtualBox says
 * cannot do it (`VBoxManage list hostinfo`, VBoxManageList.cpp listHostInfo: "Processor
 * supports nested HW virtualization"), and on Windows a running Hyper-V, under which
 * VirtualBox falls back to its NEM backend (the Windows Hypervisor Platform) and nested
 * virtualization is silently off.
 */
export async function virtualboxNestedWarnings(run: (command: string, args: string[]) => Promise<string> = runQuietly, platform = process.platform): Promise<Problem[]> {
  const warnings: Problem[] = [];
  const hostinfo = await run("VBoxManage", ["list", "hostinfo"]);
  if (/^Processor supports nested HW virtualization:\s*no\s*$/m.test(hostinfo)) {
    warnings.push({
      path: "host",
      message: "VirtualBox says this CPU cannot do nested hardware virtualization (VBoxManage list hostinfo): nested machines will have no VT-x/AMD-V",
      fix: "use a host with AMD-V or with VT-x and VirtualBox 6.1+, or set nested: false on the machines that need no KVM",
    });
  }
  if (platform === "win32") {
    const hypervisor = await run("powershell", ["-NoProfile", "-Command", "(Get-CimInstance Win32_ComputerSystem).HypervisorPresent"]);
    if (/true/i.test(hypervisor)) {
      warnings.push({
        path: "host",
        message: "Hyper-V is running (it also runs under WSL2, Docker Desktop and Windows' memory integrity): VirtualBox then uses its slow NEM backend and turns nested virtualization off without a word",
        fix: "bcdedit /set hypervisorlaunchtype off and reboot (WSL2 and Docker Desktop stop working until you turn it back on), or run the lab on a Linux host with KVM",
      });
    }
  }
  return warnings;
}

async function runQuietly(command: string, args: string[]): Promise<string> {
  return (await runProcess(command, args, { timeoutMs: 20_000, group: true })).stdout;
}

export interface PreflightOptions {
  /** Where the Vagrantfile is (vagrant runs there). */
  cwd: string;
  /** Whether KVM runs a guest here (default: probeKvm; tests inject the answer). */
  probe?: () => Promise<{ runs: boolean; evidence: string }>;
}

/**
 * Checks the host. For libvirt labs that ask for KVM where it cannot run a guest, decides
 * that those machines use QEMU software emulation (`tcg` in the facts: the caller renders
 * them so) and warns; the lab itself is left as loaded.
 */
export async function preflightHost(lab: Lab, options: PreflightOptions): Promise<HostFacts> {
  const warnings: Problem[] = [];
  const vagrant = await vagrantVersion({ cwd: options.cwd });
  const provider = await providerVersion(lab);
  if (lab.provider === "virtualbox") {
    const virtualbox = provider.replace(/^virtualbox /, "");
    checkVagrantDrivesVirtualbox(vagrant, virtualbox);
    const problems = hostOnlyRangeProblems(lab, { platform: process.platform, virtualbox, ranges: readNetworksConf() });
    if (problems.length) throw new ConfigError(problems, { hint: "VirtualBox refuses host-only networks outside these ranges on this host" });
  }
  const kvm = await (options.probe ?? probeKvm)();
  if (lab.provider === "virtualbox" && lab.machines.some((m) => m.nested)) warnings.push(...(await virtualboxNestedWarnings()));
  const tcg = lab.provider === "libvirt" && !kvm.runs ? lab.machines.filter((m) => m.accel === "kvm").map((m) => m.name) : [];
  if (tcg.length) {
    warnings.push({
      path: "host",
      message: `KVM cannot run guests here (${kvm.evidence}); ${tcg.join(", ")} will use QEMU software emulation (slow)`,
      fix: 'set accel: "tcg" in the config to make this explicit, or fix the host\'s KVM',
    });
  }
  return { vagrant, provider, kvmRunsGuests: kvm.runs, kvmEvidence: kvm.evidence, tcg, warnings };
}
