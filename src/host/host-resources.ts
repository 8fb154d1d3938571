// What this host has for VMs: memory (/proc/meminfo), CPUs, free space where the provider
// keeps VM disks, and which of a lab's machines already run here. Every path and variable is
// injectable, so tests describe a host of their own.
import os from "node:os";
import path from "node:path";
import fs from "fs-extra";
import type { Lab, Provider } from "../config/types.js";
import { freeBytesUnder } from "./disk-space.js";
import type { HostResources } from "./fit.js";

const MiB = 1024 * 1024;

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
    disk: { path: dir, freeBytes: await (sources.freeBytes ?? freeBytesUnder)(dir) },
  };
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
