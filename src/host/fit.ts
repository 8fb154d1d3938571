// Does the lab fit its host? Adds up the machines' memory, vCPUs and disks and holds them
// against what the host has (or a CI runner is known to have), so that `plan` can show it
// and `up` can warn or refuse with numbers before anything boots.
//
// The thresholds (README, "Resource fit"):
// - memory: refuse when the machines brought up need more than the host's MemTotal (they
//   cannot all be resident at once: the host swaps or the OOM killer ends a VM); warn above
//   MemAvailable (the kernel's estimate of what new programs can get without swapping,
//   Documentation/filesystems/proc.rst "MemAvailable").
// - vCPUs, per machine: warn above the host's CPUs and refuse above twice as many. These are
//   VirtualBox's own limits in its settings dialog (VirtualBox GUI,
//   src/VBox/Frontends/VirtualBox/src/settings/machine/UIMachineSettingsSystem.cpp,
//   revalidate(): more than the host's online CPUs "is likely to degrade the performance",
//   more than twice as many "may not be" assigned). `VBoxManage modifyvm --cpus` checks only
//   the schema's maximum (MachineImpl.cpp Machine::setCPUCount, SchemaDefs::MaxCPUCount) and
//   QEMU/KVM runs any count by time-sharing, so above the host's CPUs each vCPU waits for
//   the others; we apply VirtualBox's limits to both providers. The lab's total of vCPUs is
//   shown, not judged: idle vCPUs cost little.
// - disk: warn when the machines' disks could grow past the free space where the provider
//   keeps VM disks. Disks are thin (qcow2 overlays, dynamically allocated VMDKs), so this is
//   an upper bound, never a refusal.
import type { Lab, Machine } from "../config/types.js";
import { KvmLabError, type Problem } from "../errors.js";
import { machineDisks, vagrantBoxesDir } from "../vagrant/box-disks.js";
import { readHostResources, runningMachines, type HostSources } from "./host-resources.js";

/** What a host has, as far as it is known. */
export interface HostResources {
  /** Who this is, for messages: "this host", "GitHub's ubuntu-24.04 runner". */
  label: string;
  memTotalMiB?: number;
  memAvailableMiB?: number;
  cpus: number;
  /** Where the provider keeps VM disks, and the free bytes there. */
  disk?: { path: string; freeBytes?: number };
}

/** What one machine asks for. `diskBytes` is its disk's virtual size, when known. */
export interface MachineNeed {
  name: string;
  /** Where it is in the config, for messages: `machines[2] (compute3)`. */
  path: string;
  memoryMiB: number;
  cpus: number;
  box: string;
  diskBytes?: number;
  /** The config's root disk size (diskSizeGiB) when it is below the box's own disk, in bytes: ignored by the providers. */
  rootBelowBox?: { requested: number; box: number };
  /** Already running here: its memory is in use, so MemAvailable has counted it. */
  running: boolean;
}

/** What the machines brought up ask for, added up. */
export interface LabNeeds {
  machines: MachineNeed[];
  memoryMiB: number;
  /** The memory of the machines not running yet: what MemAvailable must still hold. */
  startMemoryMiB: number;
  cpus: number;
  /** The disks whose size is known, added up; `diskUnknown` names the machines without one. */
  diskBytes: number;
  diskUnknown: string[];
}

/** A problem of fit: `refuse` stops `up` (unless overridden), `warn` is printed. */
export interface FitFinding extends Problem {
  level: "refuse" | "warn";
}

export interface FitReport {
  needs: LabNeeds;
  host: HostResources;
  findings: FitFinding[];
}

/** The flag that lets `up` go ahead when the lab does not fit. */
export const OVERRIDE_FLAG = "--allow-overcommit";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/**
 * GitHub's standard Linux runner for public repositories, which the scaffolded workflow
 * targets (`runs-on: ubuntu-24.04`): 4 CPUs, 16 GB of RAM, 14 GB of SSD ("GitHub-hosted
 * runners reference", https://docs.github.com/en/actions/reference/runners/github-hosted-runners,
 * "Standard GitHub-hosted runners for public repositories"). What is available to the lab
 * is our estimate: 2 GiB less for the runner's own OS, the runner service and libvirt.
 */
