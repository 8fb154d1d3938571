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
import os from "node:os";
import path from "node:path";
import fs from "fs-extra";
import type { Lab, Machine, Provider } from "../config/types.js";
import { KvmLabError, type Problem } from "../errors.js";

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
  /** Its index in the config's machines, for messages. */
  index: number;
  memoryMiB: number;
  cpus: number;
  box: string;
  diskBytes?: number;
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
    .map((m, index) => ({ m, index }))
    .filter(({ m }) => !only?.length || only.includes(m.name))
    .map(({ m, index }) => ({ name: m.name, index, memoryMiB: m.memory, cpus: m.cpus, box: m.box, diskBytes: diskOf(m), running: running.includes(m.name) }));
  return {
    machines,
    memoryMiB: machines.reduce((sum, m) => sum + m.memoryMiB, 0),
    startMemoryMiB: machines.reduce((sum, m) => sum + (m.running ? 0 : m.memoryMiB), 0),
    cpus: machines.reduce((sum, m) => sum + m.cpus, 0),
    diskBytes: machines.reduce((sum, m) => sum + (m.diskBytes ?? 0), 0),
    diskUnknown: machines.filter((m) => m.diskBytes === undefined).map((m) => m.name),
  };
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
    const where = `machines[${m.index}].cpus`;
    if (m.cpus > 2 * host.cpus) {
      findings.push({
        level: "refuse",
        path: where,
        message: `${m.name} has ${m.cpus} vCPUs; ${host.label} has ${host.cpus} CPUs, and VirtualBox's settings allow at most twice as many`,
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
    `resources: what ${count} need; what ${host.label} has`,
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

// ---------------------------------------------------------------------------------------
// Reading the host. Every path and variable is injectable, so tests describe a host of
// their own.

export interface HostSources {
  /** /proc/meminfo (Linux). */
  meminfo?: string;
  cpus?: number;
  home?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** Free bytes under a path (default: statfs of the nearest existing folder). */
  freeBytes?: (dir: string) => Promise<number | undefined>;
}

/** MemTotal and MemAvailable from /proc/meminfo text, in MiB (the kernel writes kB, meaning KiB). */
export function parseMeminfo(text: string): { totalMiB?: number; availableMiB?: number } {
  const field = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+)\\s*kB`, "m").exec(text);
    return match ? Math.floor(Number(match[1]) / 1024) : undefined;
  };
  return { totalMiB: field("MemTotal"), availableMiB: field("MemAvailable") };
}

/**
 * Where the provider keeps VM disks. libvirt: vagrant-libvirt's storage pool "default",
 * which it creates at /var/lib/libvirt/images when missing (lib/vagrant-libvirt/util/
 * storage_util.rb storage_pool_path; action/handle_storage_pool.rb). VirtualBox: the default
 * machine folder Vagrant imports boxes into, `defaultMachineFolder` in VirtualBox.xml
 * (src/VBox/Main/xml/Settings.cpp, MainConfigFile readGlobal), else "$HOME/VirtualBox VMs"
 * (Main/src-server/SystemPropertiesImpl.cpp i_setDefaultMachineFolder).
 */
export async function vmDiskFolder(provider: Provider, sources: HostSources = {}): Promise<string> {
  const home = sources.home ?? os.homedir();
  if (provider === "libvirt") return "/var/lib/libvirt/images";
  const xml = await fs.readFile(path.join(virtualboxUserHome(home, sources), "VirtualBox.xml"), "utf8").catch(() => "");
  const match = /<SystemProperties\b[^>]*\bdefaultMachineFolder="([^"]+)"/.exec(xml);
  const folder = match ? unescapeXml(match[1]) : "";
  return folder && folder !== "Machines" && path.isAbsolute(folder) ? folder : path.join(home, "VirtualBox VMs");
}

/**
 * VirtualBox's settings folder: $VBOX_USER_HOME, else the first that exists of ~/.VirtualBox
 * and $XDG_CONFIG_HOME/VirtualBox (~/.config/VirtualBox) on Linux, ~/Library/VirtualBox on
 * macOS, ~/.VirtualBox on Windows (src/VBox/Main/glue/GetVBoxUserHomeDirectory.cpp).
 */
function virtualboxUserHome(home: string, sources: HostSources): string {
  const env = sources.env ?? process.env;
  const platform = sources.platform ?? process.platform;
  if (env.VBOX_USER_HOME) return path.resolve(env.VBOX_USER_HOME);
  if (platform === "darwin") return path.join(home, "Library", "VirtualBox");
  if (platform === "win32") return path.join(home, ".VirtualBox");
  const legacy = path.join(home, ".VirtualBox");
  return fs.existsSync(legacy) ? legacy : path.join(env.XDG_CONFIG_HOME ?? path.join(home, ".config"), "VirtualBox");
}

function unescapeXml(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** Free bytes for an unprivileged writer under `dir`, asked of its nearest existing folder. */
async function statfsFree(dir: string): Promise<number | undefined> {
  for (let at = dir; ; at = path.dirname(at)) {
    try {
      const stats = await fs.promises.statfs(at);
      return stats.bavail * stats.bsize;
    } catch {
      if (path.dirname(at) === at) return undefined;
    }
  }
}

/**
 * This host: MemTotal and MemAvailable from /proc/meminfo (absent off Linux: then the total
 * from os.totalmem() and nothing for available), CPUs from os.availableParallelism() (the
 * CPUs this process may run on, as `nproc` counts them), and free disk where VM disks go.
 */
export async function readHostResources(provider: Provider, sources: HostSources = {}): Promise<HostResources> {
  const meminfo = sources.meminfo ?? (await fs.readFile("/proc/meminfo", "utf8").catch(() => undefined));
  const mem = meminfo === undefined ? { totalMiB: Math.floor(os.totalmem() / MiB), availableMiB: undefined } : parseMeminfo(meminfo);
  const dir = await vmDiskFolder(provider, sources);
  return {
    label: "this host",
    memTotalMiB: mem.totalMiB,
    memAvailableMiB: mem.availableMiB,
    cpus: sources.cpus ?? os.availableParallelism(),
    disk: { path: dir, freeBytes: await (sources.freeBytes ?? statfsFree)(dir) },
  };
}

// ---------------------------------------------------------------------------------------
// Box sizes: the virtual size of a box's disk, read from the box as Vagrant stored it.

/**
 * Vagrant's box folder: $VAGRANT_HOME/boxes, default ~/.vagrant.d/boxes
 * (lib/vagrant/shared_helpers.rb Vagrant.user_data_path). A box lives under its name with
 * "/" spelled "-VAGRANTSLASH-", then a folder per version, then per provider
 * (lib/vagrant/box_collection.rb dir_name, find); Vagrant 2.4 and later may put an
 * architecture folder between version and provider.
 */
export function vagrantBoxesDir(sources: HostSources = {}): string {
  const env = sources.env ?? process.env;
  return path.join(env.VAGRANT_HOME ? path.resolve(env.VAGRANT_HOME) : path.join(sources.home ?? os.homedir(), ".vagrant.d"), "boxes");
}

/** Version folders newest first, compared number by number as Gem::Version does for plain versions. */
function newestFirst(versions: string[]): string[] {
  const parts = (v: string) => v.split(/[.-]/).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return [...versions].sort((a, b) => {
    const [x, y] = [parts(a), parts(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      const [p, q] = [x[i] ?? 0, y[i] ?? 0];
      if (p === q) continue;
      if (typeof p === "number" && typeof q === "number") return q - p;
      return String(q).localeCompare(String(p));
    }
    return 0;
  });
}

async function subdirs(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith(".")).map((e) => e.name);
}

/** The newest added version of a box for a provider: its folder, or nothing when not added. */
export async function boxFolder(box: string, provider: Provider, boxesDir: string): Promise<string | undefined> {
  const root = path.join(boxesDir, box.replace(/\//g, "-VAGRANTSLASH-"));
  for (const version of newestFirst(await subdirs(root))) {
    const direct = path.join(root, version, provider);
    if (await fs.pathExists(path.join(direct, "metadata.json"))) return direct;
    for (const arch of await subdirs(path.join(root, version))) {
      const nested = path.join(root, version, arch, provider);
      if (await fs.pathExists(path.join(nested, "metadata.json"))) return nested;
    }
  }
  return undefined;
}

/** A qcow2 image's virtual size: bytes 24-31 of its header, big-endian (QEMU docs/interop/qcow2.txt). */
async function qcow2Size(file: string): Promise<number | undefined> {
  const handle = await fs.promises.open(file, "r").catch(() => undefined);
  if (!handle) return undefined;
  try {
    const header = Buffer.alloc(32);
    const { bytesRead } = await handle.read(header, 0, 32, 0);
    if (bytesRead < 32 || header.readUInt32BE(0) !== 0x514649fb) return undefined;
    return Number(header.readBigUInt64BE(24));
  } finally {
    await handle.close();
  }
}

/**
 * The OVF's disk capacities in bytes: `ovf:capacity` times `ovf:capacityAllocationUnits`
 * ("byte", "byte * 2^30"; DMTF OVF 1.x/2.x, DSP0243 "DiskSection").
 */
export function ovfDiskBytes(ovf: string): number | undefined {
  let total = 0;
  let found = false;
  for (const [disk] of ovf.matchAll(/<(?:\w+:)?Disk\b[^>]*>/g)) {
    const capacity = /\bovf:capacity="(\d+)"/.exec(disk);
    if (!capacity) continue;
    const units = /\bovf:capacityAllocationUnits="byte(?:\s*\*\s*(\d+)\s*\^\s*(\d+))?"/.exec(disk);
    const factor = units?.[1] ? Number(units[1]) ** Number(units[2]) : 1;
    total += Number(capacity[1]) * factor;
    found = true;
  }
  return found ? total : undefined;
}

/**
 * A box's disk size in bytes as Vagrant stored it. libvirt: `virtual_size` in GiB from
 * metadata.json, as vagrant-libvirt reads it (action/handle_box_image.rb: "capacity:
 * #{box_virtual_size}G"), else the qcow2 header of box.img. VirtualBox: the OVF's disks.
 */
export async function boxDiskBytes(box: string, provider: Provider, boxesDir: string): Promise<number | undefined> {
  const dir = await boxFolder(box, provider, boxesDir);
  if (!dir) return undefined;
  if (provider === "libvirt") {
    const metadata = await fs.readJson(path.join(dir, "metadata.json")).catch(() => ({}));
    const size = Number((metadata as { virtual_size?: unknown }).virtual_size);
    if (Number.isFinite(size) && size > 0) return size * GiB;
    return qcow2Size(path.join(dir, "box.img"));
  }
  const ovf = await fs.readFile(path.join(dir, "box.ovf"), "utf8").catch(() => undefined);
  return ovf === undefined ? undefined : ovfDiskBytes(ovf);
}

/** Each machine's disk size for a provider (default the lab's), looked up once per box. */
export async function machineDisks(lab: Lab, boxesDir: string, provider: Provider = lab.provider): Promise<(machine: Machine) => number | undefined> {
  const sizes = new Map<string, number | undefined>();
  for (const box of new Set(lab.machines.map((m) => m.box))) sizes.set(box, await boxDiskBytes(box, provider, boxesDir));
  return (machine) => sizes.get(machine.box);
}

/**
 * The lab's machines already running here. Vagrant keeps each created machine's provider id
 * in .vagrant/machines/<name>/<provider>/id (lib/vagrant/machine.rb, `id=`): the domain's
 * UUID on libvirt, the VM's UUID on VirtualBox; the VM's process carries that UUID on its
 * command line (QEMU's `-uuid`, VirtualBox's `VBoxHeadless --startvm`). Linux's /proc only;
 * elsewhere none are found, and memory is judged as if every machine were to start.
 */
export async function runningMachines(lab: Lab, labDir: string, procDir = "/proc"): Promise<string[]> {
  const ids = new Map<string, string>();
  for (const m of lab.machines) {
    const id = (await fs.readFile(path.join(labDir, ".vagrant", "machines", m.name, lab.provider, "id"), "utf8").catch(() => "")).trim();
    if (id) ids.set(id, m.name);
  }
  if (!ids.size) return [];
  const found = new Set<string>();
  for (const pid of (await fs.readdir(procDir).catch(() => [] as string[])).filter((entry) => /^\d+$/.test(entry))) {
    const args = (await fs.readFile(path.join(procDir, pid, "cmdline"), "utf8").catch(() => "")).split("\0");
    for (const [id, name] of ids) if (args.some((arg) => arg === id || arg.includes(`uuid=${id}`))) found.add(name);
  }
  return lab.machines.map((m) => m.name).filter((name) => found.has(name));
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
