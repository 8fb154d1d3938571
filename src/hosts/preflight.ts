// Preflight of every libvirt host of a lab with `hosts`, all at once, before anything boots:
// reachable over SSH (remote hosts), libvirtd answering on the host's URI (and its version),
// KVM able to run guest code there (the check script's KVM API probe, run on the host), the
// kvm module's nested parameter, and free memory for the machines about to start there.
// Every problem of every host is collected and reported together (HostPreflightError, exit
// 3); a host whose KVM cannot run guests puts its machines on QEMU's software emulation, as
// the one-host preflight does, with a warning.
import type { Lab, LabHost } from "../config/types.js";
import { HostPreflightError, type Problem } from "../errors.js";
import { kvmApiProbeFunction } from "../checks/script.js";
import { virshOn } from "./virsh.js";
import { labShells, type HostShell } from "./shell.js";

export interface HostReport {
  host: string;
  where: string;
  /** "libvirt 9.0.0". */
  libvirt?: string;
  kvmRunsGuests: boolean;
  kvmEvidence: string;
  /** The kvm module's nested parameter (Y, 1, N, 0), when a kvm module is loaded. */
  nested?: string;
  /** MemAvailable, MiB. */
  availableMiB?: number;
}

export interface HostsPreflight {
  hosts: HostReport[];
  /** Machines that run under TCG because their host's KVM cannot run guests. */
  tcg: string[];
  warnings: Problem[];
}

/** The shell script run on each host: MemAvailable, the nested parameter, then the probe's line and status. */
async function hostScript(): Promise<string> {
  return [
    "awk '/^MemAvailable:/ {print \"mem\", $2}' /proc/meminfo",
    "for f in /sys/module/kvm_intel/parameters/nested /sys/module/kvm_amd/parameters/nested; do [ -r \"$f\" ] && echo \"nested $(cat \"$f\")\"; done",
    await kvmApiProbeFunction(),
    "if [ ! -e /dev/kvm ]; then echo 'kvm 1 no /dev/kvm'",
    "elif ! command -v perl >/dev/null 2>&1; then echo 'kvm 1 no perl on the host to run the KVM API probe'",
    "else out=$(kvm_api_probe); echo \"kvm $? $out\" | head -1; fi",
    "true",
  ].join("\n");
}

/** The memory each host needs for the machines in `starting` (MiB). */
function needOf(lab: Lab, host: LabHost, starting: string[]): { mib: number; machines: string[] } {
  const machines = lab.machines.filter((m) => m.host?.name === host.name && starting.includes(m.name));
  return { mib: machines.reduce((sum, m) => sum + m.memory, 0), machines: machines.map((m) => m.name) };
}

const nestedOn = (value: string | undefined) => value === "Y" || value === "1";

/**
 * Checks every host of the lab; throws HostPreflightError listing every problem when any host
 * cannot take its machines. `starting`: the machines about to be started (their memory must be free).
 */