export const GITHUB_UBUNTU_RUNNER: HostResources = {
  label: "GitHub's ubuntu-24.04 runner",
  memTotalMiB: 16 * 1024,
  memAvailableMiB: 14 * 1024,
  cpus: 4,
  disk: { path: "its SSD", freeBytes: 14 * 1000 ** 3 },
};

/**
 * What the given machines (default: all) ask for; `diskOf` gives a machine's disk size in
 * bytes when known, `running` names the machines already running.
 */
export function labNeeds(lab: Lab, diskOf: (machine: Machine) => number | undefined, only?: string[], running: string[] = []): LabNeeds {
  const machines = lab.machines
    .filter((m) => !only?.length || only.includes(m.name))
    .map((m) => ({ name: m.name, path: m.path, memoryMiB: m.memory, cpus: m.cpus, box: m.box, ...diskNeed(m, diskOf(m)), running: running.includes(m.name) }));
  return {
    machines,
    memoryMiB: machines.reduce((sum, m) => sum + m.memoryMiB, 0),
    startMemoryMiB: machines.reduce((sum, m) => sum + (m.running ? 0 : m.memoryMiB), 0),
    cpus: machines.reduce((sum, m) => sum + m.cpus, 0),
    diskBytes: machines.reduce((sum, m) => sum + (m.diskBytes ?? 0), 0),
    diskUnknown: machines.filter((m) => m.diskBytes === undefined).map((m) => m.name),
  };
}

/**
 * A machine's disks: the root disk (the box's, or diskSizeGiB when larger: a smaller one is
 * ignored, by vagrant-libvirt with a warning, action/handle_box_image.rb, and by VirtualBox,
 * which cannot shrink a disk) plus its blank disks. Unknown while the box is not added,
 * unless diskSizeGiB sets the root disk's size.
 */
function diskNeed(machine: Machine, boxBytes: number | undefined): Pick<MachineNeed, "diskBytes" | "rootBelowBox"> {
  const requested = machine.diskSizeGiB !== undefined ? machine.diskSizeGiB * GiB : undefined;
  const root = boxBytes === undefined ? requested : Math.max(boxBytes, requested ?? 0);
  const extra = machine.disks.reduce((sum, disk) => sum + disk.sizeGiB * GiB, 0);
  const rootBelowBox = requested !== undefined && boxBytes !== undefined && requested < boxBytes ? { requested, box: boxBytes } : undefined;
  return { diskBytes: root === undefined ? undefined : root + extra, ...(rootBelowBox ? { rootBelowBox } : {}) };
}

