// `vagrant ssh-config`, read once per command and written to a file that plain `ssh -F`
// uses (a process substitution does not work: ssh closes inherited descriptors). A machine
// without an entry is explained by its state: Vagrant's ssh-config refuses a machine whose
// provider gives no SSH address (hashicorp/vagrant plugins/commands/ssh_config/command.rb:
// SSHNotReady when machine.ssh_info is nil; its text, templates/locales/en.yml ssh_not_ready,
// is a paragraph about "the state that you expect"), which is every machine not running.
import path from "node:path";
import fs from "fs-extra";
import { executeVagrant, vagrantVersion, type VagrantOptions } from "./execute.js";
import { machineStates, notRunning, RUNNING } from "./status.js";
import { VagrantFailedError } from "../errors.js";

/** Why a machine has no SSH entry: not running (its state, and the fix), or what vagrant said. */
export interface NoSshEntry {
  error: string;
  state?: string;
  fix?: string;
}

export interface SshConfig {
  file: string;
  /** Machines with an SSH entry. */
  hosts: string[];
  /** Machines vagrant could give no SSH entry for, and why. */
  missing: Map<string, NoSshEntry>;
}

/** The Host names of an ssh config text. */
export function hostsOf(text: string): string[] {
  return [...text.matchAll(/^Host\s+(\S+)\s*$/gm)].map((m) => m[1]);
}

/** One Host entry of `vagrant ssh-config`, typed. */
export interface SshEntry {
  host: string;
  hostName: string | null;
  port: number | null;
  user: string | null;
  identityFiles: string[];
}

/** The Host entries of an ssh config text (`vagrant ssh-config`'s shape: `Host x`, then indented `Key value` lines). */
export function sshEntries(text: string): SshEntry[] {
  const entries: SshEntry[] = [];
  let entry: SshEntry | undefined;
  for (const raw of text.split("\n")) {
    const match = /^\s*(\S+)\s+(.*?)\s*$/.exec(raw);
    if (!match) continue;
    const [, key, value] = match;
    const unquoted = value.replace(/^"(.*)"$/, "$1");
    if (key.toLowerCase() === "host") entries.push((entry = { host: unquoted, hostName: null, port: null, user: null, identityFiles: [] }));
    else if (!entry) continue;
    else if (key.toLowerCase() === "hostname") entry.hostName = unquoted;
    else if (key.toLowerCase() === "port") entry.port = /^\d+$/.test(unquoted) ? Number(unquoted) : null;
    else if (key.toLowerCase() === "user") entry.user = unquoted;
    else if (key.toLowerCase() === "identityfile") entry.identityFiles.push(unquoted);
  }
  return entries;
}

/** The last lines of what vagrant said, on one line. */
function said(error: VagrantFailedError): string {
  return error.stderr.trim().split("\n").slice(-3).join(" ").trim() || "vagrant ssh-config failed";
}

/**
 * One `vagrant ssh-config` for all machines. Only when it fails: `vagrant status` names the
 * machines that are not running, and one ssh-config per running machine finds the others.
 */
export async function writeSshConfig(machines: string[], file: string, options: VagrantOptions): Promise<SshConfig> {
  const missing = new Map<string, NoSshEntry>();
  let text: string;
  try {
    text = (await executeVagrant(["ssh-config", ...machines], options)).stdout;
  } catch (error) {
    if (!(error instanceof VagrantFailedError)) throw error;
    const states = await machineStates(options.cwd, options.env as Record<string, string> | undefined).catch(() => new Map<string, string>());
    const parts: string[] = [];
    for (const machine of machines) {
      const state = states.get(machine);
      if (state !== undefined && state !== RUNNING) {
        missing.set(machine, notRunning(state));
        continue;
      }
      try {
        parts.push((await executeVagrant(["ssh-config", machine], options)).stdout);
      } catch (inner) {
        if (!(inner instanceof VagrantFailedError)) throw inner;
        missing.set(machine, { error: said(inner) });
      }
    }
    text = parts.join("\n");
  }
  await fs.ensureDir(path.dirname(file));
  await fs.writeFile(file, text, { mode: 0o600 });
  return { file, hosts: hostsOf(text), missing };
}

/**
 * The ssh-config file written before, when it still holds: every machine has an entry, and
 * no machine was created, destroyed or re-created since (Vagrant rewrites
 * .vagrant/machines/<machine>/<provider>/id then). Saves two vagrant runs (~2 s) per check;
 * a stale address is caught by the caller, which then reads vagrant ssh-config afresh.
 */
export async function cachedSshConfig(dir: string, file: string, machines: string[], provider: string): Promise<SshConfig | undefined> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat) return undefined;
  const hosts = hostsOf(await fs.readFile(file, "utf8"));
  if (!machines.every((m) => hosts.includes(m))) return undefined;
  for (const machine of machines) {
    const id = await fs.stat(path.join(dir, ".vagrant", "machines", machine, provider, "id")).catch(() => undefined);
    if (!id || id.mtimeMs > stat.mtimeMs) return undefined;
  }
  return { file, hosts, missing: new Map() };
}

export interface LabSshOptions {
  /** The lab folder (the Vagrantfile's). */
  dir: string;
  /** Where the file goes (.kvm-lab/ssh-config). */
  file: string;
  machines: string[];
  provider: string;
  /** Read vagrant ssh-config even when the cached file still holds. */
  fresh?: boolean;
}

/** The lab's SSH config: the cached file while it holds, else read from vagrant afresh (`cached` says which). */
export async function labSshConfig(options: LabSshOptions): Promise<SshConfig & { cached: boolean }> {
  const cached = options.fresh ? undefined : await cachedSshConfig(options.dir, options.file, options.machines, options.provider);
  if (cached) return { ...cached, cached: true };
  await vagrantVersion({ cwd: options.dir });
  return { ...(await writeSshConfig(options.machines, options.file, { cwd: options.dir })), cached: false };
}
