// Driving a lab's machines: up (with per-machine progress and logs), status, destroy.
import path from "node:path";
import fs from "fs-extra";
import type { Lab } from "../config/types.js";
import { upWaves } from "../config/up-order.js";
import { VagrantFailedError } from "../errors.js";
import { executeVagrant, vagrantVersion, type VagrantOptions } from "./execute.js";
import { messageOf, parseMachineReadable, progressTextOf } from "./machine-readable.js";
import { machineStates } from "./status.js";

export interface LabDirs {
  /** Where the Vagrantfile is. */
  dir: string;
  /** .kvm-lab/ beside it: logs and the ssh-config file. */
  state: string;
  logs: string;
}

/** The folders of a lab whose Vagrantfile is in `dir`. */
export function labDirs(dir: string): LabDirs {
  const state = path.join(dir, ".kvm-lab");
  return { dir, state, logs: path.join(state, "logs") };
}

/** One machine's `vagrant up` failed: named, with the tail of its log. */
export class VagrantUpError extends VagrantFailedError {
  readonly machines: string[];
  constructor(machines: string[], details: string, cause: unknown) {
    super(`vagrant up (${machines.join(", ")})`, details, { cause, hint: "the full logs are under .kvm-lab/logs/" });
    this.machines = machines;
  }
}

export interface UpOptions {
  machines: string[];
  timeoutMs: number;
  /** Per-machine progress messages. */
  progress: (machine: string, message: string) => void;
  env?: Record<string, string>;
}

/**
 * `vagrant up` for the lab in waves that respect upAfter (config/up-order.ts): each wave in
 * parallel where the provider can (libvirt), one machine at a time for VirtualBox; each
 * machine's log kept in .kvm-lab/logs/<machine>.log. A failed wave stops the later ones.
 */
export async function upLab(lab: Lab, dirs: LabDirs, options: UpOptions): Promise<void> {
  await vagrantVersion({ cwd: dirs.dir });
  await fs.ensureDir(dirs.logs);
  const logs = new Map<string, fs.WriteStream>();
  const logOf = (target: string) => {
    const name = target || "lab";
    let stream = logs.get(name);
    if (!stream) {
      stream = fs.createWriteStream(path.join(dirs.logs, `${name}.log`), { flags: "w" });
      logs.set(name, stream);
    }
    return stream;
  };
  const parallel = lab.provider === "libvirt" ? "--parallel" : "--no-parallel";
  const onLine = (raw: string) => {
    const line = parseMachineReadable(raw);
    if (!line) return;
    const message = messageOf(line);
    if (message === undefined) return;
    logOf(line.target).write(`${message}\n`);
    const text = progressTextOf(message);
    if (line.target && text) options.progress(line.target, text);
  };
  const args = ["up", "--machine-readable", `--provider=${lab.provider}`, parallel];
  // Machines wait for their upAfter machines: libvirt brings each wave up in parallel, VirtualBox one machine at a time in wave order.
  const waves = upWaves(lab, options.machines);
  const calls = lab.provider === "libvirt" ? waves : waves.flat().map((machine) => [machine]);
  const attempted: string[] = [];
  try {
    for (const machines of calls) {
      attempted.push(...machines);
      await executeVagrant([...args, ...machines], { cwd: dirs.dir, env: options.env, timeoutMs: options.timeoutMs, onLine });
    }
  } catch (error) {
    if (!(error instanceof VagrantFailedError)) throw error;
    await Promise.all([...logs.values()].map((s) => new Promise((r) => s.end(r))));
    const states = await machineStates(dirs.dir, options.env).catch(() => new Map<string, string>());
    const failed = attempted.filter((m) => states.get(m) !== "running");
    const named = failed.length ? failed : attempted;
    const tails = await Promise.all(
      named.map(async (m) => {
        const log = await fs.readFile(path.join(dirs.logs, `${m}.log`), "utf8").catch(() => "");
        return `--- ${m} (${states.get(m) ?? "state unknown"}), last lines of .kvm-lab/logs/${m}.log:\n${log.trimEnd().split("\n").slice(-12).join("\n")}`;
      }),
    );
    const waiting = options.machines.filter((m) => !attempted.includes(m));
    const notStarted = waiting.length ? `\nnot started (they come up after the machines above): ${waiting.join(", ")}` : "";
    throw new VagrantUpError(named, `${error.stderr.trim().split("\n").slice(-4).join("\n")}\n${tails.join("\n")}${notStarted}`, error);
  } finally {
    await Promise.all([...logs.values()].map((s) => new Promise((r) => s.end(r))));
  }
}

/** `vagrant destroy -f` of the named machines, or of all of them when none is named. */
export async function destroyLab(dirs: LabDirs, machines: string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<void> {
  await executeVagrant(["destroy", "-f", ...machines], { cwd: dirs.dir, env: options.env, timeoutMs: options.timeoutMs ?? 10 * 60_000 });
}

export type { VagrantOptions };