/** Holds the needs against the host; every finding carries the numbers and the fix. */
export function assessFit(needs: LabNeeds, host: HostResources): FitFinding[] {
  const findings: FitFinding[] = [];
  const count = `${needs.machines.length} machine${needs.machines.length === 1 ? "" : "s"}`;
  const need = needs.machines.length === 1 ? "needs" : "need";
  const lessMemory = "lower memory in the config (defaults.memory or a machine's memory) or bring up fewer machines (kvm-lab up <machine>..)";
  if (host.memTotalMiB !== undefined && needs.memoryMiB > host.memTotalMiB) {
    findings.push({
      level: "refuse",
      path: "machines",
      message: `the ${count} ${need} ${mib(needs.memoryMiB)} of memory; ${host.label} has ${mib(host.memTotalMiB)} in all`,
      fix: lessMemory,
    });
  } else if (host.memAvailableMiB !== undefined && needs.startMemoryMiB > host.memAvailableMiB) {
    const running = needs.machines.filter((m) => m.running).map((m) => m.name);
    const toStart = needs.machines.length - running.length;
    const what = running.length ? `the ${toStart} machine${toStart === 1 ? "" : "s"} to start (${running.join(", ")} already running) ${toStart === 1 ? "needs" : "need"}` : `the ${count} ${need}`;
    findings.push({
      level: "warn",
      path: "machines",
      message: `${what} ${mib(needs.startMemoryMiB)} of memory; ${host.label} has ${mib(host.memAvailableMiB)} available (of ${mib(host.memTotalMiB)}): expect swapping`,
      fix: `close other programs, or ${lessMemory}`,
    });
  }
  for (const m of needs.machines) {
    const where = `${m.path}.cpus`;
    if (m.cpus > 2 * host.cpus) {
      findings.push({
        level: "refuse",
        path: where,
        message: `${m.name} has ${m.cpus} vCPUs; ${host.label} has ${host.cpus} CPUs, and kvm-lab allows at most twice as many on either provider (VirtualBox's own limit; QEMU does not check)`,
        fix: `use at most ${host.cpus} cpus`,
      });
    } else if (m.cpus > host.cpus) {
      findings.push({
        level: "warn",
        path: where,
        message: `${m.name} has ${m.cpus} vCPUs; ${host.label} has ${host.cpus} CPUs: its vCPUs will wait for each other`,
        fix: `use at most ${host.cpus} cpus`,
      });
    }
  }
  for (const m of needs.machines) {
    if (!m.rootBelowBox) continue;
    findings.push({
      level: "warn",
      path: `${m.path}.diskSizeGiB`,
      message: `${gib(m.rootBelowBox.requested)} is below the box's own disk (${gib(m.rootBelowBox.box)}): a disk is never shrunk, so the setting does nothing`,
      fix: `remove diskSizeGiB, or use more than ${Math.ceil(m.rootBelowBox.box / GiB)}`,
    });
  }
  const free = host.disk?.freeBytes;
  if (free !== undefined && needs.diskBytes > free) {
    const known = needs.machines.length - needs.diskUnknown.length;
    findings.push({
      level: "warn",
      path: "machines",
      message: `the disks of ${known === needs.machines.length ? `the ${count}` : `${known} of the ${count}`} can grow to ${gib(needs.diskBytes)}; ${host.disk!.path} has ${gib(free)} free`,
      fix: "free disk space there, or bring up fewer machines",
    });
  }
  return findings;
}

/** Raised by `up` when the lab does not fit the host; names the numbers and the override. */
export class LabDoesNotFitError extends KvmLabError {
  override readonly code = "LAB_DOES_NOT_FIT";
  readonly findings: FitFinding[];

  constructor(findings: FitFinding[]) {
    const lines = findings.map((f) => `  - ${f.path}: ${f.message}; ${f.fix}`);
    super(`the lab does not fit this host; nothing was started:\n${lines.join("\n")}`, {
      hint: `fix the config, or run again with ${OVERRIDE_FLAG} to start it anyway`,
    });
    this.findings = findings;
  }
}

/** The refusals of a report as one error, or nothing when the lab may go ahead. */
export function refusalOf(report: FitReport, allowOvercommit = false): LabDoesNotFitError | undefined {
  const refused = report.findings.filter((f) => f.level === "refuse");
  return refused.length && !allowOvercommit ? new LabDoesNotFitError(refused) : undefined;
}

/** A short summary for people: memory, vCPUs and disk, needs against the host. */
export function formatFit(report: FitReport): string[] {
  const { needs, host } = report;
  const count = `${needs.machines.length} machine${needs.machines.length === 1 ? "" : "s"}`;
  const most = Math.max(0, ...needs.machines.map((m) => m.cpus));
  const memHost =
    host.memTotalMiB === undefined
      ? "host memory unknown"
      : `${host.memAvailableMiB === undefined ? "" : `${host.memAvailableMiB} MiB available of `}${host.memTotalMiB} MiB`;
  const known = needs.machines.length - needs.diskUnknown.length;
  const running = needs.machines.filter((m) => m.running).map((m) => m.name);
  const diskNeed =
    known === 0
      ? "unknown (no box size known: add the box with vagrant box add)"
      : `up to ${gib(needs.diskBytes)}${needs.diskUnknown.length ? ` for ${known} of ${needs.machines.length}; unknown for ${needs.diskUnknown.join(", ")} (box not added)` : ""}`;
  const diskHost = host.disk ? `${host.disk.freeBytes === undefined ? "free space unknown" : `${gib(host.disk.freeBytes)} free`} under ${host.disk.path}` : "free space unknown";
  return [
    `resources: what ${count} ${needs.machines.length === 1 ? "needs" : "need"}; what ${host.label} has`,
    `  memory  ${mib(needs.memoryMiB)}${running.length ? ` (${needs.memoryMiB - needs.startMemoryMiB} MiB of it already running: ${running.join(", ")})` : ""}; ${memHost}`,
    `  vCPUs   ${needs.cpus} in all, at most ${most} per machine; ${host.cpus} CPUs`,
    `  disk    ${diskNeed}; ${diskHost}`,
  ];
}

