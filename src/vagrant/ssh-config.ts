// `vagrant ssh-config`, read once per command and written to a file that plain `ssh -F`
// uses (a process substitution does not work: ssh closes inherited descriptors).
import path from "node:path";
import fs from "fs-extra";
import { executeVagrant, type VagrantOptions } from "./execute.js";
import { VagrantFailedError } from "../errors.js";

export interface SshConfig {
  file: string;
  /** Machines with an SSH entry. */
  hosts: string[];
  /** Machines vagrant could give no SSH entry for, with what it said. */
  missing: Map<string, string>;
}

export function hostsOf(text: string): string[] {
  return [...text.matchAll(/^Host\s+(\S+)\s*$/gm)].map((m) => m[1]);
}

/** One `vagrant ssh-config` for all machines; only when it fails, one per machine to find which. */
export async function writeSshConfig(machines: string[], file: string, options: VagrantOptions): Promise<SshConfig> {
  const missing = new Map<string, string>();
  let text: string;
  try {
    text = (await executeVagrant(["ssh-config", ...machines], options)).stdout;
  } catch (error) {
    if (!(error instanceof VagrantFailedError)) throw error;
    const parts: string[] = [];
    for (const machine of machines) {
      try {
        parts.push((await executeVagrant(["ssh-config", machine], options)).stdout);
      } catch (inner) {
        if (!(inner instanceof VagrantFailedError)) throw inner;
        missing.set(machine, inner.stderr.trim().split("\n").slice(-3).join(" ").trim() || "vagrant ssh-config failed");
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
