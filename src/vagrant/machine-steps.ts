// The vagrant commands `kvm-lab up` runs on one machine of an existing lab besides `vagrant
// up` (src/vagrant/lab.ts): reload (halt and start, so settings applied on start take
// effect) and provision, with the steps named (`--provision-with x,y`: Vagrant 2.3.4
// plugins/commands/provision/command.rb, and for reload plugins/commands/up/start_mixins.rb
// `build_start_options`; an OptionParser Array, so a name is split at commas). Progress
// per machine as upLab gives it; the output is added to the machine's log.
import path from "node:path";
import fs from "fs-extra";
import { VagrantFailedError } from "../errors.js";
import { executeVagrant } from "./execute.js";
import type { LabDirs } from "./lab.js";
import { messageOf, parseMachineReadable, progressTextOf } from "./machine-readable.js";

export interface StepOptions {
  timeoutMs: number;
  progress: (machine: string, message: string) => void;
  env?: Record<string, string>;
}

/** `vagrant reload` or `vagrant provision` of one machine, running the named steps; a failure names the machine with its log's tail. */
export async function runMachineStep(dirs: LabDirs, verb: "reload" | "provision", machine: string, provisionWith: string[], options: StepOptions): Promise<void> {
  await fs.ensureDir(dirs.logs);
  const file = path.join(dirs.logs, `${machine}.log`);
  const log = fs.createWriteStream(file, { flags: "a" });
  log.write(`--- vagrant ${verb} ${machine}${provisionWith.length ? ` --provision-with ${provisionWith.join(",")}` : ""}\n`);
  const onLine = (raw: string) => {
    const line = parseMachineReadable(raw);
    const message = line && messageOf(line);
    if (!line || message === undefined) return;
    log.write(`${message}\n`);
    const text = progressTextOf(message);
    if (text) options.progress(machine, text);
  };
  const args = [verb, "--machine-readable", ...(provisionWith.length ? ["--provision-with", provisionWith.join(",")] : []), machine];
  try {
    await executeVagrant(args, { cwd: dirs.dir, env: options.env, timeoutMs: options.timeoutMs, onLine });
  } catch (error) {
    if (!(error instanceof VagrantFailedError)) throw error;
    await new Promise((resolve) => log.end(resolve));
    const tail = (await fs.readFile(file, "utf8").catch(() => "")).trimEnd().split("\n").slice(-12).join("\n");
    throw new VagrantFailedError(`vagrant ${verb} ${machine}`, `${error.stderr.trim().split("\n").slice(-4).join("\n")}\n--- last lines of .kvm-lab/logs/${machine}.log:\n${tail}`, {
      cause: error,
      hint: "the full log is under .kvm-lab/logs/",
    });
  } finally {
    log.end();
  }
}