/** The report as numbers for --json (MiB and bytes; null where unknown). */
export function fitJson(report: FitReport): object {
  const { needs, host } = report;
  return {
    host: {
      label: host.label,
      memoryTotalMiB: host.memTotalMiB ?? null,
      memoryAvailableMiB: host.memAvailableMiB ?? null,
      cpus: host.cpus,
      diskPath: host.disk?.path ?? null,
      diskFreeBytes: host.disk?.freeBytes ?? null,
    },
    needs: {
      memoryMiB: needs.memoryMiB,
      startMemoryMiB: needs.startMemoryMiB,
      cpus: needs.cpus,
      maxCpusPerMachine: Math.max(0, ...needs.machines.map((m) => m.cpus)),
      diskBytes: needs.diskUnknown.length === needs.machines.length && needs.machines.length ? null : needs.diskBytes,
      diskUnknown: needs.diskUnknown,
      machines: needs.machines.map((m) => ({ name: m.name, memoryMiB: m.memoryMiB, cpus: m.cpus, box: m.box, diskBytes: m.diskBytes ?? null, running: m.running })),
    },
    findings: report.findings,
  };
}

function mib(value: number | undefined): string {
  if (value === undefined) return "?";
  return value >= 1024 ? `${value} MiB (${(value / 1024).toFixed(1)} GiB)` : `${value} MiB`;
}

function gib(bytes: number): string {
  return `${(bytes / GiB).toFixed(1)} GiB`;
}

/** The whole check: the lab's needs (of `only` machines, default all) against this host; `labDir` finds the machines already running. */
export async function checkLabFits(lab: Lab, options: { only?: string[]; labDir?: string; sources?: HostSources; procDir?: string } = {}): Promise<FitReport> {
  const sources = options.sources ?? {};
  const running = options.labDir ? await runningMachines(lab, options.labDir, options.procDir) : [];
  const needs = labNeeds(lab, await machineDisks(lab, vagrantBoxesDir(sources)), options.only, running);
  const host = await readHostResources(lab.provider, sources);
  return { needs, host, findings: assessFit(needs, host) };
}

/**
 * The lab against GitHub's runner the scaffolded workflow targets, as warnings: what `up`
 * would refuse there, and what would be slow. The workflow runs the lab on libvirt
 * (templates/create/common/_github/workflows/kvm-lab.yml: `npm test -- --provider libvirt`),
 * so disks are the libvirt boxes' sizes.
 */
export async function ciRunnerWarnings(lab: Lab, sources: HostSources = {}): Promise<Problem[]> {
  const needs = labNeeds(lab, await machineDisks(lab, vagrantBoxesDir(sources), "libvirt"));
  const runner = GITHUB_UBUNTU_RUNNER;
  const size = `${runner.cpus} CPUs, 16 GB RAM, 14 GB SSD`;
  return assessFit(needs, runner).map(({ level, path: where, message }) => ({
    path: where,
    message: `${level === "refuse" ? "too big for" : "tight on"} the CI workflow's runner (${size}): ${message}`,
    fix: "use fewer or smaller machines (--machines, or memory and cpus in kvm-lab.config.ts), or a larger runner (runs-on in .github/workflows/kvm-lab.yml)",
  }));
}
