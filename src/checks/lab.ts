// The KVM checks of a whole lab: SSH entries from vagrant (cached while they hold), the
// guest checks on every machine that has one, and a second try with a fresh ssh-config
// for machines whose cached entry failed (a new address after a reboot). A machine with
// no entry is reported with why (not running: its state, and "run kvm-lab up").
import type { CheckId } from "./ids.js";
import type { MachineReport } from "./results.js";
import { runGuestChecks } from "./run.js";
import { labSshConfig, type LabSshOptions } from "../vagrant/ssh-config.js";

export interface LabCheckOptions extends Omit<LabSshOptions, "fresh"> {
  required: readonly CheckId[];
  timeoutMs: number;
  /** Run only these checks (default all). */
  only?: CheckId[];
}

/** One report per machine of `options.machines`, in that order. */
export async function checkLab(options: LabCheckOptions): Promise<MachineReport[]> {
  let ssh = await labSshConfig(options);
  const check = (machines: string[]) =>
    runGuestChecks({ sshConfig: ssh.file, machines, required: options.required, timeoutMs: options.timeoutMs, only: options.only });
  const byName = new Map((await check(options.machines.filter((m) => ssh.hosts.includes(m)))).map((r) => [r.machine, r]));
  // A cached entry may be stale: read vagrant ssh-config afresh, once, for the machines it failed.
  const failed = [...byName.values()].filter((r) => !r.reachable && r.error?.startsWith("ssh failed")).map((r) => r.machine);
  if (ssh.cached && failed.length) {
    ssh = await labSshConfig({ ...options, fresh: true });
    for (const report of await check(failed.filter((m) => ssh.hosts.includes(m)))) byName.set(report.machine, report);
  }
  return options.machines.map(
    (m) => byName.get(m) ?? { machine: m, reachable: false, seconds: 0, checks: [], ...(ssh.missing.get(m) ?? { error: "no SSH entry from vagrant ssh-config" }) },
  );
}