export async function preflightHosts(lab: Lab, starting: string[], shells: Map<string, HostShell> = labShells(lab)): Promise<HostsPreflight> {
  const script = await hostScript();
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const tcg: string[] = [];
  const hosts = await Promise.all(
    lab.hosts.map(async (host): Promise<HostReport> => {
      const shell = shells.get(host.name)!;
      const report: HostReport = { host: host.name, where: shell.where, kvmRunsGuests: false, kvmEvidence: "not probed" };
      const add = (message: string, fix: string) => problems.push({ path: host.path, message, fix });
      // 1. SSH, with what the host prints back.
      // As root where it can (the KVM probe then sees /dev/kvm as libvirt's QEMU does); a user
      // without sudo still gets the facts, the probe then as that user (the kvm group's access).
      let facts = await shell.run(["sh", "-s"], { input: script, root: true, timeoutMs: 30_000 });
      if (facts.exitCode !== 0 && (facts.code !== undefined || /\bsudo\b/.test(facts.stderr))) facts = await shell.run(["sh", "-s"], { input: script, timeoutMs: 30_000 });
      if (facts.exitCode !== 0) {
        const why = facts.timedOut ? "no answer within 30 s" : facts.stderr.trim().split("\n").pop() || `exit ${facts.exitCode}`;
        if (!shell.uri.local) add(`not reachable over SSH as ${shell.where}: ${why}`, `make \`ssh ${shell.where} true\` work without a prompt (a key in the agent, or keyfile= in the URI)${shell.uri.user && shell.uri.user !== "root" ? ", with sudo without a password there" : ""}`);
        else add(`this machine's checks failed: ${why}`, "run kvm-lab as root, or allow sudo without a password");
        return report;
      }
      // 2. libvirtd on the host's URI, as vagrant-libvirt will connect.
      const version = await virshOn(host.uri, ["version", "--daemon"], 30_000);
      const daemon = /Running against daemon:\s*(\S+)/.exec(version.stdout)?.[1];
      if (version.exitCode !== 0 || !daemon) {
        add(`libvirtd does not answer on ${host.uri}: ${version.stderr.trim().split("\n").pop() || (version.notFound ? "virsh is not installed here" : `exit ${version.exitCode}`)}`, version.notFound ? "apt-get install -y libvirt-clients" : "install and start libvirtd there (apt-get install -y libvirt-daemon-system)");
      } else report.libvirt = `libvirt ${daemon}`;
      // 3. What the host printed: memory, nested, the probe.
      const lines = facts.stdout.split("\n");
      const mem = Number(/^mem (\d+)/m.exec(facts.stdout)?.[1]);
      if (Number.isFinite(mem)) report.availableMiB = Math.floor(mem / 1024);
      report.nested = /^nested (\S+)/m.exec(facts.stdout)?.[1];
      const probe = lines.find((l) => l.startsWith("kvm "));
      const [, status, ...evidence] = probe?.split(" ") ?? [];
      report.kvmRunsGuests = status === "0";
      report.kvmEvidence = evidence.join(" ") || "the probe said nothing";
      const need = needOf(lab, host, starting);
      if (report.availableMiB !== undefined && need.mib > report.availableMiB) {
        add(`${need.machines.join(", ")} need ${need.mib} MiB; ${report.availableMiB} MiB is available there (MemAvailable)`, `free memory on ${host.name}, lower the machines' memory, or place them on another host`);
      }
      const kvmMachines = lab.machines.filter((m) => m.host?.name === host.name && starting.includes(m.name) && m.accel === "kvm");
      if (!report.kvmRunsGuests && kvmMachines.length) {
        tcg.push(...kvmMachines.map((m) => m.name));
        warnings.push({ path: host.path, message: `KVM cannot run guests on ${host.name} (${report.kvmEvidence}); ${kvmMachines.map((m) => m.name).join(", ")} will use QEMU software emulation (slow)`, fix: 'set accel: "tcg" on them to make this explicit, or fix the host\'s KVM' });
      }
      const nestedMachines = kvmMachines.filter((m) => m.nested);
      if (report.kvmRunsGuests && nestedMachines.length && report.nested !== undefined && !nestedOn(report.nested)) {
        add(
          `the kvm module's nested parameter is ${report.nested}: ${nestedMachines.map((m) => m.name).join(", ")} would get no /dev/kvm`,
          "with no VM running there: modprobe -r kvm_intel && modprobe kvm_intel nested=1 (kvm_amd likewise), and options kvm_intel nested=1 in /etc/modprobe.d/ to keep it",
        );
      }
      return report;
    }),
  );
  if (problems.length) {
    const failing = new Set(problems.map((p) => p.path)).size;
    throw new HostPreflightError(`${failing} of ${lab.hosts.length} hosts cannot take the lab's machines; nothing was started`, problems);
  }
  return { hosts, tcg, warnings };
}
