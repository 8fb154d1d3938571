// Runs the guest checks: one SSH session per machine, all machines at once, each bounded
// by its own timeout, so one hung machine is reported unreachable and the rest still checked.
import { runProcess } from "../process/run.js";
import { sshCommand } from "../process/ssh.js";
import { checkScript } from "./script.js";
import { CHECK_IDS, scriptFunctionOf, type CheckId } from "./ids.js";
import { GuestOutputError, parseCheckOutput, type MachineReport } from "./results.js";

export interface GuestCheckOptions {
  sshConfig: string;
  machines: string[];
  required: readonly CheckId[];
  timeoutMs: number;
  /** Run only these checks (default all). */
  only?: readonly CheckId[];
  /** The ssh binary (tests may inject faults); default ssh. */
  ssh?: string;
}

export async function checkMachine(machine: string, script: string, options: GuestCheckOptions): Promise<MachineReport> {
  const started = Date.now();
  const expected = options.only?.length ? CHECK_IDS.filter((id) => options.only!.includes(id)) : CHECK_IDS;
  const functions = [...new Set(expected.map(scriptFunctionOf))].join(" ");
  const remote = options.only?.length ? `KVMLAB_ONLY='${functions}' sh -s` : "sh -s";
  const [ssh, args] = sshCommand({ ssh: options.ssh, sshConfig: options.sshConfig, machine, remote });
  const result = await runProcess(ssh, args, { input: script, timeoutMs: options.timeoutMs, graceMs: 0 });
  const seconds = (Date.now() - started) / 1000;
  const base = { machine, seconds, checks: [] };
  if (result.timedOut) {
    return { ...base, reachable: false, error: `no answer within ${Math.round(options.timeoutMs / 1000)} s (SSH hung)` };
  }
  if (result.exitCode === 255 || (result.failed && !result.stdout)) {
    const said = result.stderr.trim().split("\n").slice(-2).join(" ");
    return { ...base, reachable: false, error: `ssh failed (exit ${result.exitCode})${said ? `: ${said}` : ""}` };
  }
  try {
    return { ...base, reachable: true, checks: parseCheckOutput(result.stdout, options.required, expected) };
  } catch (error) {
    if (!(error instanceof GuestOutputError)) throw error;
    return { ...base, reachable: false, error: error.message };
  }
}

/** Checks every machine in parallel; the reports come back in the order of `machines`. */
export async function runGuestChecks(options: GuestCheckOptions): Promise<MachineReport[]> {
  const script = await checkScript();
  return Promise.all(options.machines.map((machine) => checkMachine(machine, script, options)));
}
